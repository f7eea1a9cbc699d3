/**
 * How the kit turns a CRD's `openAPIV3Schema` into a validator, shared by the run-time
 * compiler (constructs/policy/crd-schemas.ts) and the code generator that precompiles the
 * first-error validators (constructs/imports/crd-validators.js, written by
 * constructs/imports/regenerate.sh), so both compile the same schema with the same options.
 */
import { Ajv, _ } from 'ajv';
import addFormatsModule from 'ajv-formats';
import standaloneModule from 'ajv/dist/standalone/index.js';

type Schema = Record<string, unknown>;

const isObject = (value: unknown): value is Schema => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * A copy of an object schema with `f` applied to each of its values, and to each property
 * schema of `properties` (whose keys are field names, not keywords).
 */
function mapChildren(schema: Schema, f: (child: unknown) => unknown): Schema {
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, key === 'properties' && isObject(value)
    ? Object.fromEntries(Object.entries(value).map(([name, property]) => [name, f(property)]))
    : f(value)]));
}

/** `f` applied to every schema and value inside `schema`, arrays included; the copy it builds. */
function mapSchema(schema: unknown, f: (schema: Schema) => unknown): unknown {
  if (Array.isArray(schema)) return schema.map((item) => mapSchema(item, f));
  return isObject(schema) ? f(schema) : schema;
}

/**
 * Closes every object schema that lists its properties and does not ask to keep unknown
 * fields: an unknown field is an error, where the API server would prune it silently.
 */
export function closed(schema: unknown): unknown {
  return mapSchema(schema, (object) => {
    const out = mapChildren(object, closed);
    if (out.properties && out.additionalProperties === undefined && out['x-kubernetes-preserve-unknown-fields'] !== true) {
      out.additionalProperties = false;
    }
    return out;
  });
}

/** Subschemas shorter than this (as JSON) are compiled where they appear, even when repeated. */
const SHARED_MIN_LENGTH = 300;

/**
 * Moves every object or array subschema that appears more than once (and is not tiny)
 * into `$defs`, referenced where it appeared. Large CRDs repeat whole Kubernetes types
 * (EnvoyProxy embeds pod and container specs dozens of times); compiled once each and
 * called by reference, they generate a tenth of the code. Errors still point at the
 * object's own paths.
 */
export function shared(root: Schema): Schema {
  const seen = new Map<string, number>();
  const count = (schema: unknown): unknown => mapSchema(schema, (object) => {
    if (object.properties !== undefined || object.items !== undefined) {
      const text = JSON.stringify(object);
      if (text.length >= SHARED_MIN_LENGTH) seen.set(text, (seen.get(text) ?? 0) + 1);
    }
    return mapChildren(object, count);
  });
  count(root);
  const defs: Schema = {};
  const ids = new Map<string, string>();
  const rewrite = (schema: unknown): unknown => mapSchema(schema, (object) => {
    const text = JSON.stringify(object);
    if ((seen.get(text) ?? 0) < 2) return mapChildren(object, rewrite);
    let id = ids.get(text);
    if (id === undefined) {
      id = `s${ids.size}`;
      ids.set(text, id);
      defs[id] = mapChildren(object, rewrite);
    }
    return { $ref: `#/$defs/${id}` };
  });
  const out = mapChildren(root, rewrite);
  return ids.size > 0 ? { ...out, $defs: defs } : out;
}

/**
 * A Go (RE2) pattern as a JavaScript one. RE2 sets flags inside the pattern; JavaScript
 * cannot, so a leading `(?i)` becomes explicit letter classes: `^(?i)(abort|warn)?$` →
 * `^([aA][bB]…)?$`. Inside a character class the letters of each range are added in the
 * other case (`[a-z]` → `[a-zA-Z]`); escapes such as `\d` are kept as they are.
 */
export function jsPattern(pattern: string): string {
  const flag = /^(\^?)\(\?i\)/.exec(pattern);
  if (!flag) return pattern;
  const body = pattern.slice(flag[0].length);
  const swap = (c: string) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase());
  let out = flag[1]!;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\') {
      out += c + (body[i + 1] ?? '');
      i++;
    } else if (c === '[') {
      const end = body.indexOf(']', i + 2);
      const content = body.slice(i + 1, end);
      const letters = content.replace(/\\./g, '').match(/[a-zA-Z](-[a-zA-Z])?/g) ?? [];
      out += `[${content}${letters.map((l) => [...l].map(swap).join('')).join('')}]`;
      i = end;
    } else if (/[a-zA-Z]/.test(c)) {
      out += `[${c}${swap(c)}]`;
    } else {
      out += c;
    }
  }
  return out;
}

/** Every `pattern` of a schema as JavaScript reads it ({@link jsPattern}). */
export function jsPatterns(schema: unknown): unknown {
  return mapSchema(schema, (object) => {
    const out = mapChildren(object, jsPatterns);
    if (typeof out.pattern === 'string') out.pattern = jsPattern(out.pattern);
    return out;
  });
}

/** A CRD schema as the kit compiles it: {@link closed}, Go patterns in JavaScript's syntax, its repeated parts {@link shared}. */
export function prepared(schema: unknown): Schema {
  return shared(jsPatterns(closed(schema)) as Schema);
}

/** Kubernetes' numeric and byte formats constrain nothing beyond the type. */
const TYPE_ONLY_FORMATS = ['int32', 'int64', 'float', 'double', 'byte'];

// CommonJS modules whose default export arrives wrapped under NodeNext.
const unwrap = <T>(module: unknown): T => ((module as { default?: unknown }).default ?? module) as T;
const addFormats = unwrap<(instance: Ajv) => Ajv>(addFormatsModule);
const standaloneCode = unwrap<(ajv: Ajv, refs: Record<string, string>) => string>(standaloneModule);

/**
 * An Ajv instance for CRD schemas; an `allErrors` one collects every error of an object.
 * No optimization pass over the generated code: for CRD schemas this large it costs more
 * at compile time than it saves. With `source`, the instance keeps the code it generates,
 * for {@link crdValidatorsModule}.
 */
export function crdAjv(allErrors: boolean, source = false): Ajv {
  const ajv = new Ajv({
    allErrors,
    strict: false,
    // Shared subschemas stay functions of their own (see shared()).
    inlineRefs: false,
    code: source
      ? { optimize: false, source: true, esm: true, formats: _`require("ajv-formats/dist/formats").fullFormats` }
      : { optimize: false },
  });
  addFormats(ajv);
  for (const format of TYPE_ONLY_FORMATS) ajv.addFormat(format, true);
  return ajv;
}

/**
 * The first line of constructs/imports/crd-validators.js. The module is JavaScript with a
 * declaration file beside it (crd-validators.d.ts): the TypeScript compiler cannot analyse
 * generated validators this large, and does not need to.
 */
export const CRD_VALIDATORS_HEADER =
  '// Generated by constructs/imports/regenerate.sh from constructs/imports/crd-schemas.ts with constructs/policy/_crd-ajv.ts (Ajv standalone code). Do not edit.';

/** constructs/imports/crd-validators.d.ts: the declarations of the generated module. */
export const CRD_VALIDATORS_DECLARATIONS = [
  '// Generated by constructs/imports/regenerate.sh with constructs/policy/_crd-ajv.ts: the declarations of crd-validators.js. Do not edit.',
  '/** A validator for each custom resource kind of crd-schemas.ts, by `group/version/Kind`: true if the object is valid. It stops at the first error. */',
  'export declare const CRD_VALIDATORS: Readonly<Record<string, (object: unknown) => boolean>>;',
  '',
].join('\n');

/**
 * The source of an ES module that exports `CRD_VALIDATORS`: for each kind of `schemas`
 * (by `group/version/Kind`), its closed schema compiled to a validator that stops at the
 * first error. Kinds with the same schema (one kind served at two versions) share a function.
 */
export function crdValidatorsModule(schemas: Readonly<Record<string, unknown>>, header = CRD_VALIDATORS_HEADER): string {
  const ajv = crdAjv(false, true);
  const ids = new Map<string, string>();
  const exportOf = new Map<string, string>();
  const refs: Record<string, string> = {};
  for (const [key, schema] of Object.entries(schemas)) {
    const text = JSON.stringify(prepared(schema));
    let id = ids.get(text);
    if (id === undefined) {
      id = `v${ids.size}`;
      ids.set(text, id);
      ajv.addSchema(JSON.parse(text) as Schema, id);
      refs[id] = id;
    }
    exportOf.set(key, id);
  }
  // The generated code reaches Ajv's run-time helpers and ajv-formats through `require`.
  const code = standaloneCode(ajv, refs).replace(/^"use strict";/, '');
  const table = [...exportOf].map(([key, id]) => `  ${JSON.stringify(key)}: ${id},`).join('\n');
  return [
    header,
    "import { createRequire } from 'node:module';",
    'const require = createRequire(import.meta.url);',
    code,
    `export const CRD_VALIDATORS = {\n${table}\n};`,
    '',
  ].join('\n');
}
