/**
 * The synth entry point: `npm run synth [-- --env <name> | --all] [--outdir <dir>] [--strict-capacity] [--check] [--graph <file>]`,
 * and the app command of `cdk8s synth` (which sets CDK8S_OUTDIR). For each environment:
 * builds its App, renders every object once, validates them with the Flux Kustomizations
 * that apply them (schema and policy), checks that the pods fit the environment's node pools
 * (constructs/capacity) and writes the GitOps directory (constructs/gitops: one directory per
 * chart, a kustomization.yaml in each, the Flux Kustomizations in flux/), removing the files
 * an earlier synth wrote and this one does not.
 *
 * Any unwaived policy error, or a capacity problem when the environment's `capacity.strict`
 * is true (or --strict-capacity is given), stops it with the findings and exit code 1; other
 * capacity problems are warnings. With --check nothing is written: the files are compared
 * with the output directory, and any difference exits 1 (for a GitOps repository's CI).
 * --graph writes a Mermaid picture of the environment; a `.md` file gets it inside a mermaid
 * code fence.
 *
 * Where: `--outdir <dir>` is the environment's directory (with --all, `<dir>/<env>`);
 * otherwise `$CDK8S_OUTDIR/<env>` or `dist/<env>`. Run by `cdk8s synth` (CDK8S_OUTDIR set, which
 * the CLI empties first) without --env or K8S_PLATFORM_KIT_ENV, every environment is written.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PolicyViolationError, assertValidManifests, constructWarnings } from '../constructs/index.js';
import { checkCapacity } from '../constructs/capacity/index.js';
import { environmentCapabilities } from '../constructs/environment/index.js';
import { environmentGraph, formatDrift, gitopsDrift, planGitOps, renderedObjects, validationInputsOf, writeGitOps } from '../constructs/gitops/index.js';
import { buildApp } from './app.js';
import { gitopsOptionsOf } from './bootstrap.js';
import { DEFAULT_ENVIRONMENT, environmentNames, loadEnvironment } from './environment.js';

interface Options {
  readonly strictCapacity: boolean;
  readonly check: boolean;
  readonly graph: string | undefined;
}

/** Synthesizes (or with --check, compares) one environment into `target`. Returns false when --check found drift. */
async function synthEnvironment(name: string, target: string, options: Options): Promise<boolean> {
  const env = loadEnvironment(name);
  const app = buildApp(env);
  const plan = planGitOps(app, gitopsOptionsOf(env));
  // Schema, policy, and the capabilities each object needs against what the cluster provides.
  const report = await assertValidManifests(validationInputsOf(plan), { cluster: environmentCapabilities(env, { gitopsOutput: true }) });
  const objects = renderedObjects(plan.rendered).map((rendered) => rendered.object);
  const capacity = checkCapacity(env, objects, { strict: options.strictCapacity || undefined });
  if (options.graph) {
    const chart = environmentGraph(objects, `${env.name}: routes, services, workloads, configuration, monitoring`);
    writeFileSync(options.graph, options.graph.endsWith('.md') ? `\`\`\`mermaid\n${chart}\`\`\`\n` : chart);
    console.log(`${env.name}: graph written to ${options.graph}`);
  }
  for (const warning of constructWarnings(app)) console.warn(`WARNING ${warning}`);
  for (const warning of report.warnings) console.warn(`WARNING [${warning.ruleId}] ${warning.object}: ${warning.message}`);
  for (const warning of capacity.warnings) console.warn(`WARNING ${warning}`);
  if (options.check) {
    const drift = gitopsDrift(plan.files, target);
    console.log(formatDrift(target, drift));
    return drift.length === 0;
  }
  const { written, removed } = writeGitOps(target, plan.files);
  console.log(`${env.name}: ${report.objectCount} objects validated (${report.waived.length} findings waived by exceptions), ` +
    `capacity ${capacity.plan.fits ? 'fits' : 'does not fit'} (${capacity.plan.scenarios.length} scenarios), ` +
    `${written.length} files written to ${target}${removed.length > 0 ? ` (${removed.length} stale removed: ${removed.join(', ')})` : ''}`);
  return true;
}

function explain(error: unknown): string {
  if (error instanceof PolicyViolationError) return error.report.format();
  return error instanceof Error ? error.message : String(error);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      env: { type: 'string' },
      all: { type: 'boolean', default: false },
      outdir: { type: 'string' },
      'strict-capacity': { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
      graph: { type: 'string' },
    },
  });
  const named = values.env ?? process.env.K8S_PLATFORM_KIT_ENV;
  if (values.all && values.env !== undefined) throw new Error('--all synthesizes every environment; drop --env, or drop --all');
  const byCdk8sCli = process.env.CDK8S_OUTDIR !== undefined && values.outdir === undefined;
  const all = values.all || (byCdk8sCli && named === undefined);
  if (all && values.graph) throw new Error('--graph draws one environment; name it with --env instead of --all');
  const names = all ? environmentNames() : [named ?? DEFAULT_ENVIRONMENT];
  const root = values.outdir ?? process.env.CDK8S_OUTDIR ?? 'dist';
  const options: Options = { strictCapacity: values['strict-capacity'], check: values.check, graph: values.graph };
  for (const name of names) {
    const target = values.outdir !== undefined && !all ? values.outdir : join(root, name);
    try {
      if (!(await synthEnvironment(name, target, options))) process.exitCode = 1;
    } catch (error) {
      console.error(names.length > 1 ? `${name}: ${explain(error)}` : explain(error));
      process.exitCode = 1;
    }
  }
}

main().catch((error: unknown) => {
  console.error(explain(error));
  process.exitCode = 1;
});
