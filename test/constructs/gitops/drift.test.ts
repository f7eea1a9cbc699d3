/**
 * Drift between synthesized manifests and a committed directory: missing, changed (with
 * the first differing line) and stale files; other files are not synth's business.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatDrift, manifestDrift } from '../../../constructs/gitops/index.js';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kit-drift-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

describe('manifestDrift', () => {
  it('finds nothing when the directories hold the same manifests, whatever else is there', () => {
    const expected = tree({ 'a.k8s.yaml': 'x: 1\n', 'sub/b.k8s.yaml': 'y: 2\n' });
    const actual = tree({ 'a.k8s.yaml': 'x: 1\n', 'sub/b.k8s.yaml': 'y: 2\n', 'README.md': 'notes' });
    assert.deepEqual(manifestDrift(expected, actual), []);
    assert.equal(formatDrift('dist/dev', []), 'dist/dev is up to date');
  });

  it('reports missing, changed (first differing line) and stale manifests, sorted', () => {
    const expected = tree({ 'a.k8s.yaml': 'kind: Deployment\nreplicas: 4\n', 'c.k8s.yaml': 'new\n' });
    const actual = tree({ 'a.k8s.yaml': 'kind: Deployment\nreplicas: 5\n', 'b.k8s.yaml': 'old\n' });
    const drift = manifestDrift(expected, actual);
    assert.deepEqual(drift, [
      { file: 'a.k8s.yaml', kind: 'changed', line: 2, expected: 'replicas: 4', actual: 'replicas: 5' },
      { file: 'c.k8s.yaml', kind: 'missing' },
      { file: 'b.k8s.yaml', kind: 'stale' },
    ]);
    assert.equal(formatDrift('dist/dev', drift), [
      'dist/dev is out of date (3 files); run `npm run synth` and commit the result:',
      '  changed: a.k8s.yaml line 2: committed "replicas: 5", synth writes "replicas: 4"',
      '  missing: c.k8s.yaml (synth writes it; it is not committed)',
      '  stale:   b.k8s.yaml (synth no longer writes it; delete it)',
    ].join('\n'));
  });

  it('names the command that regenerates the directory, when given', () => {
    assert.equal(formatDrift('dist/dev', [{ file: 'b.k8s.yaml', kind: 'stale' }], 'npm run synth -- --env dev'), [
      'dist/dev is out of date (1 file); run `npm run synth -- --env dev` and commit the result:',
      '  stale:   b.k8s.yaml (synth no longer writes it; delete it)',
    ].join('\n'));
  });

  it('treats a directory that does not exist as empty: every manifest is missing', () => {
    const expected = tree({ 'a.k8s.yaml': 'x\n' });
    assert.deepEqual(manifestDrift(expected, join(expected, 'nowhere')), [{ file: 'a.k8s.yaml', kind: 'missing' }]);
  });

  it('points at the end of a file that was cut short', () => {
    const expected = tree({ 'a.k8s.yaml': 'a\nb\n' });
    const actual = tree({ 'a.k8s.yaml': 'a\n' });
    assert.deepEqual(manifestDrift(expected, actual), [{ file: 'a.k8s.yaml', kind: 'changed', line: 2, expected: 'b', actual: '' }]);
  });
});
