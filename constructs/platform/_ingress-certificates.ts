/**
 * One cert-manager Certificate per host, for IngressWithAuth's HTTPS listeners (Gateway
 * API) or Ingress `tls` entries (ingress-nginx): explicit objects, so they work whether or
 * not cert-manager watches Gateways, and `kubectl get certificate` shows each host's state.
 */
import type { Construct } from 'constructs';
import {
  Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateSpecPrivateKeyRotationPolicy,
} from '../imports/cert-manager.js';
import type { CertificateIssuer } from './cert-issuers.js';

/** The Secret a host's certificate is written to. */
export function tlsSecretName(name: string, slug: string): string {
  return `${name}-${slug}-tls`;
}

/** Adds a Certificate (`<name>-<slug>`, ECDSA P-256, a new key at each renewal) for each `[host, slug]`. */
export function addCertificates(scope: Construct, options: {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly hosts: readonly (readonly [string, string])[];
  readonly issuer: CertificateIssuer;
}): Certificate[] {
  const { name, namespace, labels, issuer } = options;
  return options.hosts.map(([host, slug]) => new Certificate(scope, `Certificate-${slug}`, {
    metadata: { name: `${name}-${slug}`, namespace, labels: { ...labels } },
    spec: {
      secretName: tlsSecretName(name, slug),
      dnsNames: [host],
      issuerRef: { group: 'cert-manager.io', kind: issuer.kind, name: issuer.name },
      privateKey: {
        algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA,
        size: 256,
        rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
      },
    },
  }));
}
