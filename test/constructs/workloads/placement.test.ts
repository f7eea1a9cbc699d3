/**
 * Placement by object: a workload placed on a pool of its environment gets the pool's node
 * selector and a toleration for each of its taints, the capacity planner puts its pods on
 * that pool, extra tolerations are checked as the API server checks them, a pool the
 * environment does not have is refused with the pools it has, and the platform's priority
 * classes are written and chosen by name.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Chart } from 'cdk8s';
import { loadEnvironment } from '../../../charts/environment.js';
import {
  HardenedDeployment, HardenedJob, POOL_LABEL, Placement, Priority, PriorityClasses, collectObjects, validateApp,
  type HardenedDeploymentProps, type ManifestObject,
} from '../../../constructs/index.js';
import { nodePool } from '../../../constructs/environment/index.js';
import { planCapacity } from '../../../constructs/capacity/index.js';

import { minimalProps } from './_deployment-fixtures.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const prod = loadEnvironment('prod');
const WEB: HardenedDeploymentProps = minimalProps({ name: 'web', resources: { cpu: { request: '100m' }, memory: { request: '128Mi', limit: '128Mi' } } });

function build(make: (chart: Chart) => void): { app: App; objects: any[] } {
  const app = new App();
  make(new Chart(app, 'c', { namespace: 'apps' }));
  return { app, objects: app.charts.flatMap((chart) => chart.toJson()) };
}
const podSpecOf = (objects: any[], kind: string) => objects.find((o) => o.kind === kind).spec.template.spec;

describe('Placement', () => {
  it("places a Deployment on prod's spot pool: the pool's node selector and a toleration of its taint, and the planner places its pods on that pool alone", () => {
    const spot = nodePool(prod, 'spot');
    assert.deepEqual(spot, { name: 'spot', taints: [{ key: 'capacity', value: 'spot', effect: 'NoSchedule' }] });
    const { app, objects } = build((chart) => new HardenedDeployment(chart, 'Web', { ...WEB, replicas: 3, placement: Placement.onPool(spot), priority: Priority.SERVICE }));
    const pod = podSpecOf(objects, 'Deployment');
    assert.deepEqual(pod.nodeSelector, { [POOL_LABEL]: 'spot' });
    assert.deepEqual(pod.tolerations, [{ key: 'capacity', operator: 'Equal', value: 'spot', effect: 'NoSchedule' }]);
    assert.equal(pod.priorityClassName, 'k8s-platform-kit-service');
    const objects_ = collectObjects(app.charts).map((i) => i.object as ManifestObject);
    // prod's spot pool starts empty (desired 0): the planner keeps the pods off the general nodes, for the spot pool alone.
    const pending = planCapacity(prod, objects_).scenarios[0]!.pending;
    assert.deepEqual(pending.map((p) => [p.pod, p.pools]), [['web-0', ['spot']], ['web-1', ['spot']], ['web-2', ['spot']]]);
    assert.match(pending[0]!.message, /4 node\(s\) didn't match Pod's node affinity\/selector/);
    // With spot nodes running, the pods fit there and the general pool requests nothing for them.
    const withSpot = { ...prod, cluster: { ...prod.cluster, nodePools: prod.cluster.nodePools.map((p) => (p.name === 'spot' ? { ...p, min: 2, desired: 2 } : p)) } } as typeof prod;
    const plan = planCapacity(withSpot, objects_);
    assert.ok(plan.scenarios[0]!.fits, JSON.stringify(plan.scenarios[0]!.pending));
    // Over what the cluster's own add-ons request on each pool: the three pods' 300m, all on spot.
    const base = planCapacity(withSpot, []);
    const added = (pool: string) => plan.pools.find((p) => p.pool === pool)!.requested.cpu - base.pools.find((p) => p.pool === pool)!.requested.cpu;
    assert.deepEqual([added('general'), added('spot')], [0, 300]);
  });

  it('without a placement, writes no node selector, tolerations or priority class', () => {
    const pod = podSpecOf(build((chart) => new HardenedDeployment(chart, 'Web', WEB)).objects, 'Deployment');
    assert.deepEqual([pod.nodeSelector, pod.tolerations, pod.priorityClassName], [undefined, undefined, undefined]);
  });

  it('adds extra tolerations after the pool\'s, on Jobs too, and the result validates', async () => {
    const { app, objects } = build((chart) => new HardenedJob(chart, 'Train', {
      name: 'train', image: 'registry.example.com/train:0.9.0',
      resources: { cpu: { request: '1' }, memory: { request: '2Gi', limit: '2Gi' } },
      placement: Placement.onPool(nodePool(prod, 'spot')),
      tolerations: [{ key: 'example.com/maintenance', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      priority: Priority.BATCH,
    }));
    const pod = podSpecOf(objects, 'Job');
    assert.deepEqual(pod.tolerations.map((t: any) => t.key), ['capacity', 'example.com/maintenance']);
    assert.equal(pod.priorityClassName, 'k8s-platform-kit-batch');
    assert.deepEqual((await validateApp(app)).errors.map((f) => f.message), []);
  });

  it('refuses a pool the environment does not have, naming the pools it has and the closest one', () => {
    assert.throws(() => nodePool(prod, 'spto'), { message: "environment 'prod' has no node pool 'spto' (did you mean 'spot'?); its pools: general, spot" });
    assert.throws(() => nodePool(prod, 'gpu'), { message: "environment 'prod' has no node pool 'gpu'; its pools: general, spot" });
  });

  const badTolerations: [string, unknown, string][] = [
    ['an unknown effect', { key: 'a', effect: 'NoRun' }, "tolerations[0] ({\"key\":\"a\",\"effect\":\"NoRun\"}) has effect 'NoRun'; expected one of NoSchedule, PreferNoSchedule, NoExecute"],
    ['no key without Exists', { effect: 'NoSchedule' }, 'tolerations[0] ({"effect":"NoSchedule"}) has no key, so it must use operator Exists (it then tolerates every taint)'],
    ['a value with Exists', { key: 'a', operator: 'Exists', value: 'b' }, "tolerations[0] ({\"key\":\"a\",\"operator\":\"Exists\",\"value\":\"b\"}) has a value ('b') with operator Exists, which takes none"],
    ['tolerationSeconds without NoExecute', { key: 'a', effect: 'NoSchedule', tolerationSeconds: 5 }, 'tolerations[0] ({"key":"a","effect":"NoSchedule","tolerationSeconds":5}) has tolerationSeconds, which applies only to effect NoExecute'],
  ];
  for (const [title, toleration, message] of badTolerations) {
    it(`refuses a toleration with ${title}`, () => {
      assert.throws(() => build((chart) => new HardenedDeployment(chart, 'Web', { ...WEB, tolerations: [toleration as never] })), { message: `HardenedDeployment 'c/Web': ${message}` });
    });
  }
});

describe('PriorityClasses', () => {
  it('writes the three platform classes, none the cluster default, batch never preempting, and they validate', async () => {
    const { app, objects } = build((chart) => new PriorityClasses(chart, 'Priorities'));
    assert.deepEqual(objects.map((o) => [o.metadata.name, o.value, o.globalDefault, o.preemptionPolicy]), [
      ['k8s-platform-kit-platform-critical', 1_000_000, false, 'PreemptLowerPriority'],
      ['k8s-platform-kit-service', 100_000, false, 'PreemptLowerPriority'],
      ['k8s-platform-kit-batch', 1_000, false, 'Never'],
    ]);
    assert.deepEqual((await validateApp(app)).errors.map((f) => f.message), []);
  });
});
