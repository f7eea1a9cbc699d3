/**
 * The consumer examples, as a user gets them: the library packed with `npm pack`, the
 * tarball installed into a temporary copy of each example, type-checked with the
 * example's own tsconfig and run. Needs the built lib/ (`npm test` builds first) and the
 * npm registry or npm's cache for the examples' other dependencies.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';

const root = resolve(import.meta.dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command: string, args: readonly string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} in ${cwd} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Kinds of every object in the manifests written to `outdir`. */
function kindsIn(outdir: string): string[] {
  return readdirSync(outdir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.yaml'))
    .flatMap((file) => parseAllDocuments(readFileSync(join(outdir, file), 'utf8')).map((doc) => String((doc.toJS() as { kind: string }).kind)))
    .sort();
}

describe('consumer examples against the packed library', () => {
  let scratch: string;
  let tarball: string;

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'k8s-platform-kit-examples-'));
    // lib/ is already built; `prepare` would build it again.
    const packed = JSON.parse(run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], root)) as { filename: string }[];
    tarball = join(scratch, packed[0]!.filename);
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  /** Copies the example, points its dependency at the tarball, installs, type-checks and runs it. */
  function install(example: string): string {
    const dir = join(scratch, example);
    cpSync(join(root, 'examples', example), dir, { recursive: true, filter: (source) => !/node_modules|\/build$|\/dist$/.test(source) });
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    manifest.dependencies['k8s-platform-kit'] = `file:${tarball}`;
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
    run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], dir);
    run(npm, ['run', 'build'], dir);
    return dir;
  }

  it('the packed tarball holds the built library, its types and docs, and no sources or tests', () => {
    const listing = run('tar', ['-tzf', tarball], root).split('\n');
    assert.ok(listing.includes('package/lib/constructs/index.js'));
    assert.ok(listing.includes('package/lib/constructs/index.d.ts'));
    assert.ok(listing.includes('package/docs/constructs/hardened-deployment.md'));
    assert.deepEqual(listing.filter((file) => /^package\/(test|charts|stacks|bench|constructs)\//.test(file)), []);
  });

  it('esm-todo: an ES module project imports the package by name, type-checks and synthesizes', () => {
    const dir = install('esm-todo');
    const outdir = join(dir, 'out');
    const result = JSON.parse(run(process.execPath, ['build/main.js', outdir], dir)) as { objects: number; qos: string };
    assert.deepEqual(result, { objects: 7, qos: 'Burstable', outdir });
    assert.deepEqual(kindsIn(outdir), ['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceMonitor']);
  });

  it('cjs-team: a CommonJS project require()s the package by name, type-checks and synthesizes', () => {
    const dir = install('cjs-team');
    const emitted = readFileSync(join(dir, 'build/main.js'), 'utf8');
    assert.match(emitted, /require\("k8s-platform-kit"\)/);
    const outdir = join(dir, 'out');
    const result = JSON.parse(run(process.execPath, ['build/main.js', outdir], dir)) as { objects: number; namespace: string };
    assert.equal(result.namespace, 'payments-dev');
    assert.ok(kindsIn(outdir).includes('ResourceQuota'));
    assert.ok(kindsIn(outdir).includes('LimitRange'));
    assert.equal(result.objects, kindsIn(outdir).length);
  });
});
