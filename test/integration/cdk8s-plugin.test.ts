/**
 * The kit's validation plugin under the real `cdk8s synth` (the CLI in a child process,
 * loading the built plugin from lib/): a policy violation fails the synth; annotated
 * exceptions pass it.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const plugin = join(root, 'lib/constructs/policy/cdk8s-validation.js');
const cli = join(root, 'node_modules/.bin/cdk8s');
const tsx = join(root, 'node_modules/.bin/tsx');

/** Runs the real `cdk8s synth` with the kit's plugin declared in cdk8s.yaml. */
function synth(dir: string, env: Record<string, string> = {}) {
  const result = spawnSync(cli, ['synth'], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('cdk8s validation plugin', () => {
  let dir: string;
  before(() => {
    assert.ok(existsSync(plugin), `${plugin} is missing: run \`npm run build\` first (the CLI loads the built plugin)`);
    dir = mkdtempSync(join(tmpdir(), 'kit-plugin-'));
    writeFileSync(join(dir, 'cdk8s.yaml'), [
      'language: typescript',
      `app: ${tsx} ${join(root, 'test/fixtures/host-path-app.ts')}`,
      'output: dist',
      'validations:',
      `  - package: ${plugin}`,
      '    class: PlatformKitValidation',
      '    version: 0.1.0',
      '',
    ].join('\n'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('fails the synth and prints the finding for a policy violation', () => {
    const { status, output } = synth(dir);
    assert.notEqual(status, 0);
    assert.match(output, /error: pss-host-path-volumes/);
    assert.match(output, /Resource Name: Deployment\/collector/);
    assert.match(output, /Deployment\/collector: volume 'pods' has hostPath=/);
    assert.match(output, /Validation failed/);
  });

  it('passes the same app when the workload carries annotated exceptions', () => {
    const { status, output } = synth(dir, { HOST_PATH_EXCEPTION: '1' });
    assert.equal(status, 0, output);
    assert.match(output, /waived\s*│\s*2/);
    assert.match(output, /Validations ended succesfully/);
  });
});
