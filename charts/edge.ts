/**
 * The environment's edge: one IngressWithAuth (one Gateway, so one cloud load balancer) for
 * every host the environment serves, TLS certificates from Let's Encrypt through the
 * Gateway's HTTP listener, and basic auth in front of what is not public. Routes come from
 * the charts that own the services; this chart only puts them behind one entrance.
 */
import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  AppNamespace, BasicAuthUsers, Http01Solver, IngressController, IngressLoadBalancer, IngressWithAuth, LetsEncryptIssuers,
  type IngressRoute,
} from '../constructs/index.js';
import type { PlatformSettings } from '../constructs/environment/index.js';
import type { Environment } from './environment.js';

/** The namespace of the Gateway and the basic-auth verifier. */
export const EDGE_NAMESPACE = 'edge';
/** The Secret (in the edge namespace) with the users' bcrypt htpasswd lines, key `.htpasswd`. */
export const EDGE_USERS_SECRET = 'edge-users';

/** Properties of {@link EdgeChart}. */
export interface EdgeChartProps extends ChartProps {
  readonly env: Environment;
  readonly settings: PlatformSettings;
  readonly routes: readonly IngressRoute[];
  /**
   * The controller the platform installs (PlatformChart `ingressController`): its
   * GatewayClass or IngressClass, and where its proxies run.
   * @default IngressController.envoyGateway()
   */
  readonly controller?: IngressController;
}

/**
 * The Gateway, its routes and certificates, and the Let's Encrypt issuers. With the legacy
 * ingress-nginx controller an Ingress reaches only its own namespace, so there is one
 * IngressWithAuth per backend namespace instead (each needs the `edge-users` Secret).
 */
export class EdgeChart extends Chart {
  public readonly ingresses: readonly IngressWithAuth[];
  public readonly issuers: LetsEncryptIssuers;

  constructor(scope: Construct, id: string, props: EdgeChartProps) {
    super(scope, id, props);
    const { env, settings } = props;
    const controller = props.controller ?? IngressController.envoyGateway();
    const gateway = { name: 'edge', namespace: EDGE_NAMESPACE };
    const envoy = controller.kind === 'envoy-gateway';
    this.issuers = new LetsEncryptIssuers(this, 'LetsEncrypt', {
      email: settings.ingress.acmeEmail,
      http01: envoy ? Http01Solver.gateway(IngressWithAuth.http01ListenerOf(gateway)) : Http01Solver.ingressClass(controller.className),
    });
    if (envoy) new AppNamespace(this, 'Namespace', { name: EDGE_NAMESPACE });
    const loadBalancerOptions = { internal: settings.ingress.internal };
    this.ingresses = IngressWithAuth.acrossNamespaces(this, 'Ingress', {
      ...gateway,
      controller,
      routes: props.routes,
      basicAuth: { users: BasicAuthUsers.fromSecret({ name: EDGE_USERS_SECRET }, settings.ingress.users), realm: env.name },
      tls: { issuer: this.issuers[settings.ingress.issuer] },
      loadBalancer: env.cloud === 'aws' ? IngressLoadBalancer.aws(loadBalancerOptions) : IngressLoadBalancer.azure(loadBalancerOptions),
    });
  }
}
