/**
 * The capacity check `npm run synth` and the Pulumi program run after validation: plan the
 * App's objects on the environment's pools; in strict mode a failing scenario is an error,
 * otherwise every problem is a warning.
 */
import type { App } from 'cdk8s';
import type { Environment } from '../environment/load.js';
import type { ManifestObject } from '../core/manifest.js';
import { renderApp, renderedObjects } from '../gitops/render.js';
import { planCapacity, type CapacityOptions, type CapacityPlan } from './plan.js';

/** Thrown in strict mode when a scenario fails with an error; `message` lists the problems. */
export class CapacityError extends Error {
  constructor(/** The plan that failed, every problem included. */ readonly plan: CapacityPlan) {
    const errors = plan.problems.filter((p) => p.severity === 'error');
    super(
      `${plan.environment}: capacity: ${errors.length} problem${errors.length === 1 ? '' : 's'} (capacity.strict is true; run \`npm run capacity -- --env ${plan.environment}\` for the full report):\n` +
        errors.map((p) => `  [${p.scenario}] ${p.message}`).join('\n'),
    );
    this.name = 'CapacityError';
  }
}

/**
 * Every object of every chart of an App, as synth would write them, rendered once
 * (`renderApp`). `npm run synth` and the Pulumi program hand the planner the objects they
 * already rendered (and validated) instead.
 */
export function objectsOf(app: App): ManifestObject[] {
  return renderedObjects(renderApp(app)).map((rendered) => rendered.object);
}

/**
 * Plans the App's capacity. Returns the warnings to print (every problem when not strict;
 * warnings only when strict) and throws CapacityError when strict and a scenario fails.
 */
export function checkCapacity(env: Environment, objects: readonly ManifestObject[], options: CapacityOptions & { strict?: boolean } = {}): { plan: CapacityPlan; warnings: string[] } {
  const plan = planCapacity(env, objects, options);
  const strict = options.strict ?? env.capacity.strict;
  if (strict && !plan.fits) throw new CapacityError(plan);
  const warnings = plan.problems
    .filter((p) => !strict || p.severity === 'warning')
    .map((p) => `capacity [${p.scenario}] ${p.message}`);
  return { plan, warnings };
}
