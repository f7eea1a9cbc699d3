/**
 * AksFluxExtension: GitOps on AKS through Azure Resource Manager instead of the cluster's API
 * server. The `microsoft.flux` cluster extension installs Flux, and a Flux configuration makes
 * it sync the environment's `flux/` directory, exactly what FluxBootstrap (stacks/deploy.ts)
 * does with the Flux chart and FluxGitSync, but `pulumi up` only talks to ARM, so a private
 * AKS cluster can be bootstrapped from outside its network, without a Kubernetes provider.
 *
 * @see https://learn.microsoft.com/azure/azure-arc/kubernetes/conceptual-gitops-flux2
 */
import * as azure from '@pulumi/azure-native';
import * as pulumi from '@pulumi/pulumi';
import { FLUX_GIT_SYNC_DEFAULTS } from '../constructs/index.js';
import { FLUX_DIRECTORY } from '../constructs/gitops/index.js';

/**
 * The `microsoft.flux` cluster extension as the component installs it.
 *
 * - `version` is pinned (`autoUpgradeMinorVersion: false`; ARM refuses a version with auto-upgrade
 *   on): 1.24.1, the newest in Microsoft's release notes, which carries Flux v2.7.5. The Flux chart
 *   of the `flux-chart` bootstrap (FLUX_CHART, 2.18.3) carries Flux v2.8.5; the kit writes only
 *   GA Flux APIs (source/v1, kustomize/v1, helm/v2), which both serve. Microsoft supports the
 *   newest extension version and the two before it: move the pin up with the release notes.
 * - `configurationSettings` leave out the image automation controllers (images are pinned in the
 *   repository, as the chart bootstrap does) and turn multi-tenancy enforcement off: with it on,
 *   the extension's controllers impersonate a `flux-applier` ServiceAccount that exists only in
 *   the configuration's namespace, which blocks the kit's HelmReleases (each lives in its own
 *   namespace, `cert-manager/cert-manager` for example). Off, Flux behaves as the chart installs it.
 *
 * The extension always runs in `flux-system` (it cannot be installed elsewhere). The subscription
 * needs the `Microsoft.KubernetesConfiguration` resource provider registered.
 *
 * @see https://learn.microsoft.com/azure/azure-arc/kubernetes/flux-gitops-release-notes
 * @see https://learn.microsoft.com/azure/azure-arc/kubernetes/tutorial-use-gitops-flux2
 */
export const AKS_FLUX_EXTENSION = {
  extensionType: 'microsoft.flux',
  extensionName: 'flux',
  version: '1.24.1',
  fluxVersion: '2.7.5',
  autoUpgradeMinorVersion: false,
  releaseTrain: 'stable',
  namespace: 'flux-system',
  configurationSettings: {
    'image-automation-controller.enabled': 'false',
    'image-reflector-controller.enabled': 'false',
    'multiTenancy.enforce': 'false',
  },
  releaseNotes: 'https://learn.microsoft.com/azure/azure-arc/kubernetes/flux-gitops-release-notes',
} as const;

/** Arguments of {@link AksFluxExtension}. */
export interface AksFluxExtensionArgs {
  /** The resource group of the AKS cluster. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** The AKS cluster's name (the ManagedCluster's `name`). */
  readonly clusterName: pulumi.Input<string>;
  /** The repository: `https://…` or `ssh://…`. */
  readonly url: string;
  /** The branch to follow. */
  readonly branch: string;
  /**
   * The directory to apply, relative to the repository root, starting with `./`: the
   * environment's Flux directory, `<deploy.path>/flux`, as `buildBootstrap` passes it to FluxGitSync.
   */
  readonly path: string;
  /** How often Flux fetches and reconciles: a duration of hours, minutes and seconds (`5m`, `1h30m`). */
  readonly interval: string;
  /**
   * A Secret in `flux-system` with the repository's credentials (private repositories), as
   * Flux reads them: `username` and `password` for https, `identity` and `known_hosts` for ssh.
   * It is referenced (`localAuthRef`), never read: the credentials stay out of Pulumi's state
   * and out of ARM. Create it out of band (`az aks command invoke` reaches a private cluster);
   * until it exists, Flux reports the source as failing and retries.
   * @default - none: the repository is fetched without credentials (public)
   * @see https://learn.microsoft.com/azure/azure-arc/kubernetes/gitops-flux2-parameters#local-secret-for-authentication-with-source
   */
  readonly secretName?: string;
  /**
   * Variables the sync Kustomization substitutes (`${name}`) in what it applies, after the
   * kustomize build (`postBuild.substitute`): the cluster values of the per-chart
   * Kustomizations under `flux/` (`clusterValuesOf(plan)`, core/cluster-values.ts), with their
   * real values, as FluxGitSync's `substitute`.
   * @default - no substitution
   */
  readonly substitutions?: Record<string, pulumi.Input<string>>;
}

/** How long a reconciliation of the sync may take: FluxGitSync's timeout. */
const SYNC_TIMEOUT = FLUX_GIT_SYNC_DEFAULTS.timeout;

/**
 * The seconds of a duration of hours, minutes and seconds (`5m` → 300, `1h30m` → 5400), the
 * form the Flux configuration's intervals take; `undefined` for anything else (`90`, `1.5h`, `500ms`, `0s`).
 */
export function durationSeconds(duration: string): number | undefined {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(duration);
  if (!match || duration === '') return undefined;
  const [hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number];
  const total = hours * 3600 + minutes * 60 + seconds;
  return total > 0 ? total : undefined;
}

/**
 * The `microsoft.flux` extension on an AKS cluster, and a Flux configuration that syncs the
 * environment's Flux directory, both through ARM.
 *
 * The configuration is named and placed as FluxGitSync names its objects (`platform` in
 * `flux-system`): the extension creates a GitRepository with the configuration's name in the
 * configuration's namespace, and the per-chart Kustomizations `npm run synth` writes under
 * `flux/` reference exactly that source (`sourceRef: GitRepository platform`, same namespace).
 * Its one Kustomization is named by the extension `<configuration>-<key>`: `platform-flux`,
 * which no chart Kustomization (`platform-<chart>`) can take, since a chart named `flux` is refused.
 */
export class AksFluxExtension extends pulumi.ComponentResource {
  public readonly extension: azure.kubernetesconfiguration.Extension;
  public readonly configuration: azure.kubernetesconfiguration.FluxConfiguration;
  /** The name and namespace of the GitRepository the configuration creates (FluxGitSync's). */
  public readonly source: { readonly name: string; readonly namespace: string };
  /** The Flux Kustomization the configuration creates, which applies `path`. */
  public readonly kustomizationName: string;
  /** `interval`, in seconds. */
  public readonly intervalSeconds: number;

  constructor(name: string, args: AksFluxExtensionArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('k8s-platform-kit:azure:AksFluxExtension', name, {}, opts);
    const fail = (message: string) => new pulumi.ResourceError(`AksFluxExtension '${name}': ${message}`, this);
    if (!/^(https|ssh):\/\/\S+$/.test(args.url)) throw fail(`'url' must start with https:// or ssh://, got '${args.url}'`);
    if (args.branch.trim() === '') throw fail("'branch' is empty; expected a branch name such as main");
    if (!/^\.\/\S*$/.test(args.path)) throw fail(`'path' must be relative to the repository root and start with './', got '${args.path}'`);
    const intervalSeconds = durationSeconds(args.interval);
    if (intervalSeconds === undefined) throw fail(`'interval' must be a duration of hours, minutes and seconds such as '5m' or '1h30m', got '${args.interval}'`);
    this.intervalSeconds = intervalSeconds;
    for (const variable of Object.keys(args.substitutions ?? {})) {
      if (!/^[_a-zA-Z][_a-zA-Z0-9]*$/.test(variable)) throw fail(`'substitutions' has '${variable}', which is not a variable name Flux substitutes; expected letters, digits and _, not starting with a digit`);
    }
    this.source = { name: FLUX_GIT_SYNC_DEFAULTS.name, namespace: FLUX_GIT_SYNC_DEFAULTS.namespace };
    this.kustomizationName = `${this.source.name}-${FLUX_DIRECTORY}`;

    const cluster = {
      resourceGroupName: args.resourceGroupName,
      clusterName: args.clusterName,
      clusterRp: 'Microsoft.ContainerService',
      clusterResourceName: 'managedClusters',
    };
    this.extension = new azure.kubernetesconfiguration.Extension(`${name}-extension`, {
      ...cluster,
      extensionName: AKS_FLUX_EXTENSION.extensionName,
      extensionType: AKS_FLUX_EXTENSION.extensionType,
      autoUpgradeMinorVersion: AKS_FLUX_EXTENSION.autoUpgradeMinorVersion,
      version: AKS_FLUX_EXTENSION.version,
      releaseTrain: AKS_FLUX_EXTENSION.releaseTrain,
      configurationSettings: { ...AKS_FLUX_EXTENSION.configurationSettings },
    }, { parent: this });

    const substitutions = args.substitutions;
    this.configuration = new azure.kubernetesconfiguration.FluxConfiguration(`${name}-configuration`, {
      ...cluster,
      fluxConfigurationName: this.source.name,
      namespace: this.source.namespace,
      scope: 'cluster',
      sourceKind: 'GitRepository',
      gitRepository: {
        url: args.url,
        repositoryRef: { branch: args.branch },
        syncIntervalInSeconds: intervalSeconds,
        ...(args.secretName !== undefined && { localAuthRef: args.secretName }),
      },
      kustomizations: {
        [FLUX_DIRECTORY]: {
          path: args.path,
          prune: FLUX_GIT_SYNC_DEFAULTS.prune,
          wait: true,
          syncIntervalInSeconds: intervalSeconds,
          timeoutInSeconds: durationSeconds(SYNC_TIMEOUT) as number,
          ...(substitutions !== undefined && Object.keys(substitutions).length > 0 && { postBuild: { substitute: substitutions } }),
        },
      },
    }, { parent: this, dependsOn: [this.extension] });

    this.registerOutputs({});
  }
}
