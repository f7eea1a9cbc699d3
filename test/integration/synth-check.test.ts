/**
 * `npm run synth -- --check`: the same input gives the same bytes, so a fresh synth
 * compared with a committed directory is clean; an edited, missing or left-over file of the
 * nested GitOps layout fails the check, naming the file (and line), and nothing is written.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { filesBelow } from '../../bench/measure.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

function synth(...args: string[]) {
  const env = { ...process.env };
  delete env.CDK8S_OUTDIR;
  const result = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'charts', 'main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const snapshot = (dir: string) => filesBelow(dir).map((file) => `${file}\n${readFileSync(join(dir, file), 'utf8')}`);

describe('npm run synth -- --check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kit-check-'));

  it('is clean right after a synth: output is deterministic', () => {
    assert.equal(synth('--env', 'prod', '--outdir', dir).status, 0);
    const first = snapshot(dir);
    const { status, stdout } = synth('--env', 'prod', '--outdir', dir, '--check');
    assert.equal(status, 0);
    assert.match(stdout, new RegExp(`^${dir} is up to date$`, 'm'));
    assert.deepEqual(snapshot(dir), first, '--check writes nothing');
  });

  it('fails on an edited, a missing and a left-over file in the chart directories, naming each', () => {
    const deployment = join(dir, 'todoapi', 'deployment-todoapi.yaml');
    writeFileSync(deployment, readFileSync(deployment, 'utf8').replace('replicas: 6', 'replicas: 7'));
    rmSync(join(dir, 'namespaces', 'namespace-todo.yaml'));
    mkdirSync(join(dir, 'retired'));
    writeFileSync(join(dir, 'retired', 'configmap-old.yaml'), 'kind: ConfigMap\n');
    writeFileSync(join(dir, '.k8s-platform-kit-files'), `${readFileSync(join(dir, '.k8s-platform-kit-files'), 'utf8')}retired/configmap-old.yaml\n`);
    writeFileSync(join(dir, 'todoapi', 'NOTES.md'), 'not written by synth: not its business\n');
    const { status, stdout } = synth('--env', 'prod', '--outdir', dir, '--check');
    assert.equal(status, 1);
    assert.match(stdout, /is out of date \(3 files\)/);
    assert.match(stdout, /changed: todoapi\/deployment-todoapi\.yaml line \d+: committed " {2}replicas: 7", synth writes " {2}replicas: 6"/);
    assert.match(stdout, /missing: namespaces\/namespace-todo\.yaml/);
    assert.match(stdout, /stale: {3}retired\/configmap-old\.yaml/);
    assert.doesNotMatch(stdout, /NOTES/);
  });
});
