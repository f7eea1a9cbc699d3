/**
 * IngressWithAuth: authenticated HTTP(S) entry for services (seeds 001 and 004's secure and
 * public ingress, with basic auth, TLS from Let's Encrypt or from an ACM certificate at an
 * NLB, and HTTP redirected to HTTPS), on today's APIs:
 *
 * - by default the Gateway API with Envoy Gateway: a Gateway, HTTPRoutes per host and
 *   access, a SecurityPolicy on the secure ones, Certificates from cert-manager, and the
 *   cloud load balancer's settings on the Envoy Service through an EnvoyProxy;
 * - basic auth checked against bcrypt hashes by a small in-kit verifier (nginx) that the
 *   SecurityPolicy calls through `extAuth`, because Envoy's own basic auth reads only
 *   unsalted SHA-1 (`verifier: 'envoy-native'` opts into it, with a warning);
 * - the retired ingress-nginx controller as an explicit legacy option, with a warning.
 *
 * Passwords never appear in plain text: the construct takes a Secret with htpasswd lines,
 * or hashes made with `hashPassword()`.
 */
import { addPolicyException } from '../core/exceptions.js';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { HardenedDeployment } from '../workloads/hardened-deployment.js';
import type { Certificate } from '../imports/cert-manager.js';
import type { SecurityPolicy } from '../imports/envoy-gateway.js';
import type { Gateway, HttpRoute } from '../imports/gateway-api.js';
import type { GatewayListenerRef } from './cert-issuers.js';
import { addGatewayObjects, envoyProxyLabels, HTTP_LISTENER } from './_ingress-gateway.js';
import { addIngressNginxObjects } from './_ingress-nginx.js';
import {
  IngressController, type BasicAuth, type IngressLoadBalancer, type IngressRoute, type IngressTls,
} from './_ingress-options.js';
import { IngressResolver, INGRESS_DEFAULTS, routesByNamespace, type ResolvedAuth, type ResolvedRoute, type ResolvedTls } from './_ingress-resolve.js';
import { addVerifier, VERIFIER_DEFAULTS } from './_ingress-verifier.js';
import { addConstructWarning } from '../core/warnings.js';

export * from './_ingress-options.js';
export { INGRESS_DEFAULTS, AWS_TLS_POLICY, backendNamespace, hostProblem, pathProblem, routesByNamespace } from './_ingress-resolve.js';
export type { ResolvedAuth, ResolvedRoute, ResolvedTls } from './_ingress-resolve.js';
export { VERIFIER_IMAGE, verifierNginxConf } from './_ingress-verifier.js';


/** Properties of {@link IngressWithAuth}. */
export interface IngressWithAuthProps {
  /** The namespace of every object (backends in other namespaces are reached through ReferenceGrants). */
  readonly namespace: string;
  /** Hosts and paths → Services, each public or behind basic auth. At least one. */
  readonly routes: readonly IngressRoute[];
  /**
   * The Gateway's (or Ingresses') name and the prefix of every object's name: a DNS-1035
   * label of at most 40 characters.
   * @default 'ingress'
   */
  readonly name?: string;
  /**
   * The controller.
   * @default IngressController.envoyGateway()
   */
  readonly controller?: IngressController;
  /**
   * Basic auth for every route that is not `public`. Required when there is one.
   * @default - no authentication (every route must be public)
   */
  readonly basicAuth?: BasicAuth;
  /**
   * HTTPS, and HTTP redirected to it: `{ issuer }` (cert-manager) or `{ acmCertificateArn }`
   * (TLS at an AWS NLB).
   * @default - plain HTTP only (a warning when routes are authenticated)
   */
  readonly tls?: IngressTls;
  /**
   * The cloud load balancer's settings: on the Envoy Service through an EnvoyProxy, or, for
   * ingress-nginx, in `controllerServiceAnnotations` for the controller's Helm values.
   * @default - the cloud provider's defaults (a public load balancer)
   */
  readonly loadBalancer?: IngressLoadBalancer;
}

/** Authenticated HTTP(S) entry: Gateway API with Envoy Gateway by default, ingress-nginx as a legacy option. */
export class IngressWithAuth extends Construct {
  /**
   * The plain-HTTP listener of the Gateway an IngressWithAuth with these `name` and
   * `namespace` will have, for `Http01Solver.gateway(...)` of issuers that its own `tls`
   * names (the issuers come first). The same as the instance's {@link http01Listener}.
   */
  static http01ListenerOf(props: Pick<IngressWithAuthProps, 'name' | 'namespace'>): GatewayListenerRef {
    return { name: props.name ?? INGRESS_DEFAULTS.name, namespace: props.namespace, sectionName: HTTP_LISTENER };
  }

  /**
   * IngressWithAuth for routes to backends in several namespaces. With Envoy Gateway one,
   * with id `id` (the Gateway reaches other namespaces through ReferenceGrants). With
   * ingress-nginx, whose Ingresses reach only Services of their own namespace, one per
   * backend namespace, with ids `<id>-<namespace>` (see {@link routesByNamespace}; a backend
   * that names no namespace goes to `props.namespace`), each with `basicAuth` only when one
   * of its routes is not public.
   */
  static acrossNamespaces(scope: Construct, id: string, props: IngressWithAuthProps): IngressWithAuth[] {
    if ((props.controller ?? IngressController.envoyGateway()).kind !== 'ingress-nginx') return [new IngressWithAuth(scope, id, props)];
    const { basicAuth, ...common } = props;
    return [...routesByNamespace(props.routes, props.namespace)].map(([namespace, routes]) => new IngressWithAuth(scope, `${id}-${namespace}`, {
      ...common,
      namespace,
      routes,
      ...(basicAuth && routes.some((route) => route.public !== true) && { basicAuth }),
    }));
  }

  /** The Gateway's or Ingresses' name. */
  public readonly name: string;
  /** The namespace of the Gateway or Ingresses. */
  public readonly namespace: string;
  /** The controller in use. */
  public readonly controller: IngressController;
  /** The routes, resolved (host, path, Service, port, public). */
  public readonly routes: readonly ResolvedRoute[];
  /** Basic auth, resolved (realm, verifier, users, Secret). */
  public readonly basicAuth?: ResolvedAuth;
  /** TLS, resolved. */
  public readonly tls?: ResolvedTls;
  /**
   * The load balancer's Service annotations. With Envoy Gateway they are on the EnvoyProxy;
   * with ingress-nginx put them in the chart's `controller.service.annotations`.
   */
  public readonly loadBalancerAnnotations?: Readonly<Record<string, string>>;
  /** The Gateway (Envoy Gateway), construct id `Resource`. */
  public readonly gateway?: Gateway;
  /** The HTTPRoutes (Envoy Gateway). */
  public readonly httpRoutes: readonly HttpRoute[];
  /** The SecurityPolicy on the secure routes (Envoy Gateway). */
  public readonly securityPolicy?: SecurityPolicy;
  /** The EnvoyProxy with the load balancer's settings, when `loadBalancer` is set (Envoy Gateway). */
  public readonly envoyProxy?: ApiObject;
  /** The basic-auth verifier, with the default `nginx` verifier. */
  public readonly verifier?: HardenedDeployment;
  /** The Ingresses (ingress-nginx). */
  public readonly ingresses: readonly ApiObject[];
  /** One cert-manager Certificate per host, with `tls.issuer`. */
  public readonly certificates: readonly Certificate[];
  /** The Secret the construct writes, with `BasicAuthUsers.hashed`. */
  public readonly usersSecret?: ApiObject;
  /** Warnings about the configuration (also recorded as `k8s-platform-kit:warning` node metadata). */
  public readonly warnings: readonly string[];

  constructor(scope: Construct, id: string, props: IngressWithAuthProps) {
    super(scope, id);
    const resolve = new IngressResolver(this);
    const warnings: string[] = [];
    const warn = (message: string) => {
      warnings.push(message);
      addConstructWarning(this, message);
    };
    this.name = props.name ?? INGRESS_DEFAULTS.name;
    this.namespace = props.namespace;
    this.controller = props.controller ?? IngressController.envoyGateway();
    resolve.names(this.name, this.namespace, this.controller);
    const legacy = this.controller.kind === 'ingress-nginx';

    this.routes = resolve.routes(props.routes, this.namespace, this.controller);
    const auth = resolve.auth(props.basicAuth, this.routes, this.name, this.controller);
    if (auth) this.basicAuth = auth;
    const tls = resolve.tls(props.tls, this.routes, props.loadBalancer);
    if (tls) this.tls = tls;
    const annotations = resolve.loadBalancerAnnotations(props.loadBalancer, tls);
    if (annotations) this.loadBalancerAnnotations = annotations;

    if (legacy) {
      warn(`IngressWithAuth '${this.node.path}': controller ingress-nginx was retired upstream in March 2026 and gets no releases or security fixes; move to the Gateway API (IngressController.envoyGateway(), the default)`);
      if (tls?.kind === 'acm') {
        warn(`IngressWithAuth '${this.node.path}': with TLS at the NLB, ingress-nginx sees plain HTTP on both ports and cannot tell which to redirect; configure the redirect in the controller (see docs/constructs/ingress-with-auth.md)`);
      }
    }
    if (auth?.verifier === 'envoy-native') {
      warn(`IngressWithAuth '${this.node.path}': basicAuth.verifier 'envoy-native' checks {SHA} htpasswd lines, unsalted SHA-1 that anyone holding the Secret can reverse by brute force at billions of guesses a second; Envoy verifies no bcrypt yet (envoyproxy/envoy#36278, envoyproxy/gateway#8969). Prefer the default 'nginx' verifier`);
    }
    if (auth && !tls) {
      warn(`IngressWithAuth '${this.node.path}': basic auth without tls sends every password over plain HTTP, readable by anyone on the path; set tls`);
    }

    const labels = { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/component': 'ingress' };
    if (auth?.htpasswd !== undefined) {
      this.usersSecret = new ApiObject(this, 'Users', {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: auth.secretName, namespace: this.namespace, labels },
        type: 'Opaque',
        stringData: { [auth.secretKey]: auth.htpasswd },
      });
      // The only Secret with data the kit writes: password hashes (BasicAuthUsers.hashed checks
      // each is bcrypt, or {SHA} for the envoy-native verifier, which warns), never a password.
      addPolicyException(this.usersSecret, 'kit-no-plaintext-secrets',
        auth.verifier === 'envoy-native' ? 'htpasswd lines of unsalted {SHA} hashes (see the envoy-native warning), no password' : 'htpasswd lines of bcrypt hashes, no password');
    }

    if (legacy) {
      const objects = addIngressNginxObjects(this, {
        name: this.name, namespace: this.namespace, ingressClassName: this.controller.className,
        routes: this.routes, labels, ...(tls && { tls }), ...(auth && { auth }),
      });
      this.ingresses = objects.ingresses;
      this.certificates = objects.certificates;
      this.httpRoutes = [];
    } else {
      const proxyLabels = envoyProxyLabels(this.name, this.namespace);
      if (auth?.verifier === 'nginx') {
        // The verifier's Deployment checks the autoscaling the user gave: its errors name the
        // user's prop (basicAuth.verifierAutoscaling), not the internal child.
        this.verifier = resolve.v.forward(() => addVerifier(this, 'Verifier', {
          name: `${this.name}-auth-verifier`,
          namespace: this.namespace,
          realm: auth.realm,
          secretName: auth.secretName,
          secretKey: auth.secretKey,
          proxyLabels,
          proxyNamespace: this.controller.proxyNamespace,
          autoscaling: props.basicAuth?.verifierAutoscaling ?? VERIFIER_DEFAULTS.autoscaling,
        }), { autoscaling: 'basicAuth.verifierAutoscaling' });
      }
      const objects = addGatewayObjects(this, {
        name: this.name, namespace: this.namespace, gatewayClassName: this.controller.className,
        routes: this.routes, labels, ...(tls && { tls }), ...(auth && { auth }),
        ...(this.verifier && { verifierService: this.verifier.name }),
        ...(annotations && { loadBalancerAnnotations: annotations }),
      });
      this.gateway = objects.gateway;
      this.httpRoutes = objects.routes;
      this.certificates = objects.certificates;
      if (objects.securityPolicy) this.securityPolicy = objects.securityPolicy;
      if (objects.envoyProxy) this.envoyProxy = objects.envoyProxy;
      this.ingresses = [];
    }
    this.addBackendPolicies(labels);
    this.warnings = warnings;
  }

  /** The Gateway's plain-HTTP listener, for `Http01Solver.gateway(...)` of `LetsEncryptIssuers`. */
  get http01Listener(): GatewayListenerRef {
    return IngressWithAuth.http01ListenerOf(this);
  }

  /**
   * A NetworkPolicy per HardenedDeployment backend that admits the proxies on the routed
   * ports (NetworkPolicies add up, so the workload's own policy stays as it is).
   */
  private addBackendPolicies(labels: Readonly<Record<string, string>>): void {
    const proxies = this.controller.kind === 'ingress-nginx'
      ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': this.controller.proxyNamespace } } }
      : {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': this.controller.proxyNamespace } },
        podSelector: { matchLabels: envoyProxyLabels(this.name, this.namespace) },
      };
    const byWorkload = new Map<HardenedDeployment, Set<number>>();
    for (const route of this.routes) {
      if (!route.workload) continue;
      const ports = byWorkload.get(route.workload) ?? new Set<number>();
      ports.add(route.port);
      byWorkload.set(route.workload, ports);
    }
    for (const [workload, ports] of byWorkload) {
      new ApiObject(this, `AllowProxies-${workload.name}`, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: `${workload.name}-from-${this.name}`, namespace: workload.namespace ?? this.namespace, labels: { ...labels } },
        spec: {
          podSelector: { matchLabels: { ...workload.selectorLabels } },
          policyTypes: ['Ingress'],
          ingress: [{ from: [proxies], ports: [...ports].sort((a, b) => a - b).map((port) => ({ protocol: 'TCP', port })) }],
        },
      });
    }
  }
}
