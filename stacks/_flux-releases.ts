/**
 * Flux HelmReleases (with their HelmRepositories) read as plain Helm releases, so that
 * `pulumi up` can install the same pinned charts the GitOps output hands to Flux.
 */
import type { ManifestObject } from '../constructs/index.js';

/** One Helm release: what `helm install` needs. */
export interface HelmReleaseSpec {
  readonly name: string;
  readonly namespace: string;
  readonly chart: string;
  readonly version: string;
  readonly repository: string;
  readonly values: Record<string, unknown>;
  readonly createNamespace: boolean;
}

const isKind = (object: ManifestObject, group: string, kind: string) =>
  object.kind === kind && String(object.apiVersion).startsWith(`${group}/`);

/**
 * Splits objects into the Helm releases their Flux HelmReleases describe and everything
 * else. A HelmRelease Pulumi cannot reproduce (values from Secrets or ConfigMaps in the
 * cluster, a source that is not a HelmRepository) is an error, not a silent skip.
 */
export function helmReleasesOf(objects: readonly ManifestObject[]): { releases: HelmReleaseSpec[]; rest: ManifestObject[] } {
  const repositories = new Map<string, ManifestObject>();
  for (const object of objects) {
    if (isKind(object, 'source.toolkit.fluxcd.io', 'HelmRepository')) {
      repositories.set(`${object.metadata?.namespace ?? 'default'}/${object.metadata?.name ?? ''}`, object);
    }
  }
  const releases: HelmReleaseSpec[] = [];
  const rest: ManifestObject[] = [];
  for (const object of objects) {
    if (isKind(object, 'source.toolkit.fluxcd.io', 'HelmRepository')) continue;
    if (!isKind(object, 'helm.toolkit.fluxcd.io', 'HelmRelease')) {
      rest.push(object);
      continue;
    }
    const namespace = object.metadata?.namespace ?? 'default';
    const label = `HelmRelease ${namespace}/${object.metadata?.name ?? ''}`;
    const spec = (object.spec ?? {}) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const chart = spec.chart?.spec;
    if (!chart) throw new Error(`${label}: spec.chart.spec is missing; only HelmRepository charts can be installed without Flux`);
    const source = chart.sourceRef ?? {};
    if (source.kind !== 'HelmRepository') {
      throw new Error(`${label}: spec.chart.spec.sourceRef.kind is '${source.kind}'; only HelmRepository sources can be installed without Flux`);
    }
    const repository = repositories.get(`${source.namespace ?? namespace}/${source.name}`);
    if (!repository) throw new Error(`${label}: its HelmRepository ${source.namespace ?? namespace}/${source.name} is not in the App`);
    if (spec.valuesFrom !== undefined) {
      throw new Error(`${label}: spec.valuesFrom reads values from the cluster, which only Flux can do; use deploy mode 'gitops' or inline the values`);
    }
    if (typeof chart.version !== 'string' || !/^v?\d+\.\d+\.\d+/.test(chart.version)) {
      throw new Error(`${label}: spec.chart.spec.version (${JSON.stringify(chart.version)}) must pin an exact chart version`);
    }
    releases.push({
      name: spec.releaseName ?? object.metadata?.name ?? '',
      namespace: spec.targetNamespace ?? namespace,
      chart: chart.chart,
      version: chart.version,
      repository: String((repository.spec as Record<string, unknown> | undefined)?.url ?? ''),
      values: spec.values ?? {},
      createNamespace: spec.install?.createNamespace === true,
    });
  }
  return { releases, rest };
}
