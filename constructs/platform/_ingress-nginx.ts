/**
 * IngressWithAuth on the legacy ingress-nginx controller: an Ingress for the public routes
 * and one for the secure routes (basic auth through annotations, bcrypt lines in the
 * Secret's `auth` key), with cert-manager Certificates for their hosts.
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Certificate } from '../imports/cert-manager.js';
import { addCertificates, tlsSecretName } from './_ingress-certificates.js';
import type { ResolvedAuth, ResolvedRoute, ResolvedTls } from './_ingress-resolve.js';

/** What the Ingresses are made from. */
export interface IngressNginxPlan {
  readonly name: string;
  readonly namespace: string;
  readonly ingressClassName: string;
  readonly routes: readonly ResolvedRoute[];
  readonly tls?: ResolvedTls;
  readonly auth?: ResolvedAuth;
  readonly labels: Readonly<Record<string, string>>;
}

/** The objects made. */
export interface IngressNginxObjects {
  readonly ingresses: ApiObject[];
  readonly certificates: Certificate[];
}

export function addIngressNginxObjects(scope: Construct, plan: IngressNginxPlan): IngressNginxObjects {
  const { name, namespace, labels } = plan;
  const hosts = [...new Map(plan.routes.map((r) => [r.host, r.slug])).entries()];
  const certificates = plan.tls?.kind === 'issuer' ? addCertificates(scope, { name, namespace, labels, hosts, issuer: plan.tls.issuer }) : [];
  const tlsSecret = (slug: string) => tlsSecretName(name, slug);

  const ingresses: ApiObject[] = [];
  for (const access of ['public', 'secure'] as const) {
    const matching = plan.routes.filter((r) => r.public === (access === 'public'));
    if (matching.length === 0) continue;
    const ingressHosts = hosts.filter(([host]) => matching.some((r) => r.host === host));
    const annotations: Record<string, string> = {
      ...(plan.tls?.kind === 'issuer' && { 'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true' }),
      ...(access === 'secure' && plan.auth && {
        'nginx.ingress.kubernetes.io/auth-type': 'basic',
        'nginx.ingress.kubernetes.io/auth-secret': plan.auth.secretName,
        'nginx.ingress.kubernetes.io/auth-secret-type': 'auth-file',
        'nginx.ingress.kubernetes.io/auth-realm': plan.auth.realm,
      }),
    };
    ingresses.push(new ApiObject(scope, access === 'public' ? 'PublicIngress' : 'SecureIngress', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: `${name}-${access}`, namespace, labels: { ...labels }, ...(Object.keys(annotations).length > 0 && { annotations }) },
      spec: {
        ingressClassName: plan.ingressClassName,
        ...(plan.tls?.kind === 'issuer' && { tls: ingressHosts.map(([host, slug]) => ({ hosts: [host], secretName: tlsSecret(slug) })) }),
        rules: ingressHosts.map(([host]) => ({
          host,
          http: {
            paths: matching.filter((r) => r.host === host).map((r) => ({
              path: r.path,
              pathType: 'Prefix',
              backend: { service: { name: r.serviceName, port: { number: r.port } } },
            })),
          },
        })),
      },
    }));
  }
  return { ingresses, certificates };
}
