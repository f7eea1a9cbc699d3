/**
 * The benchmark harness's pure parts: the fleets it builds and the report it computes. The
 * harness itself (`npm run bench -- --quick`, `npm run bench:profile`) runs in
 * test/integration/bench.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { App, Testing } from 'cdk8s';
import { validateApp } from '../../constructs/index.js';
import { BASELINE_KINDS, KIT_KINDS, SERVICES_PER_NAMESPACE, buildBaselineFleet, buildKitFleet, namespaceOf } from '../../bench/fleet.js';
import { servicesOption, type Measurement } from '../../bench/measure.js';
import { evaluateTargets, formatReport, hasPerService, median, sizeResult, summarize, type SizeResult } from '../../bench/report.js';

function measurement(overrides: Partial<Measurement> = {}): Measurement {
  return {
    variant: 'kit', services: 10, ms: 100, phases: { build: 10, validate: 40, write: 50 }, peakRssBytes: 100 * 1024 * 1024,
    objects: 70, kinds: {}, files: 1, bytes: 1000, ...overrides,
  };
}

function size(services: number, kitMs: number, baselineMs: number, floorMs: number, rssMb = 100): SizeResult {
  const kit = summarize([measurement({ services, ms: kitMs, objects: services * 7, peakRssBytes: rssMb * 1024 * 1024 })]);
  const baseline = summarize([measurement({ variant: 'baseline', services, ms: baselineMs, objects: services * 2 })]);
  const floor = summarize([measurement({ variant: 'floor', services, ms: floorMs, objects: services * 7 })]);
  return sizeResult(services, kit, baseline, floor, { kit: KIT_KINDS, baseline: BASELINE_KINDS }, true);
}

describe('bench fleet', () => {
  it('puts 25 services in each namespace', () => {
    assert.equal(SERVICES_PER_NAMESPACE, 25);
    assert.equal(namespaceOf(0), 'team-000');
    assert.equal(namespaceOf(24), 'team-000');
    assert.equal(namespaceOf(25), 'team-001');
  });

  it('builds seven valid objects per kit service', async () => {
    const app = new App();
    buildKitFleet(app, 3);
    const report = await validateApp(app);
    assert.equal(report.errors.length, 0, report.format());
    const kinds = Testing.synth(app.charts[0]!).map((object) => object.kind as string);
    assert.deepEqual([...new Set(kinds)].sort(), [...KIT_KINDS].sort());
    assert.equal(kinds.length, 3 * KIT_KINDS.length);
  });

  it('builds a Deployment and a Service per baseline service', () => {
    const app = new App();
    buildBaselineFleet(app, 2);
    const kinds = Testing.synth(app.charts[0]!).map((object) => object.kind as string).sort();
    assert.deepEqual(kinds, ['Deployment', 'Deployment', 'Service', 'Service']);
  });
});

describe('bench report', () => {
  it('median', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.throws(() => median([]), /no values/);
  });

  it('summarize takes the median time and the highest peak RSS', () => {
    const summary = summarize([
      measurement({ ms: 300, peakRssBytes: 2 }), measurement({ ms: 100, peakRssBytes: 5 }), measurement({ ms: 200, peakRssBytes: 3 }),
    ]);
    assert.equal(summary.ms, 200);
    assert.deepEqual(summary.msRuns, [300, 100, 200]);
    assert.equal(summary.peakRssBytes, 5);
    assert.equal(summary.msPerObject, 200 / 70);
    assert.equal(summary.runs, 3);
  });

  it('summarize refuses runs that wrote different output', () => {
    assert.throws(() => summarize([measurement(), measurement({ bytes: 999 })]), /runs wrote different output/);
  });

  it('hasPerService', () => {
    assert.equal(hasPerService({ Deployment: 2, Service: 2 }, BASELINE_KINDS, 2), true);
    assert.equal(hasPerService({ Deployment: 2, Service: 1 }, BASELINE_KINDS, 2), false);
    assert.equal(hasPerService({ Deployment: 2, Service: 2, ConfigMap: 1 }, BASELINE_KINDS, 2), false);
  });

  it('computes the ratios per object and against the floor', () => {
    const result = size(100, 1400, 400, 700);
    assert.equal(result.kitVsFloor, 2);
    assert.equal(result.kitVsBaselinePerObject, (1400 / 700) / (400 / 200));
  });

  it('reports kit/floor per round and its median beside the ratio of the medians', () => {
    const runs = (variant: 'kit' | 'floor', times: number[]) => summarize(times.map((ms) => measurement({ variant, services: 100, ms, objects: 700 })));
    // Round 2 ran while the machine was slow: both variants took twice as long.
    const kit = runs('kit', [1000, 2400, 1100]);
    const floor = runs('floor', [800, 1600, 500]);
    const baseline = summarize([measurement({ variant: 'baseline', services: 100, ms: 400, objects: 200 })]);
    const result = sizeResult(100, kit, baseline, floor, { kit: KIT_KINDS, baseline: BASELINE_KINDS }, true);
    assert.equal(result.kitVsFloor, 1100 / 800);
    assert.deepEqual(result.kitVsFloorRounds, [1000 / 800, 2400 / 1600, 1100 / 500]);
    assert.equal(result.kitVsFloorPaired, 1.5);
    assert.match(formatReport({
      date: 'd', machine: { cpu: 'c', cpus: 2, memoryBytes: 1024 ** 3, node: '20', platform: 'linux x64', loadAverageStart: [0, 0, 0], loadAverageEnd: [0, 0, 0] },
      options: { sizes: [100], runs: 3, warmup: true, servicesPerNamespace: 25, output: 'tmpfs' }, sizes: [result], targets: [],
    }), /kit\/floor per round 1\.25 1\.50 2\.20 \(median 1\.50x\)/);
  });

  it('takes --services as a whole number of at least 1, naming what it got otherwise', () => {
    assert.equal(servicesOption('1000'), 1000);
    for (const bad of ['0', '-3', '2.5', 'many', undefined]) {
      assert.throws(() => servicesOption(bad), { message: `--services must be a whole number >= 1, got ${String(bad)}` });
    }
  });

  it('evaluates each target, PASS or MISS', () => {
    const targets = evaluateTargets(
      [size(100, 70, 20, 40), size(1000, 1000, 400, 600, 450), size(3000, 3600, 1200, 1800)],
      { command: 'npm run synth', runs: 1, ms: 3100, msRuns: [3100] },
    );
    const status = Object.fromEntries(targets.map((t) => [t.id, t.status]));
    assert.deepEqual(status, {
      'kit-vs-floor-1000': 'PASS', // 1000 / 600 = 1.67
      'kit-vs-baseline-1000': 'PASS', // (1000 / 7000) / (400 / 2000) = 0.71
      'linear-3000-vs-100': 'MISS', // (3600 / 21000) / (70 / 700) = 1.71
      'rss-1000': 'PASS', // 450 MB
      'cold-start': 'MISS', // 3100 ms
    });
    assert.equal(targets.find((t) => t.id === 'kit-vs-floor-1000')?.value, 1000 / 600);
    assert.equal(targets.find((t) => t.id === 'rss-1000')?.value, 450);
  });

  it('marks targets n/a when their sizes were not run', () => {
    const targets = evaluateTargets([size(25, 100, 50, 40)], undefined);
    assert.deepEqual(targets.map((t) => t.status), ['n/a', 'n/a', 'n/a', 'n/a', 'n/a']);
    assert.ok(targets.every((t) => t.value === null));
  });
});
