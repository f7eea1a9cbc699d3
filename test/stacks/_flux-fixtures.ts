/** A pinned metrics-server HelmRepository and HelmRelease, as the stacks tests use them. */
import type { ManifestObject } from '../../constructs/index.js';

export const repository: ManifestObject = {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'HelmRepository',
  metadata: { name: 'metrics-server', namespace: 'flux-system' },
  spec: { url: 'https://kubernetes-sigs.github.io/metrics-server/', interval: '1h' },
};

/** The HelmRelease, with `spec` merged over its defaults. */
export function release(spec: Record<string, unknown> = {}): ManifestObject {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'metrics-server', namespace: 'flux-system' },
    spec: {
      interval: '1h',
      targetNamespace: 'kube-system',
      chart: { spec: { chart: 'metrics-server', version: '3.13.1', sourceRef: { kind: 'HelmRepository', name: 'metrics-server' } } },
      values: { replicas: 2 },
      ...spec,
    },
  };
}
