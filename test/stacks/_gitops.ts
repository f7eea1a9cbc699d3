/**
 * The committed GitOps directory a GitOps-mode stack compares its charts with: what
 * `npm run synth` writes for the environment, in a scratch directory removed when the test
 * process exits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../charts/app.js';
import { gitopsOptionsOf } from '../../charts/bootstrap.js';
import type { Environment } from '../../charts/environment.js';
import { planGitOps, writeGitOps } from '../../constructs/gitops/index.js';

let scratch: string | undefined;

/** A new, empty directory below the scratch directory. */
export function emptyDirectory(): string {
  if (scratch === undefined) {
    const root = mkdtempSync(join(tmpdir(), 'kit-gitops-'));
    process.on('exit', () => rmSync(root, { recursive: true, force: true }));
    scratch = root;
  }
  return mkdtempSync(join(scratch, 'env-'));
}

/** Writes what `npm run synth` writes for `env` into `dir` (a new directory by default) and returns `dir`. */
export function committedGitOps(env: Environment, dir = emptyDirectory()): string {
  writeGitOps(dir, planGitOps(buildApp(env), gitopsOptionsOf(env)).files);
  return dir;
}

/** The options that point a GitOps environment's stack at its committed directory; none for a direct one. */
export function gitopsOptionsFor(env: Environment): { gitopsDirectory?: string } {
  return env.deploy.mode === 'gitops' ? { gitopsDirectory: committedGitOps(env) } : {};
}
