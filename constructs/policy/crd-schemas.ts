/**
 * Schemas for custom resource kinds that have no `@kubernetes-models/*` package: each
 * kind's `openAPIV3Schema`, taken from its pinned CRD (constructs/imports/crd-schemas.ts,
 * generated), compiled with Ajv ahead of time (constructs/imports/crd-validators.js, see
 * ./_crd-ajv.ts) and registered with the validation spine.
 *
 * One difference from the API server, on purpose: where a schema lists an object's
 * properties and does not preserve unknown fields, an unknown field is an error here. The
 * API server would prune it silently, and a setting that silently disappears is a bug the
 * kit reports instead.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { CRD_SCHEMAS } from '../imports/crd-schemas.js';
import { CRD_VALIDATORS } from '../imports/crd-validators.js';
import { crdAjv, prepared } from './_crd-ajv.js';
import { registerSchema, type SchemaError } from './schema.js';

let everyErrorCompiler: ReturnType<typeof crdAjv> | undefined;

function toSchemaErrors(errors: readonly ErrorObject[] | null | undefined): SchemaError[] {
  return (errors ?? []).map((error) => ({
    instancePath: error.params && 'additionalProperty' in error.params ? `${error.instancePath}/${String(error.params.additionalProperty)}` : error.instancePath,
    keyword: error.keyword,
    message: error.keyword === 'additionalProperties' ? 'is not a field of this kind (the API server would drop it)' : error.message,
    params: error.params as Record<string, unknown>,
  }));
}

/**
 * Registers every generated CRD schema. Valid objects, nearly all of them, are answered by
 * the precompiled validator that stops at the first error (constructs/imports/crd-validators.js);
 * an object it rejects is checked again by one that collects every error, compiled from the
 * schema only then.
 */
export function registerCrdSchemas(): void {
  for (const [key, schema] of Object.entries(CRD_SCHEMAS)) {
    const [group, version, kind] = key.split('/') as [string, string, string];
    const firstError = CRD_VALIDATORS[key];
    if (!firstError) throw new Error(`constructs/imports/crd-validators.js has no validator for ${key}: run constructs/imports/regenerate.sh`);
    let everyError: ValidateFunction | undefined;
    registerSchema(`${group}/${version}`, kind, (object) => {
      if (firstError(object)) return [];
      everyErrorCompiler ??= crdAjv(true);
      everyError ??= everyErrorCompiler.compile(prepared(schema));
      everyError(object);
      return toSchemaErrors(everyError.errors);
    });
  }
}

registerCrdSchemas();
