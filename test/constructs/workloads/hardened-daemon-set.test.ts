/**
 * HardenedDaemonSet: an agent on every node or on the named pools, one node updated at a
 * time, host paths read-only and declared with their reasons as policy exceptions, a
 * NetworkPolicy admitting only the given peers, validation by the spine, and errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Chart } from 'cdk8s';
import { HardenedDaemonSet, IngressPeer, Placement, Probe, validateApp, type HardenedDaemonSetProps } from '../../../constructs/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const AGENT: HardenedDaemonSetProps = {
  name: 'log-agent',
  image: 'registry.example.com/agent:1.0.0',
  ports: [{ number: 2020, name: 'metrics' }],
  resources: { cpu: { request: '50m' }, memory: { request: '64Mi', limit: '128Mi' } },
  liveness: Probe.httpGet('/healthz'),
  readiness: Probe.httpGet('/ready'),
};
const SPOT = { name: 'spot', taints: [{ key: 'capacity', value: 'spot', effect: 'NoSchedule' as const }] };

function build(props: Partial<HardenedDaemonSetProps>) {
  const app = new App();
  new HardenedDaemonSet(new Chart(app, 'c', { namespace: 'agents' }), 'Agent', { ...AGENT, ...props } as HardenedDaemonSetProps);
  const objects: any[] = app.charts.flatMap((chart) => chart.toJson());
  return { app, ds: objects.find((o) => o.kind === 'DaemonSet'), policy: objects.find((o) => o.kind === 'NetworkPolicy') };
}

describe('HardenedDaemonSet', () => {
  it('runs on every node, tainted or not, one node updated at a time, with the hardened pod, and validates', async () => {
    const { app, ds, policy } = build({ allowIngressFrom: [IngressPeer.namespace('monitoring')] });
    assert.deepEqual(ds.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    const pod = ds.spec.template.spec;
    assert.deepEqual([pod.tolerations, pod.affinity, pod.topologySpreadConstraints], [[{ operator: 'Exists' }], undefined, undefined]);
    assert.equal(pod.containers[0].securityContext.readOnlyRootFilesystem, true);
    assert.deepEqual(policy.spec.ingress, [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 2020, protocol: 'TCP' }] }]);
    assert.deepEqual((await validateApp(app)).errors.map((f) => f.message), []);
  });

  it('runs on the named pools only, tolerating their taints', () => {
    const pod = build({ pools: [SPOT] }).ds.spec.template.spec;
    assert.deepEqual(pod.tolerations, [{ key: 'capacity', operator: 'Equal', value: 'spot', effect: 'NoSchedule' }]);
    assert.deepEqual(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms, [{ matchExpressions: [{ key: 'k8s-platform-kit.dev/pool', operator: 'In', values: ['spot'] }] }]);
  });

  it('mounts host paths read-only, with their reasons recorded as the exceptions they need, and validates', async () => {
    const { app, ds } = build({ hostPaths: [{ hostPath: '/var/log', mountPath: '/var/log', reason: "tails the containers' log files" }] });
    assert.deepEqual(ds.spec.template.spec.volumes, [{ name: 'host-0', hostPath: { path: '/var/log', type: 'Directory' } }]);
    assert.deepEqual(ds.spec.template.spec.containers[0].volumeMounts, [{ name: 'host-0', mountPath: '/var/log', readOnly: true }]);
    const report = await validateApp(app);
    assert.deepEqual(report.errors, []);
    assert.deepEqual(report.waived.map((f) => [f.ruleId, f.waivedBecause]), [
      ['pss-host-path-volumes', "reads /var/log: tails the containers' log files"],
      ['pss-volume-types', "reads /var/log: tails the containers' log files"],
    ]);
  });

  const refuses: [string, Partial<HardenedDaemonSetProps> & Record<string, unknown>, string][] = [
    ['no pool', { pools: [] }, "HardenedDaemonSet 'c/Agent': pools is empty, so the agent would run nowhere; expected 'all', or at least one pool"],
    ['a pool twice', { pools: [SPOT, SPOT] }, "HardenedDaemonSet 'c/Agent': pools ([\"spot\",\"spot\"]) names a pool twice; expected each pool once"],
    ['a host path without a reason', { hostPaths: [{ hostPath: '/var/log', mountPath: '/logs', reason: ' ' }] }, "HardenedDaemonSet 'c/Agent': hostPaths[0].reason is empty; expected why the agent reads this directory of the node"],
    ['a relative host path', { hostPaths: [{ hostPath: 'var/log', mountPath: '/logs', reason: 'logs' }] }, "HardenedDaemonSet 'c/Agent': hostPaths[0].hostPath ('var/log') must be an absolute path"],
    ['zero nodes at a time', { maxUnavailable: 0 }, "HardenedDaemonSet 'c/Agent': maxUnavailable (0) is not a number of nodes >= 1 or a percentage from 1% to 100%; expected e.g. 1 or '10%'"],
    ['a placement (from JavaScript)', { placement: Placement.ANYWHERE }, "HardenedDaemonSet 'c/Agent': placement is not a prop of a DaemonSet: it runs one pod on each node of its pools; expected pools"],
  ];
  for (const [title, props, message] of refuses) {
    it(`refuses ${title}, naming the prop and the value`, () => {
      assert.throws(() => build(props), (error: Error) => {
        assert.equal(error.message, message);
        return true;
      });
    });
  }
});
