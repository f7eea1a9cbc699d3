/**
 * The synth entry point: `npm run synth [-- --env <name>] [--outdir <dir>] [--strict-capacity] [--check] [--graph <file>]`,
 * and the app command of `cdk8s synth` (which sets CDK8S_OUTDIR). Builds the environment's
 * App, validates every object (schema and policy), checks that it fits the environment's node
 * pools (constructs/capacity) and writes the manifests. Any unwaived policy error, or a
 * capacity problem when the environment's `capacity.strict` is true (or --strict-capacity is
 * given), stops it with the findings and exit code 1; other capacity problems are warnings.
 * With --check nothing is written: the manifests are synthesized into a scratch directory
 * and compared with the output directory, and any difference exits 1 (for a GitOps
 * repository's CI). --graph writes a Mermaid picture of the environment (routes → Services →
 * workloads → ConfigMaps and Secrets, ServiceMonitors → Services); a `.md` file gets it
 * inside a mermaid code fence.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PolicyViolationError, assertValid } from '../constructs/index.js';
import { CapacityError, checkCapacity, objectsOf } from '../constructs/capacity/index.js';
import { environmentGraph, formatDrift, manifestDrift } from '../constructs/gitops/index.js';
import { buildApp } from './app.js';
import { DEFAULT_ENVIRONMENT, loadEnvironment } from './environment.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      env: { type: 'string', default: process.env.K8S_PLATFORM_KIT_ENV ?? DEFAULT_ENVIRONMENT },
      outdir: { type: 'string' },
      'strict-capacity': { type: 'boolean' },
      check: { type: 'boolean', default: false },
      graph: { type: 'string' },
    },
  });
  const env = loadEnvironment(values.env);
  const target = values.outdir ?? process.env.CDK8S_OUTDIR ?? `dist/${env.name}`;
  const outdir = values.check ? mkdtempSync(join(tmpdir(), `k8s-platform-kit-check-${env.name}-`)) : target;
  const app = buildApp(env, { outdir });
  const report = await assertValid(app);
  const objects = objectsOf(app);
  const capacity = checkCapacity(env, objects, { strict: values['strict-capacity'] || undefined });
  if (values.graph) {
    const chart = environmentGraph(objects, `${env.name}: routes, services, workloads, configuration, monitoring`);
    writeFileSync(values.graph, values.graph.endsWith('.md') ? `\`\`\`mermaid\n${chart}\`\`\`\n` : chart);
    console.log(`${env.name}: graph written to ${values.graph}`);
  }
  removeStaleManifests(outdir);
  app.synth();
  for (const warning of report.warnings) console.warn(`WARNING [${warning.ruleId}] ${warning.object}: ${warning.message}`);
  for (const warning of capacity.warnings) console.warn(`WARNING ${warning}`);
  if (values.check) {
    const drift = manifestDrift(outdir, target);
    rmSync(outdir, { recursive: true, force: true });
    console.log(formatDrift(target, drift));
    if (drift.length > 0) process.exitCode = 1;
    return;
  }
  console.log(`${env.name}: ${report.objectCount} objects validated (${report.waived.length} findings waived by exceptions), ` +
    `capacity ${capacity.plan.fits ? 'fits' : 'does not fit'} (${capacity.plan.scenarios.length} scenarios), written to ${outdir}`);
}

/** Manifests of a previous synth would otherwise linger in a GitOps directory and be applied. */
function removeStaleManifests(outdir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(outdir);
  } catch {
    return;
  }
  for (const entry of entries) if (entry.endsWith('.k8s.yaml')) rmSync(join(outdir, entry));
}

main().catch((error: unknown) => {
  if (error instanceof PolicyViolationError) {
    console.error(error.report.format());
  } else if (error instanceof CapacityError) {
    console.error(error.message);
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exitCode = 1;
});
