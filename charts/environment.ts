/**
 * An environment: what `buildApp` needs to put the charts together. Each environment has
 * one source of truth; `loadEnvironment` reads it.
 */

/** The todoapi application's settings in an environment. */
export interface TodoApiSettings {
  /** The image, pinned by tag or digest. */
  readonly image: string;
  /** The replica count. */
  readonly replicas: number;
}

/** A deployment environment. */
export interface Environment {
  /** The environment's name: `dev`, `staging`, `prod`. Output goes to `dist/<name>/`. */
  readonly name: string;
  /** The namespace applications are deployed to. */
  readonly namespace: string;
  readonly todoapi: TodoApiSettings;
}

/** The environments this repository knows, by name. */
export const ENVIRONMENTS: Readonly<Record<string, Environment>> = {
  dev: {
    name: 'dev',
    namespace: 'todo',
    todoapi: { image: 'ghcr.io/us-learn-and-devops/todoapi:1.2.0', replicas: 4 },
  },
};

/** The environment `npm run synth` uses when none is named. */
export const DEFAULT_ENVIRONMENT = 'dev';

/** Returns the named environment, or throws naming the known ones. */
export function loadEnvironment(name: string = DEFAULT_ENVIRONMENT): Environment {
  const env = ENVIRONMENTS[name];
  if (!env) throw new Error(`Unknown environment '${name}': expected one of ${Object.keys(ENVIRONMENTS).join(', ')}`);
  return env;
}
