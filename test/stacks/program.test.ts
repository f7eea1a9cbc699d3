/**
 * platformStack renders each App once per run, and that render is what is validated,
 * planned for capacity and deployed; in GitOps mode it stops, before any resource, when the
 * committed directory Flux applies differs from the charts. AppDeployment deploys only what
 * `validateRender` validated.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, mock } from 'node:test';
import { one, ofType, recorded, reset, settled } from './_mocks.js';
import { committedGitOps, emptyDirectory } from './_gitops.js';
import { loadEnvironment } from '../../charts/environment.js';
import { SYNTH_FILES_MARKER, renderApp, renderedObjects, validateRender } from '../../constructs/gitops/index.js';
import { AppDeployment, FluxBootstrap } from '../../stacks/deploy.js';
import { GitOpsDriftError, platformStack, synthCommand, type PlatformOptions } from '../../stacks/program.js';
import type { Environment } from '../../charts/environment.js';

/**
 * How many times each ApiObject is rendered (`toJson`, which every render path calls: cdk8s's
 * synth, `renderApp`, `collectObjects`) while `run` runs, by the App it belongs to.
 */
async function rendersDuring(run: () => Promise<unknown>): Promise<Map<App, Map<ApiObject, number>>> {
  const byApp = new Map<App, Map<ApiObject, number>>();
  const toJson = ApiObject.prototype.toJson;
  const spy = mock.method(ApiObject.prototype, 'toJson', function (this: ApiObject) {
    const app = this.node.root as App;
    const counts = byApp.get(app) ?? new Map<ApiObject, number>();
    counts.set(this, (counts.get(this) ?? 0) + 1);
    byApp.set(app, counts);
    return toJson.call(this);
  });
  try {
    await run();
  } finally {
    spy.mock.restore();
  }
  return byApp;
}

/** Per App rendered: its object count and how many times each of its objects was rendered (as `times → objects`). */
function rendersPerObject(byApp: Map<App, Map<ApiObject, number>>): { objects: number; renders: Record<number, number> }[] {
  return [...byApp.keys()].map((app) => {
    const counts = byApp.get(app)!;
    const objects = app.node.findAll().filter(ApiObject.isApiObject);
    const renders: Record<number, number> = {};
    for (const object of objects) renders[counts.get(object) ?? 0] = (renders[counts.get(object) ?? 0] ?? 0) + 1;
    return { objects: objects.length, renders };
  });
}

async function stack(env: Environment, options: PlatformOptions = {}) {
  reset();
  const platform = await platformStack(env, options);
  await settled();
  return platform;
}

describe('platformStack renders once', () => {
  it('direct mode (dev): every object of the App is rendered exactly once, and those objects are deployed', async () => {
    const dev = loadEnvironment('dev');
    let deployment: AppDeployment | undefined;
    const byApp = await rendersDuring(async () => {
      const platform = await stack(dev);
      assert.ok(platform.deployment instanceof AppDeployment);
      deployment = platform.deployment;
    });
    const [app] = rendersPerObject(byApp);
    assert.equal(byApp.size, 1, 'one App');
    assert.ok(app && app.objects > 100, `${app?.objects} objects`);
    assert.deepEqual(app.renders, { 1: app.objects }, 'each object once (it was 3: validation, capacity, deployment)');
    const applied = ['dev-apps-namespaces', 'dev-apps'].flatMap((group) => one('kubernetes:yaml/v2:ConfigGroup', group).inputs.objs);
    assert.equal(applied.length, deployment!.objects.length);
  });

  it('GitOps mode (staging): the App, the Flux Kustomizations and the bootstrap App are each rendered once', async () => {
    const staging = loadEnvironment('staging');
    const gitopsDirectory = committedGitOps(staging);
    const byApp = await rendersDuring(() => stack(staging, { gitopsDirectory }));
    const apps = rendersPerObject(byApp);
    assert.equal(apps.length, 3, 'the App, the Flux Kustomizations synth lays out, the bootstrap sync');
    for (const app of apps) assert.deepEqual(app.renders, { 1: app.objects }, 'each object once (the App\'s were 2, the sync\'s 2)');
    assert.deepEqual(apps.map((a) => a.objects).sort((a, b) => a - b).slice(0, 1), [2], 'the sync: GitRepository and Kustomization');
  });
});

describe('platformStack in GitOps mode compares the committed directory', () => {
  it('proceeds when the directory is what synth writes', async () => {
    const staging = loadEnvironment('staging');
    const platform = await stack(staging, { gitopsDirectory: committedGitOps(staging) });
    assert.ok(platform.deployment instanceof FluxBootstrap);
    assert.deepEqual(one('kubernetes:yaml/v2:ConfigGroup', 'staging-gitops-sync').inputs.objs.map((o: { kind: string }) => o.kind).sort(), ['GitRepository', 'Kustomization']);
    assert.equal(ofType('kubernetes:helm.sh/v3:Release').length, 1, 'Flux');
  });

  it('fails pulumi preview on drift, before any resource is registered, listing it with the command that regenerates the directory', async () => {
    const staging = loadEnvironment('staging');
    const dir = committedGitOps(staging);
    writeFileSync(join(dir, 'kustomization.yaml'), 'edited: by hand\n');
    rmSync(join(dir, 'todoapi', 'kustomization.yaml'));
    mkdirSync(join(dir, 'retired'));
    writeFileSync(join(dir, 'retired', 'deployment-old.yaml'), 'kind: Deployment\n');
    appendFileSync(join(dir, SYNTH_FILES_MARKER), 'retired/deployment-old.yaml\n');
    reset();
    await assert.rejects(platformStack(staging, { gitopsDirectory: dir }), (error: unknown) => {
      assert.ok(error instanceof GitOpsDriftError);
      assert.equal(error.message, [
        `staging: the GitOps directory Flux applies (${dir}) differs from the charts of this program; nothing is deployed until it is regenerated, committed and pushed.`,
        `${dir} is out of date (3 files); run \`npm run synth -- --env staging --outdir ${dir}\` and commit the result:`,
        '  changed: kustomization.yaml line 1: committed "edited: by hand", synth writes "# Generated by k8s-platform-kit (npm run synth). Do not edit: edit the charts and synthesize again."',
        '  missing: todoapi/kustomization.yaml (synth writes it; it is not committed)',
        '  stale:   retired/deployment-old.yaml (synth no longer writes it; delete it)',
      ].join('\n'));
      assert.deepEqual(error.drift.map((d) => d.kind), ['changed', 'missing', 'stale']);
      return true;
    });
    await settled();
    assert.deepEqual(recorded, []);
  });

  it('defaults to the environment\'s deploy.path below the working directory, regenerated by `npm run synth -- --env <env>`', async () => {
    const staging = loadEnvironment('staging');
    const project = emptyDirectory();
    const cwd = process.cwd();
    reset();
    process.chdir(project);
    try {
      await assert.rejects(platformStack(staging), (error: unknown) => {
        assert.ok(error instanceof GitOpsDriftError);
        assert.equal(error.directory, './dist/staging');
        assert.equal(error.command, 'npm run synth -- --env staging');
        assert.ok(error.drift.length > 0 && error.drift.every((d) => d.kind === 'missing'), 'nothing committed: every file missing');
        return true;
      });
    } finally {
      process.chdir(cwd);
    }
    await settled();
    assert.deepEqual(recorded, []);
  });

  it('a changed environment is drift until synth runs again', async () => {
    const staging = loadEnvironment('staging');
    const dir = committedGitOps(staging);
    const scaled = { ...staging, apps: { ...staging.apps, todoapi: { ...staging.apps.todoapi, replicas: staging.apps.todoapi.replicas + 1 } } };
    reset();
    await assert.rejects(platformStack(scaled, { gitopsDirectory: dir }), (error: unknown) => {
      assert.ok(error instanceof GitOpsDriftError);
      assert.deepEqual(error.drift.map((d) => `${d.kind} ${d.file}`), ['changed todoapi/deployment-todoapi.yaml']);
      return true;
    });
    committedGitOps(scaled, dir);
    await stack(scaled, { gitopsDirectory: dir });
    assert.ok(recorded.length > 0);
  });
});

describe('synthCommand', () => {
  it('is `npm run synth -- --env <env>` for synth\'s default directory, with --outdir otherwise', () => {
    const staging = loadEnvironment('staging');
    assert.equal(synthCommand(staging, './dist/staging'), 'npm run synth -- --env staging');
    assert.equal(synthCommand(staging, 'dist/staging/'), 'npm run synth -- --env staging');
    assert.equal(synthCommand(staging, 'clusters/staging'), 'npm run synth -- --env staging --outdir clusters/staging');
  });
});

describe('AppDeployment deploys what validateRender validated', () => {
  function podApp(): App {
    const app = new App();
    new ApiObject(new Chart(app, 'web'), 'Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } });
    return app;
  }

  it('applies exactly the validated objects', async () => {
    reset();
    const render = await validateRender(renderedObjects(renderApp(podApp())));
    const deployment = new AppDeployment('web', { render });
    await settled();
    assert.deepEqual(deployment.objects, render.objects);
    assert.equal(deployment.objects[0], render.objects[0], 'the same object, not a new render');
    assert.deepEqual(one('kubernetes:yaml/v2:ConfigGroup', 'web').inputs.objs, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } }]);
  });

  it('throws if handed objects and a report that validateRender did not pair', async () => {
    const { report } = await validateRender([]);
    const objects = renderedObjects(renderApp(podApp())).map((r) => r.object);
    // @ts-expect-error an object literal is not a ValidatedRender
    const args: ConstructorParameters<typeof AppDeployment>[1] = { render: { objects, report } };
    assert.throws(() => new AppDeployment('web', args), {
      message: "AppDeployment 'web': 'render' must be made by validateRender() (the objects and their own report), got an object with 'objects', 'report'",
    });
  });

  it('refuses to make a ValidatedRender of objects with a policy error', async () => {
    const app = new App();
    new ApiObject(new Chart(app, 'debug'), 'Pod', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: 'default' },
      spec: { hostNetwork: true, containers: [{ name: 'shell', image: 'busybox:1.37.0' }] },
    });
    await assert.rejects(validateRender(renderedObjects(renderApp(app))), { name: 'PolicyViolationError' });
  });
});
