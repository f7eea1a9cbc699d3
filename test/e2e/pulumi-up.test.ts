/**
 * `pulumi up --stack dev` for real, in local mode, against the cluster under test: the
 * Pulumi CLI and the Kubernetes provider plugin built by test/e2e/pulumi.sh (from Go
 * modules), a file:// state backend in a scratch directory, the stack's own Pulumi.dev.yaml
 * (a copy, so the repository's file is not touched, without the platform and the data-store
 * apps: see localStack). The program is stacks/index.ts run as
 * an Automation API inline program: the CLI runs the update (`pulumi up --stack dev
 * --client=…`) and calls the program's language runtime in this process, because the
 * Node.js language host cannot be built here (test/e2e/README.md).
 *
 * dev (direct):
 * 1. the first `up` creates everything; the workloads become Available on kwok nodes;
 * 2. a second `up` with no change changes nothing;
 * 3. a replica count and an image tag changed in Pulumi.dev.yaml update exactly the objects
 *    whose manifests change (previewed with the diff, then applied);
 * 4. `pulumi destroy` removes every object the stack created.
 *
 * staging (GitOps): the flux2 chart is skipped with a warning that says so, and the sync
 * objects are applied to a cluster with Flux's CRDs and namespace; `destroy` removes them.
 */
import { LocalWorkspace, PulumiCommand, type EngineEvent, type OpType, type Stack } from '@pulumi/pulumi/automation/index.js';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { createNodes, deleteNodes, getJson, kubectl, nodesOf } from './_cluster.js';
import { buildApp } from '../../charts/app.js';
import { buildBootstrap, gitopsOptionsOf, repositoryPathOf } from '../../charts/bootstrap.js';
import { loadEnvironment, type Environment } from '../../charts/environment.js';
import { collectObjects, type ManifestObject } from '../../constructs/index.js';
import { planGitOps, writeGitOps } from '../../constructs/gitops/index.js';
import { FLUX_CHART } from '../../stacks/deploy.js';
import main from '../../stacks/index.js';

const ENV = 'dev';
/** The working directory the suite starts in, the repository's (the staging tests leave it and come back). */
const REPOSITORY = process.cwd();
const KIT = 'k8s-platform-kit';

/** The directory with `pulumi` and `pulumi-resource-kubernetes`; fails, saying what to do, if they were not built. */
function pulumiBin(): string {
  const result = spawnSync('bash', ['test/e2e/pulumi.sh', 'bin'], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`the Pulumi binaries of the e2e suite are missing; build them with 'bash test/e2e/pulumi.sh build' ` +
      `(test/e2e/run.sh does, from Go modules):\n${result.stderr}`);
  }
  return result.stdout.trim();
}

/** One object, as kubectl names it. */
interface ObjectRef {
  readonly kind: string;
  readonly apiVersion: string;
  readonly namespace?: string;
  readonly name: string;
}
const refOf = (o: ManifestObject): ObjectRef => ({
  kind: String(o.kind),
  apiVersion: String(o.apiVersion),
  ...(o.metadata?.namespace !== undefined && { namespace: o.metadata.namespace }),
  name: String(o.metadata?.name),
});
const keyOf = (r: ObjectRef) => `${r.kind} ${r.namespace ?? ''}/${r.name}`;
/** `kubernetes:apps/v1:Deployment` → `Deployment`. */
const kindOfType = (type: string) => type.slice(type.lastIndexOf(':') + 1);

/** The objects the environment's App synthesizes, by key. */
function manifests(env: Environment): Map<string, ManifestObject> {
  return new Map(collectObjects(buildApp(env).charts).map(({ object }) => [keyOf(refOf(object)), object]));
}

/** What an update did or would do to each resource, from the engine's events. */
interface Step {
  readonly op: OpType;
  readonly type: string;
  readonly name: string;
  /** The property paths that differ (top-level and detailed). */
  readonly diffs: readonly string[];
}

/** Runs an operation and returns its steps and its output (both also on failure, in the error). */
async function run<T>(what: string, op: (opts: { onOutput: (s: string) => void; onEvent: (e: EngineEvent) => void; color: 'never' }) => Promise<T>) {
  let output = '';
  const steps: Step[] = [];
  const onEvent = (event: EngineEvent) => {
    const meta = event.resourcePreEvent?.metadata;
    if (!meta) return;
    const diffs = [...new Set([...(meta.diffs ?? []), ...Object.keys(meta.detailedDiff ?? {})])];
    steps.push({ op: meta.op, type: meta.type, name: meta.urn.slice(meta.urn.lastIndexOf('::') + 2), diffs });
  };
  try {
    const result = await op({ onOutput: (s) => (output += s), onEvent, color: 'never' });
    return { result, steps, output };
  } catch (error) {
    throw new Error(`${what} failed:\n${output}\n${(error as Error).message}`);
  }
}

/**
 * Kubernetes objects the steps touch (not the provider, not components), as "Kind ns/name".
 * The ConfigGroup names its objects `<group>:<namespace>/<name>` (`<group>:<name>` when
 * cluster-scoped).
 */
const changed = (steps: readonly Step[]) =>
  steps.filter((s) => s.op !== 'same' && s.type.startsWith('kubernetes:') && !s.type.startsWith('kubernetes:yaml/'))
    .map((s) => {
      const name = s.name.slice(s.name.indexOf(':') + 1);
      return `${kindOfType(s.type)} ${name.includes('/') ? name : `/${name}`}`;
    })
    .sort();

/** The objects (of `refs`) still on the cluster. */
function remaining(refs: readonly ObjectRef[]): string[] {
  return refs.filter((r) => {
    const group = r.apiVersion.includes('/') ? `.${r.apiVersion.split('/')[0]}` : '';
    const args = ['get', `${r.kind.toLowerCase()}${group}`, r.name, '--ignore-not-found', '-o', 'name'];
    return kubectl(r.namespace ? [...args, '-n', r.namespace] : args).stdout.trim() !== '';
  }).map(keyOf);
}

const saved = { ...process.env };
let bin: string;
let scratch: string;
let pulumiCommand: PulumiCommand;

before(async () => {
  bin = pulumiBin();
  pulumiCommand = await PulumiCommand.get({ root: dirname(bin) });
  const sdk = (JSON.parse(readFileSync('node_modules/@pulumi/pulumi/package.json', 'utf8')) as { version: string }).version;
  assert.equal(pulumiCommand.version?.toString(), sdk, 'the CLI is built at the version of @pulumi/pulumi');
  const kubeconfig = process.env.KUBECONFIG;
  if (!kubeconfig) throw new Error('KUBECONFIG is not set; run the suite with test/e2e/run.sh');
  scratch = mkdtempSync(join(tmpdir(), 'kit-e2e-pulumi-'));
  mkdirSync(join(scratch, 'state'));
  // The program runs in this process: local mode reads its switch and the backend from here.
  Object.assign(process.env, {
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    PULUMI_HOME: join(scratch, 'home'),
    PULUMI_BACKEND_URL: `file://${join(scratch, 'state')}`,
    PULUMI_CONFIG_PASSPHRASE: 'e2e',
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    K8S_PLATFORM_KIT_LOCAL_KUBECONFIG: kubeconfig,
  });
});

after(() => {
  process.env = saved;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/**
 * A stack of this project in a scratch directory with a copy of the environment's stack
 * file (Pulumi writes the passphrase salt into it), the program inline.
 */
async function localStack(name: string): Promise<{ stack: Stack; project: string }> {
  const project = join(scratch, name);
  mkdirSync(project);
  copyFileSync('Pulumi.yaml', join(project, 'Pulumi.yaml'));
  // The apps-only environment: the platform's controllers come from remote Helm charts,
  // which local mode skips, so nothing would define its custom resources; and the data
  // stores of fleetman and journal wait for volumes a storage provisioner would make,
  // which the simulated cluster does not have. The server-side acceptance of every object
  // of every environment is checked in platform.test.ts.
  const stackFile = parseDocument(readFileSync(`Pulumi.${name}.yaml`, 'utf8'));
  stackFile.deleteIn(['config', `${KIT}:platform`]);
  // external-dns manages the platform's domain, so it goes with the platform.
  if (stackFile.hasIn(['config', `${KIT}:cluster`, 'addons', 'externalDns'])) stackFile.deleteIn(['config', `${KIT}:cluster`, 'addons', 'externalDns']);
  for (const app of ['fleetman', 'journal']) stackFile.deleteIn(['config', `${KIT}:apps`, app]);
  writeFileSync(join(project, `Pulumi.${name}.yaml`), stackFile.toString());
  // The CLI checks that the project's `main` exists, even for an inline program.
  symlinkSync(resolve('stacks'), join(project, 'stacks'));
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: name, projectName: KIT, program: main },
    { workDir: project, pulumiCommand, secretsProvider: 'passphrase' },
  );
  return { stack, project };
}

describe(`pulumi up --stack ${ENV} (local mode, direct) against the cluster`, () => {
  let stack: Stack;
  let project: string;
  let env: Environment;

  /** Edits the stack file, as a user would, and returns the environment it now describes. */
  function editStackFile(edit: (apps: { todoapi: { image: string; replicas: number } }) => void): Environment {
    const file = join(project, `Pulumi.${ENV}.yaml`);
    const doc = parseDocument(readFileSync(file, 'utf8'));
    const apps = doc.getIn(['config', `${KIT}:apps`]) as { toJSON(): unknown };
    const value = apps.toJSON() as { todoapi: { image: string; replicas: number } };
    edit(value);
    doc.setIn(['config', `${KIT}:apps`], value);
    writeFileSync(file, doc.toString());
    return loadEnvironment(ENV, project);
  }

  /** The keys of objects whose manifests differ between two environments. */
  function differing(before: Environment, after: Environment): string[] {
    const a = manifests(before);
    const b = manifests(after);
    return [...new Set([...a.keys(), ...b.keys()])]
      .filter((k) => JSON.stringify(a.get(k)) !== JSON.stringify(b.get(k)))
      .sort();
  }

  function waitAvailable(replicas: number, image: string): void {
    kubectl(['rollout', 'status', 'deployment/todoapi', '-n', env.apps.namespace, '--timeout=120s']);
    const deployment = getJson(['get', 'deployment', 'todoapi', '-n', env.apps.namespace]);
    assert.equal(deployment.status.availableReplicas, replicas);
    assert.equal(deployment.status.conditions.find((c: { type: string }) => c.type === 'Available')?.status, 'True');
    assert.equal(deployment.spec.template.spec.containers[0].image, image);
    const pods = getJson(['get', 'pods', '-n', env.apps.namespace, '-l', 'app.kubernetes.io/name=todoapi', '--field-selector=status.phase=Running']).items;
    assert.ok(pods.length >= replicas, `${pods.length} running pods`);
    assert.ok(pods.every((p: { spec: { nodeName?: string } }) => p.spec.nodeName?.startsWith(`${ENV}-`)), 'pods run on the simulated nodes of the pools');
  }

  before(async () => {
    ({ stack, project } = await localStack(ENV));
    env = loadEnvironment(ENV, project);
    createNodes(nodesOf(env));
  });

  after(async () => {
    // Leave nothing behind, whatever failed.
    if (stack) await stack.destroy({ color: 'never' }).catch(() => undefined);
    if (env) kubectl(['delete', 'namespace', env.apps.namespace, '--ignore-not-found', '--wait=true', '--timeout=60s'], { allowFailure: true });
    deleteNodes();
  });

  let created: ObjectRef[] = [];

  it('creates everything; the workloads become Available on the simulated nodes', async () => {
    const { result, steps, output } = await run('pulumi up', (o) => stack.up(o));
    assert.equal(result.summary.result, 'succeeded');
    assert.match(output, /local mode \(K8S_PLATFORM_KIT_LOCAL_KUBECONFIG=.*\): the AKS cluster 'kit-dev' and every cloud resource are left out/);
    assert.ok(output.includes(`using pulumi-resource-kubernetes from $PATH at ${join(bin, 'pulumi-resource-kubernetes')}`), 'the engine runs the provider built here');
    assert.deepEqual(steps.filter((s) => /^(aws|azure-native):/.test(s.type)), [], 'no cloud resource');
    // Every object the App synthesizes was created, and nothing else.
    assert.deepEqual(changed(steps), [...manifests(env).keys()].sort());
    assert.ok(steps.every((s) => s.op === 'create'), steps.map((s) => `${s.op} ${s.type}`).join('\n'));
    assert.deepEqual(result.outputs.target?.value, 'local');
    waitAvailable(env.apps.todoapi.replicas, env.apps.todoapi.image);
    created = [...manifests(env).values()].map(refOf);
  });

  it('a second up with no change changes nothing', async () => {
    const { result, steps } = await run('pulumi up (again)', (o) => stack.up(o));
    assert.deepEqual(Object.keys(result.summary.resourceChanges ?? {}), ['same']);
    assert.deepEqual(changed(steps), []);
  });

  it('a changed replica count is a targeted update', async () => {
    const before = env;
    env = editStackFile((apps) => (apps.todoapi.replicas = 3));
    const expected = differing(before, env);
    assert.ok(expected.includes('Deployment todo/todoapi'), expected.join(', '));

    const preview = await run('pulumi preview --diff', (o) => stack.preview({ ...o, diff: true }));
    assert.deepEqual(changed(preview.steps), expected, 'the preview touches exactly the objects whose manifests change');
    assert.ok(preview.steps.filter((s) => s.op !== 'same').every((s) => s.op === 'update'), 'updated in place, not replaced');
    const deployment = preview.steps.find((s) => s.type === 'kubernetes:apps/v1:Deployment');
    assert.deepEqual(deployment?.diffs, ['spec.replicas'], 'only the replica count differs');
    assert.match(preview.output, /replicas\s*:\s*4\s*=>\s*3/);

    const { result, steps } = await run('pulumi up (replicas)', (o) => stack.up(o));
    assert.deepEqual(changed(steps), expected);
    assert.equal(result.summary.resourceChanges?.update, expected.length);
    waitAvailable(3, env.apps.todoapi.image);
  });

  it('a changed image tag is a targeted update that rolls the pods', async () => {
    const before = env;
    env = editStackFile((apps) => (apps.todoapi.image = apps.todoapi.image.replace(/:[^:]+$/, ':1.3.0')));
    const expected = differing(before, env);
    assert.ok(expected.includes('Deployment todo/todoapi'), expected.join(', '));

    const preview = await run('pulumi preview --diff', (o) => stack.preview({ ...o, diff: true }));
    assert.deepEqual(changed(preview.steps), expected);
    const deployment = preview.steps.find((s) => s.type === 'kubernetes:apps/v1:Deployment');
    assert.deepEqual(deployment?.diffs, ['spec.template.spec.containers[0].image'], 'only the image differs');
    assert.match(preview.output, /image\s*:\s*"ghcr\.io\/us-learn-and-devops\/todoapi:1\.2\.0"\s*=>\s*"ghcr\.io\/us-learn-and-devops\/todoapi:1\.3\.0"/);

    const { result, steps } = await run('pulumi up (image)', (o) => stack.up(o));
    assert.deepEqual(changed(steps), expected);
    assert.equal(result.summary.resourceChanges?.update, expected.length);
    waitAvailable(3, env.apps.todoapi.image);
  });

  it('pulumi destroy removes everything it created', async () => {
    assert.ok(created.length > 0);
    const { result } = await run('pulumi destroy', (o) => stack.destroy(o));
    assert.equal(result.summary.result, 'succeeded');
    assert.deepEqual(remaining(created), [], 'objects still on the cluster');
    const history = await stack.exportStack();
    assert.deepEqual((history.deployment.resources ?? []).filter((r: { type: string }) => r.type.startsWith('kubernetes:')), [], 'nothing left in the state');
  });
});

describe('pulumi up --stack staging (local mode, GitOps) against the cluster', () => {
  const STAGING = 'staging';
  const THIRD_PARTY = process.env.KIT_THIRD_PARTY ?? join('..', 'shared', 'third-party');
  let stack: Stack;
  let sync: ObjectRef[] = [];

  before(async () => {
    // Flux's footprint, as `flux install` would leave it: the two CRDs the sync uses and
    // its namespace (a user's cluster brings its own).
    if (!process.env.KIT_E2E_FOREIGN) {
      for (const crd of ['source-controller/crds/source.toolkit.fluxcd.io_gitrepositories.yaml', 'kustomize-controller/crds/kustomize.toolkit.fluxcd.io_kustomizations.yaml']) {
        const file = join(THIRD_PARTY, 'flux', crd);
        if (!existsSync(file)) throw new Error(`${file} not found: the suite installs the pinned Flux CRDs from ../shared/third-party (set KIT_THIRD_PARTY to its path)`);
        kubectl(['apply', '--server-side', '--force-conflicts', '-f', file]);
      }
      kubectl(['wait', '--for=condition=Established', 'crd/gitrepositories.source.toolkit.fluxcd.io', 'crd/kustomizations.kustomize.toolkit.fluxcd.io', '--timeout=60s']);
    }
    kubectl(['create', 'namespace', FLUX_CHART.namespace], { allowFailure: true });
    let project: string;
    ({ stack, project } = await localStack(STAGING));
    sync = collectObjects(buildBootstrap(loadEnvironment(STAGING)).charts).map(({ object }) => refOf(object));
    // The program compares the charts with the committed directory Flux applies (deploy.path,
    // relative to the working directory, the project's under `pulumi`): the synth of the
    // scratch project's environment, which the inline program then finds from there.
    const env = loadEnvironment(STAGING, project);
    writeGitOps(join(project, repositoryPathOf(env)), planGitOps(buildApp(env), gitopsOptionsOf(env)).files);
    process.chdir(project);
  });

  after(async () => {
    if (stack) await stack.destroy({ color: 'never' }).catch(() => undefined);
    kubectl(['delete', 'namespace', FLUX_CHART.namespace, '--ignore-not-found', '--wait=true', '--timeout=60s'], { allowFailure: true });
    process.chdir(REPOSITORY);
  });

  it('skips the Flux chart, saying so, and applies the sync objects', async () => {
    const { result, steps, output } = await run('pulumi up', (o) => stack.up(o));
    assert.equal(result.summary.result, 'succeeded');
    assert.ok(output.includes(`Flux is NOT installed: chart flux2 ${FLUX_CHART.version} from ${FLUX_CHART.repository} is skipped (local mode fetches no chart from a remote Helm repository)`), output);
    assert.deepEqual(steps.filter((s) => s.type === 'kubernetes:helm.sh/v3:Release'), [], 'no Helm release');
    assert.deepEqual(changed(steps), sync.map(keyOf).sort());
    assert.deepEqual(remaining(sync), sync.map(keyOf));
  });

  it('pulumi destroy removes them', async () => {
    const { result } = await run('pulumi destroy', (o) => stack.destroy(o));
    assert.equal(result.summary.result, 'succeeded');
    assert.deepEqual(remaining(sync), []);
  });
});
