/**
 * The planner's verdicts and the scheduler's words: the seed 003 lab (the fifth replica on
 * "Too many pods", the rollout with no room), CPU- and memory-bound pools, taints, node
 * selectors, topology spread and anti-affinity, HPA peaks, zone loss, and strict mode.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildApp } from '../../../charts/app.js';
import { APPS_SCHEMA, loadEnvironment } from '../../../charts/environment.js';
import {
  CapacityError,
  checkCapacity,
  clusterAddOns,
  eniMaxPods,
  fillChart,
  fitErrorMessage,
  formatPlan,
  objectsOf,
  planCapacity,
  type CapacityPlan,
  type PoolShape,
} from '../../../constructs/capacity/index.js';
import { machineSize, parseEnvironment, readStackConfig } from '../../../constructs/environment/index.js';
import { deployment, environment, helmRelease, hpa, pool } from './_fixtures.js';

const staging = environment('staging');
const none = { addOns: [] };

function scenario(plan: CapacityPlan, name: string) {
  const found = plan.scenarios.find((s) => s.name === name);
  assert.ok(found, `no scenario '${name}' in ${plan.scenarios.map((s) => s.name).join(', ')}`);
  return found;
}

describe("the scheduler's message", () => {
  it('counts each reason over the nodes and sorts the entries as kube-scheduler does', () => {
    assert.equal(fitErrorMessage(3, [['Too many pods'], ['Too many pods'], ['Too many pods']]), '0/3 nodes are available: 3 Too many pods.');
    assert.equal(
      fitErrorMessage(4, [['Insufficient cpu', 'Insufficient memory'], ['Insufficient cpu'], ["node(s) had untolerated taint(s)"], ["node(s) had untolerated taint(s)"]]),
      "0/4 nodes are available: 1 Insufficient memory, 2 Insufficient cpu, 2 node(s) had untolerated taint(s).",
    );
  });
});

describe('seed 003: three small nodes without prefix delegation', () => {
  // t2.micro: 1 vCPU, 1 GiB, 2 ENIs of 2 addresses: 4 pods per node. aws-node and kube-proxy
  // on each node and two CoreDNS replicas leave room for four more pods.
  const size = machineSize('t2.micro')!;
  const slots = eniMaxPods(size, false)!;
  const small = { ...pool('small', { cpu: size.cpu, memoryGiB: size.memoryGiB, pods: slots, count: 3 }), machineType: 't2.micro' };
  const addOns = clusterAddOns('aws').filter((o) => ['aws-node', 'kube-proxy', 'coredns'].includes(o.metadata?.name ?? ''));
  const todoapi = (replicas: number) => deployment('todoapi', { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } });

  it('fits four replicas', () => {
    const plan = planCapacity(staging, [todoapi(4)], { addOns, pools: [small] });
    assert.equal(slots, 4);
    assert.equal(scenario(plan, 'steady').fits, true);
    assert.deepEqual(plan.pools[0]?.requested.pods, 12);
  });

  it('leaves the fifth Pending with "0/3 nodes are available: 3 Too many pods."', () => {
    const plan = planCapacity(staging, [todoapi(5)], { addOns, pools: [small] });
    const steady = scenario(plan, 'steady');
    assert.equal(steady.fits, false);
    assert.deepEqual(steady.pending, [{ pod: 'todoapi-4', workload: 'Deployment/apps/todoapi', pools: ['small'], message: '0/3 nodes are available: 3 Too many pods.' }]);
    assert.equal(plan.fits, false);
    assert.ok(plan.problems.some((p) => p.message === 'pod todoapi-4 of Deployment/apps/todoapi (pool small): 0/3 nodes are available: 3 Too many pods.'));
  });

  it('with maxUnavailable 0 the rollout (and a rollback) has no room to surge: an error', () => {
    const full = deployment('todoapi', { replicas: 4, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } });
    const rollout = scenario(planCapacity(staging, [full], { addOns, pools: [small] }), 'rollout Deployment/apps/todoapi');
    assert.equal(rollout.fits, false);
    assert.equal(rollout.severity, 'error');
    assert.equal(rollout.pending[0]?.message, '0/3 nodes are available: 3 Too many pods.');
    assert.match(rollout.consequence, /stalls: maxUnavailable is 0 and 1 of 1 surge pod\(s\) find no node/);
  });

  it('with maxUnavailable above 0 the rollout replaces pods in place: a warning', () => {
    const rollout = scenario(planCapacity(staging, [todoapi(4)], { addOns, pools: [small] }), 'rollout Deployment/apps/todoapi');
    assert.equal(rollout.fits, false);
    assert.equal(rollout.severity, 'warning');
    assert.equal(rollout.consequence, 'the rolling update replaces 1 pod(s) at a time instead of surging: 1 of 1 surge pod(s) find no node');
  });

  it('fits with a fourth node, as the lab ends', () => {
    const plan = planCapacity(staging, [todoapi(5)], { addOns, pools: [{ ...small, desired: 4, max: 4 }] });
    assert.equal(scenario(plan, 'steady').fits, true);
  });
});

describe('resources, taints and placement rules', () => {
  const two = pool('general', { cpu: 2, memoryGiB: 8, pods: 110, count: 2 });

  it('CPU-bound: two 800m pods per node of 1930m allocatable, the fifth is Insufficient cpu', () => {
    const plan = planCapacity(staging, [deployment('api', { replicas: 5, cpu: '800m' })], { ...none, pools: [two] });
    assert.deepEqual(scenario(plan, 'steady').pending.map((p) => p.message), ['0/2 nodes are available: 2 Insufficient cpu.']);
  });

  it('memory-bound: Insufficient memory', () => {
    const plan = planCapacity(staging, [deployment('cache', { replicas: 3, memory: '4Gi' })], { ...none, pools: [two] });
    assert.deepEqual(scenario(plan, 'steady').pending.map((p) => p.message), ['0/2 nodes are available: 2 Insufficient memory.']);
  });

  it('a taint the pod does not tolerate, and a node selector no pool matches, name no pool', () => {
    const tainted = pool('spot', { cpu: 2, memoryGiB: 8, pods: 110, count: 2, taints: [{ key: 'capacity', value: 'spot', effect: 'NoSchedule' }] });
    const untolerated = planCapacity(staging, [deployment('api', { replicas: 1 })], { ...none, pools: [tainted] });
    assert.deepEqual(scenario(untolerated, 'steady').pending, [{ pod: 'api-0', workload: 'Deployment/apps/api', pools: [], message: '0/2 nodes are available: 2 node(s) had untolerated taint(s).' }]);
    assert.match(formatPlan(untolerated), /no pool matches its node selector and tolerations/);

    const tolerated = planCapacity(staging, [deployment('api', { replicas: 1, pod: { tolerations: [{ key: 'capacity', operator: 'Equal', value: 'spot', effect: 'NoSchedule' }] } })], { ...none, pools: [tainted] });
    assert.equal(scenario(tolerated, 'steady').fits, true);

    const selected = planCapacity(staging, [deployment('gpu', { replicas: 1, pod: { nodeSelector: { accelerator: 'gpu' } } })], { ...none, pools: [two, tainted] });
    assert.equal(scenario(selected, 'steady').pending[0]?.message, "0/4 nodes are available: 2 node(s) didn't match Pod's node affinity/selector, 2 node(s) had untolerated taint(s).");
  });

  it('required anti-affinity per host: one replica per node, the third has nowhere to go', () => {
    const antiAffinity = { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'db' } } }] } } };
    const plan = planCapacity(staging, [deployment('db', { replicas: 3, pod: antiAffinity })], { ...none, pools: [two] });
    assert.deepEqual(scenario(plan, 'steady').pending.map((p) => p.message), ["0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules."]);
  });

  it('DoNotSchedule zone spread with maxSkew 1 over two zones, one of them full, blocks the other', () => {
    const zoned = pool('general', { cpu: 2, memoryGiB: 8, pods: 110, count: 2, zones: ['z1', 'z2'] });
    const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }] };
    // 900m pods: two fit a 1930m node, so the zones hold 2 + 2; the fifth would make a skew of 3 - 2 = 1 in z1 (full) ...
    const plan = planCapacity(staging, [deployment('web', { replicas: 5, cpu: '900m', pod: spread })], { ...none, pools: [zoned] });
    assert.deepEqual(scenario(plan, 'steady').pending.map((p) => p.message), ['0/2 nodes are available: 2 Insufficient cpu.']);
    // ... and with room in z1 only, the spread rule itself refuses the sixth: z1 would hold 4 to z2's 2.
    const lopsided = [zoned, { ...pool('extra', { cpu: 8, memoryGiB: 32, pods: 110, count: 1, zones: ['z1'] }) }];
    const refused = planCapacity(staging, [deployment('web', { replicas: 6, cpu: '900m', pod: spread })], { ...none, pools: lopsided });
    const messages = scenario(refused, 'steady').pending.map((p) => p.message);
    assert.equal(messages.length, 1);
    assert.match(messages[0] ?? '', /^0\/3 nodes are available: .*node\(s\) didn't match pod topology spread constraints\.$/);
  });
});

describe('peaks, pools that grow, and zone loss', () => {
  it('an HPA maximum beyond the desired nodes fits when the pool may grow, and names the node count', () => {
    const growing = pool('general', { cpu: 2, memoryGiB: 8, pods: 110, count: 1, max: 4, autoscales: true });
    const plan = planCapacity(staging, [deployment('api', { replicas: 2, cpu: '800m' }), hpa('api', 2, 6)], { ...none, pools: [growing] });
    assert.equal(scenario(plan, 'steady').fits, true);
    const peak = scenario(plan, 'peak');
    assert.equal(peak.fits, true);
    assert.deepEqual(peak.nodes, { general: 3 });
    assert.equal(plan.pools[0]?.smallestSteady, 1);
    assert.equal(plan.pools[0]?.smallestPeak, 3);
  });

  it('an HPA maximum beyond the pool maximum fails the peak with the scheduler message', () => {
    const capped = pool('general', { cpu: 2, memoryGiB: 8, pods: 110, count: 1, max: 2, autoscales: true });
    const plan = planCapacity(staging, [deployment('api', { replicas: 2, cpu: '800m' }), hpa('api', 2, 6)], { ...none, pools: [capped] });
    const peak = scenario(plan, 'peak');
    assert.equal(peak.fits, false);
    assert.deepEqual(peak.pending.map((p) => p.pod), ['api-4', 'api-5']);
    assert.equal(peak.pending[0]?.message, '0/2 nodes are available: 2 Insufficient cpu.');
    assert.equal(plan.pools[0]?.smallestPeak, undefined);
    assert.match(formatPlan(plan), /> 2 nodes/);
  });

  it('a lost zone is an error for prod and a warning for staging when the other zones cannot absorb it', () => {
    const zoned = pool('general', { cpu: 2, memoryGiB: 8, pods: 110, count: 3, zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] });
    const objects = [deployment('api', { replicas: 6, cpu: '800m' })];
    const prod = planCapacity(environment('prod'), objects, { ...none, pools: [zoned] });
    const lost = scenario(prod, 'zone eu-west-1a lost');
    assert.equal(lost.fits, false);
    assert.equal(lost.severity, 'error');
    assert.deepEqual(lost.nodes, { general: 2 });
    assert.equal(prod.fits, false);
    const warned = planCapacity(staging, objects, { ...none, pools: [zoned] });
    assert.equal(scenario(warned, 'zone eu-west-1a lost').severity, 'warning');
    assert.equal(warned.fits, true);
  });
});

describe('a node group per zone (EKS)', () => {
  const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
  /** Three nodes, one per zone, each group growing to 2 (max 6); the single-group twin for comparison. */
  const single = pool('general', { cpu: 2, memoryGiB: 8, pods: 110, count: 3, max: 6, autoscales: true, zones: ZONES });
  const perZone: PoolShape = { ...single, zoneGroups: ZONES.map((zone) => ({ zone, min: 1, desired: 1, max: 2 })) };
  // Fills each starting node, then asks for pods that must run in eu-west-1c.
  const filler = deployment('filler', { replicas: 3, cpu: '1500m' });
  const pinned = (replicas: number, zone = 'eu-west-1c', name = 'pinned') => deployment(name, {
    replicas,
    cpu: '1500m',
    pod: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [zone] }] }] } } } },
  });

  it('a zone-pinned pod gets a new node in its zone at peak', () => {
    const plan = planCapacity(staging, [filler, pinned(1)], { ...none, pools: [perZone] });
    const peak = scenario(plan, 'peak');
    assert.equal(peak.fits, true);
    assert.deepEqual(peak.nodes, { general: 4 });
  });

  it('one group over the zones adds the node where its round-robin lands (eu-west-1a), and the pinned pod stays Pending', () => {
    const peak = scenario(planCapacity(staging, [filler, pinned(1)], { ...none, pools: [single] }), 'peak');
    assert.equal(peak.fits, false);
    assert.deepEqual(peak.pending.map((p) => [p.pod, p.pools]), [['pinned-0', ['general']]]);
  });

  it("a zone grows only to its own share of max, though the pool's total is below it", () => {
    const peak = scenario(planCapacity(staging, [filler, pinned(2)], { ...none, pools: [perZone] }), 'peak');
    assert.equal(peak.fits, false);
    assert.deepEqual(peak.nodes, { general: 4 });
    assert.deepEqual(peak.pending.map((p) => p.pod), ['pinned-1']);
  });

  it('a pod that fits anywhere gets its node in the zone with the fewest nodes, keeping the groups balanced', () => {
    // Starts eu-west-1a ×1, eu-west-1c ×2, filled; the node for `any` goes to eu-west-1b (none
    // yet; eu-west-1a, first in order, has one), so only one more eu-west-1b node is left for
    // the two pods pinned there.
    const lopsided: PoolShape = { ...single, zoneGroups: [1, 0, 2].map((count, i) => ({ zone: ZONES[i]!, min: count, desired: count, max: 2 })) };
    const objects = [filler, deployment('any', { replicas: 1, cpu: '1500m' }), pinned(2, 'eu-west-1b', 'pinned-b')];
    const peak = scenario(planCapacity(staging, objects, { ...none, pools: [lopsided] }), 'peak');
    assert.deepEqual(peak.nodes, { general: 5 });
    assert.deepEqual(peak.pending.map((p) => p.pod), ['pinned-b-1']);
  });
});

describe('pods declared by HelmReleases', () => {
  const general = pool('general', { cpu: 2, memoryGiB: 8, pods: 110, count: 2 });
  const spot = pool('spot', { cpu: 2, memoryGiB: 8, pods: 110, count: 1, taints: [{ key: 'capacity', value: 'spot', effect: 'NoSchedule' }] });
  const MIB = 1024 * 1024;

  it('are placed like any pod: a DaemonSet on every node it tolerates, replicas on the nodes that take them', () => {
    const stack = helmRelease('stack', 'monitoring', [
      { name: 'node-exporter', kind: 'DaemonSet', requests: { cpu: '10m', memory: '32Mi' }, tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }] },
      { name: 'agent', kind: 'DaemonSet', requests: { cpu: '20m', memory: '16Mi' } },
      { name: 'prometheus', kind: 'StatefulSet', replicas: 2, requests: { cpu: '210m', memory: '1074Mi' } },
    ]);
    const plan = planCapacity(staging, [stack], { ...none, pools: [general, spot] });
    assert.equal(plan.fits, true);
    assert.deepEqual(plan.uncounted, []);
    assert.deepEqual(plan.pools.map((p) => [p.pool, p.requested]), [
      // 2 × node-exporter, 2 × agent, 2 × prometheus
      ['general', { cpu: 2 * 10 + 2 * 20 + 2 * 210, memory: (2 * 32 + 2 * 16 + 2 * 1074) * MIB, pods: 6 }],
      // node-exporter tolerates the taint, agent does not
      ['spot', { cpu: 10, memory: 32 * MIB, pods: 1 }],
    ]);
    assert.deepEqual(plan.scenarios.map((s) => s.name), ['steady', 'peak'], 'no rollout scenario for declared pods');
  });

  it('a declared pod that does not fit is named with its release, in the scheduler\'s words', () => {
    const stack = helmRelease('stack', 'monitoring', [{ name: 'prometheus', kind: 'StatefulSet', replicas: 3, requests: { cpu: '1500m', memory: '1Gi' } }]);
    const plan = planCapacity(staging, [stack], { ...none, pools: [general, spot] });
    assert.equal(plan.fits, false);
    assert.deepEqual(scenario(plan, 'steady').pending, [{
      pod: 'prometheus-2',
      workload: 'StatefulSet/monitoring/prometheus (from HelmRelease monitoring/stack)',
      pools: ['general'],
      message: '0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu.',
    }]);
    assert.deepEqual(plan.problems.filter((p) => p.scenario === 'steady').map((p) => p.message), [
      'pods stay Pending on the nodes the pools start with',
      'pod prometheus-2 of StatefulSet/monitoring/prometheus (from HelmRelease monitoring/stack) (pool general): 0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu.',
    ]);
  });

  it('a release without the annotation is listed under Not counted, by name', () => {
    const plan = planCapacity(staging, [helmRelease('cert-manager', 'cert-manager')], { ...none, pools: [general] });
    assert.deepEqual(plan.uncounted.map((u) => u.id), ['HelmRelease/cert-manager/cert-manager']);
    assert.match(formatPlan(plan), /^Not counted:\n {2}HelmRelease\/cert-manager\/cert-manager: its pods are rendered from a chart when it is installed; declare them in its k8s-platform-kit\.dev\/workloads annotation to count them$/m);
  });
});

describe('the repository environments', () => {
  for (const name of ['dev', 'staging', 'prod']) {
    it(`${name}: fits at rest, at peak, through every rollout and every zone loss, and prices every pool`, () => {
      const env = loadEnvironment(name);
      const plan = planCapacity(env, objectsOf(buildApp(env)));
      assert.deepEqual(plan.problems, []);
      assert.equal(plan.fits, true);
      assert.ok(plan.pools.every((p) => p.hourly !== undefined), 'every pool has a price');
      assert.ok(scenario(plan, 'rollout Deployment/todo/todoapi').fits);
      assert.match(fillChart(plan), /^<svg[^>]*>[\s\S]*<\/svg>\n$/);
    });
  }

  it('prod: the todoapi pods land on the general pool, not the tainted spot pool; a zone loss is checked per zone', () => {
    const prod = loadEnvironment('prod');
    const plan = planCapacity(prod, objectsOf(buildApp(prod)));
    const [general, spot] = plan.pools;
    assert.equal(spot?.requested.pods, 0);
    assert.ok((general?.requested.pods ?? 0) >= 6);
    assert.deepEqual(plan.scenarios.filter((s) => s.name.startsWith('zone')).map((s) => s.name), ['zone eu-west-1a lost', 'zone eu-west-1b lost', 'zone eu-west-1c lost']);
  });

  it('the cost table says its source and date, and AKS on the Free tier pays no control-plane fee', () => {
    const dev = loadEnvironment('dev');
    const plan = planCapacity(dev, objectsOf(buildApp(dev)));
    assert.equal(plan.prices.controlPlaneHourly, 0);
    const text = formatPlan(plan);
    assert.match(text, /as of 2025-06/);
    assert.match(text, /system\s+84 USD/);
  });
});

describe('strict mode', () => {
  const prod = loadEnvironment('prod');
  const crowded = { ...prod, apps: { ...prod.apps, todoapi: { ...prod.apps.todoapi, replicas: 400 } } };
  const objects = objectsOf(buildApp(crowded));

  it('prod is strict: pods that cannot fit fail with the problems listed', () => {
    assert.equal(prod.capacity.strict, true);
    assert.throws(() => checkCapacity(crowded, objects), (error: unknown) => {
      assert.ok(error instanceof CapacityError);
      assert.match(error.message, /^prod: capacity: \d+ problems \(capacity\.strict is true; run `npm run capacity -- --env prod` for the full report\):\n {2}\[steady\] pods stay Pending/);
      assert.match(error.message, /\n {2}\[steady\] \d+ pods of Deployment\/todo\/todoapi \(todoapi-\d+ … todoapi-399; pool general\): 0\/4 nodes are available: 4 Insufficient cpu\.\n/);
      const steady = error.message.split('\n').filter((line) => line.startsWith('  [steady] '));
      assert.equal(steady.filter((line) => line.includes(' of Deployment/todo/todoapi ')).length, 1, 'one line per workload and reason, not one per pod');
      return true;
    });
  });

  it('not strict: the same problems are warnings', () => {
    const { plan, warnings } = checkCapacity(crowded, objects, { strict: false });
    assert.equal(plan.fits, false);
    let strictLines: string[] = [];
    assert.throws(() => checkCapacity(crowded, objects, { strict: true }), (error: unknown) => {
      assert.ok(error instanceof CapacityError);
      strictLines = error.message.split('\n').slice(1).map((line) => line.trim());
      return true;
    });
    assert.ok(strictLines.length > 0);
    const errorWarnings = warnings.filter((w) => strictLines.includes(w.replace(/^capacity /, '')));
    assert.equal(errorWarnings.length, strictLines.length, `every strict problem is a warning:\n${strictLines.join('\n')}\n---\n${warnings.join('\n')}`);
    assert.ok(warnings.every((w) => w.startsWith('capacity [')));
  });

  it('staging is not strict by default', () => {
    assert.equal(loadEnvironment('staging').capacity.strict, false);
  });

  it('the environment key takes only strict, a boolean', () => {
    const config = structuredClone(readStackConfig('Pulumi.prod.yaml')) as Record<string, unknown>;
    config['k8s-platform-kit:capacity'] = { strict: 'yes', mode: 'warn' };
    assert.throws(() => parseEnvironment('prod', config, { apps: APPS_SCHEMA, source: 'Pulumi.prod.yaml' }), {
      message: [
        'Pulumi.prod.yaml: 2 configuration problems:',
        "  k8s-platform-kit:capacity.strict: got 'yes'; expected true or false",
        '  k8s-platform-kit:capacity.mode: unknown key; expected one of strict',
      ].join('\n'),
    });
  });
});
