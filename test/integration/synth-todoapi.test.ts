/**
 * `npm run synth` as users run it, in a child process: the dev environment written and
 * validated, the todoapi chart in its directory; an unknown environment refused.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';

const ROOT = resolve(import.meta.dirname, '../..');

describe('npm run synth', () => {
  it('writes validated manifests for the environment, the todoapi chart in its directory', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'kit-synth-'));
    try {
      const result = spawnSync(process.execPath, ['--import', 'tsx', 'charts/main.ts', '--env', 'dev', '--outdir', outdir], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /^dev: \d+ objects validated \(\d+ findings waived by exceptions\), capacity fits \(\d+ scenarios\), \d+ files written to /m);
      const kinds = readdirSync(join(outdir, 'todoapi')).filter((f) => f !== 'kustomization.yaml')
        .map((f) => (parseAllDocuments(readFileSync(join(outdir, 'todoapi', f), 'utf8'))[0]?.toJS() as { kind: string }).kind).sort();
      assert.deepEqual(kinds, ['Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'Service']);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('exits 1 with a clear message for an unknown environment', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'charts/main.ts', '--env', 'qa'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /Pulumi\.qa\.yaml: 1 configuration problem:\n {2}\(file\): cannot read the stack file \(ENOENT\); environments here: dev, prod, staging/);
  });
});
