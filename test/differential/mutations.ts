/**
 * Seeded mutations of Kubernetes objects for the differential test against the API server
 * (test/e2e/differential.test.ts): each mutation changes one field of one object the kit
 * writes, along the field's own shape — out-of-range numbers, wrong formats, empty and
 * duplicate list items, over-long names, dropped fields, bad label keys and values.
 *
 * Everything is a pure function of the objects and the seed, so a failing case is
 * reproduced by its seed and index alone.
 */

/** A JSON value as found in a manifest. */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** A step of a path into an object: a key or a list index. */
export type PathStep = string | number;

/** One change to one field of one object. */
export interface Mutation {
  /** Index of the object in the list given to {@link candidateMutations}. */
  readonly objectIndex: number;
  /** Where the change is made. */
  readonly path: readonly PathStep[];
  /** The kind of change, e.g. `negative`, `empty-list`, `drop-key`. */
  readonly mutator: string;
  /** The value written at `path` (absent for `drop-key`). */
  readonly value?: Json;
}

/** The path as the validator prints it: `spec.ports[0].port`. */
export function formatPath(path: readonly PathStep[]): string {
  return path.map((step, i) => (typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`)).join('');
}

/** Fields that are not the object's content: its type, where it lives, what the server writes. */
const SKIPPED_TOP = new Set(['apiVersion', 'kind', 'status']);
const SKIPPED_METADATA = new Set(['namespace', 'creationTimestamp', 'generateName']);

const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|[KMGTPE]i|[numkMGTPE])?$/;
const LONG = 'a'.repeat(254);

/** The mutations of a string field: empty, bad characters, over-long, padded; quantities also negative and malformed. */
function stringMutations(value: string): [string, Json][] {
  const out: [string, Json][] = [['empty-string', ''], ['bad-characters', 'Bad_Value!'], ['over-long', LONG], ['padded', ` ${value} `]];
  if (QUANTITY.test(value)) out.push(['negative-quantity', `-${value.replace(/^[+-]/, '')}`], ['bad-quantity', '1Zi']);
  return out;
}

/** The mutations of a number field: negative, beyond int32, zero. */
function numberMutations(value: number): [string, Json][] {
  const out: [string, Json][] = [['negative', -1], ['int32-overflow', 2147483648]];
  if (value !== 0) out.push(['zero', 0]);
  return out;
}

/**
 * Every mutation of every object, in a fixed order: the candidates a seeded sample is drawn from.
 */
export function candidateMutations(objects: readonly object[]): Mutation[] {
  const out: Mutation[] = [];
  objects.forEach((object, objectIndex) => {
    const add = (path: readonly PathStep[], mutator: string, value?: Json) => out.push({ objectIndex, path, mutator, ...(value !== undefined && { value }) });
    const walk = (value: Json, path: PathStep[]) => {
      const key = path.at(-1);
      const inMetadata = path[0] === 'metadata';
      if (path.length === 1 && SKIPPED_TOP.has(key as string)) return;
      if (inMetadata && path.length === 2 && SKIPPED_METADATA.has(key as string)) return;
      if (inMetadata && path.length === 2 && key === 'name' && typeof value === 'string') {
        add(path, 'over-long-name', LONG);
        add(path, 'name-64', 'a'.repeat(64));
        add(path, 'upper-case-name', value.toUpperCase());
        add(path, 'bad-characters', 'Bad_Name!');
        return;
      }
      if (inMetadata && path.length === 2 && (key === 'labels' || key === 'annotations') && value && typeof value === 'object' && !Array.isArray(value)) {
        add([...path, 'bad key!'], 'bad-key', 'x');
        add([...path, `${'k'.repeat(64)}`], 'over-long-key', 'x');
        if (key === 'labels') add([...path, 'example.com/x'], 'bad-label-value', 'not a label value!');
        if (key === 'labels') add([...path, 'example.com/long'], 'over-long-label-value', 'v'.repeat(64));
      }
      if (Array.isArray(value)) {
        if (value.length > 0) {
          add(path, 'empty-list', []);
          add(path, 'duplicate-item', [...value, value[0] as Json]);
          if (typeof value[0] === 'string') add(path, 'empty-item', [...value, '']);
        }
        value.forEach((item, i) => walk(item, [...path, i]));
        return;
      }
      if (value !== null && typeof value === 'object') {
        const keys = Object.keys(value);
        if (path.length > 0 && keys.length > 0 && !(path.length === 1 && path[0] === 'metadata')) add(path, 'empty-object', {});
        for (const k of keys) {
          // Not the object's identity: without metadata or a name there is nothing to send.
          const identity = (path.length === 0 && (SKIPPED_TOP.has(k) || k === 'metadata')) || (path.length === 1 && path[0] === 'metadata' && (k === 'name' || SKIPPED_METADATA.has(k)));
          if (!identity) add([...path, k], 'drop-key');
          walk(value[k] as Json, [...path, k]);
        }
        return;
      }
      if (typeof value === 'string') for (const [mutator, v] of stringMutations(value)) add(path, mutator, v);
      else if (typeof value === 'number') for (const [mutator, v] of numberMutations(value)) add(path, mutator, v);
      else if (typeof value === 'boolean') add(path, 'wrong-type', String(value));
    };
    walk(object as Json, []);
  });
  return out;
}

/** A small, fast, seeded generator (mulberry32): the same seed gives the same sample everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` distinct mutations drawn from the candidates with the seed, spread over the kinds:
 * each draw picks a kind first (round robin), then a candidate of that kind, so that a kind
 * with few fields is not drowned by the pod templates. Fewer when there are fewer candidates.
 */
export function sampleMutations(objects: readonly { kind: string }[], candidates: readonly Mutation[], count: number, seed: number): Mutation[] {
  const random = seededRandom(seed);
  const byKind = new Map<string, Mutation[]>();
  for (const c of candidates) {
    const kind = objects[c.objectIndex]!.kind;
    byKind.set(kind, [...(byKind.get(kind) ?? []), c]);
  }
  const pools = [...byKind.keys()].sort().map((kind) => [...byKind.get(kind)!]);
  const out: Mutation[] = [];
  for (let i = 0; out.length < count && pools.some((p) => p.length > 0); i++) {
    const pool = pools[i % pools.length]!;
    if (pool.length === 0) continue;
    const [picked] = pool.splice(Math.floor(random() * pool.length), 1);
    out.push(picked!);
  }
  return out;
}

/** The object with the mutation applied (a copy; the original is untouched). */
export function applyMutation<T extends object>(object: T, mutation: Mutation): T {
  const copy = structuredClone(object) as unknown as JsonObject;
  let parent: Json = copy;
  for (const step of mutation.path.slice(0, -1)) parent = (parent as Record<PathStep, Json>)[step] as Json;
  const last = mutation.path.at(-1)!;
  const target = parent as Record<PathStep, Json>;
  if (mutation.mutator === 'drop-key') delete target[last];
  else target[last] = structuredClone(mutation.value) as Json;
  return copy as unknown as T;
}
