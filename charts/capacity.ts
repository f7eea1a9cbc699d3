/**
 * `npm run capacity [-- --env <name> | --all] [--json] [--chart <file.svg>] [--prices <file.json>]`:
 * the capacity report of an environment's charts on its node pools: per-pool fill, the
 * smallest node counts, every scenario (at rest, autoscalers at max, each rollout, a zone
 * lost) and an estimated monthly cost. Exits 1 when a scenario fails with an error, whatever
 * the environment's `capacity.strict` (this command is the check itself).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fillChart, formatPlan, objectsOf, parsePriceTable, planCapacity } from '../constructs/capacity/index.js';
import { buildApp } from './app.js';
import { DEFAULT_ENVIRONMENT, loadEnvironment, environmentNames } from './environment.js';

function main(): void {
  const { values } = parseArgs({
    options: {
      env: { type: 'string', default: process.env.K8S_PLATFORM_KIT_ENV ?? DEFAULT_ENVIRONMENT },
      all: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      chart: { type: 'string' },
      prices: { type: 'string' },
    },
  });
  if (values.all && values.chart) throw new Error('--chart writes one environment\'s picture; give --env instead of --all');
  const prices = values.prices ? parsePriceTable(readFileSync(values.prices, 'utf8'), values.prices) : undefined;
  const names = values.all ? environmentNames() : [values.env];
  const plans = names.map((name) => {
    const env = loadEnvironment(name);
    return planCapacity(env, objectsOf(buildApp(env)), { ...(prices && { prices }) });
  });
  if (values.json) {
    console.log(JSON.stringify(values.all ? plans : plans[0], null, 2));
  } else {
    console.log(plans.map(formatPlan).join('\n\n'));
  }
  if (values.chart && plans[0]) {
    writeFileSync(values.chart, fillChart(plans[0]));
    if (!values.json) console.log(`\nPool fill chart written to ${values.chart}`);
  }
  if (plans.some((plan) => !plan.fits)) process.exitCode = 1;
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
