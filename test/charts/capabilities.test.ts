/**
 * The capability contract on whole environments: the shipped environments provide what
 * their objects need, and each capability an environment lacks fails validation with the
 * object, the capability and the config key that provides it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildApp } from '../../charts/app.js';
import { APPS_SCHEMA, environmentNames, loadEnvironment, type Environment } from '../../charts/environment.js';
import { gitopsOptionsOf } from '../../charts/bootstrap.js';
import {
  CAPABILITY_RULE_ID, RELEASE_WORKLOADS_ANNOTATION, collectObjects, validateManifests, type ManifestObject,
} from '../../constructs/index.js';
import { environmentCapabilities, parseEnvironment, readStackConfig } from '../../constructs/environment/index.js';
import { planGitOps, validationInputsOf } from '../../constructs/gitops/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Config = Record<string, any>;

function environment(name: string, edit: (settings: Config) => void): Environment {
  const config = structuredClone(readStackConfig(`Pulumi.${name}.yaml`)) as Config;
  const settings: Config = {};
  for (const [key, value] of Object.entries(config)) settings[key.replace(/^k8s-platform-kit:/, '')] = value;
  edit(settings);
  const namespaced = Object.fromEntries(Object.entries(settings).map(([key, value]) => [`k8s-platform-kit:${key}`, value]));
  return parseEnvironment(name, namespaced, { apps: APPS_SCHEMA, source: `Pulumi.${name}.yaml` });
}

/** `Kind/namespace/name: capability: fix` of every capability error in the environment's GitOps output. */
async function unmet(env: Environment): Promise<string[]> {
  const plan = planGitOps(buildApp(env), gitopsOptionsOf(env));
  const report = await validateManifests(validationInputsOf(plan), { cluster: environmentCapabilities(env, { gitopsOutput: true }) });
  return report.errors.filter((f) => f.ruleId === CAPABILITY_RULE_ID).map((f) => `${f.object}: ${f.message.split(' ')[1]}: ${f.fix}`);
}

describe('capabilities of the shipped environments', () => {
  for (const name of environmentNames()) {
    it(`${name}: the cluster and its releases provide every capability its objects need`, async () => {
      assert.deepEqual(await unmet(loadEnvironment(name)), []);
    });
  }

  it('staging and prod run the AWS Load Balancer Controller, the Cluster Autoscaler and external-dns; prod runs Velero', () => {
    const releases = (name: string) => collectObjects(buildApp(loadEnvironment(name)).charts)
      .map((i) => i.object).filter((o) => o.kind === 'HelmRelease' && o.metadata?.namespace !== undefined)
      .map((o) => o.metadata?.name).sort();
    for (const name of ['staging', 'prod']) {
      for (const release of ['aws-load-balancer-controller', 'cluster-autoscaler', 'external-dns']) assert.ok(releases(name).includes(release), `${name}: ${release}`);
    }
    assert.ok(releases('prod').includes('velero'));
    assert.ok(!releases('staging').includes('velero'));
    assert.ok(!releases('dev').includes('aws-load-balancer-controller'), 'AKS gets no AWS controller');
  });

  it('prod: Velero\'s default locations are kit objects in a chart after the release, and the backups follow them', () => {
    const app = buildApp(loadEnvironment('prod'));
    const chart = (id: string) => app.charts.find((c) => c.node.id === id);
    const locations = chart('backup-locations');
    assert.ok(locations);
    assert.deepEqual(locations.node.dependencies.map((c) => c.node.id), ['addons']);
    assert.deepEqual(chart('backups')?.node.dependencies.map((c) => c.node.id), ['backup-locations']);
    const objects = collectObjects([locations]).map((i) => i.object);
    assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`), [
      'BackupStorageLocation/velero/default', 'VolumeSnapshotLocation/velero/default',
    ]);
    const env = loadEnvironment('prod');
    assert.equal((objects[0] as unknown as { spec: { objectStorage: { bucket: string } } }).spec.objectStorage.bucket, env.cloud === 'aws' ? env.cluster.addons.velero?.bucket : undefined);
    assert.equal(chart('backup-locations') && buildApp(loadEnvironment('staging')).charts.some((c) => c.node.id === 'backup-locations'), false, 'staging runs no Velero');
  });
});

describe('an environment that lacks a capability', () => {
  it('fails the edge\'s NLB annotations without the AWS Load Balancer Controller, naming the key that installs it', async () => {
    const env = environment('staging', (s) => { s.cluster.addons = { ...s.cluster.addons, loadBalancerController: false }; });
    assert.deepEqual(await unmet(env), [
      'EnvoyProxy/edge/edge: aws-load-balancer-controller: set k8s-platform-kit:cluster.addons.loadBalancerController: true in Pulumi.staging.yaml',
    ]);
  });

  it('fails every NetworkPolicy when the VPC CNI does not enforce them', async () => {
    const env = environment('staging', (s) => { s.cluster.addons = { ...s.cluster.addons, networkPolicy: false }; });
    const errors = await unmet(env);
    assert.ok(errors.length > 10, `one error per NetworkPolicy, got ${errors.length}`);
    assert.ok(errors.every((e) => /^NetworkPolicy\/.*: network-policy: set k8s-platform-kit:cluster\.addons\.networkPolicy: true in Pulumi\.staging\.yaml$/.test(e)), errors.join('\n'));
  });

  it('fails the backup Schedule without Velero, naming the bucket key', async () => {
    const env = environment('prod', (s) => { delete s.cluster.addons.velero; });
    assert.deepEqual(await unmet(env), [
      'Schedule/velero/nightly: velero: set k8s-platform-kit:cluster.addons.velero.bucket (the stack creates the bucket) in Pulumi.prod.yaml',
    ]);
  });

  it('fails the Gateway\'s host names without DNS automation, on EKS and on AKS', async () => {
    const staging = environment('staging', (s) => { delete s.cluster.addons.externalDns; });
    assert.deepEqual(await unmet(staging), [
      'Gateway/edge/edge: dns-automation: set k8s-platform-kit:cluster.addons.externalDns.hostedZoneId in Pulumi.staging.yaml, '
        + 'or, if the cluster has it from outside the kit, add dns-automation to k8s-platform-kit:cluster.capabilities',
    ]);
    const dev = environment('dev', (s) => { s.cluster.capabilities = []; });
    assert.deepEqual(await unmet(dev), [
      'Gateway/edge/edge: dns-automation: set k8s-platform-kit:cluster.addons.externalDns (zone and resourceGroup of an Azure DNS zone) in Pulumi.dev.yaml, '
        + 'or, if the cluster has it from outside the kit, add dns-automation to k8s-platform-kit:cluster.capabilities',
    ]);
  });

  it('fails a CPU HorizontalPodAutoscaler when nothing installs metrics-server (no platform charts)', async () => {
    const env = environment('staging', (s) => { delete s.platform; delete s.cluster.addons.externalDns; });
    const hpa: ManifestObject = {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api', namespace: 'todo' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 1, maxReplicas: 4,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] },
    };
    const report = await validateManifests([{ object: hpa }], { cluster: environmentCapabilities(env) });
    assert.deepEqual(report.errors.filter((f) => f.ruleId === CAPABILITY_RULE_ID).map((f) => f.fix), [
      'set k8s-platform-kit:platform (the monitoring stack installs metrics-server) or, if the cluster has it from outside the kit, add metrics-server to k8s-platform-kit:cluster.capabilities',
    ]);
  });

  it('fails a GPU request on an environment with no GPU pool, and passes it once a pool of GPU instance types exists', async () => {
    const job: ManifestObject = {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'train', namespace: 'ml' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'train', image: 'ghcr.io/acme/train:1.0.0', resources: { limits: { 'nvidia.com/gpu': '1' } } }] } } },
    };
    const withoutGpus = loadEnvironment('prod');
    const check = async (env: Environment) => {
      const objects = [...collectObjects(buildApp(env).charts), { object: job }];
      return (await validateManifests(objects, { cluster: environmentCapabilities(env, { gitopsOutput: true }) }))
        .errors.filter((f) => f.ruleId === CAPABILITY_RULE_ID).map((f) => `${f.object}: ${f.fix}`);
    };
    assert.deepEqual(await check(withoutGpus), [
      'Job/ml/train: add a pool of GPU instance types to k8s-platform-kit:cluster.nodePools (the stack gives it the NVIDIA AMI, a nvidia.com/gpu taint and the device plugin)',
    ]);
    const withGpus = environment('prod', (s) => {
      s.cluster.nodePools.push({ name: 'gpu', instanceTypes: ['g5.xlarge'], min: 0, desired: 0, max: 3 });
    });
    assert.deepEqual(await check(withGpus), []);
    const plugin = collectObjects(buildApp(withGpus).charts).map((i) => i.object).find((o) => o.kind === 'HelmRelease' && o.metadata?.name === 'nvidia-device-plugin');
    const workloads = JSON.parse(String(plugin?.metadata?.annotations?.[RELEASE_WORKLOADS_ANNOTATION]));
    assert.deepEqual(workloads[0].tolerations, [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
  });

  it('accepts a capability declared as provided outside the kit', async () => {
    const env = environment('staging', (s) => {
      delete s.cluster.addons.externalDns;
      s.cluster.capabilities = ['dns-automation'];
    });
    assert.deepEqual(await unmet(env), []);
  });
});
