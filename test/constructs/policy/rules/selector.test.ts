import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  findObjects, formatLabels, groupOf, isEmptySelector, matchesSelector, namespaceOf, namespacePhrase, podBearersSelectedBy, podMetadataPath,
} from '../../../../constructs/policy/rules/_selector.js';
import { podSpecOf } from '../../../../constructs/policy/_pod.js';
import { asCronJob, asPod, deployment, networkPolicy, pdb, service } from './_workload-fixtures.js';

const labels = { app: 'web', tier: 'api' };

describe('matchesSelector', () => {
  it('matches everything with an empty selector', () => {
    assert.equal(matchesSelector({}, labels), true);
    assert.equal(matchesSelector({}, undefined), true);
    assert.equal(matchesSelector({ matchLabels: {}, matchExpressions: [] }, {}), true);
  });

  it('matches nothing with a null (absent) selector', () => {
    assert.equal(matchesSelector(undefined, labels), false);
  });

  it('requires every matchLabels pair', () => {
    assert.equal(matchesSelector({ matchLabels: { app: 'web' } }, labels), true);
    assert.equal(matchesSelector({ matchLabels: { app: 'web', tier: 'api' } }, labels), true);
    assert.equal(matchesSelector({ matchLabels: { app: 'web', tier: 'db' } }, labels), false);
    assert.equal(matchesSelector({ matchLabels: { app: 'web' } }, undefined), false);
  });

  it('treats a plain map as matchLabels', () => {
    assert.equal(matchesSelector({ app: 'web' }, labels), true);
    assert.equal(matchesSelector({ app: 'api' }, labels), false);
    // a label key may be called matchLabels: a string value marks a plain map
    assert.equal(matchesSelector({ matchLabels: 'x' }, { matchLabels: 'x' }), true);
  });

  it('In: the label is present and listed', () => {
    const selector = { matchExpressions: [{ key: 'tier', operator: 'In', values: ['api', 'web'] }] };
    assert.equal(matchesSelector(selector, labels), true);
    assert.equal(matchesSelector(selector, { tier: 'db' }), false);
    assert.equal(matchesSelector(selector, {}), false);
  });

  it('NotIn: the label is absent or not listed', () => {
    const selector = { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] };
    assert.equal(matchesSelector(selector, labels), true);
    assert.equal(matchesSelector(selector, {}), true);
    assert.equal(matchesSelector(selector, { tier: 'db' }), false);
  });

  it('Exists and DoesNotExist look at the key only', () => {
    assert.equal(matchesSelector({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, labels), true);
    assert.equal(matchesSelector({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, { tier: '' }), true);
    assert.equal(matchesSelector({ matchExpressions: [{ key: 'canary', operator: 'Exists' }] }, labels), false);
    assert.equal(matchesSelector({ matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] }, labels), true);
    assert.equal(matchesSelector({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels), false);
  });

  it('ANDs matchLabels and matchExpressions', () => {
    const selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }] };
    assert.equal(matchesSelector(selector, labels), false);
    assert.equal(matchesSelector(selector, { app: 'web', tier: 'db' }), true);
  });

  it('matches nothing with a selector the API server rejects', () => {
    assert.equal(matchesSelector({ matchExpressions: [{ key: 'app', operator: 'Equals', values: ['web'] }] }, labels), false);
    assert.equal(matchesSelector({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: [] }] }, labels), false);
    assert.equal(matchesSelector({ matchExpressions: [{ key: 'app', operator: 'Exists', values: ['web'] }] }, labels), false);
  });
});

describe('selector helpers', () => {
  it('isEmptySelector', () => {
    assert.equal(isEmptySelector({}), true);
    assert.equal(isEmptySelector({ matchLabels: {} }), true);
    assert.equal(isEmptySelector({ matchLabels: { app: 'web' } }), false);
    assert.equal(isEmptySelector({ app: 'web' }), false);
  });

  it('namespaceOf and namespacePhrase', () => {
    assert.equal(namespaceOf(deployment()), '');
    assert.equal(namespaceOf(deployment('web', 'shop')), 'shop');
    assert.equal(namespacePhrase(''), 'in the same, unspecified namespace');
    assert.equal(namespacePhrase('shop'), 'in namespace \'shop\'');
  });

  it('groupOf', () => {
    assert.equal(groupOf('apps/v1'), 'apps');
    assert.equal(groupOf('v1'), '');
  });

  it('formatLabels', () => {
    assert.equal(formatLabels(labels), '{app=web, tier=api}');
    assert.equal(formatLabels(undefined), '{}');
  });

  it('podMetadataPath', () => {
    assert.equal(podMetadataPath(podSpecOf(deployment())!), 'spec.template.metadata');
    assert.equal(podMetadataPath(podSpecOf(asPod(deployment()))!), 'metadata');
    assert.equal(podMetadataPath(podSpecOf(asCronJob(deployment()))!), 'spec.jobTemplate.spec.template.metadata');
  });

  it('findObjects filters by kind, apiVersion and namespace', () => {
    const objects = [pdb('web'), pdb('web', undefined, 'shop'), { ...pdb('web'), apiVersion: 'policy/v1beta1' }, networkPolicy()];
    const found = findObjects({ objects }, { kind: 'PodDisruptionBudget', apiVersions: ['policy/v1'], namespace: '' });
    assert.deepEqual(found, [objects[0]]);
  });

  it('podBearersSelectedBy finds workloads, CronJobs and Pods in the namespace', () => {
    const web = deployment();
    const job = asCronJob(deployment());
    const pod = asPod(deployment());
    const elsewhere = deployment('web', 'shop');
    const objects = [web, job, pod, elsewhere, service()];
    assert.deepEqual(podBearersSelectedBy({ objects }, '', { app: 'web' }), [web, job, pod]);
    assert.deepEqual(podBearersSelectedBy({ objects }, 'shop', { matchLabels: { app: 'web' } }), [elsewhere]);
    assert.deepEqual(podBearersSelectedBy({ objects }, '', undefined), []);
  });
});
