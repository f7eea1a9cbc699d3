/**
 * What the planner reads from manifests: pod requests as the scheduler computes them, replica
 * counts at rest and at the HPA's maximum, rollout budgets, and what it cannot know.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IPodSpec } from 'kubernetes-models/v1';
import { podRequests, resolveIntOrPercent, workloadsOf } from '../../../constructs/capacity/index.js';
import { deployment, hpa } from './_fixtures.js';

const MIB = 1024 * 1024;
const container = (name: string, cpu: string, memory: string, extra: Record<string, unknown> = {}) =>
  ({ name, image: 'x', resources: { requests: { cpu, memory } }, ...extra });

describe('pod requests', () => {
  it('sum the containers; a container with limits only is requested at its limits', () => {
    const spec = { containers: [container('a', '100m', '64Mi'), { name: 'b', image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' } } }] } as IPodSpec;
    assert.deepEqual(podRequests(spec), { cpu: 1100, memory: 1088 * MIB });
  });

  it('take the largest init container when it is larger, and add sidecars (init containers that keep running) to both', () => {
    const spec = {
      initContainers: [container('sidecar', '50m', '32Mi', { restartPolicy: 'Always' }), container('migrate', '1', '64Mi')],
      containers: [container('app', '200m', '256Mi')],
    } as IPodSpec;
    assert.deepEqual(podRequests(spec), { cpu: 1050, memory: 288 * MIB });
  });

  it('add the pod overhead', () => {
    const spec = { containers: [container('a', '100m', '64Mi')], overhead: { cpu: '250m', memory: '120Mi' } } as IPodSpec;
    assert.deepEqual(podRequests(spec), { cpu: 350, memory: 184 * MIB });
  });

  it('give containers without requests their namespace LimitRange defaults', () => {
    const limitRange = {
      apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults', namespace: 'apps' },
      spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '250m', memory: '256Mi' }, default: { cpu: '500m', memory: '512Mi' } }] },
    };
    const bare = deployment('bare', { replicas: 1 });
    ((bare.spec as any).template.spec.containers[0] as Record<string, unknown>).resources = {}; // eslint-disable-line @typescript-eslint/no-explicit-any
    const { workloads } = workloadsOf([limitRange, bare]);
    assert.deepEqual(workloads[0]?.template.requests, { cpu: 250, memory: 256 * MIB });
  });
});

describe('replicas and rollouts', () => {
  it('resolve percentages as the Deployment controller does: surge rounds up, unavailable down', () => {
    assert.equal(resolveIntOrPercent('25%', 6, '25%', true), 2);
    assert.equal(resolveIntOrPercent('25%', 6, '25%', false), 1);
    assert.equal(resolveIntOrPercent(undefined, 3, '25%', false), 0);
    assert.equal(resolveIntOrPercent(2, 10, '25%', true), 2);
  });

  it('read replicas, the HPA maximum, and the rollout budget of each Deployment', () => {
    const { workloads } = workloadsOf([
      deployment('web', { replicas: 4, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } } }),
      hpa('web', 2, 10),
      deployment('worker', { replicas: 1, strategy: { type: 'Recreate' } }),
    ]);
    const [web, worker] = workloads;
    assert.equal(web?.id, 'Deployment/apps/web');
    assert.equal(web?.replicas, 4);
    assert.equal(web?.peakReplicas, 10);
    assert.deepEqual(web?.rollout, { maxSurge: 1, maxUnavailable: 0 });
    assert.equal(worker?.rollout, undefined, 'Recreate needs no extra room');
  });

  it('raise replicas below the HPA minimum to it', () => {
    const { workloads } = workloadsOf([deployment('web', { replicas: 1 }), hpa('web', 3, 5)]);
    assert.equal(workloads[0]?.replicas, 3);
  });

  it('count Jobs and CronJobs by parallelism and DaemonSets per node; list HelmReleases as not counted', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'apps' }, spec: { parallelism: 3, template: { spec: { containers: [container('c', '1', '1Gi')] } } } };
    const ds = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'ops' }, spec: { template: { spec: { containers: [container('c', '10m', '10Mi')] } } } };
    const release = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'monitoring', namespace: 'ops' }, spec: {} };
    const { workloads, uncounted } = workloadsOf([job, ds, release]);
    assert.deepEqual(workloads.map((w) => [w.id, w.replicas, w.daemon]), [['Job/apps/j', 3, false], ['DaemonSet/ops/agent', 1, true]]);
    assert.deepEqual(uncounted, [{ id: 'HelmRelease/ops/monitoring', reason: 'its pods are rendered from a chart when it is installed' }]);
  });
});
