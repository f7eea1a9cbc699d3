/**
 * The benchmark's results: medians over the runs, the ratios, the targets with PASS/MISS,
 * and the text table. Pure functions over the measurements, so they are tested directly.
 */
import type { Measurement, Variant } from './measure.js';

/** One variant at one fleet size, summarized over its runs. */
export interface VariantSummary {
  readonly variant: Variant;
  readonly runs: number;
  /** Median wall time of the measured work, in milliseconds. */
  readonly ms: number;
  /** Every run's wall time, in the order measured. */
  readonly msRuns: readonly number[];
  /** Median wall time of each phase. */
  readonly phases: Readonly<Record<string, number>>;
  /** Median wall time per object written. */
  readonly msPerObject: number;
  /** The highest peak RSS of the runs, in bytes. */
  readonly peakRssBytes: number;
  readonly objects: number;
  readonly kinds: Readonly<Record<string, number>>;
  readonly files: number;
  readonly bytes: number;
}

/** All variants at one fleet size. */
export interface SizeResult {
  readonly services: number;
  readonly kit: VariantSummary;
  readonly baseline: VariantSummary;
  readonly floor: VariantSummary;
  /** Kit time per object ÷ baseline time per object. */
  readonly kitVsBaselinePerObject: number;
  /** Kit time ÷ floor time (the same objects): the ratio of the medians, what the target is checked on. */
  readonly kitVsFloor: number;
  /**
   * Kit time ÷ floor time in each round (the two measured one after the other), in round
   * order, and their median: the same ratio, less sensitive to the machine slowing down for
   * part of the run. Reported beside the target, not checked.
   */
  readonly kitVsFloorRounds: readonly number[];
  readonly kitVsFloorPaired: number;
  /** Correctness of the run, independent of timings. */
  readonly checks: {
    /** Every kit service wrote one object of each kind it should (Deployment, Service, …). */
    readonly kitObjectsPerService: boolean;
    /** Every baseline service wrote a Deployment and a Service. */
    readonly baselineObjectsPerService: boolean;
    /** The floor wrote the same bytes as the kit (the same objects, serialized the same way). */
    readonly floorMatchesKit: boolean;
  };
}

/** The cold start of `npm run synth`, process start to exit. */
export interface ColdStartResult {
  readonly command: string;
  readonly runs: number;
  readonly ms: number;
  readonly msRuns: readonly number[];
}

/** One target, checked against the results. */
export interface TargetResult {
  readonly id: string;
  readonly description: string;
  /** The measured value, or null when the run did not measure it. */
  readonly value: number | null;
  readonly limit: number;
  readonly unit: string;
  readonly status: 'PASS' | 'MISS' | 'n/a';
}

/** Where and how the benchmark ran. */
export interface MachineInfo {
  readonly cpu: string;
  readonly cpus: number;
  readonly memoryBytes: number;
  readonly node: string;
  readonly platform: string;
  /** Load averages (1, 5, 15 minutes) before and after the run. */
  readonly loadAverageStart: readonly number[];
  readonly loadAverageEnd: readonly number[];
  readonly commit?: string;
}

/** The whole result, as written to JSON. */
export interface BenchResult {
  readonly date: string;
  readonly machine: MachineInfo;
  readonly options: { readonly sizes: readonly number[]; readonly runs: number; readonly warmup: boolean; readonly servicesPerNamespace: number; readonly output: 'tmpfs' | 'disk' };
  readonly sizes: readonly SizeResult[];
  readonly coldStart?: ColdStartResult;
  readonly targets: readonly TargetResult[];
}

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] ?? 0 : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Summarizes the runs of one variant at one size; the runs must have written the same output. */
export function summarize(runs: readonly Measurement[]): VariantSummary {
  const first = runs[0];
  if (!first) throw new Error('no runs to summarize');
  for (const run of runs) {
    if (run.variant !== first.variant || run.services !== first.services || run.objects !== first.objects || run.bytes !== first.bytes) {
      throw new Error(`${first.variant} at ${first.services} services: runs wrote different output (${run.objects} objects and ${run.bytes} bytes, then ${first.objects} and ${first.bytes})`);
    }
  }
  const ms = median(runs.map((run) => run.ms));
  const phases = Object.fromEntries(Object.keys(first.phases).map((phase) => [phase, median(runs.map((run) => run.phases[phase] ?? 0))]));
  return {
    variant: first.variant,
    runs: runs.length,
    ms,
    msRuns: runs.map((run) => run.ms),
    phases,
    msPerObject: ms / first.objects,
    peakRssBytes: Math.max(...runs.map((run) => run.peakRssBytes)),
    objects: first.objects,
    kinds: first.kinds,
    files: first.files,
    bytes: first.bytes,
  };
}

/** True when `kinds` holds exactly `count` objects of each of `expected`, and nothing else. */
export function hasPerService(kinds: Readonly<Record<string, number>>, expected: readonly string[], count: number): boolean {
  return Object.keys(kinds).length === expected.length && expected.every((kind) => kinds[kind] === count);
}

/** Each round's kit ÷ floor time and their median; runs of both lists are in round order. */
function pairedRatios(kit: readonly number[], floor: readonly number[]): { kitVsFloorRounds: number[]; kitVsFloorPaired: number } {
  if (kit.length !== floor.length) throw new Error(`kit ran ${kit.length} rounds and the floor ${floor.length}`);
  const kitVsFloorRounds = kit.map((ms, i) => ms / (floor[i] ?? Number.NaN));
  return { kitVsFloorRounds, kitVsFloorPaired: median(kitVsFloorRounds) };
}

/** Combines the three variants at one size. */
export function sizeResult(
  services: number,
  kit: VariantSummary,
  baseline: VariantSummary,
  floor: VariantSummary,
  kinds: { readonly kit: readonly string[]; readonly baseline: readonly string[] },
  floorMatchesKit: boolean,
): SizeResult {
  return {
    services,
    kit,
    baseline,
    floor,
    kitVsBaselinePerObject: kit.msPerObject / baseline.msPerObject,
    kitVsFloor: kit.ms / floor.ms,
    ...pairedRatios(kit.msRuns, floor.msRuns),
    checks: {
      kitObjectsPerService: hasPerService(kit.kinds, kinds.kit, services),
      baselineObjectsPerService: hasPerService(baseline.kinds, kinds.baseline, services),
      floorMatchesKit,
    },
  };
}

const MB = 1024 * 1024;

/** The targets, measured against the results (n/a when the sizes they need were not run). */
export function evaluateTargets(sizes: readonly SizeResult[], coldStart: ColdStartResult | undefined): TargetResult[] {
  const at = (services: number) => sizes.find((size) => size.services === services);
  const n100 = at(100);
  const n1000 = at(1000);
  const n3000 = at(3000);
  const target = (id: string, description: string, value: number | undefined, limit: number, unit: string, strict = false): TargetResult => ({
    id,
    description,
    value: value ?? null,
    limit,
    unit,
    status: value === undefined ? 'n/a' : (strict ? value < limit : value <= limit) ? 'PASS' : 'MISS',
  });
  return [
    target('kit-vs-floor-1000', '1,000 services synthesized and validated within 2x the floor', n1000?.kitVsFloor, 2, 'x'),
    target('kit-vs-baseline-1000', '1,000 services: at most 1.5x the baseline\'s time per object', n1000?.kitVsBaselinePerObject, 1.5, 'x'),
    target('linear-3000-vs-100', 'time per object at 3,000 services within 1.2x of 100',
      n3000 && n100 ? n3000.kit.msPerObject / n100.kit.msPerObject : undefined, 1.2, 'x'),
    target('rss-1000', 'peak RSS under 500 MB at 1,000 services', n1000 ? n1000.kit.peakRssBytes / MB : undefined, 500, 'MB', true),
    target('cold-start', 'cold start of npm run synth under 3 s', coldStart?.ms, 3000, 'ms', true),
  ];
}

function fixed(value: number, digits: number): string {
  return value.toFixed(digits);
}

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ').trimEnd();
}

/** The results as text: a table per size, the ratios, the cold start and the targets. */
export function formatReport(result: BenchResult): string {
  const lines: string[] = [];
  const widths = [9, 9, 12, 10, 10, 8, 11, 6];
  lines.push(pad(['services', 'variant', 'wall ms', 'ms/object', 'peak RSS', 'objects', 'bytes', 'files'], widths));
  for (const size of result.sizes) {
    for (const summary of [size.kit, size.baseline, size.floor]) {
      lines.push(pad([
        summary === size.kit ? String(size.services) : '',
        summary.variant,
        fixed(summary.ms, 0),
        fixed(summary.msPerObject, 3),
        `${fixed(summary.peakRssBytes / MB, 0)} MB`,
        String(summary.objects),
        String(summary.bytes),
        String(summary.files),
      ], widths));
    }
    const phases = Object.entries(size.kit.phases).map(([phase, ms]) => `${phase} ${fixed(ms, 0)}`).join(', ');
    lines.push(`${''.padEnd(widths[0] ?? 0)}  kit/baseline per object ${fixed(size.kitVsBaselinePerObject, 2)}x, kit/floor ${fixed(size.kitVsFloor, 2)}x; kit phases (ms): ${phases}`);
    const rounds = size.kitVsFloorRounds.map((ratio) => fixed(ratio, 2)).join(' ');
    lines.push(`${''.padEnd(widths[0] ?? 0)}  kit/floor per round ${rounds} (median ${fixed(size.kitVsFloorPaired, 2)}x)`);
    const failed = Object.entries(size.checks).filter(([, ok]) => !ok).map(([check]) => check);
    if (failed.length > 0) lines.push(`${''.padEnd(widths[0] ?? 0)}  CHECK FAILED: ${failed.join(', ')}`);
  }
  if (result.coldStart) {
    lines.push('', `cold start of ${result.coldStart.command}: ${fixed(result.coldStart.ms, 0)} ms (median of ${result.coldStart.runs})`);
  }
  lines.push('', 'targets:');
  for (const t of result.targets) {
    const value = t.value === null ? 'not measured' : `${fixed(t.value, t.unit === 'x' ? 2 : 0)} ${t.unit} (limit ${t.limit} ${t.unit})`;
    lines.push(`  ${t.status.padEnd(4)}  ${t.description}: ${value}`);
  }
  const m = result.machine;
  lines.push('', `machine: ${m.cpus} x ${m.cpu}, ${fixed(m.memoryBytes / 1024 ** 3, 0)} GiB, Node.js ${m.node}, ${m.platform}; `
    + `load average ${m.loadAverageStart.map((l) => fixed(l, 2)).join(' ')} before, ${m.loadAverageEnd.map((l) => fixed(l, 2)).join(' ')} after`);
  return lines.join('\n');
}
