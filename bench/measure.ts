/**
 * One measurement, in a fresh process: `node --import tsx bench/measure.ts --variant <kit|baseline|floor>
 * --services <n> --outdir <dir> [--input <dir>]`. Prints one JSON line (a {@link Measurement}).
 *
 * - kit: builds the fleet of HardenedDeployments, validates every object (schema and policy,
 *   `assertValid`, as the synth entry point does) and writes the manifests (`app.synth()`).
 * - baseline: builds the same containers as plain cdk8s-plus Deployments and Services and
 *   writes them (no validation).
 * - floor: reads the kit's manifests from `--input` (not timed), then only serializes those
 *   objects to YAML files, with the serializer cdk8s uses.
 *
 * Each variant first does the same work on a two-service fleet, so that lazily loaded
 * modules (schemas, serializers) are loaded and the timed run measures steady-state work;
 * the one-time start-up cost is what the cold-start measurement of `npm run synth` covers.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { App, Yaml } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { assertValid } from '../constructs/index.js';
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
  /** Wall time per phase (kit: build, validate, write; baseline: build, write; floor: write). */
  readonly phases: Readonly<Record<string, number>>;
  /** Peak resident set size of the process, in bytes. */
  readonly peakRssBytes: number;
  /** Objects written. */
  readonly objects: number;
  /** Objects written, by kind. */
  readonly kinds: Readonly<Record<string, number>>;
  readonly files: number;
  readonly bytes: number;
}

const MANIFEST_SUFFIX = '.k8s.yaml';

async function runKit(services: number, outdir: string): Promise<Record<string, number>> {
  const t0 = performance.now();
  const app = new App({ outdir });
  buildKitFleet(app, services);
  const t1 = performance.now();
  await assertValid(app);
  const t2 = performance.now();
  app.synth();
  const t3 = performance.now();
  return { build: t1 - t0, validate: t2 - t1, write: t3 - t2 };
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

/** Reads every manifest file of `dir`: file name → its objects. */
function readManifests(dir: string): Map<string, unknown[]> {
  const files = new Map<string, unknown[]>();
  for (const file of manifestFiles(dir)) {
    const docs = parseAllDocuments(readFileSync(join(dir, file), 'utf8'), { version: '1.1' });
    files.set(file, (Array.isArray(docs) ? docs : [docs]).map((doc) => doc.toJSON() as unknown));
  }
  return files;
}

function runFloor(input: Map<string, unknown[]>, outdir: string): Record<string, number> {
  const t0 = performance.now();
  mkdirSync(outdir, { recursive: true });
  for (const [file, objects] of input) Yaml.save(join(outdir, file), objects);
  return { write: performance.now() - t0 };
}

function manifestFiles(dir: string): string[] {
  return readdirSync(dir).filter((file) => file.endsWith(MANIFEST_SUFFIX)).sort();
}

/** Files, bytes and objects by kind written to `dir` (a top-level `kind:` line starts each object). */
export function countOutput(dir: string): { files: number; bytes: number; objects: number; kinds: Record<string, number> } {
  const kinds: Record<string, number> = {};
  let bytes = 0;
  let objects = 0;
  const files = manifestFiles(dir);
  for (const file of files) {
    const path = join(dir, file);
    bytes += statSync(path).size;
    for (const match of readFileSync(path, 'utf8').matchAll(/^kind: (\S+)$/gm)) {
      const kind = match[1] ?? '';
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      objects++;
    }
  }
  return { files: files.length, bytes, objects, kinds };
}

/** Runs one variant after an in-process warm-up and returns its measurement. */
export async function measure(variant: Variant, services: number, outdir: string, inputDir?: string): Promise<Measurement> {
  const warmupDir = `${outdir}.warmup`;
  let phases: Record<string, number>;
  if (variant === 'floor') {
    if (!inputDir) throw new Error('the floor variant needs --input <dir> (the kit\'s manifests)');
    const input = readManifests(inputDir);
    const first = [...input.entries()].slice(0, 1);
    runFloor(new Map(first), warmupDir);
    phases = runFloor(input, outdir);
  } else if (variant === 'kit') {
    await runKit(2, warmupDir);
    phases = await runKit(services, outdir);
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
  const services = Number(values.services);
  if (!Number.isInteger(services) || services < 1) throw new Error(`--services must be a whole number >= 1, got ${String(values.services)}`);
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
