/**
 * Schema validation: every object is checked against the Kubernetes OpenAPI schema
 * compiled by the `kubernetes-models` packages, plus the object-metadata syntax the API
 * server enforces (names, label and annotation keys and values), which the OpenAPI
 * schema does not express.
 *
 * What this does not see: unknown fields (the OpenAPI schema allows them; the API server
 * rejects them under strict field validation), admission, defaulting and cross-field
 * checks done in Go. Only a real API server sees those (`kubectl apply --dry-run=server`).
 */
import { Severity, type Finding, type ManifestObject } from './finding.js';
import { describeObject } from '../core/pod.js';
import {
  NAME_CHECKS, dns1123LabelProblem, dns1123SubdomainProblem, labelValueProblem, qualifiedNameProblem,
} from '../core/names.js';

/** The id under which schema findings are reported. Schema findings cannot be waived. */
export const SCHEMA_RULE_ID = 'schema';

/** One schema error, as produced by a compiled validator (Ajv's error shape). */
export interface SchemaError {
  /** JSON Pointer to the failing value in the object: `/spec/replicas`. */
  readonly instancePath: string;
  /** The schema keyword that failed: `type`, `required`, `additionalProperties`, … */
  readonly keyword: string;
  /**
   * The validator's message: `must be integer`.
   * @default - none: the finding says `does not match the schema` (`format`, `required` and
   *   `enum` errors are worded from their `params` either way)
   */
  readonly message?: string;
  /**
   * The keyword's parameters: `{ missingProperty: 'image' }`, `{ additionalProperty: 'replica' }`.
   * @default - none
   */
  readonly params?: Record<string, unknown>;
}

/** A compiled schema check for one apiVersion/kind. Returns the errors, empty when valid. */
export type SchemaValidator = (object: unknown) => readonly SchemaError[];

/**
 * Where the compiled schemas of each API group live: the built-in groups, from
 * `kubernetes-models`. A custom resource has no schema until its group is added here (from
 * an `@kubernetes-models/*` package) or its kinds are registered with `registerSchema()`;
 * until then it is reported as a schema error, never skipped.
 */
const SCHEMA_PACKAGES: Readonly<Record<string, string>> = {
  '': 'kubernetes-models',
  'admissionregistration.k8s.io': 'kubernetes-models',
  'apiextensions.k8s.io': 'kubernetes-models',
  'apiregistration.k8s.io': 'kubernetes-models',
  'apps': 'kubernetes-models',
  'autoscaling': 'kubernetes-models',
  'batch': 'kubernetes-models',
  'certificates.k8s.io': 'kubernetes-models',
  'coordination.k8s.io': 'kubernetes-models',
  'discovery.k8s.io': 'kubernetes-models',
  'events.k8s.io': 'kubernetes-models',
  'flowcontrol.apiserver.k8s.io': 'kubernetes-models',
  'networking.k8s.io': 'kubernetes-models',
  'node.k8s.io': 'kubernetes-models',
  'policy': 'kubernetes-models',
  'rbac.authorization.k8s.io': 'kubernetes-models',
  'resource.k8s.io': 'kubernetes-models',
  'scheduling.k8s.io': 'kubernetes-models',
  'storage.k8s.io': 'kubernetes-models',
  'helm.toolkit.fluxcd.io': '@kubernetes-models/flux-cd',
  'kustomize.toolkit.fluxcd.io': '@kubernetes-models/flux-cd',
  'notification.toolkit.fluxcd.io': '@kubernetes-models/flux-cd',
  'source.toolkit.fluxcd.io': '@kubernetes-models/flux-cd',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};

const registered = new Map<string, SchemaValidator>();
const loaded = new Map<string, Promise<SchemaValidator | undefined>>();

/** Registers a validator for an apiVersion/kind that no model package covers (e.g. a CRD compiled from its openAPIV3Schema). */
export function registerSchema(apiVersion: string, kind: string, validator: SchemaValidator): void {
  registered.set(`${apiVersion}/${kind}`, validator);
}

interface ModelClass {
  new (data: unknown): { validate(): void };
  readonly prototype: { validate(this: unknown): void };
}

async function importValidator(apiVersion: string, kind: string): Promise<SchemaValidator | undefined> {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const pkg = SCHEMA_PACKAGES[group];
  if (!pkg || !/^[A-Za-z0-9]+$/.test(kind)) return undefined;
  let model: ModelClass | undefined;
  try {
    const module = (await import(`${pkg}/${apiVersion}/${kind}`)) as Record<string, ModelClass>;
    model = module[kind];
  } catch {
    return undefined;
  }
  if (!model) return undefined;
  // The model's validate() runs its compiled schema on `this`. It is called on the object
  // itself: a model instance would only be a copy without undefined values, which the
  // compiled schemas treat as absent anyway (none of them checks additionalProperties).
  const validate = model.prototype.validate;
  return (object) => {
    try {
      validate.call(object);
      return [];
    } catch (error) {
      const errors = (error as { errors?: SchemaError[] }).errors;
      if (!errors) throw error;
      return errors;
    }
  };
}

/** Finds the validator for an apiVersion/kind: registered ones first, then the model packages (loaded once). */
export function schemaFor(apiVersion: string, kind: string): Promise<SchemaValidator | undefined> {
  const key = `${apiVersion}/${kind}`;
  const own = registered.get(key);
  if (own) return Promise.resolve(own);
  let pending = loaded.get(key);
  if (!pending) {
    pending = importValidator(apiVersion, kind);
    loaded.set(key, pending);
  }
  return pending;
}

/** `/spec/template/0/x` → `spec.template[0].x` */
export function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function valueAt(object: unknown, pointer: string): unknown {
  let current: unknown = object;
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function describeError(errors: readonly SchemaError[]): string {
  const format = errors.find((e) => e.keyword === 'format');
  if (format) return `must be a valid ${String(format.params?.format ?? 'value')}`;
  const required = errors.find((e) => e.keyword === 'required');
  if (required) return `is missing required field '${String(required.params?.missingProperty)}'`;
  const enumError = errors.find((e) => e.keyword === 'enum');
  if (enumError) return `must be one of ${JSON.stringify(enumError.params?.allowedValues)}`;
  const meaningful = errors.find((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf') ?? errors[0];
  return meaningful?.message ?? 'does not match the schema';
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

function metadataFindings(object: ManifestObject): Finding[] {
  const findings: Finding[] = [];
  const add = (path: string, message: string, fix: string) =>
    findings.push({ ruleId: SCHEMA_RULE_ID, severity: Severity.ERROR, path, message, fix });
  const id = describeObject(object);
  const name = object.metadata?.name;
  if (name === undefined) {
    if (object.metadata?.generateName === undefined) {
      add('metadata.name', `${id}: metadata.name is not set`, 'Give the object a name.');
    }
  } else {
    const { check, what } = NAME_CHECKS[object.kind] ?? { check: dns1123SubdomainProblem, what: 'DNS-1123 subdomain' };
    const problem = check(name);
    if (problem) add('metadata.name', `${id}: metadata.name '${name}' ${problem}`, `Use a ${what} as the name.`);
  }
  const namespace = object.metadata?.namespace;
  if (namespace !== undefined) {
    const problem = dns1123LabelProblem(namespace);
    if (problem) add('metadata.namespace', `${id}: metadata.namespace '${namespace}' ${problem}`, 'Use a DNS-1123 label as the namespace.');
  }
  for (const [key, value] of Object.entries(object.metadata?.labels ?? {})) {
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem) add(`metadata.labels.${key}`, `${id}: label key '${key}' ${keyProblem}`, 'Use a valid label key.');
    const valueProblem = labelValueProblem(String(value));
    if (valueProblem) add(`metadata.labels.${key}`, `${id}: label '${key}' value '${value}' ${valueProblem}`, 'Use a valid label value.');
  }
  for (const key of Object.keys(object.metadata?.annotations ?? {})) {
    const problem = qualifiedNameProblem(key);
    if (problem) add(`metadata.annotations.${key}`, `${id}: annotation key '${key}' ${problem}`, 'Use a valid annotation key.');
  }
  return findings;
}

/** Checks one object against its schema and the metadata syntax rules. */
export async function checkSchema(object: ManifestObject): Promise<Finding[]> {
  const validator = await schemaFor(object.apiVersion, object.kind);
  const id = describeObject(object);
  if (!validator) {
    return [{
      ruleId: SCHEMA_RULE_ID,
      severity: Severity.ERROR,
      path: 'apiVersion',
      message: `${id}: no schema is known for apiVersion '${object.apiVersion}' kind '${object.kind}', so it cannot be validated`,
      fix: 'Use an API version the target Kubernetes version serves, or register a schema for the custom resource with registerSchema().',
    }];
  }
  const byPath = new Map<string, SchemaError[]>();
  for (const error of validator(object)) {
    const list = byPath.get(error.instancePath) ?? [];
    list.push(error);
    byPath.set(error.instancePath, list);
  }
  const findings: Finding[] = [...byPath.entries()].map(([pointer, errors]) => {
    const path = pointerToPath(pointer) || '(root)';
    return {
      ruleId: SCHEMA_RULE_ID,
      severity: Severity.ERROR,
      path,
      message: `${id}: ${path} ${describeError(errors)} (got ${show(valueAt(object, pointer))})`,
      fix: `Correct ${path} to match the ${object.apiVersion} ${object.kind} schema.`,
    };
  });
  return [...findings, ...metadataFindings(object)];
}
