/**
 * `npm run synth` writes the GitOps layout: one directory per chart with a kustomization.yaml
 * listing every file in apply order, the Flux Kustomizations in flux/ with the charts'
 * dependencies, deterministic bytes, stale files removed, every environment with --all; and
 * `kubectl kustomize` builds every directory, in the order listed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { filesBelow } from '../../bench/measure.js';
import { environmentNames } from '../../charts/environment.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

function synth(args: readonly string[], env: Record<string, string> = {}) {
  const base = { ...process.env };
  delete base.CDK8S_OUTDIR;
  delete base.K8S_PLATFORM_KIT_ENV;
  const result = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'charts', 'main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...base, ...env } });
  assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
  return result.stdout;
}

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
const resourcesOf = (dir: string, sub: string) => (parse(read(dir, join(sub, 'kustomization.yaml'))) as { resources: string[] }).resources;
const CHART_DIRS = ['cluster', 'controllers', 'edge', 'fleetman', 'flux', 'journal', 'namespaces', 'todoapi'];
const idOf = (o: { kind: string; metadata: { name: string; namespace?: string } }) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

describe('npm run synth: the GitOps layout (dev)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kit-gitops-'));
  synth(['--outdir', dir]);

  it('writes one directory per chart, the Flux directory, and files named by kind and name', () => {
    assert.deepEqual(readdirSync(dir).sort(), ['.k8s-platform-kit-files', 'cluster', 'controllers', 'edge', 'fleetman', 'flux', 'journal', 'kustomization.yaml', 'namespaces', 'todoapi']);
    assert.deepEqual(readdirSync(join(dir, 'todoapi')).sort(), [
      'deployment-todoapi.yaml', 'kustomization.yaml', 'networkpolicy-todoapi.yaml', 'poddisruptionbudget-todoapi.yaml', 'service-todoapi.yaml',
    ]);
    for (const file of filesBelow(dir).filter((f) => f.endsWith('.yaml') && !f.endsWith('kustomization.yaml'))) {
      const [object] = parseAllDocuments(read(dir, file)).map((d) => d.toJSON() as { kind: string; metadata: { name: string; namespace?: string } });
      // Objects whose kind and name collide within a directory also carry their namespace.
      const names = [`${object?.kind.toLowerCase()}-${object?.metadata.name}.yaml`, `${object?.kind.toLowerCase()}-${object?.metadata.namespace}-${object?.metadata.name}.yaml`];
      assert.ok(names.includes(file.split('/').pop() ?? ''), file);
    }
  });

  it('lists every file of a directory in its kustomization.yaml, Namespaces first, in the apply order', () => {
    for (const sub of CHART_DIRS) {
      const listed = resourcesOf(dir, sub);
      assert.deepEqual([...listed].sort(), readdirSync(join(dir, sub)).filter((f) => f !== 'kustomization.yaml').sort(), sub);
    }
    assert.deepEqual(resourcesOf(dir, 'todoapi'), ['service-todoapi.yaml', 'deployment-todoapi.yaml', 'poddisruptionbudget-todoapi.yaml', 'networkpolicy-todoapi.yaml']);
    assert.equal(resourcesOf(dir, 'namespaces')[0], 'namespace-todo.yaml');
    assert.deepEqual(resourcesOf(dir, '.'), resourcesOf(dir, 'flux').map((f) => `flux/${f}`));
  });

  it('writes a pruning Flux Kustomization per chart directory, with the charts\' dependencies', () => {
    const todoapi = parse(read(dir, 'flux/kustomization-platform-todoapi.yaml'));
    assert.deepEqual(todoapi.spec, {
      dependsOn: [{ name: 'platform-controllers' }, { name: 'platform-namespaces' }], interval: '5m', path: './dist/dev/todoapi', prune: true,
      sourceRef: { kind: 'GitRepository', name: 'platform' }, timeout: '10m', wait: true,
    });
    const namespaces = parse(read(dir, 'flux/kustomization-platform-namespaces.yaml'));
    assert.equal(namespaces.spec.path, './dist/dev/namespaces');
    assert.equal(namespaces.spec.dependsOn, undefined);
    // The edge routes to the apps and needs the GatewayClass; custom resources come after the releases that define them.
    const dependsOn = (chart: string) => (parse(read(dir, `flux/kustomization-platform-${chart}.yaml`)).spec.dependsOn ?? []).map((d: { name: string }) => d.name);
    assert.deepEqual(dependsOn('edge'), ['platform-cluster', 'platform-fleetman', 'platform-journal', 'platform-todoapi']);
    assert.deepEqual(dependsOn('cluster'), ['platform-controllers']);
    assert.deepEqual(dependsOn('controllers'), []);
  });

  it('writes the same bytes twice, and removes what an earlier synth wrote but this one does not', () => {
    const before = filesBelow(dir).map((f) => [f, read(dir, f)]);
    mkdirSync(join(dir, 'retired'));
    writeFileSync(join(dir, 'retired', 'service-old.yaml'), 'kind: Service\n');
    writeFileSync(join(dir, '.k8s-platform-kit-files'), `${read(dir, '.k8s-platform-kit-files')}retired/service-old.yaml\n`);
    writeFileSync(join(dir, '0001-todoapi.k8s.yaml'), 'kind: Deployment\n');
    writeFileSync(join(dir, 'README.md'), 'the repository\'s own file\n');
    const stdout = synth(['--outdir', dir]);
    assert.match(stdout, /2 stale removed: 0001-todoapi\.k8s\.yaml, retired\/service-old\.yaml/);
    assert.equal(existsSync(join(dir, 'retired')), false);
    assert.equal(read(dir, 'README.md'), 'the repository\'s own file\n');
    assert.deepEqual(filesBelow(dir).filter((f) => f !== 'README.md').map((f) => [f, read(dir, f)]), before);
  });

  it('kubectl kustomize builds every directory, in the order its kustomization.yaml lists', () => {
    // The project's pinned kubectl (v1.34, kustomize v5), built from Go modules with the
    // end-to-end control plane; .ci/run builds it before the unit tests.
    const bin = spawnSync('bash', ['test/e2e/cluster.sh', 'bin'], { encoding: 'utf8' });
    assert.equal(bin.status, 0, `no pinned kubectl: run \`bash test/e2e/cluster.sh build\` first (${bin.stderr.trim()})`);
    const kubectl = join(bin.stdout.trim(), 'kubectl');
    const dirs = filesBelow(dir).filter((f) => f.endsWith('kustomization.yaml')).map((f) => dirname(f));
    assert.deepEqual(dirs.sort(), ['.', ...CHART_DIRS].sort());
    for (const sub of dirs) {
      const built = spawnSync(kubectl, ['kustomize', join(dir, sub)], { encoding: 'utf8' });
      assert.equal(built.status, 0, `kubectl kustomize ${sub}: ${built.stderr}`);
      const objects = parseAllDocuments(built.stdout).map((d) => idOf(d.toJSON()));
      const listed = resourcesOf(dir, sub).map((file) => idOf(parse(read(dir, join(sub, file)))));
      assert.deepEqual(objects, listed, sub);
    }
  });
});

describe('npm run synth -- --all', () => {
  it('writes every environment into <outdir>/<env>, each with its own Flux paths', () => {
    const root = mkdtempSync(join(tmpdir(), 'kit-all-'));
    synth(['--all', '--outdir', root]);
    const names = environmentNames(ROOT);
    assert.deepEqual(readdirSync(root).sort(), names);
    for (const name of names) {
      assert.equal(parse(read(root, `${name}/flux/kustomization-platform-todoapi.yaml`)).spec.path, `./dist/${name}/todoapi`);
    }
  });

  it('is what a run by `cdk8s synth` (CDK8S_OUTDIR set, no environment named) writes', () => {
    const root = mkdtempSync(join(tmpdir(), 'kit-cdk8s-'));
    synth([], { CDK8S_OUTDIR: root });
    assert.deepEqual(readdirSync(root).sort(), environmentNames(ROOT));
  });
});
