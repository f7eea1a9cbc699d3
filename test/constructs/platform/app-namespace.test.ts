import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { AppNamespace, RESTRICTED_POD_SECURITY_LABELS, validateManifests, type AppNamespaceProps, type ManifestObject } from '../../../constructs/index.js';

function synth(props: AppNamespaceProps) {
  const chart = Testing.chart();
  new AppNamespace(chart, 'ns', props);
  return Testing.synth(chart) as ManifestObject[];
}

describe('AppNamespace', () => {
  it('writes a Namespace that enforces, audits and warns on the restricted profile', async () => {
    const objects = synth({ name: 'todo', labels: { team: 'web' } });
    assert.deepEqual(objects, [{
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'todo', labels: { team: 'web', ...RESTRICTED_POD_SECURITY_LABELS } },
    }]);
    assert.equal((await validateManifests(objects.map((object) => ({ object })))).ok, true);
  });

  it('rejects a bad name and any attempt to relax Pod Security', () => {
    assert.throws(() => synth({ name: 'Todo' }), /^PropsError: AppNamespace 'test\/ns': name \('Todo'\) must consist of lower case/);
    assert.throws(() => synth({ name: 'todo', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } }), {
      message: "AppNamespace 'test/ns': labels['pod-security.kubernetes.io/enforce'] would weaken the restricted Pod Security labels; expected a policy exception on the workload instead",
    });
  });
});
