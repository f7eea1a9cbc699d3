/**
 * The pure rules of the GitOps layout: the file an object is written to, the order a
 * directory's `kustomization.yaml` lists its files in, and the text of the files.
 *
 * Order: kustomize reorders a build's resources by kind unless `sortOptions` says
 * otherwise (its "legacy" order: Namespaces, ResourceQuotas, StorageClasses, CRDs, then
 * ServiceAccounts, RBAC, ConfigMaps and Secrets, Services, workloads, …, webhook
 * configurations last). `sortOptions` is a kustomize v5 field that older kustomize
 * versions (kubectl 1.20, for one) reject, so the kit does not set it: it lists the files
 * in that same legacy order, and the listed order and what `kubectl kustomize` builds agree.
 */
import { stringify } from 'yaml';
import type { ManifestObject } from '../core/manifest.js';

/**
 * The kinds kustomize's legacy sort puts first, in its order (kustomize v5
 * `api/resid/gvk.go`, `orderFirst`); every other kind follows, except those of
 * {@link APPLY_ORDER_LAST}.
 */
export const APPLY_ORDER_FIRST: readonly string[] = [
  'Namespace', 'ResourceQuota', 'StorageClass', 'CustomResourceDefinition', 'ServiceAccount', 'PodSecurityPolicy',
  'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ConfigMap', 'Secret', 'Endpoints', 'Service',
  'LimitRange', 'PriorityClass', 'PersistentVolume', 'PersistentVolumeClaim', 'Deployment', 'StatefulSet', 'CronJob',
  'PodDisruptionBudget',
];

/** The kinds kustomize's legacy sort puts last, in its order (`orderLast`). */
export const APPLY_ORDER_LAST: readonly string[] = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

const RANK = new Map<string, number>([
  ...APPLY_ORDER_FIRST.map((kind, i): [string, number] => [kind, i - APPLY_ORDER_FIRST.length]),
  ...APPLY_ORDER_LAST.map((kind, i): [string, number] => [kind, i + 1]),
]);

/** kustomize's `group_version_kind` string of an object (`~G` for the core group). */
function gvkOf(object: ManifestObject): string {
  const apiVersion = object.apiVersion ?? '';
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  return `${group || '~G'}_${version || '~V'}_${object.kind || '~K'}`;
}

/** kustomize's `namespace|name` of an object (`~X` for no namespace, `~N` for no name). */
const idOf = (object: ManifestObject) => `${object.metadata?.namespace || '~X'}|${object.metadata?.name || '~N'}`;

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Compares two objects in kustomize's legacy apply order: by kind rank, then by
 * group/version/kind, then by namespace (an unset namespace counts as `default`), then by name.
 */
export function compareApplyOrder(a: ManifestObject, b: ManifestObject): number {
  const rank = (RANK.get(a.kind) ?? 0) - (RANK.get(b.kind) ?? 0);
  if (rank !== 0) return rank;
  return compare(gvkOf(a), gvkOf(b)) || compare(idOf(a), idOf(b));
}

/** The objects sorted into apply order (a new array; the input is not changed). */
export function applyOrder<T extends ManifestObject>(objects: readonly T[]): T[] {
  return [...objects].sort(compareApplyOrder);
}

/** Lowercase, with anything but letters, digits, `.` and `-` turned into `-`. */
function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'unnamed';
}

function groupOf(object: ManifestObject): string {
  const apiVersion = object.apiVersion ?? '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? 'core' : apiVersion.slice(0, slash);
}

/** The candidate file names of an object, from the shortest to the most specific. */
function candidates(object: ManifestObject): string[] {
  const kind = slug(object.kind ?? '');
  const name = slug(object.metadata?.name ?? '');
  const namespace = slug(object.metadata?.namespace || 'cluster');
  return [`${kind}-${name}`, `${kind}-${namespace}-${name}`, `${kind}.${slug(groupOf(object))}-${namespace}-${name}`].map((base) => `${base}.yaml`);
}

/**
 * The file names of a directory's objects, in the same order: `<kind>-<name>.yaml`
 * (`deployment-todoapi.yaml`), lowercase. Objects whose names would collide get their
 * namespace too (`service-team-a-api.yaml`), then their API group
 * (`certificate.cert-manager.io-team-a-api.yaml`); every other object keeps the short
 * name, so adding an object never renames the files of unrelated ones. Throws if two
 * objects are the same object (same group, kind, namespace and name).
 */
export function fileNamesOf(objects: readonly ManifestObject[], reserved: readonly string[] = []): string[] {
  const levels = objects.map(() => 0);
  for (;;) {
    const names = objects.map((object, i) => candidates(object)[levels[i] ?? 0] ?? '');
    const owners = new Map<string, number[]>();
    names.forEach((name, i) => owners.set(name, [...(owners.get(name) ?? []), i]));
    const clashing = [...owners.entries()].filter(([name, who]) => who.length > 1 || reserved.includes(name));
    if (clashing.length === 0) return names;
    for (const [name, who] of clashing) {
      for (const i of who) {
        const level = (levels[i] ?? 0) + 1;
        if (level >= 3) {
          const object = objects[i];
          throw new Error(`two objects would be written to ${name}: ${object?.apiVersion} ${object?.kind} ` +
            `'${object?.metadata?.namespace ?? ''}/${object?.metadata?.name ?? ''}' is defined twice`);
        }
        levels[i] = level;
      }
    }
  }
}

/** The header of every file the kit writes. */
export const GENERATED_HEADER = '# Generated by k8s-platform-kit (npm run synth). Do not edit: edit the charts and synthesize again.\n';

/** The name of the per-directory kustomize file. */
export const KUSTOMIZATION_FILE = 'kustomization.yaml';

/** One object as YAML, exactly as cdk8s writes it (`Yaml.stringify`: YAML 1.1, no line wrapping). */
export function objectYaml(object: unknown): string {
  return stringify(object, { keepUndefined: true, lineWidth: 0, version: '1.1' });
}

/** A `kustomization.yaml` that lists `resources` (files or directories) in the order given. */
export function kustomizationYaml(resources: readonly string[]): string {
  return GENERATED_HEADER + objectYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...resources] });
}
