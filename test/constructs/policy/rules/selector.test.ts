import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  findByKey, findNamed, findObjects, formatLabels, groupOf, isEmptySelector, matchesSelector, namespaceOf, namespacePhrase,
  podBearersSelectedBy, podMetadataPath, selectorsMatching, type SelectorOf,
} from '../../../../constructs/policy/rules/_selector.js';
import type { ManifestObject } from '../../../../constructs/policy/finding.js';
import { DEFAULT_RULES } from '../../../../constructs/policy/rules/default-rules.js';
import { podSpecOf } from '../../../../constructs/core/pod.js';
import { asCronJob, asPod, deployment, hpa, networkPolicy, pdb, service } from './_workload-fixtures.js';

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

/** A PodDisruptionBudget's selector, read the way the kit-pdb rule reads it. */
const pdbSelector: SelectorOf = (object) => (object.spec as { selector?: Record<string, unknown> } | undefined)?.selector as never;

describe('context look-ups', () => {
  it('podBearersSelectedBy keeps the context order and checks every requirement, not only the first label', () => {
    const a = deployment('a');
    const b = { ...deployment('b'), spec: { ...deployment('b').spec, template: { metadata: { labels: { app: 'a', tier: 'db' } }, spec: deployment('b').spec.template.spec } } };
    const objects = [b, service(), a];
    assert.deepEqual(podBearersSelectedBy({ objects }, '', { app: 'a' }), [b, a]);
    assert.deepEqual(podBearersSelectedBy({ objects }, '', { matchLabels: { app: 'a', tier: 'db' } }), [b]);
    assert.deepEqual(podBearersSelectedBy({ objects }, '', { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }), [a]);
    assert.deepEqual(podBearersSelectedBy({ objects }, '', {}), [b, a]);
    assert.deepEqual(podBearersSelectedBy({ objects }, 'other', {}), []);
  });

  it('findNamed finds by kind, namespace and name, and unnamed objects by undefined', () => {
    const web = deployment('web');
    const unnamed = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: {} } as ManifestObject;
    const objects = [web, deployment('web', 'shop'), unnamed, service()];
    assert.deepEqual(findNamed({ objects }, 'Deployment', '', 'web'), [web]);
    assert.deepEqual(findNamed({ objects }, 'Deployment', '', undefined), [unnamed]);
    assert.deepEqual(findNamed({ objects }, 'Deployment', 'shop', 'api'), []);
  });

  it('findByKey finds the objects of a query by a key read from them', () => {
    const toWeb = hpa('web');
    const toApi = hpa('api');
    const elsewhere = hpa('web', {}, 'shop');
    const objects = [toWeb, toApi, elsewhere, deployment('web')];
    const target = (object: ManifestObject) => (object.spec as { scaleTargetRef?: { name?: string } }).scaleTargetRef?.name;
    const query = { kind: 'HorizontalPodAutoscaler', apiVersions: ['autoscaling/v2'], namespace: '' };
    assert.deepEqual(findByKey({ objects }, query, target, 'web'), [toWeb]);
    assert.deepEqual(findByKey({ objects }, query, target, 'db'), []);
    assert.deepEqual(findByKey({ objects }, query, target, undefined), []);
  });

  it('selectorsMatching finds anchored, expression-only and empty selectors, in context order', () => {
    const byLabel = pdb('web');
    const byExpression = { ...pdb('x'), spec: { selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] } } };
    const everything = { ...pdb('y'), spec: { selector: {} } };
    const nothing = { ...pdb('z'), spec: {} };
    const other = pdb('api');
    const objects = [everything, other, byLabel, nothing, byExpression];
    const query = { kind: 'PodDisruptionBudget', apiVersions: ['policy/v1'], namespace: '' };
    assert.deepEqual(selectorsMatching({ objects }, query, pdbSelector, { app: 'web', tier: 'api' }), [everything, byLabel, byExpression]);
    assert.deepEqual(selectorsMatching({ objects }, query, pdbSelector, undefined), [everything]);
    assert.deepEqual(selectorsMatching({ objects }, { ...query, namespace: 'shop' }, pdbSelector, { app: 'web' }), []);
  });

  it('sees objects added to the context after a first look-up', () => {
    const objects: ManifestObject[] = [pdb('web')];
    const query = { kind: 'PodDisruptionBudget', apiVersions: ['policy/v1'], namespace: '' };
    assert.equal(findObjects({ objects }, query).length, 1);
    objects.push(pdb('api'));
    assert.equal(findObjects({ objects }, query).length, 2);
    assert.equal(selectorsMatching({ objects }, query, pdbSelector, { app: 'api' }).length, 1);
  });

  it('finds the one workload left uncovered among many in one namespace', () => {
    const objects: ManifestObject[] = [];
    for (let i = 0; i < 300; i++) {
      const name = `svc-${i}`;
      objects.push(deployment(name, 'apps'), service({ app: name }, {}, 'apps'));
      if (i !== 123) objects.push(pdb(name, { maxUnavailable: 1 }, 'apps'));
      if (i !== 200) objects.push(networkPolicy({ podSelector: { matchLabels: { app: name } }, policyTypes: ['Ingress'] }, 'apps'));
    }
    const context = { objects };
    const findings = objects.flatMap((object) => DEFAULT_RULES.flatMap((rule) => rule.check(object, context)))
      .filter((f) => f.ruleId === 'kit-pdb' || f.ruleId === 'kit-network-policy' || f.ruleId === 'kit-selector-match');
    assert.deepEqual(findings.map((f) => `${f.ruleId} ${f.message.split(/:? /)[0]}`), [
      'kit-pdb Deployment/apps/svc-123',
      'kit-network-policy Deployment/apps/svc-200',
    ]);
  });
});
