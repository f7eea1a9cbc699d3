/**
 * The validation rules of custom resources: the CEL expressions (`x-kubernetes-validations`)
 * of each pinned CRD, evaluated on the object as the API server evaluates them — after the
 * schema's defaults are applied, with `self` bound to the field the rule sits on — with the
 * CEL implementation of `@marcbachmann/cel-js`. A rule that compares with the previous version
 * (`oldSelf`) is a rule about updates and is not evaluated; one that uses a function the
 * implementation does not have is skipped rather than guessed.
 */
import { parse } from '@marcbachmann/cel-js';
import { describeObject } from '../../core/pod.js';
import { CRD_SCHEMAS } from '../../imports/crd-schemas.js';
import { Severity, finding } from '../finding.js';
import type { Finding, ManifestObject, PolicyRule } from '../finding.js';

type Schema = Record<string, unknown>;
type Evaluate = (context: Record<string, unknown>) => unknown;
interface CelRule { readonly rule: string; readonly message?: string; readonly messageExpression?: string; readonly fieldPath?: string }

const asObject = (value: unknown): Record<string, unknown> | undefined => (value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined);

const compiled = new Map<string, Evaluate | undefined>();

/** The rule compiled once; undefined when the implementation cannot parse it. */
function compile(expression: string): Evaluate | undefined {
  if (!compiled.has(expression)) {
    try {
      compiled.set(expression, parse(expression) as unknown as Evaluate);
    } catch {
      compiled.set(expression, undefined);
    }
  }
  return compiled.get(expression);
}

/**
 * The value as the API server hands it to CEL: the schema's defaults filled in where a field
 * is absent, integers as CEL ints (BigInt), other values as they are.
 */
function celValue(schema: Schema | undefined, value: unknown): unknown {
  if (!schema) return value;
  if (Array.isArray(value)) return value.map((item) => celValue(asObject(schema.items), item));
  if (typeof value === 'number' && schema.type === 'integer' && Number.isInteger(value)) return BigInt(value);
  const object = asObject(value);
  if (!object) return value;
  const properties = asObject(schema.properties) ?? {};
  const out: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(properties)) {
    const fallback = asObject(property)?.default;
    if (object[key] === undefined && fallback !== undefined) out[key] = celValue(asObject(property), structuredClone(fallback));
  }
  const additional = asObject(schema.additionalProperties);
  for (const [key, child] of Object.entries(object)) out[key] = celValue(asObject(properties[key]) ?? additional, child);
  return out;
}

/** Whether an evaluation error is the API server's too (a missing key is reported as invalid), not a gap of the implementation. */
const SERVER_ERROR = /^no such key/i;

function evaluateRules(rule: PolicyRule, object: ManifestObject, schema: Schema | undefined, value: unknown, path: string, out: Finding[]): void {
  if (!schema || value === undefined || value === null) return;
  for (const cel of (schema['x-kubernetes-validations'] as CelRule[] | undefined) ?? []) {
    if (/\boldSelf\b/.test(cel.rule)) continue;
    const evaluate = compile(cel.rule);
    if (!evaluate) continue;
    let problem: string | undefined;
    try {
      if (evaluate({ self: value }) === false) problem = messageOf(cel, value);
    } catch (error) {
      const message = (error as Error).message.split('\n')[0] ?? '';
      if (SERVER_ERROR.test(message)) problem = `${message} evaluating rule: ${cel.message ?? cel.rule}`;
    }
    if (problem) {
      const at = cel.fieldPath ? `${path}${cel.fieldPath}` : path;
      out.push(finding(rule, { path: at, message: `${describeObject(object)}: ${at} fails the CRD's rule: ${problem}.`, fix: `Satisfy the rule \`${cel.rule}\` of the pinned CRD.` }));
    }
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => evaluateRules(rule, object, asObject(schema.items), item, `${path}[${i}]`, out));
    return;
  }
  const o = asObject(value);
  if (!o) return;
  const properties = asObject(schema.properties) ?? {};
  const additional = asObject(schema.additionalProperties);
  for (const [key, child] of Object.entries(o)) evaluateRules(rule, object, asObject(properties[key]) ?? additional, child, `${path}.${key}`, out);
}

function messageOf(cel: CelRule, value: unknown): string {
  if (cel.messageExpression) {
    const evaluate = compile(cel.messageExpression);
    try {
      const message = evaluate?.({ self: value });
      if (typeof message === 'string' && message !== '') return message;
    } catch {
      // fall back to the static message
    }
  }
  return cel.message ?? `failed rule: ${cel.rule}`;
}

/** `api-crd-rules`: custom resources satisfy the CEL validation rules of their pinned CRD. */
export const API_CRD_RULES: PolicyRule = {
  id: 'api-crd-rules',
  severity: Severity.ERROR,
  description: "Custom resources satisfy the CEL validation rules (x-kubernetes-validations) of their pinned CRD, evaluated as the API server does on create.",
  check(object) {
    const schema = CRD_SCHEMAS[`${object.apiVersion}/${object.kind}`];
    if (!schema) return [];
    const out: Finding[] = [];
    const properties = asObject(schema.properties) ?? {};
    const value = celValue(schema, object) as Record<string, unknown>;
    for (const [key, child] of Object.entries(value)) {
      if (key !== 'metadata' && key !== 'status') evaluateRules(API_CRD_RULES, object, asObject(properties[key]), child, key, out);
    }
    return out;
  },
};
