/**
 * Local mode: switched on only by K8S_PLATFORM_KIT_LOCAL_KUBECONFIG, only towards a loopback
 * API server and a file:// state backend; the cloud layer is left out, the Kubernetes
 * provider gets the local kubeconfig, and charts from remote Helm repositories are skipped
 * with a warning that says so.
 */
import * as pulumi from '@pulumi/pulumi';
import { ApiObject, App, Chart } from 'cdk8s';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { one, ofType, recorded, reset, settled, valueOf } from './_mocks.js';
import { release, repository } from './_flux-fixtures.js';
import { gitopsOptionsFor } from './_gitops.js';
import { loadEnvironment } from '../../charts/environment.js';
import { readStackConfig } from '../../constructs/environment/index.js';
import { renderApp, renderedObjects, validateRender, type ValidatedRender } from '../../constructs/gitops/index.js';
import { AppDeployment, FluxBootstrap, skippedChartMessage } from '../../stacks/deploy.js';
import main from '../../stacks/index.js';
import { isLoopbackServer, LOCAL_HELM_REASON, localTargetFrom, localTargetOf, type LocalTarget } from '../../stacks/local.js';
import { localModeMessage, platformStack } from '../../stacks/program.js';

/** A kubeconfig like the e2e control plane's. */
function kubeconfig(server = 'https://127.0.0.1:36400', context = 'k8s-platform-kit-e2e'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'e2e', cluster: { server, 'certificate-authority-data': 'LS0tLS1CRUdJTg==' } }],
    users: [{ name: 'admin', user: { 'client-certificate-data': 'Y2VydA==', 'client-key-data': 'a2V5' } }],
    contexts: [{ name: context, context: { cluster: 'e2e', user: 'admin' } }],
    'current-context': context,
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'kit-local-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function kubeconfigFile(contents = kubeconfig()): string {
  const path = join(mkdtempSync(join(scratch, 'kubeconfig-')), 'kubeconfig');
  writeFileSync(path, contents);
  return path;
}

const LOCAL: LocalTarget = localTargetOf('/tmp/e2e/kubeconfig', kubeconfig());
const BACKEND = { PULUMI_BACKEND_URL: 'file:///tmp/kit-state' };
const CLOUD_TYPE = /^(aws|azure-native):|:(aws|azure):/;


describe('isLoopbackServer', () => {
  it('accepts 127.0.0.0/8, ::1 and localhost', () => {
    for (const server of ['https://127.0.0.1:36400', 'https://127.1.2.3', 'https://localhost:6443', 'https://[::1]:6443']) {
      assert.equal(isLoopbackServer(server), true, server);
    }
  });

  it('refuses every other host, and what is not a URL', () => {
    for (const server of ['https://10.0.0.1:6443', 'https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com', 'https://127.example.com', 'https://[::2]', 'https://localhost.example.com', '127.0.0.1:6443']) {
      assert.equal(isLoopbackServer(server), false, server);
    }
  });
});

describe('localTargetFrom', () => {
  it('is undefined when K8S_PLATFORM_KIT_LOCAL_KUBECONFIG is unset: cloud mode', () => {
    assert.equal(localTargetFrom({ PULUMI_BACKEND_URL: 'file:///tmp/state', KUBECONFIG: '/tmp/kubeconfig' }), undefined);
  });

  it('reads the kubeconfig and its current context', () => {
    const path = kubeconfigFile();
    const target = localTargetFrom({ K8S_PLATFORM_KIT_LOCAL_KUBECONFIG: path, ...BACKEND });
    assert.deepEqual(target, { path, kubeconfig: kubeconfig(), context: 'k8s-platform-kit-e2e', server: 'https://127.0.0.1:36400' });
  });

  it('throws if the state backend is not a local file:// one', () => {
    const path = kubeconfigFile();
    assert.throws(() => localTargetFrom({ K8S_PLATFORM_KIT_LOCAL_KUBECONFIG: path }), {
      name: 'LocalTargetError',
      message: "K8S_PLATFORM_KIT_LOCAL_KUBECONFIG is set, so the cloud cluster is left out of the program; PULUMI_BACKEND_URL must then name a local state backend (file://...), got nothing: a stack that holds cloud resources must never be updated in local mode",
    });
    assert.throws(() => localTargetFrom({ K8S_PLATFORM_KIT_LOCAL_KUBECONFIG: path, PULUMI_BACKEND_URL: 's3://kit-state' }), /got 's3:\/\/kit-state'/);
  });

  it('throws if the variable is empty or the file cannot be read', () => {
    assert.throws(() => localTargetFrom({ K8S_PLATFORM_KIT_LOCAL_KUBECONFIG: '', ...BACKEND }), {
      message: "K8S_PLATFORM_KIT_LOCAL_KUBECONFIG is set but empty; set it to the path of the local cluster's kubeconfig, or unset it to deploy to the cloud",
    });
    assert.throws(() => localTargetFrom({ K8S_PLATFORM_KIT_LOCAL_KUBECONFIG: '/nonexistent/kubeconfig', ...BACKEND }),
      /^LocalTargetError: K8S_PLATFORM_KIT_LOCAL_KUBECONFIG \(\/nonexistent\/kubeconfig\): cannot read the kubeconfig: ENOENT/);
  });

  it('throws if the current context points at a server that is not on this machine', () => {
    const path = kubeconfigFile(kubeconfig('https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com', 'prod'));
    assert.throws(() => localTargetFrom({ K8S_PLATFORM_KIT_LOCAL_KUBECONFIG: path, ...BACKEND }), {
      message: `K8S_PLATFORM_KIT_LOCAL_KUBECONFIG (${path}): the current context 'prod' points at https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com; local mode only deploys to an API server on this machine (127.0.0.0/8, ::1 or localhost)`,
    });
  });

  it('throws if the kubeconfig has no usable current context', () => {
    assert.throws(() => localTargetOf('k', 'apiVersion: v1\nkind: Config\n'), { message: 'K8S_PLATFORM_KIT_LOCAL_KUBECONFIG (k): the kubeconfig has no current-context' });
    assert.throws(() => localTargetOf('k', 'current-context: gone\ncontexts: []\n'), { message: "K8S_PLATFORM_KIT_LOCAL_KUBECONFIG (k): the current context 'gone' is not in contexts[] or names no cluster" });
    assert.throws(() => localTargetOf('k', 'current-context: c\ncontexts: [{name: c, context: {cluster: x}}]\nclusters: []\n'), { message: "K8S_PLATFORM_KIT_LOCAL_KUBECONFIG (k): cluster 'x' of context 'c' has no server" });
    assert.throws(() => localTargetOf('k', 'a: [b'), /^LocalTargetError: K8S_PLATFORM_KIT_LOCAL_KUBECONFIG \(k\): not a kubeconfig \(YAML\)/);
  });
});

describe('platformStack in local mode', () => {
  it('leaves the cloud layer out and points the Kubernetes provider at the local kubeconfig', async () => {
    reset();
    const platform = await platformStack(loadEnvironment('dev'), { local: LOCAL });
    await settled();
    assert.deepEqual(recorded.filter((r) => CLOUD_TYPE.test(r.type)).map((r) => r.type), [], 'no cloud provider, cluster or network');
    assert.equal(platform.cluster, undefined);
    const provider = one('pulumi:providers:kubernetes', 'dev-k8s');
    // A secret input reaches the mocks wrapped, as the engine receives it.
    assert.deepEqual(provider.inputs.kubeconfig, { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: kubeconfig() });
    assert.equal(await pulumi.isSecret(platform.outputs.kubeconfig), true, 'the kubeconfig holds credentials');
    assert.equal(platform.outputs.target, 'local');
    assert.deepEqual([platform.outputs.cloud, platform.outputs.clusterName, platform.outputs.deployMode], ['azure', 'kit-dev', 'direct']);
  });

  it('applies the same objects, under the same names, as the cloud mode', async () => {
    reset();
    await platformStack(loadEnvironment('dev'), { local: LOCAL });
    await settled();
    const applied = () => ['dev-apps-namespaces', 'dev-apps'].flatMap((group) => one('kubernetes:yaml/v2:ConfigGroup', group).inputs.objs);
    const local = applied();
    reset();
    const cloud = await platformStack(loadEnvironment('dev'));
    await settled();
    assert.deepEqual(local, applied());
    const kinds = local.map((o: { kind: string }) => o.kind);
    assert.ok(kinds.includes('Namespace') && kinds.includes('Deployment'), kinds.join(', '));
    assert.equal(cloud.outputs.target, 'cloud');
  });

  it('in GitOps mode skips the Flux chart and still applies the sync objects', async () => {
    reset();
    const staging = loadEnvironment('staging');
    const platform = await platformStack(staging, { local: LOCAL, ...gitopsOptionsFor(staging) });
    await settled();
    assert.deepEqual(ofType('kubernetes:helm.sh/v3:Release'), []);
    assert.ok(platform.deployment instanceof FluxBootstrap);
    assert.equal(platform.deployment.flux, undefined);
    const kinds = one('kubernetes:yaml/v2:ConfigGroup', 'staging-gitops-sync').inputs.objs.map((o: { kind: string }) => o.kind);
    assert.deepEqual(kinds.sort(), ['GitRepository', 'Kustomization']);
    assert.deepEqual(recorded.filter((r) => CLOUD_TYPE.test(r.type)), []);
  });

  it('says what it does, first', () => {
    assert.equal(localModeMessage(loadEnvironment('dev'), LOCAL),
      "local mode (K8S_PLATFORM_KIT_LOCAL_KUBECONFIG=/tmp/e2e/kubeconfig): the AKS cluster 'kit-dev' and every cloud resource are left out of this program; the 'dev' environment's Kubernetes objects go to https://127.0.0.1:36400 (context 'k8s-platform-kit-e2e')");
  });
});

describe('Helm charts skipped in local mode', () => {
  async function metricsApp(): Promise<{ render: ValidatedRender }> {
    const app = new App();
    const chart = new Chart(app, 'metrics');
    new ApiObject(chart, 'Repository', repository);
    new ApiObject(chart, 'Release', release() as never);
    new ApiObject(chart, 'Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'metrics' } });
    return { render: await validateRender(renderedObjects(renderApp(app))) };
  }

  it('AppDeployment leaves out the HelmReleases and their HelmRepositories, and keeps the rest', async () => {
    reset();
    const deployment = new AppDeployment('platform', { ...(await metricsApp()), skipHelmReleases: LOCAL_HELM_REASON });
    await settled();
    assert.deepEqual(ofType('kubernetes:helm.sh/v3:Release'), []);
    assert.deepEqual(deployment.skippedReleases.map((r) => `${r.namespace}/${r.name} ${r.chart} ${r.version}`), ['kube-system/metrics-server metrics-server 3.13.1']);
    assert.deepEqual(one('kubernetes:yaml/v2:ConfigGroup', 'platform-namespaces').inputs.objs.map((o: { kind: string }) => o.kind), ['Namespace']);
    assert.deepEqual(one('kubernetes:yaml/v2:ConfigGroup', 'platform').inputs.objs, []);
  });

  it('says which chart is not installed, from where, and why', () => {
    const spec = { name: 'metrics-server', namespace: 'kube-system', chart: 'metrics-server', version: '3.13.1', repository: 'https://kubernetes-sigs.github.io/metrics-server/', values: {}, createNamespace: false };
    assert.equal(skippedChartMessage('Helm release kube-system/metrics-server', spec, LOCAL_HELM_REASON),
      'Helm release kube-system/metrics-server is NOT installed: chart metrics-server 3.13.1 from https://kubernetes-sigs.github.io/metrics-server/ is skipped (local mode fetches no chart from a remote Helm repository)');
  });

  it('throws if asked both to apply HelmReleases as objects and to skip them', async () => {
    await assert.rejects(async () => new AppDeployment('platform', { ...(await metricsApp()), installHelmReleases: false, skipHelmReleases: 'no' }), {
      message: "AppDeployment 'platform': only one of `installHelmReleases: false` or `skipHelmReleases` can be provided",
    });
  });
});

describe('stacks/index.ts in local mode', () => {
  it('switches on with K8S_PLATFORM_KIT_LOCAL_KUBECONFIG and a file:// backend, and takes the shipped example values', async () => {
    reset();
    const saved = { ...process.env };
    const config = readStackConfig('Pulumi.dev.yaml');
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)])), []);
    process.env.K8S_PLATFORM_KIT_LOCAL_KUBECONFIG = kubeconfigFile();
    process.env.PULUMI_BACKEND_URL = 'file:///tmp/kit-state';
    try {
      const outputs = await main();
      await settled();
      assert.equal(outputs.target, 'local');
      assert.deepEqual(recorded.filter((r) => CLOUD_TYPE.test(r.type)), []);
      assert.equal(await valueOf(outputs.kubeconfig), kubeconfig());
    } finally {
      process.env = saved;
    }
  });
});
