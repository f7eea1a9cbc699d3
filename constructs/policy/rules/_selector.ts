/**
 * Label selectors and the cross-object look-ups the workload rules share (which PDB,
 * NetworkPolicy, HPA or Service goes with which workload).
 *
 * Selector semantics follow apimachinery (`metav1.LabelSelectorAsSelector`):
 * - matchLabels and matchExpressions are ANDed; each `key: value` of matchLabels is `key In (value)`.
 * - `In`: the label is present and its value is listed. `NotIn`: the label is absent or its
 *   value is not listed. `Exists` / `DoesNotExist`: the key is present / absent.
 * - An empty selector (`{}`, no requirements) matches everything.
 * - A null (absent) selector matches nothing. Callers apply the owning API's default first:
 *   a NetworkPolicy's absent `podSelector` defaults to `{}` (every pod in the namespace),
 *   while a policy/v1 PodDisruptionBudget's absent `selector` matches no pods.
 * - A selector the API server would reject (unknown operator, `In`/`NotIn` without values,
 *   `Exists`/`DoesNotExist` with values) matches nothing.
 *
 * A plain map (a Service's or ReplicationController's `selector`) is treated as matchLabels.
 */
import type { IDeploymentSpec } from 'kubernetes-models/apps/v1';
import type { ManifestObject, PolicyContext } from '../finding.js';
import { podSpecOf } from '../_pod.js';
import type { PodSpecLocation } from '../_pod.js';

type Labels = Readonly<Record<string, string>> | undefined;

/**
 * A metav1.LabelSelector. Taken from a spec that uses it, so that only `kubernetes-models` (a
 * declared dependency) is imported, not its `@kubernetes-models/apimachinery` dependency.
 */
export type ILabelSelector = IDeploymentSpec['selector'];
/** One `matchExpressions` entry of a label selector. */
export type ILabelSelectorRequirement = NonNullable<ILabelSelector['matchExpressions']>[number];

/** True for a structured selector; false for a plain `key: value` map, whose values are strings. */
function isLabelSelector(selector: ILabelSelector | Readonly<Record<string, string>>): selector is ILabelSelector {
  const { matchLabels, matchExpressions } = selector as Record<string, unknown>;
  const keys = Object.keys(selector);
  if (keys.length === 0) return true;
  return keys.every((key) => key === 'matchLabels' || key === 'matchExpressions')
    && (matchLabels === undefined || typeof matchLabels === 'object')
    && (matchExpressions === undefined || Array.isArray(matchExpressions));
}

/** Whether one requirement is well-formed, as `labels.NewRequirement` checks it. */
function isValidRequirement(requirement: ILabelSelectorRequirement): boolean {
  const count = requirement.values?.length ?? 0;
  switch (requirement.operator) {
    case 'In':
    case 'NotIn':
      return count > 0;
    case 'Exists':
    case 'DoesNotExist':
      return count === 0;
    default:
      return false;
  }
}

function matchesRequirement(requirement: ILabelSelectorRequirement, labels: Readonly<Record<string, string>>): boolean {
  const present = Object.hasOwn(labels, requirement.key);
  const listed = present && (requirement.values ?? []).includes(labels[requirement.key] ?? '');
  switch (requirement.operator) {
    case 'In':
      return listed;
    case 'NotIn':
      return !listed;
    case 'Exists':
      return present;
    default: // DoesNotExist; other operators are rejected before matching
      return !present;
  }
}

/**
 * Whether `labels` satisfy `selector` (see the module comment for the exact semantics).
 * `undefined` is a null selector and matches nothing; `{}` matches everything.
 */
export function matchesSelector(selector: ILabelSelector | Readonly<Record<string, string>> | undefined, labels: Labels): boolean {
  if (selector === undefined || selector === null) return false;
  const have = labels ?? {};
  if (!isLabelSelector(selector)) {
    return Object.entries(selector).every(([key, value]) => Object.hasOwn(have, key) && have[key] === value);
  }
  const expressions = selector.matchExpressions ?? [];
  if (!expressions.every(isValidRequirement)) return false;
  return Object.entries(selector.matchLabels ?? {}).every(([key, value]) => Object.hasOwn(have, key) && have[key] === value)
    && expressions.every((requirement) => matchesRequirement(requirement, have));
}

/** True when a selector has no requirements (`{}`, or empty matchLabels and matchExpressions). */
export function isEmptySelector(selector: ILabelSelector | Readonly<Record<string, string>>): boolean {
  if (!isLabelSelector(selector)) return Object.keys(selector).length === 0;
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/** The namespace of an object; objects without one all share the same, unspecified namespace. */
export function namespaceOf(object: ManifestObject): string {
  return object.metadata?.namespace ?? '';
}

/** The API group of an `apiVersion`: `apps` for `apps/v1`, the empty string for `v1`. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** What to look for in the context: a kind at given API versions, in one namespace. */
export interface ObjectQuery {
  readonly kind: string;
  /** Accepted `apiVersion`s, e.g. `['policy/v1']`. */
  readonly apiVersions: readonly string[];
  /** Only objects in this namespace (compare with {@link namespaceOf}). */
  readonly namespace: string;
}

/** The objects of the context that answer `query`. */
export function findObjects(context: PolicyContext, query: ObjectQuery): ManifestObject[] {
  return context.objects.filter((candidate) => candidate.kind === query.kind
    && namespaceOf(candidate) === query.namespace
    && query.apiVersions.includes(candidate.apiVersion));
}

/** Pod-bearing objects (workloads, CronJobs, Pods) in `namespace` whose pod labels satisfy `selector`. */
export function podBearersSelectedBy(
  context: PolicyContext,
  namespace: string,
  selector: ILabelSelector | Readonly<Record<string, string>> | undefined,
): ManifestObject[] {
  return context.objects.filter((candidate) => {
    if (namespaceOf(candidate) !== namespace) return false;
    const pod = podSpecOf(candidate);
    return pod !== undefined && matchesSelector(selector, pod.templateMetadata.labels);
  });
}

/** Dotted path of the pod metadata of a pod spec: `spec.template.metadata`, or `metadata` for a Pod. */
export function podMetadataPath(pod: PodSpecLocation): string {
  return pod.path === 'spec' ? 'metadata' : pod.path.replace(/\.spec$/, '.metadata');
}

/** Labels for messages: `{app=web, tier=api}`, or `{}` when there are none. */
export function formatLabels(labels: Labels): string {
  return `{${Object.entries(labels ?? {}).map(([key, value]) => `${key}=${value}`).join(', ')}}`;
}

/** `in namespace 'shop'`, or `in the same, unspecified namespace` for objects without one. */
export function namespacePhrase(namespace: string): string {
  return namespace ? `in namespace '${namespace}'` : 'in the same, unspecified namespace';
}
