/**
 * `npm run synth -- --check`: the same input gives the same bytes, so a fresh synth
 * compared with a committed directory is clean; an edited, missing or left-over manifest
 * fails the check, naming the file (and line), and nothing is written.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

function synth(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'charts', 'main.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run synth -- --check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kit-check-'));

  it('is clean right after a synth: output is deterministic', () => {
    assert.equal(synth('--env', 'prod', '--outdir', dir).status, 0);
    const first = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
    const { status, stdout } = synth('--env', 'prod', '--outdir', dir, '--check');
    assert.equal(status, 0);
    assert.match(stdout, new RegExp(`^${dir} is up to date$`, 'm'));
    assert.deepEqual(readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')), first, '--check writes nothing');
  });

  it('fails on an edited, a missing and a left-over manifest, naming each', () => {
    const todo = join(dir, '0001-todoapi.k8s.yaml');
    writeFileSync(todo, readFileSync(todo, 'utf8').replace('replicas: 6', 'replicas: 7'));
    rmSync(join(dir, '0000-namespaces.k8s.yaml'));
    writeFileSync(join(dir, '0002-retired.k8s.yaml'), 'kind: ConfigMap\n');
    const { status, stdout } = synth('--env', 'prod', '--outdir', dir, '--check');
    assert.equal(status, 1);
    assert.match(stdout, /is out of date \(3 files\)/);
    assert.match(stdout, /changed: 0001-todoapi\.k8s\.yaml line \d+: committed " {2}replicas: 7", synth writes " {2}replicas: 6"/);
    assert.match(stdout, /missing: 0000-namespaces\.k8s\.yaml/);
    assert.match(stdout, /stale: {3}0002-retired\.k8s\.yaml/);
  });
});
