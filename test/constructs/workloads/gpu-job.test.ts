/**
 * Seed 004's GPU training Job: a HardenedJob requesting `nvidia.com/gpu`, placed on the GPU
 * pool of an EKS environment (its node selector, and tolerations of the pool's GPU taint),
 * needing the NVIDIA device plugin the GPU pool brings, and planned by the capacity planner
 * as an extended resource. A GPU request off a GPU pool, or larger than a node, is refused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Chart } from 'cdk8s';
import { buildApp } from '../../../charts/app.js';
import { loadEnvironment, type Environment } from '../../../charts/environment.js';
import { HardenedDeployment, HardenedJob, Placement, Priority, Probe, collectObjects, validateApp, type HardenedJobProps, type ManifestObject } from '../../../constructs/index.js';
import { environmentCapabilities, nodePool, type AwsEnvironment } from '../../../constructs/environment/index.js';
import { planCapacity } from '../../../constructs/capacity/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const prod = loadEnvironment('prod') as Environment & AwsEnvironment;
/** prod with a pool of g5.xlarge nodes (one NVIDIA A10G each), as a stack file would declare it. */
function withGpuPool(nodes: number): typeof prod {
  const general = prod.cluster.nodePools.find((p) => p.name === 'general')!;
  const gpu = { ...general, name: 'gpu', instanceTypes: ['g5.xlarge'], min: 0, desired: nodes, max: 4, labels: {}, taints: [] };
  return { ...prod, cluster: { ...prod.cluster, nodePools: [...prod.cluster.nodePools, gpu] } } as typeof prod;
}

function trainer(env: typeof prod, gpus = 1, name = 'train'): HardenedJobProps {
  return {
    name,
    image: 'registry.example.com/ml/train:2.0.1',
    args: ['--epochs', '20'],
    resources: { cpu: { request: '2' }, memory: { request: '8Gi', limit: '8Gi' }, gpus },
    placement: Placement.onPool(nodePool(env, 'gpu')),
    priority: Priority.BATCH,
    activeDeadlineSeconds: 6 * 3600,
    writablePaths: ['/tmp', '/checkpoints'],
  };
}

function build(make: (chart: Chart) => void) {
  const app = new App();
  make(new Chart(app, 'ml', { namespace: 'ml' }));
  return { app, objects: collectObjects(app.charts).map((i) => i.object as ManifestObject) as any[] };
}

describe('a GPU training Job', () => {
  it('requests and limits the GPU, lands on the GPU pool through its taint, and validates against the cluster it is for', async () => {
    const env = withGpuPool(1);
    assert.deepEqual(nodePool(env, 'gpu'), { name: 'gpu', taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }], gpus: 1 });
    const { app, objects } = build((chart) => new HardenedJob(chart, 'Train', trainer(env)));
    const pod = objects.find((o) => o.kind === 'Job').spec.template.spec;
    assert.deepEqual(pod.containers[0].resources, { requests: { cpu: '2', memory: '8Gi', 'nvidia.com/gpu': '1' }, limits: { memory: '8Gi', 'nvidia.com/gpu': '1' } });
    assert.deepEqual(pod.nodeSelector, { 'k8s-platform-kit.dev/pool': 'gpu' });
    assert.deepEqual(pod.tolerations, [{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
    // Alone, nothing provides GPUs; in the environment's App the GPU pool brings the NVIDIA device plugin's release.
    const alone = await validateApp(app, { cluster: environmentCapabilities(env) });
    assert.deepEqual(alone.errors.map((f) => [f.object, f.path]), [['Job/ml/train', 'spec.template.spec.containers[0].resources.limits["nvidia.com/gpu"]']]);
    assert.match(alone.errors[0]!.message, /needs nvidia-gpu .* because of the nvidia\.com\/gpu limit of container main/);
    const platform = buildApp(env);
    new HardenedJob(new Chart(platform, 'ml', { namespace: 'ml' }), 'Train', trainer(env));
    const report = await validateApp(platform, { cluster: environmentCapabilities(env) });
    assert.deepEqual(report.errors.map((f) => f.message), []);
  });

  it('is planned as an extended resource: one GPU node runs one trainer, the second waits for the pool to scale', () => {
    const env = withGpuPool(1);
    const { objects } = build((chart) => {
      new HardenedJob(chart, 'A', trainer(env, 1, 'train-a'));
      new HardenedJob(chart, 'B', trainer(env, 1, 'train-b'));
    });
    const steady = planCapacity(env, objects).scenarios[0]!;
    assert.deepEqual(steady.pending.map((p) => [p.workload, p.pools]), [['Job/ml/train-b', ['gpu']]]);
    assert.match(steady.pending[0]!.message, /1 Insufficient nvidia\.com\/gpu/);
    const gpuPool = planCapacity(withGpuPool(2), objects).pools.find((p) => p.pool === 'gpu')!;
    assert.deepEqual([gpuPool.requested.gpus, gpuPool.available.gpus, gpuPool.allocatable.gpus], [2, 2, 1]);
  });

  it('refuses a GPU request on a pool without GPUs, beyond a node, or with no placement', () => {
    const env = withGpuPool(1);
    const job = (props: Partial<HardenedJobProps>) => () => build((chart) => new HardenedJob(chart, 'Train', { ...trainer(env), ...props }));
    assert.throws(job({ placement: Placement.onPool(nodePool(env, 'general')) }), {
      message: "HardenedJob 'ml/Train': resources.gpus (1) is requested on pool 'general', whose nodes have no GPUs; expected placement on a GPU pool of the environment",
    });
    assert.throws(job({ resources: { ...trainer(env).resources, gpus: 2 } }), {
      message: "HardenedJob 'ml/Train': resources.gpus (2) is more than a node of pool 'gpu' has (1); expected at most 1",
    });
    assert.throws(() => build((chart) => new HardenedDeployment(chart, 'Serve', {
      image: 'registry.example.com/ml/serve:2.0.1', ports: [{ number: 8080 }], liveness: Probe.httpGet('/healthz'), readiness: Probe.httpGet('/ready'),
      resources: { cpu: { request: '1' }, memory: { request: '4Gi', limit: '4Gi' }, gpus: 1 },
    })), {
      message: "HardenedDeployment 'ml/Serve': resources.gpus (1) is requested without a placement on a GPU pool: GPU nodes carry the nvidia.com/gpu taint, so the pod would never be scheduled; expected placement: Placement.onPool(nodePool(env, '<gpu pool>'))",
    });
  });
});
