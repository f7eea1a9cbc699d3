/**
 * The validation spine as a cdk8s CLI validation plugin. Declare it in `cdk8s.yaml`:
 *
 * ```yaml
 * validations:
 *   - package: ./node_modules/k8s-platform-kit/lib/constructs/policy/cdk8s-validation.js
 *     class: PlatformKitValidation
 *     version: 0.1.0
 * ```
 *
 * The CLI loads the module with `require`, which Node.js 20.19+ can do for ES modules.
 */
import { Severity, type ManifestObject } from './finding.js';
import { validateManifests, type ValidationInput } from './validate.js';
import { CAPABILITY_NAMES, type Capability, type ClusterCapabilities } from './capabilities.js';

/** The parts of the cdk8s CLI's validation context this plugin uses (kept structural: the CLI is not a runtime dependency). */
export interface Cdk8sValidationContext {
  /** The paths of the synthesized manifest files to validate. */
  readonly manifests: readonly string[];
  /** Reads one manifest file into its objects. */
  parseManifest(manifestPath: string): unknown[];
  /** Where the plugin reports its violations, then its status. */
  readonly report: {
    /** Reports one violated rule, with the objects that violate it. */
    addViolation(violation: {
      ruleName: string;
      recommendation: string;
      fix: string;
      violatingResources: { resourceName: string; locations: string[]; manifestPath: string }[];
    }): void;
    /** Ends the report with the plugin's verdict. */
    submit(status: 'success' | 'failure', metadata?: Record<string, string>): void;
  };
  /** The CLI's log, for warnings and notes. */
  readonly logger: {
    /** Writes one line to the CLI's output. */
    log(message: string): void;
  };
}

/** Properties set under `properties:` in `cdk8s.yaml`. */
export interface PlatformKitValidationProps {
  /**
   * Fail the synth on warnings too.
   * @default false
   */
  readonly failOnWarnings?: boolean;
  /**
   * The capabilities the target cluster provides besides those of the HelmReleases in the
   * manifests (`[network-policy, velero]`): when given, every object's capability needs are
   * checked against them (docs/capabilities.md).
   * @default - capabilities are not checked
   */
  readonly capabilities?: readonly string[];
}

/** Whether a YAML document is a kustomize build file (`kustomize.config.k8s.io`), not a Kubernetes object. */
function isKustomizeConfig(doc: object): boolean {
  const apiVersion = (doc as { apiVersion?: unknown }).apiVersion;
  return typeof apiVersion === 'string' && apiVersion.startsWith('kustomize.config.k8s.io/');
}

/** The cdk8s validation plugin class named in `cdk8s.yaml`. */
export class PlatformKitValidation {
  private readonly failOnWarnings: boolean;
  private readonly cluster?: ClusterCapabilities;

  constructor(props: PlatformKitValidationProps = {}) {
    this.failOnWarnings = props.failOnWarnings ?? false;
    if (props.capabilities !== undefined) {
      const unknown = props.capabilities.filter((name) => !(CAPABILITY_NAMES as readonly string[]).includes(name));
      if (unknown.length > 0) {
        throw new Error(`PlatformKitValidation: properties.capabilities names ${unknown.map((n) => `'${n}'`).join(', ')}, which ${unknown.length === 1 ? 'is not a capability' : 'are not capabilities'}; expected any of: ${CAPABILITY_NAMES.join(', ')}`);
      }
      this.cluster = {
        name: 'the cluster cdk8s.yaml describes',
        provided: props.capabilities.map((capability) => ({ capability: capability as Capability, source: 'cdk8s.yaml properties.capabilities' })),
        howToProvide: {},
      };
    }
  }

  /**
   * Runs the kit's policy rules over the synthesized manifests, reports every unwaived error
   * and warning as a violation, and fails on errors (and on warnings with `failOnWarnings`).
   */
  async validate(context: Cdk8sValidationContext): Promise<void> {
    const inputs: ValidationInput[] = [];
    for (const manifestPath of context.manifests) {
      for (const doc of context.parseManifest(manifestPath)) {
        // kustomize's own kustomization.yaml files (written next to the manifests of the GitOps
        // layout) configure a build; they are never sent to the API server.
        if (doc && typeof doc === 'object' && !isKustomizeConfig(doc)) inputs.push({ object: doc as ManifestObject, manifestPath });
      }
    }
    const report = await validateManifests(inputs, this.cluster ? { cluster: this.cluster } : {});
    const reported = [...report.errors, ...report.warnings];
    for (const f of reported) {
      context.report.addViolation({
        ruleName: `${f.severity === Severity.ERROR ? 'error' : 'warning'}: ${f.ruleId}`,
        recommendation: f.message,
        fix: f.fix,
        // Named Kind/namespace/name: the CLI's construct lookup is keyed by metadata.name alone,
        // which a workload's Deployment, Service and NetworkPolicy share, so it would name the wrong construct.
        violatingResources: [{ resourceName: f.object, locations: [f.path], manifestPath: f.manifestPath ?? '' }],
      });
    }
    const failed = report.errors.length > 0 || (this.failOnWarnings && report.warnings.length > 0);
    context.logger.log(`k8s-platform-kit: ${report.objectCount} objects, ${report.errors.length} errors, ${report.warnings.length} warnings, ${report.waived.length} waived`);
    context.report.submit(failed ? 'failure' : 'success', {
      objects: String(report.objectCount),
      errors: String(report.errors.length),
      warnings: String(report.warnings.length),
      waived: String(report.waived.length),
    });
  }
}
