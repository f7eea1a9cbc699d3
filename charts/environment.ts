/**
 * The charts' view of an environment. Each environment's one source of truth is its stack
 * file, `Pulumi.<env>.yaml`, read by `npm run synth` and by `pulumi up` alike; this module
 * adds the schema of the charts' own settings (the `apps` key) to the kit's loader.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { loadEnvironmentFile, strictObject, type Environment as KitEnvironment } from '../constructs/environment/index.js';
import { dns1123LabelProblem } from '../constructs/policy/index.js';

/** The `k8s-platform-kit:apps` key: what the charts deploy, per environment. */
export const APPS_SCHEMA = strictObject({
  /** The namespace applications are deployed to. */
  namespace: z.string().refine((name) => dns1123LabelProblem(name) === undefined, { error: 'expected a namespace name (a DNS-1123 label)' }),
  todoapi: strictObject({
    /** The image, pinned by tag or digest. */
    image: z.string().min(1, { error: 'expected an image reference' }),
    replicas: z.int().min(1, { error: 'expected at least 1 replica' }),
  }),
});

/** The charts' settings. */
export type Apps = z.output<typeof APPS_SCHEMA>;

/** An environment as the charts and stacks use it. */
export type Environment = KitEnvironment<Apps>;

/** The environment `npm run synth` uses when none is named. */
export const DEFAULT_ENVIRONMENT = 'dev';

/** Reads and validates `Pulumi.<name>.yaml` from `dir` (the repository root by default). */
export function loadEnvironment(name: string = DEFAULT_ENVIRONMENT, dir = '.'): Environment {
  return loadEnvironmentFile(join(dir, `Pulumi.${name}.yaml`), APPS_SCHEMA);
}

/** The environments defined in `dir`: one per `Pulumi.<name>.yaml`, sorted. */
export function environmentNames(dir = '.'): string[] {
  return readdirSync(dir)
    .map((entry) => /^Pulumi\.(.+)\.ya?ml$/.exec(entry)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}
