/** MonitoringStack's replicas of Prometheus and Alertmanager, and the scrapers peer. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { MonitoringStack, type MonitoringStackProps } from '../../../constructs/platform/monitoring-stack.js';
import { MONITORING_STACK_DEFAULTS } from '../../../constructs/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
function build(props: Partial<MonitoringStackProps> = {}) {
  const stack = new MonitoringStack(Testing.chart(), 'monitoring', { grafanaAdmin: { secretName: 'grafana-admin' }, ...props });
  const values = stack.prometheusStack.values as any;
  const workloads = Object.fromEntries(stack.prometheusStack.workloads.map((w) => [w.name, w.replicas]));
  return { stack, values, workloads };
}

describe('MonitoringStack replicas', () => {
  it('defaults: the chart\'s one Prometheus and one Alertmanager, no replicas value set', () => {
    const { values, workloads } = build();
    assert.equal(values.prometheus.prometheusSpec.replicas, undefined);
    assert.equal(values.alertmanager.alertmanagerSpec.replicas, undefined);
    assert.deepEqual([workloads.prometheus, workloads.alertmanager], [1, 1]);
  });

  it('sets the replicas given, and the capacity planner counts them', () => {
    const { values, workloads } = build({ prometheusReplicas: 2, alertmanagerReplicas: 3 });
    assert.equal(values.prometheus.prometheusSpec.replicas, 2);
    assert.equal(values.alertmanager.alertmanagerSpec.replicas, 3);
    assert.deepEqual([workloads.prometheus, workloads.alertmanager], [2, 3]);
  });

  it('lets values merged last override them', () => {
    const { values } = build({ prometheusReplicas: 2, values: { prometheus: { prometheusSpec: { replicas: 4 } } } });
    assert.equal(values.prometheus.prometheusSpec.replicas, 4);
  });

  it('throws if a replica count is below 1', () => {
    assert.throws(() => build({ alertmanagerReplicas: 0 }), (error: Error) => {
      assert.ok(error.message.startsWith("MonitoringStack 'test/monitoring': alertmanagerReplicas (0) must be a whole number >= 1"), error.message);
      return true;
    });
  });
});

describe('MonitoringStack scrapers', () => {
  it('defaults: the pods of the stack\'s namespace', () => {
    const { stack } = build();
    assert.equal(stack.namespace, MONITORING_STACK_DEFAULTS.namespace);
    assert.deepEqual(stack.scrapers.peer, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } });
  });

  it('follows the namespace', () => {
    assert.deepEqual(build({ namespace: 'metrics' }).stack.scrapers.peer, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'metrics' } } });
  });
});
