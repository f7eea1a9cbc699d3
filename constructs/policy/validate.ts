/**
 * The validation spine: schema, then policy, then exceptions, over every object that
 * leaves the library. Used by the synth entry point, the cdk8s validation plugin, the
 * Pulumi program and the tests alike.
 */
import { ApiObject, type App, type Chart } from 'cdk8s';
import { Severity, type Finding, type ManifestObject, type PolicyContext, type PolicyRule } from './finding.js';
import { checkExceptions, exceptionsOf, EXCEPTION_RULE_ID } from './exceptions.js';
import { checkSchema, SCHEMA_RULE_ID } from './schema.js';
// Registers the schemas of custom resources that have no model package (Velero).
import './crd-schemas.js';
import { DEFAULT_RULES } from './rules/default-rules.js';
import { describeObject } from '../core/pod.js';
import { checkCapabilities, releasedCapabilities, type ClusterCapabilities } from './capabilities.js';

/** One object to validate, with where it came from. */
export interface ValidationInput {
  /** The object to validate. */
  readonly object: ManifestObject;
  /**
   * The construct path that produced the object, for the report.
   * @default - unknown: findings name the object only
   */
  readonly constructPath?: string;
  /**
   * The manifest file the object was read from, for the report.
   * @default - unknown: findings name the object only
   */
  readonly manifestPath?: string;
}

/** A finding on a particular object. */
export interface ObjectFinding extends Finding {
  /** `Kind/namespace/name` of the object. */
  readonly object: string;
  /**
   * The construct path that produced the object, from its {@link ValidationInput}.
   * @default - unknown
   */
  readonly constructPath?: string;
  /**
   * The manifest file the object was read from, from its {@link ValidationInput}.
   * @default - unknown
   */
  readonly manifestPath?: string;
  /**
   * Set when an exception annotation waives the finding: the reason given.
   * @default - not waived
   */
  readonly waivedBecause?: string;
}

/** Options for {@link validateManifests}. */
export interface ValidateOptions {
  /**
   * The policy rules to run.
   * @default DEFAULT_RULES - the Pod Security Standards restricted profile and the kit's workload rules
   */
  readonly rules?: readonly PolicyRule[];
  /**
   * The cluster the objects are for: each object's capability needs (a controller, NetworkPolicy
   * enforcement, a node autoscaler…) are checked against what it provides, plus what the
   * HelmReleases among the objects provide once installed. `npm run synth` and the Pulumi
   * program pass the environment's (`environmentCapabilities`).
   * @default - capabilities are not checked (no cluster is known)
   * @see docs/capabilities.md
   */
  readonly cluster?: ClusterCapabilities;
  /**
   * Objects deployed beside the ones validated, which the cross-object rules see (a Service's
   * pods, a workload's NetworkPolicies) but which are not themselves checked: for validating
   * one changed object against the rest of its environment.
   * @default - none: the rules see only the objects validated
   */
  readonly alongside?: readonly ManifestObject[];
}

/** The outcome of a validation run. */
export class ValidationReport {
  /** Every finding, waived ones included. */
  public readonly findings: readonly ObjectFinding[];
  /** How many objects were checked. */
  public readonly objectCount: number;

  constructor(findings: readonly ObjectFinding[], objectCount: number) {
    this.findings = findings;
    this.objectCount = objectCount;
  }

  /** Findings that fail validation: errors not waived by an exception. */
  get errors(): ObjectFinding[] {
    return this.findings.filter((f) => f.severity === Severity.ERROR && f.waivedBecause === undefined);
  }

  /** Findings reported but not failing: warnings not waived. */
  get warnings(): ObjectFinding[] {
    return this.findings.filter((f) => f.severity === Severity.WARNING && f.waivedBecause === undefined);
  }

  /** Findings waived by an exception annotation, with the reason. */
  get waived(): ObjectFinding[] {
    return this.findings.filter((f) => f.waivedBecause !== undefined);
  }

  /** True when there is no unwaived error. */
  get ok(): boolean {
    return this.errors.length === 0;
  }

  /** A human-readable summary: one block per unwaived finding, then the counts. */
  format(): string {
    const lines: string[] = [];
    for (const f of [...this.errors, ...this.warnings]) {
      lines.push(`${f.severity.toUpperCase()} [${f.ruleId}] ${f.object}${f.constructPath ? ` (construct ${f.constructPath})` : ''}`);
      lines.push(`  at ${f.path}: ${f.message}`);
      lines.push(`  fix: ${f.fix}`);
    }
    lines.push(`${this.objectCount} objects checked: ${this.errors.length} errors, ${this.warnings.length} warnings, ${this.waived.length} waived by exceptions`);
    return lines.join('\n');
  }
}

/** Thrown by {@link assertValid} when validation fails; carries the report. */
export class PolicyViolationError extends Error {
  constructor(/** The report, with every finding. */ public readonly report: ValidationReport) {
    super(`Validation failed:\n${report.format()}`);
    this.name = 'PolicyViolationError';
  }
}

/** Validates objects against the schema, the policy rules and their exceptions. */
export async function validateManifests(inputs: readonly ValidationInput[], options: ValidateOptions = {}): Promise<ValidationReport> {
  const rules = options.rules ?? DEFAULT_RULES;
  const knownRuleIds = new Set(rules.map((r) => r.id));
  const context: PolicyContext = { objects: [...inputs.map((i) => i.object), ...(options.alongside ?? [])] };
  const findings: ObjectFinding[] = [];
  const { cluster } = options;
  const released = cluster ? releasedCapabilities(context.objects) : [];
  for (const input of inputs) {
    const { object } = input;
    const where = {
      object: describeObject(object),
      ...(input.constructPath !== undefined && { constructPath: input.constructPath }),
      ...(input.manifestPath !== undefined && { manifestPath: input.manifestPath }),
    };
    const exceptions = exceptionsOf(object);
    const schemaFindings = await checkSchema(object);
    for (const f of schemaFindings) findings.push({ ...f, ...where });
    for (const f of checkExceptions(object, knownRuleIds)) findings.push({ ...f, ...where });
    // Not waivable: an exception cannot make a missing controller do its work.
    if (cluster) for (const f of checkCapabilities(object, cluster, released)) findings.push({ ...f, ...where });
    for (const rule of rules) {
      let ruleFindings: readonly Finding[];
      try {
        ruleFindings = rule.check(object, context);
      } catch (error) {
        // The rules read objects of the schema's shape: one the schema refused is already an
        // error, and a rule tripping over its shape adds nothing. Otherwise it is a bug in the rule.
        if (schemaFindings.some((f) => f.severity === Severity.ERROR)) continue;
        throw new Error(`policy rule ${rule.id} failed on ${where.object}: ${(error as Error).message}`, { cause: error });
      }
      for (const f of ruleFindings) {
        const reason = f.ruleId === SCHEMA_RULE_ID || f.ruleId === EXCEPTION_RULE_ID ? undefined : exceptions.get(f.ruleId);
        findings.push({ ...f, ...where, ...(reason?.trim() && { waivedBecause: reason }) });
      }
    }
  }
  return new ValidationReport(findings, inputs.length);
}

/** Every API object of the given charts, resolved, with its construct path. */
export function collectObjects(charts: readonly Chart[]): ValidationInput[] {
  const inputs: ValidationInput[] = [];
  for (const chart of charts) {
    for (const child of chart.node.findAll()) {
      if (ApiObject.isApiObject(child)) {
        inputs.push({ object: child.toJson() as ManifestObject, constructPath: child.node.path });
      }
    }
  }
  return inputs;
}

/** Validates every object of a cdk8s App. */
export function validateApp(app: App, options: ValidateOptions = {}): Promise<ValidationReport> {
  return validateManifests(collectObjects(app.charts), options);
}

/**
 * Validates objects rendered beforehand (for example by the GitOps writer, which renders
 * each object once) and throws {@link PolicyViolationError} if any unwaived error remains.
 */
export async function assertValidManifests(inputs: readonly ValidationInput[], options: ValidateOptions = {}): Promise<ValidationReport> {
  const report = await validateManifests(inputs, options);
  if (!report.ok) throw new PolicyViolationError(report);
  return report;
}

/** Validates and throws {@link PolicyViolationError} if any unwaived error remains. */
export async function assertValid(app: App, options: ValidateOptions = {}): Promise<ValidationReport> {
  const report = await validateApp(app, options);
  if (!report.ok) throw new PolicyViolationError(report);
  return report;
}
