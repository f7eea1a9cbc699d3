import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Chart } from 'cdk8s';
import { collectObjects, validateManifests } from '../../constructs/index.js';
import { buildApp } from '../../charts/app.js';
import { loadEnvironment } from '../../charts/environment.js';

/** The todoapi chart and the namespace chart it depends on, from the environment's whole App. */
function todoCharts(env: ReturnType<typeof loadEnvironment>): Chart[] {
  const app = buildApp(env);
  return ['namespaces', 'todoapi'].map((id) => app.node.findChild(id) as Chart);
}

describe('todoapi chart', () => {
  const env = loadEnvironment('dev');

  it('runs the seed 003 todoapi: four replicas, probes on /, requests', () => {
    const objects = todoCharts(env).flatMap((c) => c.toJson()) as { kind: string; spec: Record<string, never> }[];
    const deployment = objects.find((o) => o.kind === 'Deployment') as unknown as {
      metadata: { name: string; namespace: string };
      spec: { replicas: number; template: { spec: { containers: { livenessProbe: unknown; readinessProbe: unknown; resources: unknown }[] } } };
    };
    assert.equal(deployment.metadata.name, 'todoapi');
    assert.equal(deployment.metadata.namespace, 'todo');
    assert.equal(deployment.spec.replicas, 4);
    const container = deployment.spec.template.spec.containers[0];
    assert.deepEqual(container?.livenessProbe, { httpGet: { path: '/', port: 8080, scheme: 'HTTP' }, periodSeconds: 10, failureThreshold: 3 });
    assert.deepEqual(container?.readinessProbe, { httpGet: { path: '/', port: 8080, scheme: 'HTTP' }, periodSeconds: 5 });
    assert.deepEqual(container?.resources, { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } });
    assert.deepEqual(objects.map((o) => o.kind).sort(), ['Deployment', 'Namespace', 'NetworkPolicy', 'PodDisruptionBudget', 'PriorityClass', 'PriorityClass', 'PriorityClass', 'Service']);
  });

  it('creates the apps namespace first, enforcing the restricted Pod Security Standard', () => {
    const [first] = todoCharts(env).flatMap((c) => c.toJson()) as { kind: string; metadata: { name: string; labels: Record<string, string> } }[];
    assert.equal(first?.kind, 'Namespace');
    assert.equal(first?.metadata.name, 'todo');
    assert.equal(first?.metadata.labels['pod-security.kubernetes.io/enforce'], 'restricted');
  });

  it('passes the schema and every policy rule with no exception', async () => {
    const report = await validateManifests(collectObjects(todoCharts(env)));
    assert.equal(report.ok, true, report.format());
    assert.deepEqual(report.warnings, []);
    assert.deepEqual(report.waived, []);
  });

  it('rejects an unknown environment naming the known ones', () => {
    assert.throws(() => loadEnvironment('qa'), {
      message: 'Pulumi.qa.yaml: 1 configuration problem:\n  (file): cannot read the stack file (ENOENT); environments here: dev, prod, staging',
    });
  });
});
