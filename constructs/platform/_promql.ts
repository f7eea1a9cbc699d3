/**
 * PromQL syntax checks with Prometheus' own grammar (`@prometheus-io/lezer-promql`, the
 * parser of the Prometheus web UI), so a rule with a broken expression fails when the
 * construct is created rather than when Prometheus loads it (the operator would reject
 * the whole PrometheusRule, silently to the author).
 *
 * It checks syntax only: function arities and argument types are checked by
 * `promtool check rules` in the tests.
 */
import { parser } from '@prometheus-io/lezer-promql';

/** Where the first syntax error of an expression is. */
export interface PromqlSyntaxError {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column (in UTF-16 code units). */
  readonly column: number;
  /** 0-based offset into the expression. */
  readonly offset: number;
}

/** The position of the first syntax error in `expr`, or undefined when it parses. */
export function promqlSyntaxError(expr: string): PromqlSyntaxError | undefined {
  let offset: number | undefined;
  if (expr.trim() === '') {
    offset = 0;
  } else {
    parser.parse(expr).iterate({
      enter: (node) => {
        if (offset !== undefined) return false;
        if (node.type.isError) offset = node.from;
        return undefined;
      },
    });
  }
  if (offset === undefined) return undefined;
  const before = expr.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column, offset };
}

/**
 * `undefined` when `expr` parses, else the problem as an error message fragment:
 * `is not valid PromQL: syntax error at line 1, column 16 in 'sum(rate(x[5m])'`.
 */
export function promqlProblem(expr: string): string | undefined {
  const error = promqlSyntaxError(expr);
  if (!error) return undefined;
  if (expr.trim() === '') return 'is empty; expected a PromQL expression';
  return `is not valid PromQL: syntax error at line ${error.line}, column ${error.column} in '${expr}'`;
}

/** A PromQL string literal (double-quoted, escaped). */
export function promqlString(value: string): string {
  return JSON.stringify(value);
}
