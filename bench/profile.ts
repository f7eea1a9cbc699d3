/**
 * `npm run bench:profile [-- --services 1000] [--outdir <dir>]`: a CPU profile of each phase
 * of the bench's kit variant (bench/measure.ts: build, render, serialize, validate, write)
 * at one fleet size, after the same two-service warm-up, written as `<phase>.cpuprofile`
 * (Chrome DevTools' Performance panel and speedscope open them). The profiles in
 * docs/bench.md were taken this way. Profiling slows the run: read shares, not seconds.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runKit, servicesOption, type PhaseRunner } from './measure.js';

/** Sampling interval of the profiles, in microseconds. */
const SAMPLING_INTERVAL_US = 200;

/** Profiles the kit variant at `services` services into `outdir`; returns each phase's wall time (profiled) and the files written. */
export async function profileKit(services: number, outdir: string): Promise<{ phases: Record<string, number>; profiles: string[] }> {
  mkdirSync(outdir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'k8s-platform-kit-profile-'));
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
    await runKit(2, join(work, 'warmup'));
    const profiles: string[] = [];
    const around: PhaseRunner = async (phase, run) => {
      await session.post('Profiler.start');
      try {
        return await run();
      } finally {
        const { profile } = await session.post('Profiler.stop');
        const file = join(outdir, `${phase}.cpuprofile`);
        writeFileSync(file, JSON.stringify(profile));
        profiles.push(file);
      }
    };
    const phases = await runKit(services, join(work, 'out'), { around });
    return { phases, profiles };
  } finally {
    session.disconnect();
    rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { services: { type: 'string', default: '1000' }, outdir: { type: 'string' } } });
  const services = servicesOption(values.services);
  const outdir = resolve(values.outdir ?? join(tmpdir(), 'k8s-platform-kit-profiles'));
  const { phases, profiles } = await profileKit(services, outdir);
  for (const [phase, ms] of Object.entries(phases)) console.log(`${phase.padEnd(10)} ${ms.toFixed(0).padStart(7)} ms (profiled)`);
  console.log(`\n${profiles.length} profiles written to ${outdir}`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
