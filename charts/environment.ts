/**
 * The charts' view of an environment. Each environment's one source of truth is its stack
 * file, `Pulumi.<env>.yaml`, read by `npm run synth` and by `pulumi up` alike; this module
 * adds the schema of the charts' own settings (the `apps` key) to the kit's loader.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { dnsLabel, hostName, loadEnvironmentFile, quantity, strictObject, type Environment as KitEnvironment } from '../constructs/environment/index.js';

/** An image reference pinned by tag or digest (the constructs reject `latest` with the details). */
const image = z.string().min(1, { error: 'expected an image reference' });

/** The `k8s-platform-kit:apps` key: what the charts deploy, per environment. */
export const APPS_SCHEMA = strictObject({
  /** The namespace the todoapi is deployed to. */
  namespace: dnsLabel,
  todoapi: strictObject({
    /** The image, pinned by tag or digest. */
    image,
    replicas: z.int().min(1, { error: 'expected at least 1 replica' }),
  }),
  /** The fleetman microservices (charts/fleetman.ts); left out, the environment runs none. */
  fleetman: strictObject({
    namespace: dnsLabel.default('fleetman'),
    /** The public host of the webapp; the queue's admin console is `queue.<host>`, behind basic auth. */
    host: hostName.optional(),
    /** The most replicas the autoscaled services reach. */
    maxReplicas: z.int().min(2, { error: 'expected at least 2 (the autoscaled services run 2 at rest)' }).default(4),
    /** The StorageClass of MongoDB's volumes; the cluster's default when left out. */
    storageClass: z.string().min(1).optional(),
    mongo: strictObject({
      /** Replica set members; StatefulMongo's default (3) when left out. */
      members: z.int().min(1).optional(),
      storage: quantity.default('10Gi'),
    }).prefault({}),
    images: strictObject({
      /** The webapp is blue/green: `active` is the color the live Service selects. */
      webapp: strictObject({ active: z.enum(['blue', 'green']), blue: image, green: image.optional() }),
      apiGateway: image,
      positionTracker: image,
      positionSimulator: image,
      queue: image,
    }),
  }).optional(),
  /** The journal app (charts/journal.ts); left out, the environment runs none. */
  journal: strictObject({
    namespace: dnsLabel.default('journal'),
    /** The one host: `/api` goes to the API, `/` to the static files. */
    host: hostName.optional(),
    maxReplicas: z.int().min(2, { error: 'expected at least 2 (the API runs 2 at rest)' }).default(4),
    /** Entries per page, the API's one setting. */
    journalEntries: z.int().min(1).default(10),
    storageClass: z.string().min(1).optional(),
    redis: strictObject({
      /** Redis members; StatefulRedis's default (3) when left out. */
      members: z.int().min(1).optional(),
      storage: quantity.default('10Gi'),
    }).prefault({}),
    images: strictObject({ api: image, files: image }),
  }).optional(),
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
