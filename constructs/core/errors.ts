import type { IConstruct } from 'constructs';

/**
 * Builds the error thrown for bad construct input:
 * `HardenedDeployment 'todoapi/api': resources.memory.limit (128Mi) is below resources.memory.request (256Mi)`.
 */
export function propsError(kind: string, scope: IConstruct, message: string): Error {
  return new Error(`${kind} '${scope.node.path}': ${message}`);
}

/** Shows a received value in an error message: strings quoted, everything else as JSON. */
export function shown(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

/** Throws the construct's props error `field (value) problem` when `check` finds a problem with `value`. */
export function requireValid(kind: string, scope: IConstruct, field: string, value: string, check: (value: string) => string | undefined): void {
  const problem = check(value);
  if (problem) throw propsError(kind, scope, `${field} (${shown(value)}) ${problem}`);
}

/** Throws the construct's props error unless `replicas` is a whole number >= 1 (a controller's replicas, say). */
export function requireReplicas(kind: string, scope: IConstruct, replicas: number): void {
  if (!Number.isInteger(replicas) || replicas < 1) throw propsError(kind, scope, `replicas (${shown(replicas)}) must be a whole number >= 1`);
}
