/**
 * The synth entry point: `npm run synth [-- --env <name>] [--outdir <dir>]`, and the app
 * command of `cdk8s synth` (which sets CDK8S_OUTDIR). Builds the environment's App,
 * validates every object (schema and policy) and writes the manifests; any unwaived
 * error stops it with the findings and exit code 1.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PolicyViolationError, assertValid } from '../constructs/index.js';
import { buildApp } from './app.js';
import { DEFAULT_ENVIRONMENT, loadEnvironment } from './environment.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      env: { type: 'string', default: process.env.K8S_PLATFORM_KIT_ENV ?? DEFAULT_ENVIRONMENT },
      outdir: { type: 'string' },
    },
  });
  const env = loadEnvironment(values.env);
  const outdir = values.outdir ?? process.env.CDK8S_OUTDIR ?? `dist/${env.name}`;
  const app = buildApp(env, { outdir });
  const report = await assertValid(app);
  removeStaleManifests(outdir);
  app.synth();
  for (const warning of report.warnings) console.warn(`WARNING [${warning.ruleId}] ${warning.object}: ${warning.message}`);
  console.log(`${env.name}: ${report.objectCount} objects validated (${report.waived.length} findings waived by exceptions), written to ${outdir}`);
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
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exitCode = 1;
});
