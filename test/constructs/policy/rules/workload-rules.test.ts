import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Severity } from '../../../../constructs/policy/finding.js';
import type { ManifestObject } from '../../../../constructs/policy/finding.js';
import { WORKLOAD_RULES } from '../../../../constructs/policy/rules/workload.js';
import { deployment, networkPolicy, pdb, service } from './_workload-fixtures.js';

describe('WORKLOAD_RULES', () => {
  it('lists the nine workload rules, in order', () => {
    assert.deepEqual(WORKLOAD_RULES.map((rule) => rule.id), [
      'kit-probes', 'kit-probes-differ', 'kit-resources', 'kit-qos-declared', 'kit-image-tag',
      'kit-pdb', 'kit-network-policy', 'kit-hpa-replicas', 'kit-selector-match',
    ]);
  });

  it('are errors (kit-probes-differ a warning) with valid ids and a description', () => {
    for (const rule of WORKLOAD_RULES) {
      assert.equal(rule.severity, rule.id === 'kit-probes-differ' ? Severity.WARNING : Severity.ERROR, rule.id);
      assert.match(rule.id, /^[a-z][a-z0-9-]{0,49}$/, rule.id);
      assert.ok(rule.description.length > 0, rule.id);
    }
  });

  it('find nothing in a compliant application', () => {
    const objects = [deployment(), pdb(), networkPolicy(), service()];
    for (const rule of WORKLOAD_RULES) {
      for (const object of objects) {
        assert.deepEqual(rule.check(object, { objects }), [], `${rule.id} on ${object.kind}`);
      }
    }
  });

  it('report missing fields as findings instead of throwing: only the replicated Deployment and the HPA are flagged', () => {
    const partial: ManifestObject[] = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 2, template: { spec: {} } } },
      { apiVersion: 'v1', kind: 'Pod' },
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'n' } },
      { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } },
    ];
    const found = WORKLOAD_RULES.flatMap((rule) => partial.flatMap((object, index) =>
      rule.check(object, { objects: partial }).map((finding) => [rule.id, index, finding.path])));
    assert.deepEqual(found, [
      ['kit-pdb', 2, 'spec.replicas'],
      ['kit-hpa-replicas', 6, 'spec.scaleTargetRef'],
      ['kit-hpa-replicas', 6, 'spec.maxReplicas'],
      ['kit-selector-match', 2, 'spec.selector'],
    ]);
  });
});
