/**
 * AksFluxExtension: the microsoft.flux extension and the Flux configuration that syncs the
 * environment's Flux directory through ARM, named so that the per-chart Kustomizations
 * `npm run synth` writes find their source; and the rule that keeps `aks-extension` off EKS.
 */
import * as pulumi from '@pulumi/pulumi';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { one, ofType, refOf, reset, settled } from './_mocks.js';
import { Testing } from 'cdk8s';
import { buildBootstrap, gitopsOptionsOf, repositoryPathOf } from '../../charts/bootstrap.js';
import type { Environment } from '../../charts/environment.js';
import { deployBootstrapProblems, deploySettings, type DeploySettings } from '../../constructs/environment/index.js';
import { ChartKustomizations, FLUX_DIRECTORY, renderApp, renderedObjects } from '../../constructs/gitops/index.js';
import { AKS_FLUX_EXTENSION, AksFluxExtension, durationSeconds, type AksFluxExtensionArgs } from '../../stacks/aks-flux.js';

const EXTENSION = 'azure-native:kubernetesconfiguration:Extension';
const CONFIGURATION = 'azure-native:kubernetesconfiguration:FluxConfiguration';

type GitOpsDeploy = Extract<DeploySettings, { mode: 'gitops' }>;

const DEPLOY: GitOpsDeploy = { mode: 'gitops', url: 'https://github.com/example-org/platform-gitops.git', branch: 'main', interval: '5m', bootstrap: 'aks-extension' };

/**
 * An AKS environment in GitOps mode, as far as the bootstrap reads one (its name, source and
 * `deploy`): the stack files' other keys play no part here.
 */
const staging = { name: 'staging', source: 'Pulumi.staging.yaml', cloud: 'azure', deploy: DEPLOY } as unknown as Environment;

function gitops(env: Environment): GitOpsDeploy {
  assert.equal(env.deploy.mode, 'gitops', `${env.name} is a GitOps environment`);
  return env.deploy as GitOpsDeploy;
}

/** The arguments platformStack passes for an environment: what buildBootstrap passes to FluxGitSync. */
function argsOf(env: Environment, extra: Partial<AksFluxExtensionArgs> = {}): AksFluxExtensionArgs {
  const deploy = gitops(env);
  return {
    resourceGroupName: 'rg-kit-staging',
    clusterName: 'kit-staging',
    url: deploy.url,
    branch: deploy.branch,
    path: `${repositoryPathOf(env)}/${FLUX_DIRECTORY}`,
    interval: deploy.interval,
    ...(deploy.secretName !== undefined && { secretName: deploy.secretName }),
    ...extra,
  };
}

async function component(args: AksFluxExtensionArgs, name = 'staging-gitops'): Promise<AksFluxExtension> {
  reset();
  const flux = new AksFluxExtension(name, args);
  await settled();
  return flux;
}

/** The objects of a rendered cdk8s App, by kind. */
function objectsOfKind(objects: readonly { kind: string }[], kind: string) {
  return objects.filter((o) => o.kind === kind) as unknown as { metadata: { name: string; namespace: string }; spec: Record<string, any> }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('AksFluxExtension', () => {
  it('defaults: installs microsoft.flux on the managed cluster, pinned, without image automation and without multi-tenancy enforcement', async () => {
    await component(argsOf(staging));
    const extension = one(EXTENSION, 'staging-gitops-extension');
    assert.equal(extension.parent, 'k8s-platform-kit:azure:AksFluxExtension::staging-gitops');
    assert.deepEqual(extension.inputs, {
      resourceGroupName: 'rg-kit-staging',
      clusterName: 'kit-staging',
      clusterRp: 'Microsoft.ContainerService',
      clusterResourceName: 'managedClusters',
      extensionName: 'flux',
      extensionType: 'microsoft.flux',
      autoUpgradeMinorVersion: false,
      version: '1.24.1',
      releaseTrain: 'stable',
      configurationSettings: {
        'image-automation-controller.enabled': 'false',
        'image-reflector-controller.enabled': 'false',
        'multiTenancy.enforce': 'false',
      },
    });
    assert.equal(AKS_FLUX_EXTENSION.fluxVersion, '2.7.5', 'the Flux the pinned extension carries, for docs');
  });

  it('syncs the GitRepository source at the branch and interval, and one pruning Kustomization of the Flux directory, after the extension', async () => {
    await component(argsOf(staging));
    const configuration = one(CONFIGURATION, 'staging-gitops-configuration');
    const deploy = gitops(staging);
    const seconds = durationSeconds(deploy.interval);
    assert.equal(seconds, 300, "staging's interval is 5m");
    assert.equal(configuration.inputs.scope, 'cluster');
    assert.equal(configuration.inputs.sourceKind, 'GitRepository');
    assert.equal(configuration.inputs.clusterRp, 'Microsoft.ContainerService');
    assert.equal(configuration.inputs.clusterResourceName, 'managedClusters');
    assert.deepEqual(configuration.inputs.gitRepository, {
      url: deploy.url,
      repositoryRef: { branch: deploy.branch },
      syncIntervalInSeconds: 300,
      timeoutInSeconds: 600, // the SDK's default
    }, 'a public repository: no localAuthRef');
    assert.deepEqual(configuration.inputs.kustomizations, {
      flux: { path: './dist/staging/flux', prune: true, wait: true, syncIntervalInSeconds: 300, timeoutInSeconds: 600 },
    }, 'no postBuild without substitutions');
    assert.deepEqual(configuration.dependsOn, [refOf(one(EXTENSION, 'staging-gitops-extension'))]);
    assert.equal(ofType(CONFIGURATION).length, 1);
  });

  it('names the configuration as FluxGitSync names the GitRepository, so the chart Kustomizations under flux/ find their source', async () => {
    const flux = await component(argsOf(staging));
    const configuration = one(CONFIGURATION, 'staging-gitops-configuration');
    // What the flux-chart bootstrap applies: FluxGitSync's GitRepository and Kustomization.
    const bootstrap = renderedObjects(renderApp(buildBootstrap(staging))).map((r) => r.object);
    const [repository] = objectsOfKind(bootstrap, 'GitRepository');
    const [sync] = objectsOfKind(bootstrap, 'Kustomization');
    assert.ok(repository && sync);
    // The extension names the GitRepository after the configuration, in the configuration's namespace.
    assert.equal(configuration.inputs.fluxConfigurationName, repository.metadata.name);
    assert.equal(configuration.inputs.namespace, repository.metadata.namespace);
    assert.deepEqual(flux.source, { name: repository.metadata.name, namespace: repository.metadata.namespace });
    assert.equal(configuration.inputs.kustomizations.flux.path, sync.spec.path, "the same directory as FluxGitSync's Kustomization");
    // What `npm run synth` writes under flux/ (renderFlux in constructs/gitops/synth.ts): ChartKustomizations
    // with the environment's options, which name no source or namespace of their own.
    const options = gitopsOptionsOf(staging);
    assert.deepEqual([options.sourceName, options.namespace], [undefined, undefined]);
    const chart = Testing.chart();
    new ChartKustomizations(chart, 'Charts', { charts: [{ name: 'namespaces', dependsOn: [] }, { name: 'todoapi', dependsOn: ['namespaces'] }], path: options.repositoryPath });
    const kustomizations = objectsOfKind(Testing.synth(chart), 'Kustomization');
    assert.equal(kustomizations.length, 2);
    for (const k of kustomizations) {
      assert.deepEqual([k.metadata.namespace, k.spec.sourceRef.kind, k.spec.sourceRef.name, k.spec.sourceRef.namespace ?? k.metadata.namespace],
        [configuration.inputs.namespace, 'GitRepository', configuration.inputs.fluxConfigurationName, configuration.inputs.namespace], k.metadata.name);
      assert.notEqual(k.metadata.name, flux.kustomizationName, "no chart Kustomization takes the extension's name for the sync");
    }
    assert.equal(flux.kustomizationName, 'platform-flux');
  });

  it('references the credentials Secret by name (localAuthRef) and substitutes variables, Outputs included, after the build', async () => {
    await component(argsOf(staging, { secretName: 'platform-git', substitutions: { cluster_name: pulumi.output('kit-staging'), region: 'westeurope' }, interval: '1h30m' }));
    const configuration = one(CONFIGURATION, 'staging-gitops-configuration');
    assert.equal(configuration.inputs.gitRepository.localAuthRef, 'platform-git');
    assert.equal(configuration.inputs.gitRepository.syncIntervalInSeconds, 5400);
    assert.deepEqual(configuration.inputs.kustomizations.flux.postBuild, { substitute: { cluster_name: 'kit-staging', region: 'westeurope' } });
    assert.equal(configuration.inputs.kustomizations.flux.syncIntervalInSeconds, 5400);
    assert.equal(configuration.inputs.configurationProtectedSettings, undefined, 'no credentials in Pulumi state');
  });

  it('throws if the interval is not whole hours, minutes and seconds', () => {
    reset();
    assert.throws(() => new AksFluxExtension('staging-gitops', argsOf(staging, { interval: '500ms' })), {
      message: "AksFluxExtension 'staging-gitops': 'interval' must be a duration of hours, minutes and seconds such as '5m' or '1h30m', got '500ms'",
    });
  });

  it('throws if a substitution is not a variable name Flux substitutes', () => {
    reset();
    assert.throws(() => new AksFluxExtension('staging-gitops', argsOf(staging, { substitutions: { 'cluster-name': 'kit-staging' } })), {
      message: "AksFluxExtension 'staging-gitops': 'substitutions' has 'cluster-name', which is not a variable name Flux substitutes; expected letters, digits and _, not starting with a digit",
    });
  });

  it('throws if the path is not relative to the repository root', () => {
    reset();
    assert.throws(() => new AksFluxExtension('staging-gitops', argsOf(staging, { path: 'dist/staging/flux' })), {
      message: "AksFluxExtension 'staging-gitops': 'path' must be relative to the repository root and start with './', got 'dist/staging/flux'",
    });
  });
});

describe('durationSeconds', () => {
  it('converts hours, minutes and seconds, and refuses anything else', () => {
    assert.deepEqual(['5m', '1h', '1h30m', '90s', '2h0m5s'].map(durationSeconds), [300, 3600, 5400, 90, 7205]);
    assert.deepEqual(['', '0s', '90', '1.5h', '500ms', '5m1h'].map(durationSeconds), [undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('deployBootstrapProblems', () => {  const deploy = (bootstrap: GitOpsDeploy['bootstrap']): DeploySettings => ({ ...gitops(staging), bootstrap });

  it("fails if deploy.bootstrap is 'aks-extension' on aws, naming the key, the value and what is expected", () => {
    assert.deepEqual(deployBootstrapProblems('aws', deploy('aks-extension')), [{
      key: 'deploy.bootstrap',
      message: "is 'aks-extension' but cloud is 'aws'; the microsoft.flux cluster extension exists only on AKS (cloud 'azure'): expected 'flux-chart' (Flux from its Helm chart) on 'aws'",
    }]);
  });

  it("accepts 'aks-extension' on azure, 'flux-chart' on either cloud, and direct mode", () => {
    assert.deepEqual(deployBootstrapProblems('azure', deploy('aks-extension')), []);
    assert.deepEqual(deployBootstrapProblems('aws', deploy('flux-chart')), []);
    assert.deepEqual(deployBootstrapProblems('azure', deploy('flux-chart')), []);
    assert.deepEqual(deployBootstrapProblems('aws', { mode: 'direct' }), []);
  });

  it("defaults to 'flux-chart' (today's behaviour) when the stack file does not set it", () => {
    const { bootstrap } = deploySettings.parse({ mode: 'gitops', url: DEPLOY.url }) as GitOpsDeploy;
    assert.equal(bootstrap, 'flux-chart');
  });

  it("fails to parse a deploy.bootstrap that is neither 'flux-chart' nor 'aks-extension'", () => {
    const result = deploySettings.safeParse({ mode: 'gitops', url: DEPLOY.url, bootstrap: 'flux-operator' });
    assert.equal(result.success, false);
    assert.deepEqual(result.error?.issues.map((i) => [i.path.join('.'), i.message]), [['bootstrap', "expected 'flux-chart' or 'aks-extension'"]]);
  });
});
