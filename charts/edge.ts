/**
 * The environment's edge: one IngressWithAuth (one Gateway, so one cloud load balancer) for
 * every host the environment serves, TLS certificates from Let's Encrypt through the
 * Gateway's HTTP listener, and basic auth in front of what is not public. Routes come from
 * the charts that own the services; this chart only puts them behind one entrance.
 */
import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  AppNamespace, BasicAuthUsers, backendNamespace, Http01Solver, IngressController, IngressLoadBalancer, IngressWithAuth, LetsEncryptIssuers,
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
    const envoy = settings.ingress.controller === 'envoy-gateway';
    const tls = { issuer: { name: `letsencrypt-${settings.ingress.issuer}`, kind: 'ClusterIssuer' as const, http01Only: true } };
    const basicAuth = { users: BasicAuthUsers.fromSecret({ name: EDGE_USERS_SECRET }, settings.ingress.users), realm: env.name };
    if (envoy) {
      new AppNamespace(this, 'Namespace', { name: EDGE_NAMESPACE });
      const ingress = new IngressWithAuth(this, 'Ingress', {
        name: 'edge',
        namespace: EDGE_NAMESPACE,
        controller: IngressController.envoyGateway(),
        routes: props.routes,
        basicAuth,
        tls,
        loadBalancer: env.cloud === 'aws'
          ? IngressLoadBalancer.aws({ internal: settings.ingress.internal })
          : IngressLoadBalancer.azure({ internal: settings.ingress.internal }),
      });
      this.ingresses = [ingress];
      this.issuers = new LetsEncryptIssuers(this, 'LetsEncrypt', { email: settings.ingress.acmeEmail, http01: Http01Solver.gateway(ingress.http01Listener) });
      return;
    }
    const byNamespace = new Map<string, IngressRoute[]>();
    for (const route of props.routes) {
      const namespace = backendNamespace(route.backend) ?? EDGE_NAMESPACE;
      byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), route]);
    }
    this.ingresses = [...byNamespace].map(([namespace, routes]) => new IngressWithAuth(this, `Ingress-${namespace}`, {
      name: 'edge',
      namespace,
      controller: IngressController.ingressNginx(),
      routes,
      ...(routes.some((route) => route.public !== true) && { basicAuth }),
      tls,
    }));
    this.issuers = new LetsEncryptIssuers(this, 'LetsEncrypt', { email: settings.ingress.acmeEmail, http01: Http01Solver.ingressClass('nginx') });
  }
}
