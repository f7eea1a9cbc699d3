/**
 * charts/run.mjs, the launcher of `npm run synth` and `npm run capacity`: the compiled
 * entry point when the last build started after every change to the sources, the
 * TypeScript otherwise (edited, added or deleted source, a build that never finished),
 * with the arguments passed through either way. Run on a copy of the launcher in a small
 * project of its own, so the repository's lib/ is not touched.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** A project with a `probe` entry in TypeScript and compiled, each printing which it is and its arguments. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kit-run-'));
  for (const sub of ['charts', 'constructs/workloads', 'lib/charts']) mkdirSync(join(dir, sub), { recursive: true });
  copyFileSync(join(ROOT, 'charts', 'run.mjs'), join(dir, 'charts', 'run.mjs'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'tsconfig.json'), '{}\n');
  writeFileSync(join(dir, 'tsconfig.build.json'), '{}\n');
  writeFileSync(join(dir, 'constructs', 'workloads', 'a.ts'), 'export const a: number = 1;\n');
  writeFileSync(join(dir, 'charts', 'probe.ts'), "const from: string = 'typescript';\nconsole.log(from, JSON.stringify(process.argv.slice(2)));\n");
  writeFileSync(join(dir, 'lib', 'charts', 'probe.js'), "console.log('compiled', JSON.stringify(process.argv.slice(2)));\n");
  return dir;
}

/** Marks lib/ as built by a build that started `secondsAgo` seconds ago. */
function built(dir: string, secondsAgo: number): void {
  const stamp = join(dir, 'lib', '.built');
  writeFileSync(stamp, '');
  const when = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(stamp, when, when);
}

/** Sets every source's modification time to `secondsAgo` seconds ago (directories included). */
function sourcesChanged(dir: string, secondsAgo: number, paths: readonly string[]): void {
  const when = new Date(Date.now() - secondsAgo * 1000);
  for (const path of paths) utimesSync(join(dir, path), when, when);
}

const ALL_SOURCES = ['constructs', 'constructs/workloads', 'constructs/workloads/a.ts', 'charts', 'charts/probe.ts', 'charts/run.mjs', 'tsconfig.json', 'tsconfig.build.json'];

function run(dir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [join(dir, 'charts', 'run.mjs'), ...args], { cwd: dir, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

describe('charts/run.mjs', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const dir = project();
    dirs.push(dir);
    sourcesChanged(dir, 60, ALL_SOURCES);
    built(dir, 30);
    return dir;
  };
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('runs the compiled entry when the build started after every change, with the arguments', () => {
    assert.deepEqual(run(fresh(), 'probe', '--env', 'prod', '--all'), { status: 0, stdout: 'compiled ["--env","prod","--all"]', stderr: '' });
  });

  it('runs the TypeScript when a source changed after the build started', () => {
    const dir = fresh();
    sourcesChanged(dir, 10, ['constructs/workloads/a.ts']);
    assert.deepEqual(run(dir, 'probe', '--env', 'qa'), { status: 0, stdout: 'typescript ["--env","qa"]', stderr: '' });
  });

  it('runs the TypeScript when a source was added or deleted (its directory changed), or a tsconfig changed', () => {
    const added = fresh();
    writeFileSync(join(added, 'constructs', 'b.ts'), 'export {};\n');
    assert.equal(run(added, 'probe').stdout, 'typescript []');
    const deleted = fresh();
    rmSync(join(deleted, 'constructs', 'workloads', 'a.ts'));
    assert.equal(run(deleted, 'probe').stdout, 'typescript []');
    const tsconfig = fresh();
    sourcesChanged(tsconfig, 5, ['tsconfig.build.json']);
    assert.equal(run(tsconfig, 'probe').stdout, 'typescript []');
  });

  it('runs the TypeScript when no build finished', () => {
    const dir = fresh();
    rmSync(join(dir, 'lib', '.built'));
    assert.equal(run(dir, 'probe').stdout, 'typescript []');
  });

  it('refuses a missing, malformed or unknown entry, naming what it got', () => {
    const dir = fresh();
    assert.deepEqual(run(dir), {
      status: 2, stdout: '',
      stderr: 'usage: node charts/run.mjs <entry> [arguments], where <entry> names a file of charts/ such as main; got nothing',
    });
    assert.equal(run(dir, '../lib/charts/probe').stderr,
      'usage: node charts/run.mjs <entry> [arguments], where <entry> names a file of charts/ such as main; got ../lib/charts/probe');
    assert.deepEqual(run(dir, 'synth'), { status: 2, stdout: '', stderr: 'node charts/run.mjs: there is no charts/synth.ts to run (entries: main, capacity)' });
  });
});
