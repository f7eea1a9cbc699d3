/**
 * The cdk8s escape hatch on a HardenedDeployment: `ApiObject.of(deployment).addJsonPatch`
 * patches apply after the kit's final transform, so a patch of a field the kit sets wins,
 * the validation spine sees the patched object, and no patch means no change.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { HardenedDeployment, validateApp } from '../../../constructs/index.js';
import { minimalProps, ofKind } from './_deployment-fixtures.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

function build(...patches: JsonPatch[]) {
  const chart = Testing.chart();
  const api = new HardenedDeployment(chart, 'api', minimalProps());
  if (patches.length > 0) ApiObject.of(api).addJsonPatch(...patches);
  const deployment = ofKind(Testing.synth(chart), 'Deployment') as any;
  return { api, deployment, pod: deployment.spec.template.spec, main: deployment.spec.template.spec.containers[0] };
}

describe('HardenedDeployment escape hatch', () => {
  it('defaults: the kit sets the image pull policy, resources and pod securityContext', () => {
    const { pod, main } = build();
    assert.equal(main.imagePullPolicy, 'IfNotPresent');
    assert.deepEqual(main.resources, { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '256Mi' } });
    assert.deepEqual(pod.securityContext.seccompProfile, { type: 'RuntimeDefault' });
  });

  it('a replace of a field the kit sets survives synthesis', () => {
    const { main } = build(JsonPatch.replace('/spec/template/spec/containers/0/imagePullPolicy', 'Always'));
    assert.equal(main.imagePullPolicy, 'Always');
  });

  it('an add into the container resources the kit sets survives synthesis', () => {
    const { main } = build(JsonPatch.add('/spec/template/spec/containers/0/resources/limits/cpu', '1'));
    assert.deepEqual(main.resources, { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '256Mi', cpu: '1' } });
  });

  it('an add of a pod securityContext field the kit sets survives synthesis', () => {
    const profile = { type: 'Localhost', localhostProfile: 'profiles/api.json' };
    const { pod } = build(JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', profile));
    assert.deepEqual(pod.securityContext.seccompProfile, profile);
    assert.equal(pod.securityContext.runAsNonRoot, true, 'the rest of the kit\'s context is kept');
  });

  it('a patched field newer than the cdk8s-plus-27 schema is kept', () => {
    const { pod } = build(JsonPatch.add('/spec/template/spec/securityContext/supplementalGroupsPolicy', 'Strict'));
    assert.equal(pod.securityContext.supplementalGroupsPolicy, 'Strict');
  });

  it('several patches apply in the order they were added, after the kit', () => {
    const { main } = build(
      JsonPatch.replace('/spec/template/spec/containers/0/imagePullPolicy', 'Always'),
      JsonPatch.replace('/spec/template/spec/containers/0/imagePullPolicy', 'Never'),
    );
    assert.equal(main.imagePullPolicy, 'Never');
  });

  it('a patch changes only what it names', () => {
    const plain = build().deployment;
    const patched = build(JsonPatch.add('/spec/template/spec/containers/0/resources/limits/cpu', '1')).deployment;
    delete patched.spec.template.spec.containers[0].resources.limits.cpu;
    assert.deepEqual(patched, plain);
  });

  it('the validation spine sees the patched object', async () => {
    const app = new App();
    const chart = new Chart(app, 'app');
    const api = new HardenedDeployment(chart, 'api', minimalProps({ name: 'api' }));
    const before = await validateApp(app);
    assert.ok(!before.errors.some((f) => f.ruleId === 'pss-privilege-escalation'), before.format());
    ApiObject.of(api).addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation', true));
    const after = await validateApp(app);
    assert.ok(after.errors.some((f) => f.ruleId === 'pss-privilege-escalation'), after.format());
  });

  it('throws naming the object if a patch cannot apply', () => {
    const chart = Testing.chart();
    const api = new HardenedDeployment(chart, 'api', minimalProps());
    ApiObject.of(api).addJsonPatch(JsonPatch.replace('/spec/template/spec/nothing/here', 1));
    assert.throws(() => Testing.synth(chart), /Failed applying a JSON patch to 'test\/api\/Resource\/Resource' \(kind Deployment\)/);
  });
});
