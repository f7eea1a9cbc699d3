import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkSchema, pointerToPath, registerSchema } from '../../../constructs/index.js';
import { configMap } from './_objects.js';

describe('checkSchema', () => {
  it('accepts a valid object', async () => {
    assert.deepEqual(await checkSchema(configMap()), []);
  });

  it('reports a type error with the path, the value and the schema', async () => {
    const findings = await checkSchema({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' },
      spec: { selector: {}, template: { spec: { containers: [{ name: 'a', image: 'a:1', ports: [{ containerPort: '80' }] }] } } },
    });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.ruleId, 'schema');
    assert.equal(findings[0]?.path, 'spec.template.spec.containers[0].ports[0].containerPort');
    assert.equal(findings[0]?.message, "Deployment/api: spec.template.spec.containers[0].ports[0].containerPort must be integer (got \"80\")");
  });

  it('reports a quantity that is not one', async () => {
    const findings = await checkSchema({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
      spec: { containers: [{ name: 'a', image: 'a:1', resources: { limits: { memory: '256MB' } } }] },
    });
    assert.equal(findings[0]?.message, "Pod/p: spec.containers[0].resources.limits.memory must be a valid quantity (got \"256MB\")");
  });

  it('reports a missing required field', async () => {
    const findings = await checkSchema({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' }, spec: { selector: {} } });
    assert.equal(findings[0]?.message, "Deployment/api: spec is missing required field 'template' (got {\"selector\":{}})");
  });

  it('fails an unknown apiVersion or kind instead of skipping it', async () => {
    const findings = await checkSchema({ apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'old' } });
    assert.equal(findings[0]?.message, "Ingress/old: no schema is known for apiVersion 'extensions/v1beta1' kind 'Ingress', so it cannot be validated");
    const crd = await checkSchema({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    assert.equal(crd[0]?.path, 'apiVersion');
  });

  it('validates a prometheus-operator ServiceMonitor against its schema', async () => {
    const serviceMonitor = (endpoint: Record<string, unknown>) => ({
      apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'api' },
      spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } }, endpoints: [endpoint] },
    });
    assert.deepEqual(await checkSchema(serviceMonitor({ port: 'metrics', path: '/metrics', interval: '30s' })), []);
    const findings = await checkSchema(serviceMonitor({ port: 9090, interval: '30' }));
    assert.deepEqual(findings.map((f) => f.message), [
      'ServiceMonitor/api: spec.endpoints[0].interval must match pattern "^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$" (got "30")',
      'ServiceMonitor/api: spec.endpoints[0].port must be string (got 9090)',
    ]);
  });

  it('does not change the object it validates', async () => {
    const object = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' }, spec: { selector: {}, template: {} } };
    const before = structuredClone(object);
    await checkSchema(object);
    assert.deepEqual(object, before);
  });

  it('uses a registered schema for a custom resource', async () => {
    registerSchema('example.com/v1', 'Gadget', (object) =>
      (object as { spec?: unknown }).spec ? [] : [{ instancePath: '', keyword: 'required', params: { missingProperty: 'spec' } }]);
    assert.deepEqual(await checkSchema({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' }, spec: {} }), []);
    const findings = await checkSchema({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' } });
    assert.equal(findings[0]?.message, "Gadget/g: (root) is missing required field 'spec' (got {\"apiVersion\":\"example.com/v1\",\"kind\":\"Gadget\",\"metadata\":{\"name\":\"g\"}})");
  });

  it('checks names the API server would reject', async () => {
    const findings = await checkSchema(configMap({ metadata: { name: 'Bad_Name' } }));
    assert.equal(findings[0]?.path, 'metadata.name');
    assert.equal(findings[0]?.message,
      "ConfigMap/Bad_Name: metadata.name 'Bad_Name' must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
  });

  it('checks Service names as DNS-1035 labels (no dots, no leading digit)', async () => {
    for (const name of ['a.b', '1api']) {
      const findings = await checkSchema({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: {} });
      assert.equal(findings[0]?.path, 'metadata.name', name);
      assert.equal(findings[0]?.fix, 'Use a DNS-1035 label as the name.');
    }
    assert.deepEqual(await checkSchema({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: {} }), []);
  });

  it('checks label keys and values and annotation keys', async () => {
    const findings = await checkSchema(configMap({
      metadata: { name: 'c', labels: { 'team/app/x': 'ok', good: 'not ok!' }, annotations: { '-bad': 'x' } },
    }));
    assert.deepEqual(findings.map((f) => f.message), [
      "ConfigMap/c: label key 'team/app/x' must be a name with an optional DNS subdomain prefix and '/' (e.g. 'example.com/my-name')",
      "ConfigMap/c: label 'good' value 'not ok!' must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      "ConfigMap/c: annotation key '-bad' name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    ]);
  });

  it('requires a name unless generateName is set', async () => {
    assert.equal((await checkSchema(configMap({ metadata: {} })))[0]?.message, "ConfigMap/<unnamed>: metadata.name is not set");
    assert.deepEqual(await checkSchema(configMap({ metadata: { generateName: 'job-' } })), []);
  });
});

describe('pointerToPath', () => {
  it('turns a JSON pointer into a dotted path with indices', () => {
    assert.equal(pointerToPath('/spec/containers/0/env/1/name'), 'spec.containers[0].env[1].name');
    assert.equal(pointerToPath('/metadata/annotations/a~1b'), 'metadata.annotations.a/b');
  });
});
