/**
 * Schemas for custom resource kinds that have no `@kubernetes-models/*` package: each
 * kind's `openAPIV3Schema`, taken from its pinned CRD (constructs/imports/crd-schemas.ts,
 * generated), compiled with Ajv and registered with the validation spine.
 *
 * One difference from the API server, on purpose: where a schema lists an object's
 * properties and does not preserve unknown fields, an unknown field is an error here. The
 * API server would prune it silently, and a setting that silently disappears is a bug the
 * kit reports instead.
 */
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { CRD_SCHEMAS } from '../imports/crd-schemas.js';
import { registerSchema, type SchemaError } from './schema.js';

type Schema = Record<string, unknown>;

/** Closes every object schema that lists its properties and does not ask to keep unknown fields. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema as Schema)) {
    // Property names are data, not schemas: copy the map, closing each property's schema.
    out[key] = key === 'properties' && value !== null && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value as Schema).map(([name, property]) => [name, closed(property)]))
      : closed(value);
  }
  if (out.properties && out.additionalProperties === undefined && out['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

const compilers = new Map<boolean, Ajv>();

/**
 * An Ajv instance; `allErrors` ones collect every error of an object. Neither runs an
 * optimization pass over the generated code: for CRD schemas this large it costs more
 * (a second or more at start-up) than it saves in the few validations a synth runs.
 */
function compiler(allErrors: boolean): Ajv {
  let ajv = compilers.get(allErrors);
  if (ajv) return ajv;
  ajv = new Ajv({ allErrors, strict: false, code: { optimize: false } });
  // ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (instance: Ajv) => Ajv;
  addFormats(ajv);
  // Kubernetes' numeric and byte formats constrain nothing beyond the type.
  for (const format of ['int32', 'int64', 'float', 'double', 'byte']) ajv.addFormat(format, true);
  compilers.set(allErrors, ajv);
  return ajv;
}

function toSchemaErrors(errors: readonly ErrorObject[] | null | undefined): SchemaError[] {
  return (errors ?? []).map((error) => ({
    instancePath: error.params && 'additionalProperty' in error.params ? `${error.instancePath}/${String(error.params.additionalProperty)}` : error.instancePath,
    keyword: error.keyword,
    message: error.keyword === 'additionalProperties' ? 'is not a field of this kind (the API server would drop it)' : error.message,
    params: error.params as Record<string, unknown>,
  }));
}

/** Registers every generated CRD schema; compiled on first use. */
export function registerCrdSchemas(): void {
  for (const [key, schema] of Object.entries(CRD_SCHEMAS)) {
    const [group, version, kind] = key.split('/') as [string, string, string];
    // A validator that stops at the first error answers for the valid objects, which are
    // nearly all of them, and compiles to much less code; an object it rejects is checked
    // again by one that collects every error, compiled only then.
    let firstError: ReturnType<Ajv['compile']> | undefined;
    let everyError: ReturnType<Ajv['compile']> | undefined;
    registerSchema(`${group}/${version}`, kind, (object) => {
      firstError ??= compiler(false).compile(closed(schema) as Schema);
      if (firstError(object)) return [];
      everyError ??= compiler(true).compile(closed(schema) as Schema);
      everyError(object);
      return toSchemaErrors(everyError.errors);
    });
  }
}

registerCrdSchemas();
