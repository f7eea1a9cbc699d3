/**
 * One measurement, in a fresh process: `node --import tsx bench/measure.ts --variant <kit|baseline|floor>
 * --services <n> --outdir <dir> [--input <dir>]`. Prints one JSON line (a {@link Measurement}).
 *
 * - kit: what `npm run synth` does, through the same functions: builds the fleet of
 *   HardenedDeployments (`build`), renders every object once (`renderApp`: `render`), lays
 *   out the GitOps directory with its Flux Kustomizations and serializes every file to YAML
 *   (`layoutGitOps`: `serialize`), validates every object, schema and policy
 *   (`assertValidManifests`: `validate`), and writes the files (`writeGitOps`: `write`).
 * - baseline: builds the same containers as plain cdk8s-plus Deployments and Services and
 *   writes them with `app.synth()` (no validation).
 * - floor: reads the kit's output from `--input` (not timed): its objects from the JSON the kit
 *   variant left beside it ({@link objectsFileOf}), its other files (the kustomization.yaml
 *   files) as text. Then only serializes the objects to the same YAML files, with the
 *   serializer and settings cdk8s uses, and writes them with the other files, copied as read.
 *   The objects are not read back from the YAML: parsing 7,000 YAML files first leaves the
 *   `yaml` package's code in another state than a synth finds it (serializing afterwards
 *   took up to half as long again), so the floor would not measure serialization alone.
 *
 * Each variant first does the same work on a two-service fleet, so that lazily loaded
 * modules (schemas, serializers) are loaded and the timed run measures steady-state work;
 * the one-time start-up cost is what the cold-start measurement of `npm run synth` covers.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { App } from 'cdk8s';
import { assertValidManifests } from '../constructs/index.js';
import { FLUX_DIRECTORY, KUSTOMIZATION_FILE, layoutGitOps, objectYaml, renderApp, validationInputsOf, writeGitOps } from '../constructs/gitops/index.js';
import { buildBaselineFleet, buildKitFleet } from './fleet.js';

/** The variants measured. */
export const VARIANTS = ['kit', 'baseline', 'floor'] as const;
export type Variant = (typeof VARIANTS)[number];

/** What one measurement reports. */
export interface Measurement {
  readonly variant: Variant;
  readonly services: number;
  /** Wall time of the measured work, in milliseconds. */
  readonly ms: number;
  /** Wall time per phase (kit: build, render, serialize, validate, write; baseline: build, write; floor: write). */
  readonly phases: Readonly<Record<string, number>>;
  /** Peak resident set size of the process, in bytes. */
  readonly peakRssBytes: number;
  /** Objects of the fleet written (the charts' objects; not the Flux Kustomizations that apply them). */
  readonly objects: number;
  /** Those objects, by kind. */
  readonly kinds: Readonly<Record<string, number>>;
  readonly files: number;
  readonly bytes: number;
}

/** The JSON file, beside a kit run's output directory, that holds its objects by file (written after the timed work). */
export function objectsFileOf(outdir: string): string {
  return `${outdir}.objects.json`;
}

/** Runs one phase of the kit variant's work; {@link runKit} times it, bench/profile.ts also profiles it. */
export type PhaseRunner = <T>(phase: string, work: () => T | Promise<T>) => Promise<T>;

/** Options of {@link runKit}. */
export interface KitRunOptions {
  /** Write the objects beside the output for the floor ({@link objectsFileOf}), after the timed work. */
  readonly keepObjects?: boolean;
  /** Wraps each phase (the time measured includes the wrapper). */
  readonly around?: PhaseRunner;
}

/** The kit variant: build, render, serialize, validate and write the fleet; returns each phase's wall time. */
export async function runKit(services: number, outdir: string, options: KitRunOptions = {}): Promise<Record<string, number>> {
  const times: Record<string, number> = {};
  const phase: PhaseRunner = async (name, work) => {
    const start = performance.now();
    const result = await (options.around ? options.around(name, work) : work());
    times[name] = performance.now() - start;
    return result;
  };
  const app = new App();
  await phase('build', () => buildKitFleet(app, services));
  const rendered = await phase('render', () => renderApp(app));
  const plan = await phase('serialize', () => layoutGitOps(rendered, { repositoryPath: './dist/bench' }));
  await phase('validate', () => assertValidManifests(validationInputsOf(plan)));
  await phase('write', () => writeGitOps(outdir, plan.files));
  if (options.keepObjects) writeFileSync(objectsFileOf(outdir), JSON.stringify(Object.fromEntries(plan.objects)));
  return times;
}

function runBaseline(services: number, outdir: string): Record<string, number> {
  const t0 = performance.now();
  const app = new App({ outdir });
  buildBaselineFleet(app, services);
  const t1 = performance.now();
  app.synth();
  const t2 = performance.now();
  return { build: t1 - t0, write: t2 - t1 };
}

/** Every file below `dir` (relative, `/`-separated), sorted. */
export function filesBelow(dir: string): string[] {
  const files: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current)) {
      const path = join(current, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(relative(dir, path).split(sep).join('/'));
    }
  };
  walk(dir);
  return files.sort();
}

/** A file of the kit's output, as the floor writes it: an object to serialize, or text to copy. */
type FloorFile = { readonly object: unknown } | { readonly text: string };

/** Whether a file of the kit's output holds one object (rather than a kustomization.yaml or the list of files written). */
function isObjectFile(file: string): boolean {
  return file.endsWith('.yaml') && file.split('/').pop() !== KUSTOMIZATION_FILE;
}

/** Reads the kit's output: the objects from the JSON beside it, every other file as text. */
function readOutput(dir: string): Map<string, FloorFile> {
  const objects = JSON.parse(readFileSync(objectsFileOf(dir), 'utf8')) as Record<string, unknown>;
  const files = new Map<string, FloorFile>();
  for (const file of filesBelow(dir)) {
    if (!isObjectFile(file)) files.set(file, { text: readFileSync(join(dir, file), 'utf8') });
    else if (file in objects) files.set(file, { object: objects[file] });
    else throw new Error(`${file} of the kit's output is not in ${objectsFileOf(dir)}`);
  }
  return files;
}

function runFloor(input: Map<string, FloorFile>, outdir: string): Record<string, number> {
  const t0 = performance.now();
  const made = new Set<string>();
  for (const [file, content] of input) {
    const path = join(outdir, file);
    const dir = dirname(path);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(path, 'object' in content ? objectYaml(content.object) : content.text);
  }
  return { write: performance.now() - t0 };
}

/**
 * Files and bytes written to `dir`, and the fleet's objects by kind (a top-level `kind:`
 * line starts each object): every YAML file but the kustomization.yaml files and the Flux
 * Kustomizations of the kit's `flux/` directory.
 */
export function countOutput(dir: string): { files: number; bytes: number; objects: number; kinds: Record<string, number> } {
  const kinds: Record<string, number> = {};
  let bytes = 0;
  let objects = 0;
  const files = filesBelow(dir);
  for (const file of files) {
    const path = join(dir, file);
    bytes += statSync(path).size;
    if (!isObjectFile(file) || file.startsWith(`${FLUX_DIRECTORY}/`)) continue;
    for (const match of readFileSync(path, 'utf8').matchAll(/^kind: (\S+)$/gm)) {
      const kind = match[1] ?? '';
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      objects++;
    }
  }
  return { files: files.length, bytes, objects, kinds };
}

/** The `--services` option: a whole number of services, at least 1. */
export function servicesOption(text: string | undefined): number {
  const services = Number(text);
  if (!Number.isInteger(services) || services < 1) throw new Error(`--services must be a whole number >= 1, got ${String(text)}`);
  return services;
}

/** Runs one variant after an in-process warm-up and returns its measurement. */
export async function measure(variant: Variant, services: number, outdir: string, inputDir?: string): Promise<Measurement> {
  const warmupDir = `${outdir}.warmup`;
  let phases: Record<string, number>;
  if (variant === 'floor') {
    if (!inputDir) throw new Error('the floor variant needs --input <dir> (the kit\'s manifests)');
    const input = readOutput(inputDir);
    // As much serialization as the kit's two-service warm-up: about sixteen objects.
    const first = [...input.entries()].filter(([file]) => isObjectFile(file)).slice(0, 16);
    runFloor(new Map(first), warmupDir);
    phases = runFloor(input, outdir);
  } else if (variant === 'kit') {
    await runKit(2, warmupDir);
    phases = await runKit(services, outdir, { keepObjects: true });
  } else {
    runBaseline(2, warmupDir);
    phases = runBaseline(services, outdir);
  }
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  rmSync(warmupDir, { recursive: true, force: true });
  const ms = Object.values(phases).reduce((sum, value) => sum + value, 0);
  return { variant, services, ms, phases, peakRssBytes, ...countOutput(outdir) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      variant: { type: 'string' },
      services: { type: 'string' },
      outdir: { type: 'string' },
      input: { type: 'string' },
    },
  });
  const variant = values.variant as Variant;
  if (!VARIANTS.includes(variant)) throw new Error(`--variant must be one of ${VARIANTS.join(', ')}, got ${String(values.variant)}`);
  const services = servicesOption(values.services);
  if (!values.outdir) throw new Error('--outdir is required');
  const result = await measure(variant, services, values.outdir, values.input);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exitCode = 1;
  });
}
