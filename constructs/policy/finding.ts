/**
 * The vocabulary of the validation spine: the objects it reads, the findings it
 * reports and the shape of a policy rule.
 */

import type { ManifestObject } from '../core/manifest.js';

export type { ManifestObject };

/** How much a finding matters. Errors fail synthesis; warnings are reported. */
export enum Severity {
  /** Fails synthesis (and `validateManifests`' report). */
  ERROR = 'error',
  /** Reported, does not fail. */
  WARNING = 'warning',
}

/** One thing wrong with one object. */
export interface Finding {
  /** The id of the rule that produced the finding, e.g. `pss-run-as-non-root`. */
  readonly ruleId: string;
  /** The severity of the rule: errors fail synthesis. */
  readonly severity: Severity;
  /** Where in the object, as a dotted path: `spec.template.spec.containers[0].image`. */
  readonly path: string;
  /** What is wrong, with the value found. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** Everything a rule may look at besides the object itself. */
export interface PolicyContext {
  /** Every object being validated together (for cross-object rules: PDB, NetworkPolicy, HPA). */
  readonly objects: readonly ManifestObject[];
}

/** A policy rule: a pure function with an id, a severity and a one-line description. */
export interface PolicyRule {
  /** Lower-case, dash-separated, at most 50 characters: it is used in exception annotation keys. */
  readonly id: string;
  /** The severity of every finding of the rule. */
  readonly severity: Severity;
  /** What the rule requires, in one line. */
  readonly description: string;
  /** Returns the findings for one object; an empty array when the object complies or the rule does not apply. */
  readonly check: (object: ManifestObject, context: PolicyContext) => Finding[];
}

/** The details a rule supplies for one finding; id and severity come from the rule. */
export interface FindingDetails {
  /** Where in the object, as a dotted path: `spec.template.spec.containers[0].image`. */
  readonly path: string;
  /** What is wrong, with the value found. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** Builds a finding for `rule`. */
export function finding(rule: Pick<PolicyRule, 'id' | 'severity'>, details: FindingDetails): Finding {
  return { ruleId: rule.id, severity: rule.severity, ...details };
}
