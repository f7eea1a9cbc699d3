/**
 * IngressWithAuth on the Gateway API with Envoy Gateway: the Gateway (one HTTPS listener
 * per host), an HTTP listener that redirects to HTTPS and answers ACME HTTP-01 challenges,
 * an HTTPRoute per host and access (public or secure), the SecurityPolicy on the secure
 * routes, cert-manager Certificates, the EnvoyProxy with the load balancer's settings, and
 * ReferenceGrants for backends in other namespaces.
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Certificate } from '../imports/cert-manager.js';
import { SecurityPolicy } from '../imports/envoy-gateway.js';
import {
  Gateway, GatewaySpecListenersTlsMode, HttpRoute, HttpRouteSpecRulesFiltersRequestRedirectScheme,
  HttpRouteSpecRulesFiltersRequestRedirectStatusCode, HttpRouteSpecRulesFiltersType, HttpRouteSpecRulesMatchesPathType,
  ReferenceGrant, type GatewaySpecListeners,
} from '../imports/gateway-api.js';
import type { ResolvedAuth, ResolvedRoute, ResolvedTls } from './_ingress-resolve.js';
import { addCertificates, tlsSecretName } from './_ingress-certificates.js';
import { VERIFIER_PORT, VERIFY_PATH } from './_ingress-verifier.js';

/** The Gateway API group. */
const GATEWAY_GROUP = 'gateway.networking.k8s.io';
/** The plain-HTTP listener: redirects (with TLS), routes (without), ACME challenges. */
export const HTTP_LISTENER = 'http';

/** The labels Envoy Gateway puts on the proxy pods of a Gateway. */
export function envoyProxyLabels(gateway: string, namespace: string): Record<string, string> {
  return {
    'gateway.envoyproxy.io/owning-gateway-name': gateway,
    'gateway.envoyproxy.io/owning-gateway-namespace': namespace,
  };
}

/** What the Gateway API objects are made from. */
export interface GatewayPlan {
  readonly name: string;
  readonly namespace: string;
  readonly gatewayClassName: string;
  readonly routes: readonly ResolvedRoute[];
  readonly tls?: ResolvedTls;
  readonly auth?: ResolvedAuth;
  /** The verifier's Service name, with `auth.verifier` 'nginx'. */
  readonly verifierService?: string;
  readonly loadBalancerAnnotations?: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
}

/** The objects made, for the construct's public fields. */
export interface GatewayObjects {
  readonly gateway: Gateway;
  readonly routes: HttpRoute[];
  readonly securityPolicy?: SecurityPolicy;
  readonly certificates: Certificate[];
  readonly envoyProxy?: ApiObject;
}

/** The listener a host's routes attach to. */
function listenerOf(plan: GatewayPlan, slug: string): string {
  if (plan.tls?.kind === 'issuer') return `https-${slug}`;
  if (plan.tls?.kind === 'acm') return 'https';
  return HTTP_LISTENER;
}

export function addGatewayObjects(scope: Construct, plan: GatewayPlan): GatewayObjects {
  const { name, namespace, labels } = plan;
  const metadata = (objectName: string) => ({ name: objectName, namespace, labels: { ...labels } });
  const hosts = [...new Map(plan.routes.map((r) => [r.host, r.slug])).entries()];

  const listeners: GatewaySpecListeners[] = [{ name: HTTP_LISTENER, port: 80, protocol: 'HTTP' }];
  let certificates: Certificate[] = [];
  if (plan.tls?.kind === 'issuer') {
    for (const [host, slug] of hosts) {
      listeners.push({
        name: `https-${slug}`,
        port: 443,
        protocol: 'HTTPS',
        hostname: host,
        tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ group: '', kind: 'Secret', name: tlsSecretName(name, slug) }] },
      });
    }
    certificates = addCertificates(scope, { name, namespace, labels, hosts, issuer: plan.tls.issuer });
  } else if (plan.tls?.kind === 'acm') {
    // The NLB terminates TLS on 443 and forwards plain HTTP to this listener.
    listeners.push({ name: 'https', port: 443, protocol: 'HTTP' });
  }

  let envoyProxy: ApiObject | undefined;
  if (plan.loadBalancerAnnotations) {
    envoyProxy = new ApiObject(scope, 'EnvoyProxy', {
      apiVersion: 'gateway.envoyproxy.io/v1alpha1',
      kind: 'EnvoyProxy',
      metadata: metadata(name),
      spec: {
        provider: {
          type: 'Kubernetes',
          kubernetes: { envoyService: { type: 'LoadBalancer', annotations: { ...plan.loadBalancerAnnotations } } },
        },
      },
    });
  }

  const gateway = new Gateway(scope, 'Resource', {
    metadata: metadata(name),
    spec: {
      gatewayClassName: plan.gatewayClassName,
      listeners,
      ...(envoyProxy && { infrastructure: { parametersRef: { group: 'gateway.envoyproxy.io', kind: 'EnvoyProxy', name } } }),
    },
  });

  const routes: HttpRoute[] = [];
  const secureRoutes: string[] = [];
  for (const [host, slug] of hosts) {
    for (const access of ['public', 'secure'] as const) {
      const matching = plan.routes.filter((r) => r.host === host && r.public === (access === 'public'));
      if (matching.length === 0) continue;
      const routeName = `${name}-${slug}-${access}`;
      if (access === 'secure') secureRoutes.push(routeName);
      routes.push(new HttpRoute(scope, `Route-${slug}-${access}`, {
        metadata: metadata(routeName),
        spec: {
          parentRefs: [{ group: GATEWAY_GROUP, kind: 'Gateway', name, sectionName: listenerOf(plan, slug) }],
          hostnames: [host],
          rules: matching.map((r) => ({
            matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: r.path } }],
            backendRefs: [{
              group: '',
              kind: 'Service',
              name: r.serviceName,
              ...(r.serviceNamespace !== namespace && { namespace: r.serviceNamespace }),
              port: r.port,
            }],
          })),
        },
      }));
    }
  }

  if (plan.tls) {
    routes.push(new HttpRoute(scope, 'HttpsRedirect', {
      metadata: metadata(`${name}-https-redirect`),
      spec: {
        parentRefs: [{ group: GATEWAY_GROUP, kind: 'Gateway', name, sectionName: HTTP_LISTENER }],
        hostnames: hosts.map(([host]) => host),
        rules: [{
          filters: [{
            type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
            requestRedirect: {
              scheme: HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS,
              statusCode: HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301,
            },
          }],
        }],
      },
    }));
  }

  let securityPolicy: SecurityPolicy | undefined;
  if (plan.auth && secureRoutes.length > 0) {
    const auth = plan.auth;
    securityPolicy = new SecurityPolicy(scope, 'SecurityPolicy', {
      metadata: metadata(`${name}-basic-auth`),
      spec: {
        targetRefs: secureRoutes.map((routeName) => ({ group: GATEWAY_GROUP, kind: 'HTTPRoute', name: routeName })),
        ...(auth.verifier === 'envoy-native'
          ? { basicAuth: { users: { group: '', kind: 'Secret', name: auth.secretName } } }
          : {
            extAuth: {
              http: {
                backendRefs: [{ group: '', kind: 'Service', name: plan.verifierService ?? '', port: VERIFIER_PORT }],
                pathOverride: VERIFY_PATH,
              },
            },
          }),
      },
    });
  }

  // A route may reach a Service in another namespace only if that namespace grants it.
  const otherNamespaces = [...new Set(plan.routes.map((r) => r.serviceNamespace).filter((ns) => ns !== namespace))].sort();
  for (const other of otherNamespaces) {
    new ReferenceGrant(scope, `ReferenceGrant-${other}`, {
      metadata: { name: `${name}-routes-from-${namespace}`, namespace: other, labels: { ...labels } },
      spec: {
        from: [{ group: GATEWAY_GROUP, kind: 'HTTPRoute', namespace }],
        to: [{ group: '', kind: 'Service' }],
      },
    });
  }

  return { gateway, routes, certificates, ...(securityPolicy && { securityPolicy }), ...(envoyProxy && { envoyProxy }) };
}
