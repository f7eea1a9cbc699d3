/**
 * Putting validated cdk8s Apps onto a cluster with @pulumi/kubernetes, and handing a cluster
 * to Flux. Nothing here runs before the objects have passed the validation spine: the
 * components take a ValidatedRender (`validateRender`: rendered objects bound to their own
 * report), deploy exactly those objects and render nothing themselves; `deployApp` renders,
 * validates and deploys an App in one call (a policy error fails `pulumi preview` before any
 * resource is registered).
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { App } from 'cdk8s';
import { clusterValuesIn, substituteClusterValues, type ManifestObject } from '../constructs/index.js';
import { renderApp, renderedObjects, validateRender, ValidatedRender } from '../constructs/gitops/index.js';
import { helmReleasesOf, type HelmReleaseSpec } from './_flux-releases.js';

/** Arguments of {@link AppDeployment}. */
export interface AppDeploymentArgs {
  /** The objects to apply, with their report: from `validateRender`, which refuses objects with an unwaived error. */
  readonly render: ValidatedRender;
  /** Install Flux HelmReleases in the App as Helm releases (no Flux on the cluster). @default true */
  readonly installHelmReleases?: boolean;
  /**
   * Why the App's Flux HelmReleases cannot be installed here. When given, they and their
   * HelmRepositories are left out, and each one left out is reported by a warning that names
   * the chart, its version, its repository and this reason (local mode sets it).
   * @default - they are installed (or, with `installHelmReleases: false`, applied as objects)
   */
  readonly skipHelmReleases?: string;
  /**
   * The values of the cluster values the objects hold as placeholders (`${KIT_…}`,
   * core/cluster-values.ts), filled in as the objects are applied: an AKS workload
   * identity's client id, the tenant id. A placeholder with no value here is an error before
   * any resource is registered.
   * @default {} (the objects must hold no placeholder)
   */
  readonly clusterValues?: Readonly<Record<string, pulumi.Input<string>>>;
}

/** Renders an App once, validates its objects and deploys them. */
export async function deployApp(name: string, app: App, opts: pulumi.ComponentResourceOptions = {}): Promise<AppDeployment> {
  const render = await validateRender(renderedObjects(renderApp(app)));
  return new AppDeployment(name, { render }, opts);
}

/**
 * The objects of a ValidatedRender applied to the cluster (a ConfigGroup, which orders CRDs and Namespaces
 * first), and the Flux HelmReleases among them installed as Helm releases: the releases'
 * Namespaces before them, everything else after them (they install the CRDs it uses).
 */
export class AppDeployment extends pulumi.ComponentResource {
  /** The objects applied directly. */
  public readonly objects: readonly ManifestObject[];
  /** The Helm releases, by release name. */
  public readonly releases: Record<string, k8s.helm.v3.Release> = {};
  /** The Helm releases left out (see `skipHelmReleases`). */
  public readonly skippedReleases: readonly HelmReleaseSpec[];
  public readonly group: k8s.yaml.v2.ConfigGroup;
  /** The Namespaces, applied before the Helm releases that install into them (when there are releases). */
  public readonly namespaces?: k8s.yaml.v2.ConfigGroup;

  constructor(name: string, args: AppDeploymentArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('k8s-platform-kit:kubernetes:AppDeployment', name, {}, opts);
    if (!ValidatedRender.isValidatedRender(args.render)) {
      throw new pulumi.ResourceError(`AppDeployment '${name}': 'render' must be made by validateRender() (the objects and their own report), got ${shapeOf(args.render)}`, this);
    }
    if (args.installHelmReleases === false && args.skipHelmReleases !== undefined) {
      throw new pulumi.ResourceError(`AppDeployment '${name}': only one of \`installHelmReleases: false\` or \`skipHelmReleases\` can be provided`, this);
    }
    const all = args.render.objects;
    const values = args.clusterValues ?? {};
    const missing = clusterValuesIn(all).filter((value) => !Object.hasOwn(values, value));
    if (missing.length > 0) {
      throw new pulumi.ResourceError(`AppDeployment '${name}': the objects hold the cluster values ${missing.join(', ')}, which clusterValues does not give (it gives: ${Object.keys(values).sort().join(', ') || 'none'})`, this);
    }
    const filled = <T>(value: T): pulumi.Input<T> => (clusterValuesIn([value]).length === 0
      ? value
      : pulumi.all(values).apply((resolved) => substituteClusterValues(value, resolved)));
    const { releases, rest } = args.installHelmReleases === false ? { releases: [], rest: all } : helmReleasesOf(all);
    this.objects = rest;
    const skip = args.skipHelmReleases;
    this.skippedReleases = skip === undefined ? [] : releases;
    // The releases install into namespaces of the App, and install the CRDs that the App's
    // custom resources need: namespaces first, then the releases, then everything else.
    const namespaces = rest.filter((o) => o.kind === 'Namespace' && o.apiVersion === 'v1');
    this.namespaces = releases.length > 0 && namespaces.length > 0
      ? new k8s.yaml.v2.ConfigGroup(`${name}-namespaces`, { objs: filled(namespaces) as pulumi.Input<unknown[]> }, { parent: this })
      : undefined;
    const first = this.namespaces ? [this.namespaces] : [];
    if (skip === undefined) {
      for (const release of releases) this.releases[release.name] = helmRelease(`${name}-${release.name}`, release, this, first, filled(release.values));
    } else {
      for (const release of releases) void pulumi.log.warn(skippedChartMessage(`Helm release ${release.namespace}/${release.name}`, release, skip), this);
    }
    const others = this.namespaces ? rest.filter((o) => !namespaces.includes(o)) : rest;
    this.group = new k8s.yaml.v2.ConfigGroup(name, { objs: filled(others) as pulumi.Input<unknown[]> }, {
      parent: this,
      dependsOn: [...first, ...Object.values(this.releases)],
    });
    this.registerOutputs({});
  }
}

/** The Flux distribution `pulumi up` installs for GitOps environments (fluxcd-community/flux2 chart). */
export const FLUX_CHART = {
  chart: 'flux2',
  version: '2.18.3',
  repository: 'https://fluxcd-community.github.io/helm-charts',
  namespace: 'flux-system',
} as const;

/** Arguments of {@link FluxBootstrap}. */
export interface FluxBootstrapArgs {
  /** The GitRepository and Kustomization to apply once Flux runs, rendered and validated (`validateRender`). */
  readonly sync: ValidatedRender;
  /**
   * Why the Flux chart cannot be installed here. When given, Flux is left out with a warning
   * that names the chart and this reason, and the sync objects are applied without it
   * (they need Flux on the cluster: its CRDs and namespace). Local mode sets it.
   * @default - Flux is installed from {@link FLUX_CHART}
   */
  readonly skipFluxChart?: string;
  /**
   * The values of the cluster values the sync substitutes (its Kustomization's
   * `postBuild.substitute` holds their placeholders: buildBootstrap).
   * @default {}
   */
  readonly clusterValues?: Readonly<Record<string, pulumi.Input<string>>>;
}

/** The Helm release of {@link FLUX_CHART}. */
const FLUX_RELEASE: HelmReleaseSpec = {
  name: 'flux',
  namespace: FLUX_CHART.namespace,
  chart: FLUX_CHART.chart,
  version: FLUX_CHART.version,
  repository: FLUX_CHART.repository,
  createNamespace: true,
  // Image automation is not used: images are pinned in the repository.
  values: { imageAutomationController: { create: false }, imageReflectionController: { create: false } },
};

/** Flux installed from its pinned chart, then pointed at the environment's directory. */
export class FluxBootstrap extends pulumi.ComponentResource {
  /** The Flux release; absent when `skipFluxChart` left it out. */
  public readonly flux?: k8s.helm.v3.Release;
  public readonly sync: AppDeployment;

  constructor(name: string, args: FluxBootstrapArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('k8s-platform-kit:kubernetes:FluxBootstrap', name, {}, opts);
    if (args.skipFluxChart === undefined) {
      this.flux = helmRelease(`${name}-flux`, FLUX_RELEASE, this);
    } else {
      void pulumi.log.warn(skippedChartMessage('Flux', FLUX_RELEASE, args.skipFluxChart) +
        '; the GitRepository and Kustomization are applied without it, and need Flux on the cluster (its CRDs and the flux-system namespace, from `flux install` for example)', this);
    }
    this.sync = new AppDeployment(`${name}-sync`, { render: args.sync, installHelmReleases: false, ...(args.clusterValues && { clusterValues: args.clusterValues }) }, {
      parent: this,
      dependsOn: this.flux ? [this.flux] : [],
    });
    this.registerOutputs({});
  }
}

/** What was passed where a ValidatedRender belongs, for the error message. */
function shapeOf(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  return `an object with ${Object.keys(value).map((key) => `'${key}'`).join(', ') || 'no keys'}`;
}

/** The warning for a chart that is left out: what it is, where it comes from, and why. */
export function skippedChartMessage(what: string, spec: HelmReleaseSpec, reason: string): string {
  return `${what} is NOT installed: chart ${spec.chart} ${spec.version} from ${spec.repository} is skipped (${reason})`;
}

function helmRelease(
  name: string,
  spec: HelmReleaseSpec,
  parent: pulumi.Resource,
  dependsOn: pulumi.Resource[] = [],
  values: pulumi.Input<Record<string, unknown>> = spec.values,
): k8s.helm.v3.Release {
  // An OCI chart is named by its full reference; a Helm repository by name and repository URL.
  const oci = spec.repository.startsWith('oci://');
  return new k8s.helm.v3.Release(name, {
    name: spec.name,
    namespace: spec.namespace,
    chart: oci ? `${spec.repository.replace(/\/$/, '')}/${spec.chart}` : spec.chart,
    version: spec.version,
    ...(!oci && { repositoryOpts: { repo: spec.repository } }),
    createNamespace: spec.createNamespace,
    values,
    atomic: true,
    timeout: 600,
  }, { parent, dependsOn });
}
