/**
 * Cluster values: facts the cloud side makes only when `pulumi up` runs (the client id of a
 * managed identity, the tenant a cluster lives in), which objects rendered before it need.
 * An object carries a placeholder in Flux's substitution form, `${KIT_…}`; the value is
 * filled in where the object reaches the cluster:
 *
 * - direct mode: `pulumi up` replaces the placeholders in the objects it applies;
 * - GitOps mode: each chart directory that holds a placeholder gets a Flux Kustomization with
 *   `postBuild.substitute` naming it (`KIT_X: ${KIT_X}`), and the bootstrap sync that
 *   applies those Kustomizations substitutes the values, which `pulumi up` (or the AKS
 *   Flux extension's configuration) gives it.
 *
 * The synthesized files stay the same from one run to the next; the values live in the
 * stack. Flux substitutes every `${name}` of a directory it substitutes, so a directory with
 * a placeholder may hold no other `${…}` (see {@link foreignSubstitutionsIn}).
 */

/** A cluster value's name: `KIT_`, then upper-case letters, digits and `_`. */
export const CLUSTER_VALUE_NAME = /^KIT_[A-Z0-9_]+$/;

/** `${KIT_…}`, not Flux's escaped `$${KIT_…}` (which Flux writes as the literal text). */
const PLACEHOLDER = /(?<!\$)\$\{(KIT_[A-Z0-9_]+)\}/g;
/** What Flux's envsubst would replace: `${name}`, `${name:=default}` and the like, except `$${…}` (escaped). */
const ANY_SUBSTITUTION = /(?<!\$)\$\{([^}]*)\}/g;

/** The placeholder of a cluster value: `${KIT_AZURE_TENANT_ID}`. */
export function clusterValue(name: string): string {
  if (!CLUSTER_VALUE_NAME.test(name)) throw new Error(`cluster value name '${name}' must match ${CLUSTER_VALUE_NAME.source}`);
  return `\${${name}}`;
}

/** The Entra ID tenant of the AKS cluster (from the deployer's client configuration). */
export const AZURE_TENANT_ID = 'KIT_AZURE_TENANT_ID';

/**
 * The cluster value that holds the client id of the managed identity bound to a ServiceAccount
 * (Azure workload identity): `KIT_IDENTITY_<NAMESPACE>_<NAME>_CLIENT_ID`, every character
 * that is not a letter or digit made `_`. The construct that writes the annotation and the
 * stack that creates the identity both name it this way.
 */
export function identityClientIdValue(serviceAccount: { readonly namespace: string; readonly name: string }): string {
  const part = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return `KIT_IDENTITY_${part(serviceAccount.namespace)}_${part(serviceAccount.name)}_CLIENT_ID`;
}

/** Every string in a JSON-like value, depth first. */
function* stringsOf(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* stringsOf(item);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      yield key;
      yield* stringsOf(item);
    }
  }
}

/** The cluster values the objects use, sorted. */
export function clusterValuesIn(objects: readonly unknown[]): string[] {
  const names = new Set<string>();
  for (const text of objects.flatMap((o) => [...stringsOf(o)])) for (const match of text.matchAll(PLACEHOLDER)) names.add(match[1] as string);
  return [...names].sort();
}

/** The `${…}` in the objects that are not cluster values (Flux would substitute them too), with an example string of each. */
export function foreignSubstitutionsIn(objects: readonly unknown[]): string[] {
  const found = new Set<string>();
  for (const text of objects.flatMap((o) => [...stringsOf(o)])) {
    for (const match of text.matchAll(ANY_SUBSTITUTION)) if (!CLUSTER_VALUE_NAME.test(match[1] as string)) found.add(match[0]);
  }
  return [...found].sort();
}

/**
 * The objects with every placeholder replaced by its value; a placeholder with no value is
 * an error naming it (a missing value would otherwise reach the cluster as the literal text).
 */
export function substituteClusterValues<T>(value: T, values: Readonly<Record<string, string>>): T {
  const replace = (text: string) => text.replace(PLACEHOLDER, (_match, name: string) => {
    const found = values[name];
    if (found === undefined) throw new Error(`cluster value ${name} has no value; the stack sets: ${Object.keys(values).sort().join(', ') || 'none'}`);
    return found;
  });
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return replace(item);
    if (Array.isArray(item)) return item.map(walk);
    if (item !== null && typeof item === 'object') return Object.fromEntries(Object.entries(item).map(([k, v]) => [replace(k), walk(v)]));
    return item;
  };
  return walk(value) as T;
}
