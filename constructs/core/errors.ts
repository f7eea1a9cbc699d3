/**
 * The one way constructs refuse bad input: a {@link PropsValidator} per construct, whose
 * checks throw a {@link PropsError} naming the construct, its path, the field, the value
 * received and what was expected, in one format:
 *
 * `HardenedDeployment 'todoapi/api': resources.memory.limit ('128Mi') is below resources.memory.request ('256Mi')`
 */
import type { IConstruct } from 'constructs';

/** What is wrong with one prop. */
export interface PropsProblem {
  /** The prop's path in the construct's props, e.g. `resources.memory.limit` or `routes[2].host`. */
  readonly field: string;
  /**
   * The value received. Left out when the problem is that there is none, or when the value
   * must not be shown (a secret).
   * @default - no value is shown
   */
  readonly value?: unknown;
  /** What is wrong, as the rest of a sentence about the field: `is below resources.memory.request (256Mi)`. */
  readonly problem: string;
  /**
   * What would be accepted, e.g. `a whole number >= 1` or `e.g. 'eu-west-1'`.
   * @default - the problem says it
   */
  readonly expected?: string;
}

/** Shows a received value in an error message: strings quoted, everything else as JSON. */
export function shown(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (value === undefined) return 'undefined';
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

/** The message of a {@link PropsProblem}, after the construct's kind and path. */
function problemText(problem: PropsProblem): string {
  const value = Object.hasOwn(problem, 'value') ? ` (${shown(problem.value)})` : '';
  return `${problem.field}${value} ${problem.problem}${problem.expected !== undefined ? `; expected ${problem.expected}` : ''}`;
}

/** Thrown for bad construct input: which construct, which field, what was received and what is expected. */
export class PropsError extends Error {
  /** The construct's kind, e.g. `HardenedDeployment`. */
  public readonly kind: string;
  /** The construct's path in the tree, e.g. `todoapi/api`. */
  public readonly constructPath: string;
  /** The field, or `undefined` for a problem of the props as a whole (two props that conflict, say). */
  public readonly field: string | undefined;
  /** The value received, when the message shows one. */
  public readonly value: unknown;
  /** What would be accepted, when the message says so separately. */
  public readonly expected: string | undefined;
  /** The problem of one field, structured; `undefined` for a problem of the props as a whole. */
  public readonly problem: PropsProblem | undefined;

  constructor(kind: string, scope: IConstruct, problem: PropsProblem | string) {
    const structured = typeof problem === 'string' ? undefined : problem;
    super(`${kind} '${scope.node.path}': ${structured ? problemText(structured) : problem}`);
    this.name = 'PropsError';
    this.kind = kind;
    this.constructPath = scope.node.path;
    this.field = structured?.field;
    this.value = structured?.value;
    this.expected = structured?.expected;
    this.problem = structured;
  }
}

/** A construct's checks of its props; every failed check throws (or returns, for `throw`) a {@link PropsError}. */
export class PropsValidator {
  constructor(
    /** The construct's kind, as messages name it: `HardenedDeployment`. */
    public readonly kind: string,
    /** The construct whose props are checked; messages name its path. */
    public readonly scope: IConstruct,
  ) {}

  /** The error for one problem, to throw. */
  error(problem: PropsProblem): PropsError {
    return new PropsError(this.kind, this.scope, problem);
  }

  /** The error for a problem that concerns several props at once, as a sentence, to throw. */
  conflict(message: string): PropsError {
    return new PropsError(this.kind, this.scope, message);
  }

  /**
   * Runs `build`, which makes child constructs from this construct's props, and reports a
   * child's bad prop at this construct and the prop the user wrote: `fields` maps a child's
   * field (or field prefix) to this construct's (`{ autoscaling: 'basicAuth.verifierAutoscaling' }`).
   * A child's error on a field not mapped is thrown as it is.
   */
  forward<T>(build: () => T, fields: Readonly<Record<string, string>>): T {
    try {
      return build();
    } catch (error) {
      const problem = error instanceof PropsError ? error.problem : undefined;
      if (!problem) throw error;
      const prefix = Object.keys(fields).find((p) => problem.field === p || problem.field.startsWith(`${p}.`) || problem.field.startsWith(`${p}[`));
      if (prefix === undefined) throw error;
      const to = fields[prefix] as string;
      // The child's sentence may name its other fields under the same prefix: renamed too.
      throw this.error({ ...problem, field: `${to}${problem.field.slice(prefix.length)}`, problem: problem.problem.replaceAll(`${prefix}.`, `${to}.`) });
    }
  }

  /** Throws when `check` finds a problem with `value` (its answer is the rest of a sentence: `is not a DNS-1123 label`). */
  check<T>(field: string, value: T, check: (value: T) => string | undefined, expected?: string): void {
    const problem = check(value);
    if (problem) throw this.error({ field, value, problem, ...(expected !== undefined && { expected }) });
  }

  /** Throws unless `value` is a whole number in `[min, max]`. */
  wholeNumber(field: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
    if (!Number.isInteger(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
      throw this.error({ field, value, problem: `must be a whole number ${range}` });
    }
  }
}
