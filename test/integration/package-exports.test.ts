import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/** Runs a consumer script with plain Node (no TypeScript loader), against the built `lib/`. */
function run(script: string): { ok: boolean; qos: string; plugin?: string } {
  const result = spawnSync(process.execPath, [resolve(root, script)], { cwd: root, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.doesNotMatch(result.stderr, /Warning/);
  return JSON.parse(result.stdout) as { ok: boolean; qos: string; plugin?: string };
}

describe('package exports (built lib/)', () => {
  it('works for a CommonJS consumer using require()', () => {
    assert.deepEqual(run('test/fixtures/consumer.cjs'), { ok: true, qos: 'Burstable', plugin: 'function' });
  });

  it('works for an ES module consumer using import', () => {
    assert.deepEqual(run('test/fixtures/consumer.mjs'), {
      ok: true,
      qos: 'Guaranteed',
      skew: 'is newer than the control plane (1.34); upgrade the control plane first',
      maxPods: 29,
    });
  });
});
