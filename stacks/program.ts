/**
 * The Pulumi program for one environment: providers from the environment's region, the
 * cluster (EKS or AKS), a Kubernetes provider from its kubeconfig, and the environment's
 * charts on top, applied directly or through Flux. Everything is composed here from the
 * components in this folder; `stacks/index.ts` only loads the environment and calls it.
 *
 * The App is rendered once per run, as `npm run synth` renders it, and that render is what is
 * validated, checked for capacity, and deployed (direct) or compared with the committed GitOps
 * directory (GitOps); the Flux bootstrap App is rendered once too.
 *
 * In local mode (see `local.ts`) the cloud providers and the cluster are left out and the
 * Kubernetes provider gets the local kubeconfig; everything else is the same program.
 */
import * as aws from '@pulumi/aws';
import * as azure from '@pulumi/azure-native';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { App } from 'cdk8s';
import { resolve } from 'node:path';
import { buildApp } from '../charts/app.js';
import { buildBootstrap, gitopsOptionsOf, repositoryPathOf } from '../charts/bootstrap.js';
import type { Environment } from '../charts/environment.js';
import { AZURE_TENANT_ID, clusterValuesIn, constructWarnings, type ClusterCapabilities, type ManifestObject } from '../constructs/index.js';
import { WorkloadIdentity, workloadIdentityProblems } from '../constructs/platform/index.js';
import { checkCapacity } from '../constructs/capacity/index.js';
import { environmentCapabilities, environmentTags } from '../constructs/environment/index.js';
import {
  FLUX_DIRECTORY, clusterValuesOf, formatDrift, gitopsDrift, planGitOps, renderApp, renderedObjects, validateRender, validationInputsOf, type Drift, type GitOpsPlan, type ValidatedRender,
} from '../constructs/gitops/index.js';
import { AksCluster } from './aks.js';
import { assertUnattendedLogin } from './_aks-login.js';
import { AksFluxExtension } from './aks-flux.js';
import { AppDeployment, FluxBootstrap } from './deploy.js';
import { EksCluster } from './eks.js';
import { WorkloadIdentityBindings, type WorkloadIdentityOutput } from './workload-identity.js';
import { LOCAL_HELM_REASON, LOCAL_KUBECONFIG_VARIABLE, type LocalTarget } from './local.js';

/** The stack's outputs. */
export interface PlatformOutputs {
  readonly cloud: string;
  readonly clusterName: string;
  readonly kubeconfig: pulumi.Output<string>;
  readonly deployMode: string;
  /** `cloud`, or `local` when the objects went to a local control plane (the cluster was left out). */
  readonly target: 'cloud' | 'local';
  /** EKS only: the network, identity and security facts other stacks and tools need. */
  readonly aws?: {
    readonly oidcIssuerUrl: pulumi.Output<string>;
    readonly oidcProviderArn: pulumi.Output<string>;
    readonly vpcId: pulumi.Output<string>;
    readonly privateSubnetIds: pulumi.Output<string>[];
    readonly publicSubnetIds: pulumi.Output<string>[];
    readonly nodeRoleArn: pulumi.Output<string>;
    readonly clusterSecurityGroupId: pulumi.Output<string>;
    readonly backupBucket?: pulumi.Output<string>;
  };
  /** AKS only: the identity and monitoring facts other stacks and tools need. */
  readonly azure?: {
    readonly resourceGroup: pulumi.Output<string>;
    readonly clusterId: pulumi.Output<string>;
    readonly oidcIssuerUrl: pulumi.Output<string>;
    readonly tenantId: pulumi.Output<string>;
    readonly workspaceId: pulumi.Output<string>;
    readonly backupStorageAccount?: pulumi.Output<string>;
  };
  /** The cloud identity of each WorkloadIdentity, by `<namespace>/<name>` of its ServiceAccount (role ARN on EKS, client id on AKS). */
  readonly workloadIdentities: Record<string, WorkloadIdentityOutput>;
}

/** The resources a platform stack created, for callers (and tests) that look inside. */
export interface Platform {
  /** The cloud cluster; absent in local mode. */
  readonly cluster?: EksCluster | AksCluster;
  /** The Kubernetes provider the objects or the Flux bootstrap are applied with; absent when Flux is bootstrapped through ARM (`deploy.bootstrap: aks-extension`). */
  readonly kubernetes?: k8s.Provider;
  readonly deployment: AppDeployment | FluxBootstrap | AksFluxExtension;
  readonly outputs: PlatformOutputs;
}

/** Options of {@link platformStack}. */
export interface PlatformOptions {
  /**
   * Deploy to this local control plane instead of creating the cloud cluster (see
   * `localTargetFrom`). Charts from remote Helm repositories are then not installed.
   * @default - the environment's EKS or AKS cluster is created and deployed to
   */
  readonly local?: LocalTarget;
  /**
   * GitOps mode: the checkout of the environment's directory that Flux applies, which the
   * program compares with the charts before it registers anything.
   * @default - the environment's `deploy.path` (`./dist/<env>`), relative to the working directory (`pulumi` runs the program in the project's)
   */
  readonly gitopsDirectory?: string;
}

/**
 * Builds an environment's whole stack. Before any resource is registered, the App is rendered
 * once (in GitOps mode, laid out as `npm run synth` writes it) and that one render is
 * validated, checked for capacity and, in GitOps mode, compared with the committed directory
 * Flux applies. Then the same objects are deployed (direct), or Flux is installed and pointed
 * at that directory (GitOps).
 */
export async function platformStack(env: Environment, options: PlatformOptions = {}): Promise<Platform> {
  const app = buildApp(env);
  const capabilities = environmentCapabilities(env);
  const rendered = await renderOnce(env, app, capabilities);
  assertWorkloadIdentities(env, app, rendered.objects);
  // Capacity comes next: in strict mode a failing scenario stops the program before any
  // resource is registered; otherwise `pulumi preview` and `up` show the problems as warnings.
  const capacity = checkCapacity(env, rendered.objects);
  for (const warning of [...constructWarnings(app), ...capacity.warnings]) void pulumi.log.warn(warning);

  const { local } = options;
  // On AKS, GitOps may be bootstrapped through ARM (the microsoft.flux extension) instead of
  // the Kubernetes API; a local control plane has no ARM, so it gets the Flux chart.
  const throughArm = !local && env.cloud === 'azure' && env.deploy.mode === 'gitops' && env.deploy.bootstrap === 'aks-extension';
  // The cluster values (`${KIT_…}`) the objects hold, which this run fills in.
  let needed: string[];
  let sync: ValidatedRender | undefined;
  if (rendered.plan) {
    assertCommitted(env, rendered.plan, options.gitopsDirectory ?? repositoryPathOf(env));
    needed = clusterValuesOf(rendered.plan);
    if (!throughArm) sync = await validateRender(renderedObjects(renderApp(buildBootstrap(env, {}, needed))), { cluster: capabilities });
  } else {
    needed = clusterValuesIn(rendered.validated.objects);
  }

  let cluster: EksCluster | AksCluster | undefined;
  let kubeconfig: pulumi.Output<string>;
  let clusterValues: Record<string, pulumi.Input<string>>;
  let identities: Record<string, WorkloadIdentityOutput> = {};
  if (local) {
    void pulumi.log.warn(localModeMessage(env, local));
    kubeconfig = pulumi.secret(local.kubeconfig);
    clusterValues = localClusterValues(needed);
  } else {
    cluster = cloudCluster(env);
    kubeconfig = cluster.kubeconfig;
    const bindings = identityBindings(env, cluster, app);
    identities = bindings.bindings;
    clusterValues = { ...(cluster instanceof AksCluster && { [AZURE_TENANT_ID]: cluster.tenantId }), ...bindings.clusterValues };
  }
  const dependsOn = cluster ? [cluster] : [];
  let kubernetes: k8s.Provider | undefined;
  let deployment: AppDeployment | FluxBootstrap | AksFluxExtension;
  if (throughArm && cluster instanceof AksCluster && env.deploy.mode === 'gitops') {
    deployment = new AksFluxExtension(`${env.name}-flux`, {
      resourceGroupName: cluster.resourceGroup.name,
      clusterName: cluster.cluster.name,
      url: env.deploy.url,
      branch: env.deploy.branch,
      path: `${repositoryPathOf(env)}/${FLUX_DIRECTORY}`,
      interval: env.deploy.interval,
      ...(env.deploy.secretName !== undefined && { secretName: env.deploy.secretName }),
      ...(needed.length > 0 && { substitutions: Object.fromEntries(needed.map((name) => [name, clusterValues[name] ?? missingClusterValue(env, name)])) }),
    }, { parent: cluster, dependsOn: [cluster.cluster, ...Object.values(cluster.agentPools)] });
  } else {
    kubernetes = new k8s.Provider(`${env.name}-k8s`, { kubeconfig }, { dependsOn });
    const opts = { providers: [kubernetes], dependsOn };
    const skip = local ? LOCAL_HELM_REASON : undefined;
    deployment = sync
      ? new FluxBootstrap(`${env.name}-gitops`, { sync, clusterValues, ...(skip !== undefined && { skipFluxChart: skip }) }, opts)
      : new AppDeployment(`${env.name}-apps`, { render: rendered.validated, clusterValues, ...(skip !== undefined && { skipHelmReleases: skip }) }, opts);
  }

  return {
    ...(cluster && { cluster }),
    ...(kubernetes && { kubernetes }),
    deployment,
    outputs: {
      cloud: env.cloud,
      clusterName: env.cluster.name,
      kubeconfig,
      deployMode: env.deploy.mode,
      target: local ? 'local' : 'cloud',
      workloadIdentities: identities,
      ...(cluster instanceof EksCluster && { aws: eksOutputs(cluster) }),
      ...(cluster instanceof AksCluster && { azure: aksOutputs(cluster) }),
    },
  };
}

/** Throws before any resource when a WorkloadIdentity's ServiceAccount is not in the App, or two bind one ServiceAccount. */
function assertWorkloadIdentities(env: Environment, app: App, objects: readonly ManifestObject[]): void {
  const problems = workloadIdentityProblems(app, objects);
  if (problems.length > 0) throw new Error(`${env.name}: ${problems.length} workload identity problem(s); nothing was deployed:\n${problems.map((p) => `  ${p}`).join('\n')}`);
}

/** The cloud half of the App's WorkloadIdentity constructs, on the environment's cluster. */
function identityBindings(env: Environment, cluster: EksCluster | AksCluster, app: App): WorkloadIdentityBindings {
  const identities = WorkloadIdentity.of(app).map((identity) => identity.request);
  // A child of the cluster, for its cloud provider; what each binding waits for is named.
  if (cluster instanceof EksCluster) {
    return new WorkloadIdentityBindings(`${env.name}-identities`, {
      cluster: { cloud: 'aws', clusterName: cluster.cluster.name, dependsOn: [cluster.podIdentityAgent] },
      identities,
    }, { parent: cluster });
  }
  return new WorkloadIdentityBindings(`${env.name}-identities`, {
    cluster: {
      cloud: 'azure',
      clusterName: env.cluster.name,
      resourceGroupName: cluster.resourceGroup.name,
      location: env.region,
      issuer: cluster.oidcIssuerUrl,
      subscriptionId: env.cloud === 'azure' ? env.cluster.subscriptionId : '',
      tags: environmentTags(env.cloud, env.name, env.tier, env.cluster.tags),
    },
    identities,
  }, { parent: cluster, ...(cluster.backupStorage && { dependsOn: [cluster.backupStorage] }) });
}

/** The all-zero GUID local mode gives every cluster value: there is no cloud identity behind a local control plane. */
export const LOCAL_CLUSTER_VALUE = '00000000-0000-0000-0000-000000000000';

/** Local mode's stand-ins for the cluster values, with a warning naming them. */
function localClusterValues(needed: readonly string[]): Record<string, string> {
  if (needed.length === 0) return {};
  void pulumi.log.warn(`local mode: the cluster values ${needed.join(', ')} have no cloud behind them here and are set to ${LOCAL_CLUSTER_VALUE}; `
    + 'workloads that use a cloud identity start, but cannot reach their cloud');
  return Object.fromEntries(needed.map((name) => [name, LOCAL_CLUSTER_VALUE]));
}

/** The error for a cluster value the objects hold that no resource of this run produces. */
function missingClusterValue(env: Environment, name: string): never {
  throw new Error(`${env.name}: the GitOps directory holds the cluster value \${${name}}, which nothing in this stack produces (a WorkloadIdentity's client id, or the tenant id)`);
}

/** The App rendered once, validated; the objects the capacity check plans; and in GitOps mode the directory synth writes. */
interface RenderedEnvironment {
  readonly validated: ValidatedRender;
  readonly objects: readonly ManifestObject[];
  readonly plan?: GitOpsPlan;
}

/**
 * Renders the App once. Direct mode validates its objects; GitOps mode plans the directory as
 * `npm run synth` does and validates what synth validates (the objects and the Flux
 * Kustomizations that apply them).
 */
async function renderOnce(env: Environment, app: App, cluster: ClusterCapabilities): Promise<RenderedEnvironment> {
  if (env.deploy.mode !== 'gitops') {
    const validated = await validateRender(renderedObjects(renderApp(app)), { cluster });
    return { validated, objects: validated.objects };
  }
  const plan = planGitOps(app, gitopsOptionsOf(env));
  const validated = await validateRender(validationInputsOf(plan), { cluster });
  return { validated, objects: renderedObjects(plan.rendered).map((r) => r.object), plan };
}

/** Thrown in GitOps mode, before any resource, when the directory Flux applies differs from the charts; `message` lists the differences. */
export class GitOpsDriftError extends Error {
  constructor(readonly environment: string, readonly directory: string, readonly drift: readonly Drift[], readonly command: string) {
    super(`${environment}: the GitOps directory Flux applies (${directory}) differs from the charts of this program; nothing is deployed until it is regenerated, committed and pushed.\n` +
      formatDrift(directory, drift, command));
    this.name = 'GitOpsDriftError';
  }
}

/** Throws GitOpsDriftError when `directory` differs from the files the plan would write (see `gitopsDrift`). */
function assertCommitted(env: Environment, plan: GitOpsPlan, directory: string): void {
  const drift = gitopsDrift(plan.files, directory);
  if (drift.length > 0) throw new GitOpsDriftError(env.name, directory, drift, synthCommand(env, directory));
}

/** The command that writes an environment's GitOps directory: `npm run synth -- --env <env>`, plus `--outdir <dir>` unless `dir` is synth's default `dist/<env>`. */
export function synthCommand(env: Environment, dir: string): string {
  if (resolve(dir) === resolve('dist', env.name)) return `npm run synth -- --env ${env.name}`;
  return `npm run synth -- --env ${env.name} --outdir ${dir}`;
}

/** The EKS facts the stack outputs. */
function eksOutputs(eks: EksCluster): NonNullable<PlatformOutputs['aws']> {
  return {
    oidcIssuerUrl: eks.oidcIssuer,
    oidcProviderArn: eks.oidcProvider.arn,
    vpcId: eks.vpc.id,
    privateSubnetIds: Object.values(eks.privateSubnets).map((subnet) => subnet.id),
    publicSubnetIds: Object.values(eks.publicSubnets).map((subnet) => subnet.id),
    nodeRoleArn: eks.nodeRole.arn,
    clusterSecurityGroupId: eks.cluster.vpcConfig.clusterSecurityGroupId,
    ...(eks.backupBucket && { backupBucket: eks.backupBucket.bucket }),
  };
}

/** The AKS facts the stack outputs. */
function aksOutputs(aks: AksCluster): NonNullable<PlatformOutputs['azure']> {
  return {
    resourceGroup: aks.resourceGroup.name,
    clusterId: aks.cluster.id,
    oidcIssuerUrl: aks.oidcIssuerUrl,
    tenantId: aks.tenantId,
    workspaceId: aks.workspace.id,
    ...(aks.backupStorage && { backupStorageAccount: aks.backupStorage.account.name }),
  };
}

/** The environment's EKS or AKS cluster, with an explicit provider for its region. */
function cloudCluster(env: Environment): EksCluster | AksCluster {
  const tags = environmentTags(env.cloud, env.name, env.tier, env.cluster.tags);
  if (env.cloud === 'aws') {
    const backupRetention = env.platform?.backups?.retention;
    const { allowedAccountIds } = env.cluster;
    return new EksCluster(env.name, { cluster: env.cluster, region: env.region, ...(backupRetention !== undefined && { backupRetention }) }, {
      providers: [new aws.Provider(`${env.name}-aws`, {
        region: env.region as aws.Region,
        defaultTags: { tags },
        // The provider refuses credentials of any other account before it changes anything.
        ...(allowedAccountIds && { allowedAccountIds }),
      })],
    });
  }
  // Before any resource: an interactive login in CI would hang the deploy on a prompt.
  assertUnattendedLogin(env.cluster.login.mode, process.env);
  return new AksCluster(env.name, { cluster: env.cluster, region: env.region, tags }, {
    providers: [new azure.Provider(`${env.name}-azure`, { location: env.region, subscriptionId: env.cluster.subscriptionId })],
  });
}

/** What the program says, first, when it runs in local mode. */
export function localModeMessage(env: Environment, local: LocalTarget): string {
  const kind = env.cloud === 'aws' ? 'EKS' : 'AKS';
  return `local mode (${LOCAL_KUBECONFIG_VARIABLE}=${local.path}): the ${kind} cluster '${env.cluster.name}' and every cloud resource ` +
    `are left out of this program; the '${env.name}' environment's Kubernetes objects go to ${local.server} (context '${local.context}')`;
}
