import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { containersOf, podSpecOf } from '../../../constructs/core/pod.js';

describe('podSpecOf', () => {
  it('finds the pod spec of a CronJob', () => {
    const pod = podSpecOf({
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' },
      spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: 'a:1' }] } } } } },
    });
    assert.equal(pod?.path, 'spec.jobTemplate.spec.template.spec');
    assert.deepEqual(containersOf(pod!).map((c) => c.path), ['spec.jobTemplate.spec.template.spec.containers[0]']);
  });

  it('returns undefined for objects without pods', () => {
    assert.equal(podSpecOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }), undefined);
  });
});
