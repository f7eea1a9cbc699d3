/**
 * The benchmark harness end to end: one quick run of `npm run bench` in a child process
 * (shape of the JSON and correctness of what was written; timings are not asserted), and
 * the CPU profiles of `npm run bench:profile`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { KIT_KINDS, SERVICES_PER_NAMESPACE } from '../../bench/fleet.js';
import { profileKit } from '../../bench/profile.js';
import type { BenchResult } from '../../bench/report.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('npm run bench -- --quick', () => {
  it('measures the three variants, the cold start and writes the JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-test-'));
    try {
      const json = join(dir, 'result.json');
      const child = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--json', json], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(child.status, 0, child.stderr);
      const result = JSON.parse(readFileSync(json, 'utf8')) as BenchResult;

      // Output goes to memory where the machine has a tmpfs at /dev/shm.
      const output = existsSync('/dev/shm') ? 'tmpfs' : 'disk';
      assert.deepEqual(result.options, { sizes: [SERVICES_PER_NAMESPACE], runs: 1, warmup: false, servicesPerNamespace: SERVICES_PER_NAMESPACE, output });
      assert.equal(result.sizes.length, 1);
      const [only] = result.sizes;
      assert.ok(only);
      assert.equal(only.services, SERVICES_PER_NAMESPACE);
      assert.deepEqual(only.checks, { kitObjectsPerService: true, baselineObjectsPerService: true, floorMatchesKit: true });
      assert.equal(only.kit.objects, SERVICES_PER_NAMESPACE * KIT_KINDS.length);
      for (const kind of KIT_KINDS) assert.equal(only.kit.kinds[kind], SERVICES_PER_NAMESPACE, kind);
      assert.equal(only.baseline.objects, SERVICES_PER_NAMESPACE * 2);
      assert.equal(only.floor.bytes, only.kit.bytes);
      // One chart directory (25 services, one namespace): 7 objects per service, its kustomization.yaml, the Flux
      // Kustomization of the chart and the flux/ kustomization.yaml, the top-level kustomization.yaml and the list of files.
      assert.equal(only.kit.files, SERVICES_PER_NAMESPACE * KIT_KINDS.length + 5);
      assert.deepEqual(Object.keys(only.kit.phases), ['build', 'render', 'serialize', 'validate', 'write']);
      for (const summary of [only.kit, only.baseline, only.floor]) {
        assert.ok(summary.ms > 0 && summary.peakRssBytes > 0 && summary.bytes > 0, summary.variant);
      }
      assert.equal(result.coldStart?.runs, 1);
      assert.ok((result.coldStart?.ms ?? 0) > 0);
      assert.deepEqual(result.targets.map((t) => t.id), ['kit-vs-floor-1000', 'kit-vs-baseline-1000', 'linear-3000-vs-100', 'rss-1000', 'cold-start']);
      assert.equal(result.targets.find((t) => t.id === 'cold-start')?.status === 'n/a', false);
      assert.ok(result.machine.cpus > 0 && result.machine.node.length > 0);
      assert.match(child.stdout, /targets:/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run bench:profile', () => {
  it('writes one CPU profile per phase of the kit variant, each with samples from the kit', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'kit-profile-'));
    try {
      const { phases, profiles } = await profileKit(3, outdir);
      assert.deepEqual(Object.keys(phases), ['build', 'render', 'serialize', 'validate', 'write']);
      assert.deepEqual(profiles.map((file) => file.slice(outdir.length + 1)), Object.keys(phases).map((phase) => `${phase}.cpuprofile`));
      for (const file of profiles) {
        const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: { callFrame: { url: string } }[]; samples: number[] };
        assert.ok(profile.samples.length > 0, file);
        assert.ok(profile.nodes.some((node) => node.callFrame.url.includes('/bench/')), `${file} profiles the bench's kit run`);
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
