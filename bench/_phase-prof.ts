import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { App } from 'cdk8s';
import { assertValidManifests } from '../constructs/index.js';
import { layoutGitOps, renderApp, validationInputsOf, writeGitOps } from '../constructs/gitops/index.js';
import { buildKitFleet } from './fleet.js';
const session = new Session(); session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
async function phase<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
  await session.post('Profiler.start');
  const t = performance.now();
  const r = await fn();
  const ms = performance.now() - t;
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(`/dev/shm/prof/${name}.cpuprofile`, JSON.stringify(profile));
  console.log(name, ms.toFixed(0));
  return r;
}
async function run(n: number, out: string, prof: boolean) {
  const p = prof ? phase : async <T>(_: string, fn: () => T | Promise<T>) => fn();
  const app = new App();
  await p('build', () => buildKitFleet(app, n));
  const rendered = await p('render', () => renderApp(app));
  const plan = await p('serialize', () => layoutGitOps(rendered, { repositoryPath: './dist/bench' }));
  await p('validate', () => assertValidManifests(validationInputsOf(plan)));
  await p('write', () => writeGitOps(out, plan.files));
}
await run(2, '/dev/shm/prof/w', false);
await run(Number(process.argv[2] ?? 1000), '/dev/shm/prof/o', true);
