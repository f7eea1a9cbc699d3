/**
 * Rendered objects bound to the validation report of exactly those objects: what the Pulumi
 * components (`AppDeployment`, `FluxBootstrap`) deploy. {@link validateRender} is the only
 * way to make one, so a report can never travel with objects it did not check, and nothing
 * renders the App again between validation and deployment.
 */
import type { ManifestObject } from '../core/manifest.js';
import { assertValidManifests, type ValidateOptions, type ValidationInput, type ValidationReport } from '../policy/validate.js';

/** How {@link validateRender} makes a ValidatedRender (set by the class, whose constructor is private). */
let issue: (objects: readonly ManifestObject[], report: ValidationReport) => ValidatedRender;

/** Made only by {@link validateRender}: the objects it validated, and their report (free of unwaived errors). */
export class ValidatedRender {
  static {
    issue = (objects, report) => new ValidatedRender(objects, report);
  }

  /** The objects validated, in the order they were given. */
  public readonly objects: readonly ManifestObject[];
  /** Their validation report: it has no unwaived error. */
  public readonly report: ValidationReport;
  // A private field makes the type nominal: an object literal with `objects` and `report` is not one.
  readonly #validated = true;

  private constructor(objects: readonly ManifestObject[], report: ValidationReport) {
    this.objects = Object.freeze([...objects]);
    this.report = report;
  }

  /** Whether `value` was made by {@link validateRender} (not merely shaped like one). */
  static isValidatedRender(value: unknown): value is ValidatedRender {
    return typeof value === 'object' && value !== null && #validated in value;
  }
}

/**
 * Validates rendered objects (from `renderApp`/`renderedObjects`, or `validationInputsOf` of a
 * GitOps plan) and returns them with their report. Throws PolicyViolationError, with the
 * report, when an unwaived error remains.
 */
export async function validateRender(inputs: readonly ValidationInput[], options: ValidateOptions = {}): Promise<ValidatedRender> {
  const report = await assertValidManifests(inputs, options);
  return issue(inputs.map((input) => input.object), report);
}
