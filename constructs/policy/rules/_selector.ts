/**
 * Label selectors and the cross-object look-ups the workload rules share (which PDB,
 * NetworkPolicy, HPA or Service goes with which workload). Selector semantics: constructs/core/selector.ts.
 */
import { isEmptySelector, isLabelSelector, matchesSelector, type ILabelSelector, type ILabelSelectorRequirement, type Labels } from '../../core/selector.js';
import type { ManifestObject, PolicyContext } from '../finding.js';
import { podSpecOf } from '../../core/pod.js';
import type { PodSpecLocation } from '../../core/pod.js';

export { isEmptySelector, matchesSelector, type ILabelSelector, type ILabelSelectorRequirement };

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

/** The objects of the context that answer `query`, in the context's order. */
export function findObjects(context: PolicyContext, query: ObjectQuery): ManifestObject[] {
  const bucket = indexOf(context).byKind.get(kindKey(query.kind, query.namespace)) ?? [];
  return bucket.filter((candidate) => query.apiVersions.includes(candidate.apiVersion));
}

/** The objects of the context with this kind, namespace and name (undefined: unnamed objects), in the context's order. */
export function findNamed(context: PolicyContext, kind: string, namespace: string, name: string | undefined): ManifestObject[] {
  const index = indexOf(context);
  if (name === undefined) return (index.byKind.get(kindKey(kind, namespace)) ?? []).filter((object) => object.metadata?.name === undefined);
  return index.byName.get(nameKey(kind, namespace, name)) ?? [];
}

/** What an object is looked up by, for {@link findByKey}; undefined leaves it out. */
export type KeyOf = (object: ManifestObject) => string | undefined;

/**
 * The objects answering `query` whose `keyOf` is `key`, in the context's order. Like
 * {@link selectorsMatching}, `keyOf` should be one function per kind of look-up.
 */
export function findByKey(context: PolicyContext, query: ObjectQuery, keyOf: KeyOf, key: string | undefined): ManifestObject[] {
  if (key === undefined) return [];
  const index = indexOf(context);
  let byQuery = index.keys.get(keyOf);
  if (!byQuery) {
    byQuery = new Map();
    index.keys.set(keyOf, byQuery);
  }
  const queryKey = `${kindKey(query.kind, query.namespace)}\0${query.apiVersions.join(',')}`;
  let byKey = byQuery.get(queryKey);
  if (!byKey) {
    const built = new Map<string, ManifestObject[]>();
    for (const object of findObjects(context, query)) {
      const value = keyOf(object);
      if (value !== undefined) push(built, value, object);
    }
    byKey = built;
    byQuery.set(queryKey, byKey);
  }
  return byKey.get(key) ?? [];
}

/** Pod-bearing objects (workloads, CronJobs, Pods) in `namespace` whose pod labels satisfy `selector`, in the context's order. */
export function podBearersSelectedBy(
  context: PolicyContext,
  namespace: string,
  selector: ILabelSelector | Readonly<Record<string, string>> | undefined,
): ManifestObject[] {
  if (selector === undefined || selector === null) return [];
  const bearers = indexOf(context).podBearers.get(namespace);
  if (!bearers) return [];
  const anchor = selectorAnchor(selector);
  const candidates = anchor === undefined ? bearers.all : bearers.byLabel.get(anchor) ?? [];
  return candidates.filter((bearer) => matchesSelector(selector, bearer.labels)).map((bearer) => bearer.object);
}

/** Where an object's label selector sits, for {@link selectorsMatching}: undefined is a null selector. */
export type SelectorOf = (object: ManifestObject) => ILabelSelector | Readonly<Record<string, string>> | undefined;

/**
 * The objects answering `query` whose selector (read by `selectorOf`) matches `labels`, in
 * the context's order. `selectorOf` should be one function per kind of look-up (not a new
 * closure per call): the objects are indexed by selector once per context and function.
 */
export function selectorsMatching(context: PolicyContext, query: ObjectQuery, selectorOf: SelectorOf, labels: Labels): ManifestObject[] {
  const index = indexOf(context);
  let byQuery = index.selectors.get(selectorOf);
  if (!byQuery) {
    byQuery = new Map();
    index.selectors.set(selectorOf, byQuery);
  }
  const queryKey = `${kindKey(query.kind, query.namespace)}\0${query.apiVersions.join(',')}`;
  let buckets = byQuery.get(queryKey);
  if (!buckets) {
    buckets = indexSelectors(findObjects(context, query), selectorOf);
    byQuery.set(queryKey, buckets);
  }
  const candidates = [...buckets.unanchored];
  for (const [key, value] of Object.entries(labels ?? {})) candidates.push(...buckets.anchored.get(labelKey(key, value)) ?? []);
  return candidates
    .filter((candidate) => matchesSelector(candidate.selector, labels))
    .sort((a, b) => a.position - b.position)
    .map((candidate) => candidate.object);
}

// ---------------------------------------------------------------------------------------------
// The index of a context, built once and reused by every rule and object of a validation run,
// so that each look-up costs what it finds instead of a scan of every object.

interface PodBearer {
  readonly object: ManifestObject;
  readonly labels: Labels;
}

interface SelectorCandidate {
  readonly object: ManifestObject;
  readonly selector: ILabelSelector | Readonly<Record<string, string>>;
  /** Position in the query's result, to return matches in the context's order. */
  readonly position: number;
}

interface SelectorBuckets {
  /** Selectors that require a given `key=value` label, by that label. */
  readonly anchored: Map<string, SelectorCandidate[]>;
  /** Selectors that require no particular label value (e.g. `{}`, or expressions only). */
  readonly unanchored: SelectorCandidate[];
}

interface ContextIndex {
  /** The number of objects indexed; a context whose list has grown since is indexed again. */
  readonly size: number;
  /** By kind and namespace. */
  readonly byKind: Map<string, ManifestObject[]>;
  /** By kind, namespace and name. */
  readonly byName: Map<string, ManifestObject[]>;
  /** Pod-bearing objects by namespace: all of them, and by each of their pod labels. */
  readonly podBearers: Map<string, { readonly all: PodBearer[]; readonly byLabel: Map<string, PodBearer[]> }>;
  /** Selector indexes, built on first use, by selector reader and query. */
  readonly selectors: Map<SelectorOf, Map<string, SelectorBuckets>>;
  /** Key indexes, built on first use, by key reader and query. */
  readonly keys: Map<KeyOf, Map<string, Map<string, ManifestObject[]>>>;
}

const indexes = new WeakMap<readonly ManifestObject[], ContextIndex>();

function kindKey(kind: string, namespace: string): string {
  return `${kind}\0${namespace}`;
}

function nameKey(kind: string, namespace: string, name: string): string {
  return `${kind}\0${namespace}\0${name}`;
}

function labelKey(key: string, value: unknown): string {
  return `${key}\0${String(value)}`;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function indexOf(context: PolicyContext): ContextIndex {
  const objects = context.objects;
  const cached = indexes.get(objects);
  if (cached && cached.size === objects.length) return cached;
  const index: ContextIndex = {
    size: objects.length, byKind: new Map(), byName: new Map(), podBearers: new Map(), selectors: new Map(), keys: new Map(),
  };
  for (const object of objects) {
    const namespace = namespaceOf(object);
    push(index.byKind, kindKey(object.kind, namespace), object);
    const name = object.metadata?.name;
    if (name !== undefined) push(index.byName, nameKey(object.kind, namespace, name), object);
    const pod = podSpecOf(object);
    if (pod) {
      let bearers = index.podBearers.get(namespace);
      if (!bearers) {
        bearers = { all: [], byLabel: new Map() };
        index.podBearers.set(namespace, bearers);
      }
      const bearer = { object, labels: pod.templateMetadata.labels };
      bearers.all.push(bearer);
      for (const [key, value] of Object.entries(bearer.labels ?? {})) push(bearers.byLabel, labelKey(key, value), bearer);
    }
  }
  indexes.set(objects, index);
  return index;
}

/**
 * A `key=value` label that every set of labels matching `selector` has, when there is one
 * (the first matchLabels entry), so that only the objects with that label need checking.
 */
function selectorAnchor(selector: ILabelSelector | Readonly<Record<string, string>>): string | undefined {
  const required = isLabelSelector(selector) ? selector.matchLabels : selector;
  const first = Object.entries(required ?? {})[0];
  return first && labelKey(first[0], first[1]);
}

function indexSelectors(objects: readonly ManifestObject[], selectorOf: SelectorOf): SelectorBuckets {
  const buckets: SelectorBuckets = { anchored: new Map(), unanchored: [] };
  objects.forEach((object, position) => {
    const selector = selectorOf(object);
    if (selector === undefined || selector === null) return; // a null selector matches nothing
    const candidate = { object, selector, position };
    const anchor = selectorAnchor(selector);
    if (anchor === undefined) buckets.unanchored.push(candidate);
    else push(buckets.anchored, anchor, candidate);
  });
  return buckets;
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
