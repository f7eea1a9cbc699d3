/**
 * Starts a chart entry point: `node charts/run.mjs <entry> [arguments]` runs
 * `charts/<entry>.ts` (`main`: synth, `capacity`: the capacity report) with the arguments.
 *
 * It runs the compiled JavaScript in lib/ when the last `npm run build` started after every
 * change to the sources (constructs/, charts/, the tsconfig files): that starts about a
 * second sooner than compiling the TypeScript on the fly. Otherwise, or when lib/ was never
 * built, it runs the TypeScript through tsx, so an edit is never synthesized from stale
 * JavaScript. `npm run build` (run by `npm ci` too) records when it started in lib/.built.
 *
 * Plain JavaScript on purpose: it decides whether TypeScript needs compiling at all.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { URL, fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = ['constructs', 'charts', 'tsconfig.json', 'tsconfig.build.json'];

/** The latest modification time below `path` (files and directories: a deleted file changes its directory's). */
function newest(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  let latest = stat.mtimeMs;
  if (stat.isDirectory()) {
    for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

/** Whether lib/ was built, by a build that started after the last change to any source. */
function compiledIsFresh() {
  const built = statSync(join(root, 'lib', '.built'), { throwIfNoEntry: false });
  return built !== undefined && SOURCES.every((source) => newest(join(root, source)) <= built.mtimeMs);
}

const [entry] = process.argv.splice(2, 1);
if (entry === undefined || !/^[a-z][a-z-]*$/.test(entry)) {
  console.error(`usage: node charts/run.mjs <entry> [arguments], where <entry> names a file of charts/ such as main; got ${entry ?? 'nothing'}`);
  process.exit(2);
}
if (!existsSync(join(root, 'charts', `${entry}.ts`))) {
  console.error(`node charts/run.mjs: there is no charts/${entry}.ts to run (entries: main, capacity)`);
  process.exit(2);
}
if (compiledIsFresh()) {
  await import(pathToFileURL(join(root, 'lib', 'charts', `${entry}.js`)).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'charts', `${entry}.ts`)).href);
}
