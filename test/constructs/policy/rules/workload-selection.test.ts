import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  KIT_NETWORK_POLICY, KIT_SELECTOR_MATCH, formatSelector, governsIngressOf,
} from '../../../../constructs/policy/rules/workload-selection.js';
import { asCronJob, asKind, asPod, check, deployment, networkPolicy, service, summarize } from './_workload-fixtures.js';

describe('kit-network-policy', () => {
  it('passes a workload selected by an Ingress NetworkPolicy', () => {
    assert.deepEqual(check(KIT_NETWORK_POLICY, deployment(), networkPolicy()), []);
  });

  it('passes with a default-deny policy: empty or absent podSelector, absent policyTypes', () => {
    assert.deepEqual(check(KIT_NETWORK_POLICY, deployment(), networkPolicy({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] })), []);
    assert.deepEqual(check(KIT_NETWORK_POLICY, deployment(), networkPolicy({})), []);
    assert.deepEqual(check(KIT_NETWORK_POLICY, deployment(), networkPolicy({ podSelector: { matchLabels: { app: 'web' } }, egress: [{}] })), []);
  });

  it('fails a workload no Ingress NetworkPolicy selects', () => {
    const findings = check(KIT_NETWORK_POLICY, deployment());
    assert.deepEqual(summarize(findings), [{
      ruleId: 'kit-network-policy',
      path: 'spec.template.metadata.labels',
      message: 'Deployment/web: no networking.k8s.io/v1 NetworkPolicy with policyTypes Ingress in the same, unspecified namespace selects its pod labels {app=web}, so any pod in the cluster can connect to it.',
    }]);
    assert.equal(findings[0]?.fix, 'Add a networking.k8s.io/v1 NetworkPolicy in the same, unspecified namespace whose spec.podSelector matches {app=web}, with policyTypes [Ingress] and ingress rules for the callers it must accept (or a default-deny policy with podSelector {}).');
  });

  it('does not count Egress-only policies, other namespaces or other pods', () => {
    const web = deployment('web', 'shop');
    const others = [
      networkPolicy({ podSelector: {}, policyTypes: ['Egress'] }, 'shop'),
      networkPolicy(undefined, 'other'),
      networkPolicy({ podSelector: { matchLabels: { app: 'api' } } }, 'shop'),
    ];
    assert.deepEqual(summarize(check(KIT_NETWORK_POLICY, web, ...others)), [{
      ruleId: 'kit-network-policy',
      path: 'spec.template.metadata.labels',
      message: 'Deployment/shop/web: no networking.k8s.io/v1 NetworkPolicy with policyTypes Ingress in namespace \'shop\' selects its pod labels {app=web}, so any pod in the cluster can connect to it.',
    }]);
  });

  it('covers CronJobs, Jobs and Pods, and ignores objects without pods', () => {
    assert.equal(check(KIT_NETWORK_POLICY, asCronJob(deployment()))[0]?.path, 'spec.jobTemplate.spec.template.metadata.labels');
    assert.equal(check(KIT_NETWORK_POLICY, asKind(deployment(), 'Job'))[0]?.path, 'spec.template.metadata.labels');
    assert.equal(check(KIT_NETWORK_POLICY, asPod(deployment()))[0]?.path, 'metadata.labels');
    assert.deepEqual(check(KIT_NETWORK_POLICY, service()), []);
  });

  it('governsIngressOf applies the API defaults', () => {
    assert.equal(governsIngressOf(networkPolicy({}), undefined), true);
    assert.equal(governsIngressOf(networkPolicy({ policyTypes: ['Egress'] }), { app: 'web' }), false);
  });
});

describe('kit-selector-match: workloads', () => {
  it('passes a selector that matches the template labels', () => {
    for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']) {
      assert.deepEqual(check(KIT_SELECTOR_MATCH, asKind(deployment(), kind)), [], kind);
    }
    const withExpressions = deployment();
    withExpressions.spec.selector = { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] };
    assert.deepEqual(check(KIT_SELECTOR_MATCH, withExpressions), []);
  });

  it('fails a selector that does not match the template labels', () => {
    const web = deployment();
    web.spec.selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] };
    const findings = check(KIT_SELECTOR_MATCH, web);
    assert.deepEqual(summarize(findings), [{
      ruleId: 'kit-selector-match',
      path: 'spec.selector',
      message: 'Deployment/web: spec.selector {matchLabels: {app=web}, matchExpressions: [tier Exists]} does not match its pod template labels {app=web}; the API server rejects it.',
    }]);
    assert.equal(findings[0]?.fix, 'Make spec.selector and spec.template.metadata.labels agree, e.g. matchLabels {app=web}; spec.selector cannot be changed after creation.');
  });

  it('fails a missing or empty selector', () => {
    const missing = asKind(deployment(), 'StatefulSet');
    delete missing.spec.selector;
    assert.deepEqual(summarize(check(KIT_SELECTOR_MATCH, missing)), [{
      ruleId: 'kit-selector-match',
      path: 'spec.selector',
      message: 'StatefulSet/web has no spec.selector (found: not set); the API server requires one for a StatefulSet.',
    }]);
    const empty = deployment();
    empty.spec.selector = {};
    assert.deepEqual(summarize(check(KIT_SELECTOR_MATCH, empty)), [{
      ruleId: 'kit-selector-match',
      path: 'spec.selector',
      message: 'Deployment/web has an empty spec.selector {}; the API server rejects an empty selector for a Deployment.',
    }]);
  });

  it('ignores Jobs, CronJobs and Pods', () => {
    const job = asKind(deployment(), 'Job');
    delete job.spec.selector;
    assert.deepEqual(check(KIT_SELECTOR_MATCH, job), []);
    assert.deepEqual(check(KIT_SELECTOR_MATCH, asCronJob(deployment())), []);
    assert.deepEqual(check(KIT_SELECTOR_MATCH, asPod(deployment())), []);
  });

  it('formatSelector', () => {
    assert.equal(formatSelector({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db', 'cache'] }] }), '{matchExpressions: [tier NotIn (db, cache)]}');
  });
});

describe('kit-selector-match: Services', () => {
  it('passes a Service whose selector matches a workload, CronJob or Pod in its namespace', () => {
    assert.deepEqual(check(KIT_SELECTOR_MATCH, service(), deployment()), []);
    assert.deepEqual(check(KIT_SELECTOR_MATCH, service(), asPod(deployment())), []);
    assert.deepEqual(check(KIT_SELECTOR_MATCH, service({ app: 'web' }, {}, 'shop'), deployment('web', 'shop')), []);
  });

  it('fails a Service whose selector matches no pods in its namespace', () => {
    const findings = check(KIT_SELECTOR_MATCH, service({ app: 'web', tier: 'api' }, {}, 'shop'), deployment('web', 'shop'), deployment('api', 'other'));
    assert.deepEqual(summarize(findings), [{
      ruleId: 'kit-selector-match',
      path: 'spec.selector',
      message: 'Service/shop/web: spec.selector {app=web, tier=api} matches the pod labels of no Pod, workload or CronJob in namespace \'shop\', so the Service has no endpoints.',
    }]);
    assert.equal(findings[0]?.fix, 'Set spec.selector to the pod template labels of the workload the Service fronts, or remove the selector if its endpoints are managed elsewhere.');
  });

  it('ignores Services without a selector and ExternalName Services', () => {
    assert.deepEqual(check(KIT_SELECTOR_MATCH, service(null)), []);
    assert.deepEqual(check(KIT_SELECTOR_MATCH, service({})), []);
    assert.deepEqual(check(KIT_SELECTOR_MATCH, service({ app: 'web' }, { type: 'ExternalName', externalName: 'db.example.com' })), []);
  });
});
