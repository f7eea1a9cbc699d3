/**
 * `npm run bench [-- --sizes 100,1000,3000] [--runs 5] [--quick] [--json <file>] [--no-cold-start]`
 *
 * Measures the synthesis of a generated fleet (bench/fleet.ts) at each size: the kit (build,
 * render, validate, write: the GitOps writer `npm run synth` uses), the baseline (plain cdk8s-plus) and the floor (YAML serialization of the
 * kit's objects alone). Every measurement runs in a fresh process (bench/measure.ts), so peak
 * RSS is that of one synthesis; per size, one discarded warm-up round comes first, then the
 * rounds measured, each variant in turn. Then it times the cold start of `npm run synth`
 * (after `npm run build`, except with --quick).
 * Prints a table and the targets (PASS/MISS), and writes the same as JSON.
 *
 * `--quick` runs one round at 25 services, no warm-up, one cold start: a check that the
 * harness works, not a measurement. JSON goes to bench/results/latest.json for a full run,
 * and elsewhere only with --json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BASELINE_KINDS, KIT_KINDS, SERVICES_PER_NAMESPACE } from './fleet.js';
import { filesBelow, objectsFileOf, type Measurement, type Variant } from './measure.js';
import {
  evaluateTargets, formatReport, median, sizeResult, summarize, type BenchResult, type ColdStartResult, type MachineInfo, type SizeResult,
} from './report.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_SIZES = [100, 1000, 3000];
const DEFAULT_RUNS = 5;
const DEFAULT_JSON = join(ROOT, 'bench', 'results', 'latest.json');

function fail(message: string): never {
  throw new Error(`bench: ${message}`);
}

function runMeasurement(variant: Variant, services: number, outdir: string, input?: string): Measurement {
  const args = ['--import', 'tsx', join(ROOT, 'bench', 'measure.ts'), '--variant', variant, '--services', String(services), '--outdir', outdir];
  if (input) args.push('--input', input);
  const child = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (child.status !== 0) fail(`${variant} at ${services} services failed (exit ${child.status}):\n${child.stderr}`);
  const line = child.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as Measurement;
}

/** Whether two output directories hold the same files (at any depth) with the same bytes. */
function sameOutput(a: string, b: string): boolean {
  const files = filesBelow(a);
  if (files.join('\n') !== filesBelow(b).join('\n')) return false;
  return files.every((file) => readFileSync(join(a, file)).equals(readFileSync(join(b, file))));
}

/** One round at one size: kit, baseline, then floor on the kit's output. */
function round(services: number, work: string, label: string): { kit: Measurement; baseline: Measurement; floor: Measurement; floorMatchesKit: boolean } {
  const kitDir = join(work, `kit-${services}-${label}`);
  const baselineDir = join(work, `baseline-${services}-${label}`);
  const floorDir = join(work, `floor-${services}-${label}`);
  const kit = runMeasurement('kit', services, kitDir);
  const baseline = runMeasurement('baseline', services, baselineDir);
  const floor = runMeasurement('floor', services, floorDir, kitDir);
  const floorMatchesKit = sameOutput(kitDir, floorDir);
  for (const path of [kitDir, objectsFileOf(kitDir), baselineDir, floorDir]) rmSync(path, { recursive: true, force: true });
  return { kit, baseline, floor, floorMatchesKit };
}

function measureSize(services: number, runs: number, warmup: boolean, work: string): SizeResult {
  if (warmup) round(services, work, 'warmup');
  const rounds = Array.from({ length: runs }, (_, i) => {
    process.stderr.write(`  ${services} services: round ${i + 1} of ${runs}\n`);
    return round(services, work, String(i));
  });
  return sizeResult(
    services,
    summarize(rounds.map((r) => r.kit)),
    summarize(rounds.map((r) => r.baseline)),
    summarize(rounds.map((r) => r.floor)),
    { kit: KIT_KINDS, baseline: BASELINE_KINDS },
    rounds.every((r) => r.floorMatchesKit),
  );
}

/**
 * Wall time of `npm run synth` for the default environment, process start to exit. With
 * `build`, `npm run build` runs first, so synth starts from the compiled lib/ as it does
 * after `npm ci` (charts/run.mjs); otherwise it starts however the tree is (the TypeScript
 * through tsx when lib/ is older than the sources).
 */
function measureColdStart(runs: number, warmup: boolean, work: string, build: boolean): ColdStartResult {
  const outdir = join(work, 'synth');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  if (build) {
    const built = spawnSync(npm, ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
    if (built.status !== 0) fail(`npm run build failed (exit ${built.status}):\n${built.stdout}${built.stderr}`);
  }
  const args = ['run', '--silent', 'synth', '--', '--outdir', outdir];
  const once = (): number => {
    const start = performance.now();
    const child = spawnSync(npm, args, { cwd: ROOT, encoding: 'utf8' });
    const ms = performance.now() - start;
    if (child.status !== 0) fail(`npm run synth failed (exit ${child.status}):\n${child.stderr}`);
    return ms;
  };
  if (warmup) once();
  const msRuns = Array.from({ length: runs }, once);
  return { command: `npm ${args.join(' ')}`.replace(outdir, '<tmp>'), runs, ms: median(msRuns), msRuns };
}

function commit(): string | undefined {
  const child = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  return child.status === 0 ? child.stdout.trim() : undefined;
}

function machine(loadAverageStart: readonly number[]): MachineInfo {
  const sha = commit();
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cpus: cpus().length,
    memoryBytes: totalmem(),
    node: process.versions.node,
    platform: `${process.platform} ${process.arch}`,
    loadAverageStart,
    loadAverageEnd: loadavg(),
    ...(sha !== undefined && { commit: sha }),
  };
}

function parseSizes(text: string): number[] {
  const sizes = text.split(',').map((part) => Number(part.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) fail(`--sizes must be whole numbers >= 1 separated by commas, got '${text}'`);
  return sizes;
}

/** Runs the benchmark with command-line arguments; returns the result. */
export function bench(argv: readonly string[]): BenchResult {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sizes: { type: 'string' },
      runs: { type: 'string' },
      quick: { type: 'boolean', default: false },
      json: { type: 'string' },
      'no-cold-start': { type: 'boolean', default: false },
      disk: { type: 'boolean', default: false },
    },
  });
  const quick = values.quick ?? false;
  const sizes = values.sizes !== undefined ? parseSizes(values.sizes) : quick ? [SERVICES_PER_NAMESPACE] : DEFAULT_SIZES;
  const runs = values.runs !== undefined ? Number(values.runs) : quick ? 1 : DEFAULT_RUNS;
  if (!Number.isInteger(runs) || runs < 1) fail(`--runs must be a whole number >= 1, got '${values.runs}'`);
  const warmup = !quick;
  const fullRun = !quick && values.sizes === undefined;
  const jsonPath = values.json ?? (fullRun ? DEFAULT_JSON : undefined);

  const loadAverageStart = loadavg();
  // Output goes to memory (/dev/shm, a tmpfs, where there is one): the disk's speed and its
  // write-back bursts are not the kit's work, and on a shared disk they swing the floor's
  // time (thousands of small files) by 2x from round to round. --disk writes to the temp dir.
  const work = mkdtempSync(join(values.disk || !existsSync('/dev/shm') ? tmpdir() : '/dev/shm', 'k8s-platform-kit-bench-'));
  try {
    const results = sizes.map((services) => measureSize(services, runs, warmup, work));
    const coldStart = values['no-cold-start'] ? undefined : measureColdStart(quick ? 1 : runs, warmup, work, !quick);
    const result: BenchResult = {
      date: new Date().toISOString(),
      machine: machine(loadAverageStart),
      options: { sizes, runs, warmup, servicesPerNamespace: SERVICES_PER_NAMESPACE, output: work.startsWith('/dev/shm') ? 'tmpfs' : 'disk' },
      sizes: results,
      ...(coldStart && { coldStart }),
      targets: evaluateTargets(results, coldStart),
    };
    if (jsonPath) {
      mkdirSync(dirname(jsonPath), { recursive: true });
      writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
    }
    console.log(formatReport(result));
    if (jsonPath) console.log(`\nwritten to ${jsonPath}`);
    return result;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const result = bench(process.argv.slice(2));
    const failedChecks = result.sizes.some((size) => Object.values(size.checks).some((ok) => !ok));
    if (failedChecks) process.exitCode = 1;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
