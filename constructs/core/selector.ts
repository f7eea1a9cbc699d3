/**
 * Label selectors: whether a set of labels satisfies one.
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

export type Labels = Readonly<Record<string, string>> | undefined;

/**
 * A metav1.LabelSelector. Taken from a spec that uses it, so that only `kubernetes-models` (a
 * declared dependency) is imported, not its `@kubernetes-models/apimachinery` dependency.
 */
export type ILabelSelector = IDeploymentSpec['selector'];
/** One `matchExpressions` entry of a label selector. */
export type ILabelSelectorRequirement = NonNullable<ILabelSelector['matchExpressions']>[number];

/** True for a structured selector; false for a plain `key: value` map, whose values are strings. */
export function isLabelSelector(selector: ILabelSelector | Readonly<Record<string, string>>): selector is ILabelSelector {
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
