import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { App, Chart } from 'cdk8s';
import {
  addPolicyException, assertValid, EXCEPTION_ANNOTATION_PREFIX, HardenedDeployment, PolicyViolationError, Probe,
  Severity, validateApp, validateManifests, type ManifestObject, type PolicyRule,
} from '../../../constructs/index.js';
import { configMap } from './_objects.js';

/** A rule that flags every ConfigMap with a `forbidden` key, for testing the spine itself. */
const NO_FORBIDDEN: PolicyRule = {
  id: 'test-no-forbidden',
  severity: Severity.ERROR,
  description: 'ConfigMaps have no forbidden key',
  check: (object) => ((object.data as Record<string, string> | undefined)?.forbidden !== undefined
    ? [{ ruleId: 'test-no-forbidden', severity: Severity.ERROR, path: 'data.forbidden', message: 'forbidden key present', fix: 'Remove it.' }]
    : []),
};

const WARN: PolicyRule = {
  id: 'test-warn',
  severity: Severity.WARNING,
  description: 'always warns',
  check: () => [{ ruleId: 'test-warn', severity: Severity.WARNING, path: 'data', message: 'just so you know', fix: 'Nothing.' }],
};

function withAnnotations(object: ManifestObject, annotations: Record<string, string>): ManifestObject {
  return { ...object, metadata: { ...object.metadata, annotations } };
}

describe('validateManifests', () => {
  it('passes a compliant object', async () => {
    const report = await validateManifests([{ object: configMap() }], { rules: [NO_FORBIDDEN] });
    assert.equal(report.ok, true);
    assert.equal(report.objectCount, 1);
    assert.deepEqual(report.findings, []);
  });

  it('fails on a rule error and says where', async () => {
    const report = await validateManifests([{ object: configMap({ data: { forbidden: 'x' } }), constructPath: 'app/cm' }], { rules: [NO_FORBIDDEN] });
    assert.equal(report.ok, false);
    assert.deepEqual(report.errors.map((f) => [f.ruleId, f.object, f.constructPath, f.path]), [['test-no-forbidden', 'ConfigMap/settings', 'app/cm', 'data.forbidden']]);
    assert.equal(report.format(), [
      'ERROR [test-no-forbidden] ConfigMap/settings (construct app/cm)',
      '  at data.forbidden: forbidden key present',
      '  fix: Remove it.',
      '1 objects checked: 1 errors, 0 warnings, 0 waived by exceptions',
    ].join('\n'));
  });

  it('reports warnings without failing', async () => {
    const report = await validateManifests([{ object: configMap() }], { rules: [WARN] });
    assert.equal(report.ok, true);
    assert.deepEqual(report.errors, []);
    assert.deepEqual(report.warnings.map((f) => [f.ruleId, f.severity, f.object, f.path, f.message]),
      [['test-warn', Severity.WARNING, 'ConfigMap/settings', 'data', 'just so you know']]);
  });

  it('waives a finding excepted by annotation, keeping the reason', async () => {
    const object = withAnnotations(configMap({ data: { forbidden: 'x' } }), { [`${EXCEPTION_ANNOTATION_PREFIX}test-no-forbidden`]: 'legacy tool reads it' });
    const report = await validateManifests([{ object }], { rules: [NO_FORBIDDEN] });
    assert.equal(report.ok, true);
    assert.deepEqual(report.waived.map((f) => [f.ruleId, f.waivedBecause]), [['test-no-forbidden', 'legacy tool reads it']]);
  });

  it('fails an exception with no reason, and does not waive', async () => {
    const object = withAnnotations(configMap({ data: { forbidden: 'x' } }), { [`${EXCEPTION_ANNOTATION_PREFIX}test-no-forbidden`]: ' ' });
    const report = await validateManifests([{ object }], { rules: [NO_FORBIDDEN] });
    assert.deepEqual(report.errors.map((f) => [f.ruleId, f.message]), [
      ['policy-exception', "ConfigMap/settings: exception for rule 'test-no-forbidden' has no reason"],
      ['test-no-forbidden', 'forbidden key present'],
    ]);
  });

  it('fails an exception for a rule that does not exist', async () => {
    const object = withAnnotations(configMap(), { [`${EXCEPTION_ANNOTATION_PREFIX}test-typo`]: 'because' });
    const report = await validateManifests([{ object }], { rules: [NO_FORBIDDEN] });
    assert.equal(report.errors[0]?.message, "ConfigMap/settings: exception names unknown rule 'test-typo'");
    assert.equal(report.errors[0]?.fix, 'Use one of the rule ids: test-no-forbidden.');
  });

  it('never waives schema findings', async () => {
    const object = withAnnotations(configMap({ metadata: { name: 'Bad' } }), { [`${EXCEPTION_ANNOTATION_PREFIX}schema`]: 'please' });
    const report = await validateManifests([{ object }], { rules: [NO_FORBIDDEN] });
    assert.deepEqual(report.errors.map((f) => f.ruleId), ['schema', 'policy-exception']);
  });

  it('runs the default rules when none are given', async () => {
    const pod: ManifestObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'a:latest' }] } };
    const report = await validateManifests([{ object: pod }]);
    const ids = new Set(report.errors.map((f) => f.ruleId));
    for (const id of ['pss-run-as-non-root', 'pss-seccomp', 'pss-privilege-escalation', 'pss-capabilities-restricted', 'kit-image-tag', 'kit-resources']) {
      assert.ok(ids.has(id), `expected a ${id} finding, got ${[...ids].join(', ')}`);
    }
  });
});

function minimalDeployment(chart: Chart, props: Partial<ConstructorParameters<typeof HardenedDeployment>[2]> = {}) {
  return new HardenedDeployment(chart, 'api', {
    image: 'nginx:1.27.3',
    ports: [{ number: 8080 }],
    resources: { cpu: { request: '100m' }, memory: { request: '64Mi', limit: '128Mi' } },
    liveness: Probe.httpGet('/healthz'),
    readiness: Probe.httpGet('/ready'),
    ...props,
  });
}

describe('validateApp', () => {
  it('checks every object of every chart with its construct path', async () => {
    const app = new App();
    minimalDeployment(new Chart(app, 'one'));
    minimalDeployment(new Chart(app, 'two'), { mountServiceAccountToken: true });
    const report = await validateApp(app);
    assert.equal(report.objectCount, 8);
    assert.equal(report.ok, true, report.format());
    assert.deepEqual(report.warnings.map((f) => [f.ruleId, f.constructPath]), [['kit-service-account-token', 'two/api/Resource/Resource']]);
  });

  it('assertValid throws PolicyViolationError with the findings', async () => {
    const app = new App();
    const workload = minimalDeployment(new Chart(app, 'one'));
    workload.deployment.metadata.addAnnotation(`${EXCEPTION_ANNOTATION_PREFIX}kit-probes`, '');
    await assert.rejects(assertValid(app), (error: unknown) => {
      assert.ok(error instanceof PolicyViolationError);
      assert.match(error.message, /exception for rule 'kit-probes' has no reason/);
      return true;
    });
  });

  it('addPolicyException annotates a construct so its finding is waived', async () => {
    const app = new App();
    const workload = minimalDeployment(new Chart(app, 'one'), { mountServiceAccountToken: true });
    addPolicyException(workload.deployment, 'kit-service-account-token', 'calls the Kubernetes API to read leases');
    const report = await assertValid(app);
    assert.deepEqual(report.warnings, []);
    assert.deepEqual(report.waived.map((f) => f.waivedBecause), ['calls the Kubernetes API to read leases']);
  });
});

describe('validateManifests: rules that need other objects, and rules that fail', () => {
  /** A rule that reads a field every ConfigMap of the schema's shape has, and fails on any other shape. */
  const READS_DATA: PolicyRule = {
    id: 'test-reads-data',
    severity: Severity.ERROR,
    description: 'reads data.a',
    check: (object) => ((object.data as { a: string }).a.length > 100 ? [] : []),
  };
  /** A cross-object rule: a ConfigMap named `needs-peer` needs a ConfigMap named `peer`. */
  const NEEDS_PEER: PolicyRule = {
    id: 'test-needs-peer',
    severity: Severity.ERROR,
    description: 'needs a peer',
    check: (object, context) => (object.metadata?.name === 'needs-peer' && !context.objects.some((o) => o.metadata?.name === 'peer')
      ? [{ ruleId: 'test-needs-peer', severity: Severity.ERROR, path: 'metadata.name', message: 'no peer', fix: 'Add one.' }]
      : []),
  };

  it('lets the cross-object rules see `alongside` objects without validating them', async () => {
    const object = configMap({ metadata: { name: 'needs-peer' } });
    assert.deepEqual((await validateManifests([{ object }], { rules: [NEEDS_PEER] })).errors.map((f) => f.message), ['no peer']);
    const broken = { ...configMap({ metadata: { name: 'peer' } }), data: 42 } as unknown as ManifestObject;
    const report = await validateManifests([{ object }], { rules: [NEEDS_PEER], alongside: [broken] });
    assert.equal(report.ok, true);
    assert.equal(report.objectCount, 1);
  });

  it('reports a schema-invalid object by its schema errors when a rule trips over its shape, and names the rule when the object was valid', async () => {
    const invalid = { ...configMap(), data: 'not a map' } as unknown as ManifestObject;
    const report = await validateManifests([{ object: invalid }], { rules: [READS_DATA] });
    assert.deepEqual([...new Set(report.errors.map((f) => f.ruleId))], ['schema']);
    const valid = { ...configMap(), data: { b: 'c' } } as ManifestObject;
    await assert.rejects(validateManifests([{ object: valid }], { rules: [READS_DATA] }), /^Error: policy rule test-reads-data failed on ConfigMap\/settings: Cannot read properties of undefined \(reading 'length'\)$/);
  });
});
