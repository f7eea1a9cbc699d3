/**
 * The capacity planner against the real kube-scheduler: for each scenario, simulated (kwok)
 * nodes of the planner's shapes (capacity and allocatable), the same manifests applied, and
 * the planner's verdict compared with what the scheduler did — how many pods stay Pending,
 * and the scheduler's own message for them. A disagreement is a bug in the planner.
 */
import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import type { Chart } from 'cdk8s';
import { stringify } from 'yaml';
import { buildApp } from '../../charts/app.js';
import { loadEnvironment } from '../../charts/environment.js';
import { nodeOf, planCapacity, type PoolShape } from '../../constructs/capacity/index.js';
import { collectObjects, type ManifestObject } from '../../constructs/policy/index.js';
import { deployment, pool } from '../constructs/capacity/_fixtures.js';
import { createNodes, deleteNodes, getJson, kubectl, nodeSpecOf } from './_cluster.js';

const NAMESPACE = 'apps';
const staging = loadEnvironment('staging');

interface PodStatus {
  metadata: { name: string; namespace: string };
  status: { phase: string; conditions?: { type: string; status: string; message?: string }[] };
}

function podsIn(namespace: string): PodStatus[] {
  return getJson<{ items: PodStatus[] }>(['get', 'pods', '-n', namespace]).items;
}

/** The PodScheduled=False message of each Pending pod. */
function unschedulableMessages(pods: readonly PodStatus[]): string[] {
  return pods
    .map((p) => p.status.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False')?.message)
    .filter((m): m is string => m !== undefined);
}

/** Polls until `expected` pods exist and each is Running or marked unschedulable, for up to two minutes. */
function settle(namespace: string, expected: number): PodStatus[] {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const pods = podsIn(namespace);
    const running = pods.filter((p) => p.status.phase === 'Running').length;
    if (pods.length === expected && running + unschedulableMessages(pods).length === expected) return pods;
    if (Date.now() > deadline) throw new Error(`pods in ${namespace} did not settle: ${JSON.stringify(pods.map((p) => [p.metadata.name, p.status.phase]))}`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
  }
}

function apply(objects: readonly ManifestObject[]): void {
  kubectl(['apply', '--server-side', '--field-manager=k8s-platform-kit', '-f', '-'], { input: objects.map((o) => stringify(o)).join('---\n') });
}

function deleteNamespace(name: string): void {
  kubectl(['delete', 'namespace', name, '--ignore-not-found', '--wait=true', '--timeout=120s'], { allowFailure: true });
}

const namespaceObject = (name: string): ManifestObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

/**
 * Creates kwok nodes of the planner's shapes (capacity and allocatable), applies the
 * objects (all in `namespace`, no HelmRelease), and checks that the scheduler leaves exactly
 * the pods the planner reports Pending, with messages that begin with the planner's.
 */
function crossCheck(shapes: readonly PoolShape[], objects: readonly ManifestObject[], namespace: string) {
  // Like with like: the planner counts the pods a HelmRelease declares, but Flux does not run
  // here, so no release's pods would exist on this cluster.
  const releases = objects.filter((o) => o.kind === 'HelmRelease');
  assert.deepEqual(releases.map((o) => o.metadata?.name), [], 'apply no HelmRelease: its declared pods would be planned but never created');
  const plan = planCapacity(staging, objects, { addOns: [], pools: shapes });
  const steady = plan.scenarios.find((s) => s.name === 'steady')!;
  const total = plan.pools.reduce((n, p) => n + p.requested.pods, 0) + steady.pending.length;

  createNodes(shapes.flatMap((shape) => Array.from({ length: shape.desired }, (_, i) => nodeSpecOf(nodeOf(shape, i)))));
  const all = objects.some((o) => o.kind === 'Namespace') ? objects : [namespaceObject(namespace), ...objects];
  // Per-node agents first, as on a real node, whose DaemonSet pods start before any workload's:
  // applied together, a busy scheduler could give a workload pod the slot the planner keeps for an agent.
  const daemons = all.filter((o) => o.kind === 'DaemonSet');
  if (daemons.length > 0) {
    apply(all.filter((o) => o.kind === 'Namespace' || o.kind === 'DaemonSet'));
    for (const d of daemons) kubectl(['rollout', 'status', `daemonset/${d.metadata?.name}`, '-n', d.metadata?.namespace ?? namespace, '--timeout=120s']);
  }
  apply(all.filter((o) => !daemons.includes(o)));
  const pods = settle(namespace, total);
  const messages = unschedulableMessages(pods).sort();
  const planned = steady.pending.map((p) => p.message).sort();
  assert.equal(messages.length, planned.length, `the scheduler left ${messages.length} pod(s) Pending, the planner ${planned.length}:\n${messages.join('\n')}`);
  messages.forEach((message, i) => assert.ok(message.startsWith(planned[i]!), `scheduler: ${message}\nplanner:   ${planned[i]}`));
  return { plan, steady };
}

describe('the capacity planner agrees with kube-scheduler', () => {
  afterEach(() => {
    deleteNamespace(NAMESPACE);
    deleteNamespace('todo');
    deleteNodes();
  });
  after(deleteNodes);

  it("fits: prod's todoapi (the kit's HardenedDeployment output) on three zonal nodes", () => {
    const prod = loadEnvironment('prod');
    const shapes = [pool('general', { cpu: 2, memoryGiB: 8, pods: 110, count: 3, zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] })];
    // The todoapi chart and its namespace only: the other charts' pods are not in 'todo' (which
    // is all crossCheck waits for), the platform's HelmReleases declare pods Flux would create,
    // and the edge's objects need the Gateway API's CRDs.
    const app = buildApp(prod);
    const objects = collectObjects(['namespaces', 'todoapi'].map((id) => app.node.findChild(id) as Chart)).map((input) => input.object);
    const { plan, steady } = crossCheck(shapes, objects, 'todo');
    assert.equal(steady.fits, true);
    assert.equal(plan.pools[0]?.requested.pods, 6);
  });

  it('CPU-bound: 400m pods on nodes of 940m allocatable, two per node, the fifth Pending on Insufficient cpu', () => {
    const shapes = [pool('small', { cpu: 1, memoryGiB: 4, pods: 110, count: 2 })];
    const { steady } = crossCheck(shapes, [deployment('api', { replicas: 5, cpu: '400m' })], NAMESPACE);
    assert.deepEqual(steady.pending.map((p) => p.message), ['0/2 nodes are available: 2 Insufficient cpu.']);
  });

  it('pod-slot-bound: seed 003, four pod slots per node, two DaemonSets and two DNS pods; the fifth replica on Too many pods', () => {
    const shapes = [pool('small', { cpu: 1, memoryGiB: 1, pods: 4, count: 3 })];
    // Two per-node agents, as aws-node and kube-proxy are.
    const daemon = (name: string): ManifestObject => ({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name, namespace: NAMESPACE },
      spec: {
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: `${name}:1`, resources: { requests: { cpu: '25m', memory: '16Mi' } } }] } },
      },
    });
    const objects = [daemon('cni'), daemon('proxy'), deployment('dns', { replicas: 2, cpu: '100m', memory: '70Mi' }), deployment('todoapi', { replicas: 5, cpu: '100m', memory: '64Mi' })];
    const { steady } = crossCheck(shapes, objects, NAMESPACE);
    assert.deepEqual(steady.pending.map((p) => p.message), ['0/3 nodes are available: 3 Too many pods.']);
  });

  it('taint mismatch: no replica tolerates the pool taint', () => {
    const shapes = [pool('batch', { cpu: 2, memoryGiB: 8, pods: 110, count: 2, taints: [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }] })];
    const { steady } = crossCheck(shapes, [deployment('api', { replicas: 2 })], NAMESPACE);
    assert.deepEqual(steady.pending.map((p) => p.message), Array(2).fill('0/2 nodes are available: 2 node(s) had untolerated taint(s).'));
  });

  it('surge-bound: a full pool and maxUnavailable 0, the rollout stalls on its surge pod', () => {
    const shapes = [pool('small', { cpu: 1, memoryGiB: 4, pods: 110, count: 2 })];
    const web = deployment('web', { replicas: 4, cpu: '450m', strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } });
    const { plan, steady } = crossCheck(shapes, [web], NAMESPACE);
    assert.equal(steady.fits, true);
    const rollout = plan.scenarios.find((s) => s.name === `rollout Deployment/${NAMESPACE}/web`)!;
    assert.equal(rollout.fits, false);
    assert.equal(rollout.severity, 'error');

    kubectl(['set', 'image', 'deployment/web', 'main=app:2', '-n', NAMESPACE]);
    const pods = settle(NAMESPACE, 5);
    const messages = unschedulableMessages(pods);
    assert.equal(messages.length, rollout.pending.length);
    assert.ok(messages[0]?.startsWith(rollout.pending[0]!.message), `scheduler: ${messages[0]}\nplanner:   ${rollout.pending[0]?.message}`);
    const status = getJson<{ status: { updatedReplicas?: number; availableReplicas?: number } }>(['get', 'deployment/web', '-n', NAMESPACE]).status;
    assert.equal(status.availableReplicas, 4, 'the old pods keep serving');
    assert.equal(status.updatedReplicas, 1, 'one new pod, Pending: the rollout cannot progress');
  });

  it('required anti-affinity per host, with a tainted node beside: reasons counted and sorted as the scheduler does', () => {
    const shapes = [
      pool('general', { cpu: 1, memoryGiB: 4, pods: 110, count: 2 }),
      pool('batch', { cpu: 1, memoryGiB: 4, pods: 110, count: 1, taints: [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }] }),
    ];
    const antiAffinity = { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'db' } } }] } } };
    const { steady } = crossCheck(shapes, [deployment('db', { replicas: 3, pod: antiAffinity })], NAMESPACE);
    assert.deepEqual(steady.pending.map((p) => p.message), ["0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't match pod anti-affinity rules."]);
  });

  it('zone spread (DoNotSchedule, maxSkew 1): a full zone holds back the other', () => {
    const shapes = [
      pool('big', { cpu: 4, memoryGiB: 16, pods: 110, count: 1, zones: ['z1'] }),
      pool('small', { cpu: 1, memoryGiB: 4, pods: 110, count: 1, zones: ['z2'] }),
    ];
    const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }] };
    const { steady } = crossCheck(shapes, [deployment('web', { replicas: 6, cpu: '400m', pod: spread })], NAMESPACE);
    assert.deepEqual(steady.pending.map((p) => p.message), ["0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match pod topology spread constraints."]);
  });
});
