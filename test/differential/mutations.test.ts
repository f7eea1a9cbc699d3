import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyMutation, candidateMutations, formatPath, sampleMutations, seededRandom } from './mutations.js';

const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'apps', labels: { app: 'web' } },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
};
const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'apps' }, data: { 'a.yaml': 'x: 1' } };

describe('differential mutations', () => {
  it('mutate each field along its shape, never the identity (apiVersion, kind, namespace)', () => {
    const candidates = candidateMutations([service]).map((m) => `${formatPath(m.path)} ${m.mutator}`);
    for (const expected of [
      'spec.ports[0].port negative', 'spec.ports[0].port int32-overflow', 'spec.ports[0].port zero',
      'spec.ports empty-list', 'spec.ports duplicate-item', 'spec.ports[0].name bad-characters', 'spec.ports[0].name over-long',
      'spec.selector empty-object', 'spec.ports[0].targetPort drop-key', 'metadata.name over-long-name', 'metadata.name upper-case-name',
      'metadata.labels.bad key! bad-key', 'metadata.labels.example.com/x bad-label-value',
    ]) assert.ok(candidates.includes(expected), expected);
    assert.ok(!candidates.some((c) => /^(apiVersion|kind|metadata\.namespace) /.test(c)), 'identity fields are not mutated');
    assert.ok(!candidates.includes('metadata drop-key') && !candidates.includes('metadata.name drop-key'));
  });

  it('apply a mutation to a copy: the field changes, the original does not', () => {
    const [negative] = candidateMutations([service]).filter((m) => formatPath(m.path) === 'spec.ports[0].port' && m.mutator === 'negative');
    const mutated = applyMutation(service, negative!);
    assert.equal(mutated.spec.ports[0]!.port, -1);
    assert.equal(service.spec.ports[0]!.port, 80);
    const [dropped] = candidateMutations([service]).filter((m) => formatPath(m.path) === 'spec.ports[0].targetPort' && m.mutator === 'drop-key');
    assert.ok(!('targetPort' in applyMutation(service, dropped!).spec.ports[0]!));
  });

  it('sample reproducibly: the same seed draws the same mutations, another seed others, spread over the kinds', () => {
    const objects = [service, configMap];
    const candidates = candidateMutations(objects);
    const a = sampleMutations(objects, candidates, 10, 7);
    assert.deepEqual(sampleMutations(objects, candidates, 10, 7), a);
    assert.notDeepEqual(sampleMutations(objects, candidates, 10, 8), a);
    assert.deepEqual(new Set(a.map((m) => m.objectIndex)), new Set([0, 1]));
    assert.equal(new Set(a.map((m) => `${m.objectIndex} ${formatPath(m.path)} ${m.mutator}`)).size, 10, 'no mutation drawn twice');
    assert.equal(sampleMutations(objects, candidates, 10_000, 7).length, candidates.length, 'never more than the candidates');
  });

  it('draw numbers in [0, 1) from the seed alone', () => {
    const [x, y] = [seededRandom(42), seededRandom(42)];
    const draws = Array.from({ length: 1000 }, () => x());
    assert.deepEqual(Array.from({ length: 1000 }, () => y()), draws);
    assert.ok(draws.every((d) => d >= 0 && d < 1));
  });
});
