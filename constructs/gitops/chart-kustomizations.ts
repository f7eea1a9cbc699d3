/**
 * ChartKustomizations: the Flux Kustomizations that apply an environment's GitOps
 * directory, one per chart directory, ordered by the charts' dependencies. The bootstrap
 * sync ({@link FluxGitSync}) applies the directory these are written to; each of them then
 * applies, prunes and health-checks its chart's directory once the charts it depends on
 * are ready.
 */
import { Construct } from 'constructs';
import { Kustomization, KustomizationSpecDecryptionProvider, KustomizationSpecSourceRefKind } from '../imports/flux-kustomize.js';
import { FLUX_GIT_SYNC_DEFAULTS } from '../core/flux.js';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../core/names.js';
import { PropsValidator } from '../core/errors.js';
import { clusterValue } from '../core/cluster-values.js';

/** One chart directory to apply. */
export interface ChartDirectory {
  /** The directory's name below the environment's directory, and the chart's name: `todoapi`. */
  readonly name: string;
  /** The names of the chart directories that must be applied and ready first. */
  readonly dependsOn: readonly string[];
  /**
   * The cluster values the directory's objects hold (core/cluster-values.ts): its
   * Kustomization substitutes each (`postBuild.substitute`, `KIT_X: ${KIT_X}`), with the value
   * the sync that applies the Kustomizations substitutes in turn.
   * @default [] (no substitution: Flux applies the files as they are)
   */
  readonly clusterValues?: readonly string[];
}

/** Properties of {@link ChartKustomizations}. */
export interface ChartKustomizationsProps {
  /** The chart directories. */
  readonly charts: readonly ChartDirectory[];
  /** The environment's directory in the Git repository, relative to its root: `./dist/prod`. */
  readonly path: string;
  /** The GitRepository the directories come from (in the same namespace). @default 'platform' (FluxGitSync's default) */
  readonly sourceName?: string;
  /** Flux's namespace. @default 'flux-system' */
  readonly namespace?: string;
  /** How often Flux reconciles each directory (a Go duration). @default '5m' */
  readonly interval?: string;
  /** How long one reconciliation may take, health checks included. @default '10m' */
  readonly timeout?: string;
  /**
   * Decrypt SOPS-encrypted files as each directory is applied: with the age key in a Secret
   * of Flux's namespace (`secretName`), or with a cloud KMS through kustomize-controller's
   * identity (no `secretName`).
   * @default - no decryption: files are applied as they are
   */
  readonly decryption?: SopsDecryption;
}

/** How Flux decrypts SOPS-encrypted files. */
export interface SopsDecryption {
  /**
   * The Secret (in Flux's namespace) holding the age private key (`*.agekey`), or PGP keys.
   * @default - none: a cloud KMS, through kustomize-controller's identity
   */
  readonly secretName?: string;
}

/** One Flux Kustomization per chart directory, named `<sourceName>-<chart>`. */
export class ChartKustomizations extends Construct {
  /** The Kustomizations, by chart directory name. */
  public readonly kustomizations: ReadonlyMap<string, Kustomization>;

  constructor(scope: Construct, id: string, props: ChartKustomizationsProps) {
    super(scope, id);
    const v = new PropsValidator('ChartKustomizations', this);
    const sourceName = props.sourceName ?? FLUX_GIT_SYNC_DEFAULTS.name;
    const namespace = props.namespace ?? FLUX_GIT_SYNC_DEFAULTS.namespace;
    if (!/^\.\/\S*$/.test(props.path)) throw v.error({ field: 'path', value: props.path, problem: "must be relative to the repository root and start with './'" });
    if (props.decryption?.secretName !== undefined) {
      v.check('decryption.secretName', props.decryption.secretName, (name) => {
        const problem = dns1123SubdomainProblem(name);
        return problem && `is not a Secret name: it ${problem}`;
      });
    }
    const known = new Set(props.charts.map((chart) => chart.name));
    const nameOf = (chart: string) => `${sourceName}-${chart}`;
    const kustomizations = new Map<string, Kustomization>();
    props.charts.forEach((chart, i) => {
      const name = nameOf(chart.name);
      v.check(`charts[${i}].name`, chart.name, () => {
        const problem = dns1123LabelProblem(name);
        return problem && `makes the Kustomization name '${name}', which ${problem}`;
      });
      for (const dependency of chart.dependsOn) {
        if (!known.has(dependency)) {
          throw v.error({ field: `charts[${i}].dependsOn`, value: dependency, problem: 'is not one of the charts', expected: `one of: ${[...known].join(', ')}` });
        }
      }
      kustomizations.set(chart.name, new Kustomization(this, chart.name, {
        metadata: { name, namespace },
        spec: {
          ...(chart.dependsOn.length > 0 && { dependsOn: chart.dependsOn.map((dependency) => ({ name: nameOf(dependency) })) }),
          sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: sourceName },
          path: `${props.path.replace(/\/+$/, '')}/${chart.name}`,
          interval: props.interval ?? FLUX_GIT_SYNC_DEFAULTS.interval,
          prune: true,
          wait: true,
          timeout: props.timeout ?? FLUX_GIT_SYNC_DEFAULTS.timeout,
          ...(props.decryption && { decryption: { provider: KustomizationSpecDecryptionProvider.SOPS, ...(props.decryption.secretName !== undefined && { secretRef: { name: props.decryption.secretName } }) } }),
          ...((chart.clusterValues ?? []).length > 0 && {
            postBuild: { substitute: Object.fromEntries((chart.clusterValues ?? []).map((name) => [name, clusterValue(name)])) },
          }),
        },
      }));
    });
    this.kustomizations = kustomizations;
  }
}
