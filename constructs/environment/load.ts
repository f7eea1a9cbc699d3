/**
 * Loads an environment from its one source of truth, the stack configuration in
 * `Pulumi.<env>.yaml`: `npm run synth` reads the file, the Pulumi program reads the same
 * keys from the engine. Either way the settings are validated once, here, and every
 * problem is reported together, each naming the file, the key, the value and what is
 * expected.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { dns1123LabelProblem } from '../core/names.js';
import { shown } from '../core/errors.js';
import { awsClusterProblems, azureClusterProblems, deployBootstrapProblems, type ConfigProblem } from './rules.js';
import type { PlatformSettings } from './platform.js';
import { CLOUDS, environmentSchema, type AwsCluster, type AzureCluster, type CapacitySettings, type DeploySettings, type Tier } from './schema.js';

/** The Pulumi config namespace (the project name) the kit's keys live under. */
export const CONFIG_NAMESPACE = 'k8s-platform-kit';

interface EnvironmentBase<Apps> {
  /** The environment's (and Pulumi stack's) name; output goes to `dist/<name>/`. */
  readonly name: string;
  /** Where the settings came from, for messages: a file path or `pulumi stack <name>`. */
  readonly source: string;
  /** The environment's tier; `prod` must meet the production hardening rules. */
  readonly tier: Tier;
  /** The cloud region the cluster runs in. */
  readonly region: string;
  /** How the manifests reach the cluster: applied directly, or through GitOps. */
  readonly deploy: DeploySettings;
  /** Whether a capacity problem fails synth and the Pulumi program, or only warns. */
  readonly capacity: CapacitySettings;
  /**
   * The platform the kit's charts install (monitoring, logging, edge, teams, backups).
   * @default - none: the stack file has no `k8s-platform-kit:platform` key and no platform is installed
   */
  readonly platform?: PlatformSettings;
  /** The charts' own settings, validated by the schema the charts pass in. */
  readonly apps: Apps;
}

/** An environment on EKS. */
export interface AwsEnvironment<Apps = unknown> extends EnvironmentBase<Apps> {
  /** The cloud: EKS. */
  readonly cloud: 'aws';
  /** The EKS cluster's settings (`k8s-platform-kit:cluster`). */
  readonly cluster: AwsCluster;
}

/** An environment on AKS. */
export interface AzureEnvironment<Apps = unknown> extends EnvironmentBase<Apps> {
  /** The cloud: AKS. */
  readonly cloud: 'azure';
  /** The AKS cluster's settings (`k8s-platform-kit:cluster`). */
  readonly cluster: AzureCluster;
}

/** A validated environment. */
export type Environment<Apps = unknown> = AwsEnvironment<Apps> | AzureEnvironment<Apps>;

/** Thrown when an environment's configuration is invalid; `message` lists every problem. */
export class EnvironmentConfigError extends Error {
  constructor(
    /** Where the settings came from: a file path or `pulumi stack <name>`. */
    readonly source: string,
    /** Every problem found. */
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `${source}: ${problems.length} configuration problem${problems.length === 1 ? '' : 's'}:\n` +
        problems.map((p) => `  ${configKey(p.key)}: ${p.message}`).join('\n'),
    );
    this.name = 'EnvironmentConfigError';
  }
}

/** What `parseEnvironment` needs besides the settings. */
export interface ParseOptions<Apps extends z.ZodType> {
  /** The schema of the `apps` key, owned by the charts that read it. */
  readonly apps: Apps;
  /** Where the settings came from, for messages. */
  readonly source: string;
}

/**
 * Validates an environment's settings: `config` maps namespaced keys
 * (`k8s-platform-kit:cluster`) to values, as a stack file's `config:` block does.
 * Throws EnvironmentConfigError listing every problem.
 */
export function parseEnvironment<Apps extends z.ZodType>(
  name: string,
  config: Readonly<Record<string, unknown>>,
  options: ParseOptions<Apps>,
): Environment<z.output<Apps>> {
  const fail: (problems: ConfigProblem[]) => never = (problems) => {
    throw new EnvironmentConfigError(options.source, problems);
  };
  const nameProblem = dns1123LabelProblem(name);
  if (nameProblem) fail([{ key: '', message: `environment name '${name}' ${nameProblem}` }]);

  const { settings, problems } = ownSettings(config);
  if (problems.length > 0) fail(problems);
  const cloud = z.enum(CLOUDS).safeParse(settings.cloud);
  if (!cloud.success) {
    fail([{ key: 'cloud', message: `${received(settings.cloud)}; expected one of ${CLOUDS.map((c) => `'${c}'`).join(', ')}` }]);
  }
  const parsed = environmentSchema(cloud.data, options.apps).safeParse(settings, { error: issueMessage, reportInput: true });
  if (!parsed.success) fail(parsed.error.issues.flatMap(issueProblems));
  const env = { name, source: options.source, ...parsed.data } as Environment<z.output<Apps>>;
  const related = env.cloud === 'aws' ? awsClusterProblems(env.cluster, env.region, env.tier) : azureClusterProblems(env.cluster, env.tier);
  related.push(...deployBootstrapProblems(env.cloud, env.deploy));
  if (env.cluster.addons.externalDns && env.platform === undefined) {
    related.push({ key: 'cluster.addons.externalDns', message: 'is set but k8s-platform-kit:platform is not; external-dns manages the records of the platform\'s domain, so set platform (with its domain) or remove externalDns' });
  }
  if (related.length > 0) fail(related);
  return env;
}

/** Reads `Pulumi.<name>.yaml` and validates it; the environment's name comes from the file name. */
export function loadEnvironmentFile<Apps extends z.ZodType>(file: string, apps: Apps): Environment<z.output<Apps>> {
  const match = /^Pulumi\.(.+)\.ya?ml$/.exec(basename(file));
  if (!match?.[1]) throw new EnvironmentConfigError(file, [{ key: '', message: 'expected a stack file named Pulumi.<env>.yaml' }]);
  return parseEnvironment(match[1], readStackConfig(file), { apps, source: file });
}

/** The `config:` block of a Pulumi stack file. */
export function readStackConfig(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const known = stackFilesBeside(file);
    throw new EnvironmentConfigError(file, [{
      key: '',
      message: `cannot read the stack file (${(error as NodeJS.ErrnoException).code ?? String(error)}); environments here: ${known.join(', ') || 'none'}`,
    }]);
  }
  let document: unknown;
  try {
    document = parseYaml(text, { prettyErrors: true });
  } catch (error) {
    throw new EnvironmentConfigError(file, [{ key: '', message: `is not valid YAML: ${(error as Error).message}` }]);
  }
  if (document === null || document === undefined) return {};
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new EnvironmentConfigError(file, [{ key: '', message: `expected a mapping with a config: block, got ${typeof document}` }]);
  }
  const { config, environment } = document as Record<string, unknown>;
  if (environment !== undefined) {
    throw new EnvironmentConfigError(file, [{ key: '', message: 'imports Pulumi ESC environments (environment:); `npm run synth` reads only this file, so every setting must live in its config: block' }]);
  }
  if (config === undefined || config === null) return {};
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new EnvironmentConfigError(file, [{ key: '', message: `config: must be a mapping of keys to values, got ${JSON.stringify(config)}` }]);
  }
  return config as Record<string, unknown>;
}

/** The environments whose stack files sit beside `file`. */
function stackFilesBeside(file: string): string[] {
  try {
    return readdirSync(dirname(file))
      .map((entry) => /^Pulumi\.(.+)\.ya?ml$/.exec(entry)?.[1])
      .filter((name): name is string => name !== undefined)
      .sort();
  } catch {
    return [];
  }
}

/**
 * Turns the engine's view of a stack's config (`pulumi.runtime.allConfig()`: object values
 * arrive JSON-encoded, scalars as strings) back into the values the stack file holds.
 * Every top-level key the kit reads is a string or an object, so nothing is ambiguous.
 */
export function decodeEngineConfig(config: Readonly<Record<string, string>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, /^\s*[[{]/.test(value) ? (JSON.parse(value) as unknown) : value]),
  );
}

/** Strips the kit's namespace; keys of any other namespace but `pulumi:` are problems. */
function ownSettings(config: Readonly<Record<string, unknown>>) {
  const settings: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [key, value] of Object.entries(config)) {
    const [namespace, ...rest] = key.split(':');
    const local = rest.join(':');
    if (namespace === 'pulumi') continue;
    if (namespace !== CONFIG_NAMESPACE || local === '') {
      problems.push({
        key: `!${key}`,
        message: `unknown key; the kit reads only ${CONFIG_NAMESPACE}:<key> (providers are configured from ${CONFIG_NAMESPACE}:region, so aws:/azure-native: keys would be a second source of truth)`,
      });
      continue;
    }
    if (isSecureValue(value)) {
      problems.push({ key: local, message: 'is a secret value; environment settings are not secrets (reference a Kubernetes Secret by name instead)' });
      continue;
    }
    settings[local] = value;
  }
  return { settings, problems };
}

function isSecureValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'secure' in value && Object.keys(value).length === 1;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  int: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
};

/** The messages the kit's schema does not set itself, phrased as what is expected. */
function issueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array' ? `expected at least ${String(issue.minimum)} item(s)` : `expected a value >= ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array' ? `expected at most ${String(issue.maximum)} item(s)` : `expected a value <= ${String(issue.maximum)}`;
    default:
      return undefined;
  }
}

function issueProblems(issue: z.core.$ZodIssue): ConfigProblem[] {
  const key = pathKey(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((unknown) => ({ key: pathKey([...issue.path, unknown]), message: issue.message }));
  }
  const input = (issue as { input?: unknown }).input;
  return [{ key, message: `${received(input)}; ${issue.message}` }];
}

function received(input: unknown): string {
  return input === undefined ? 'is missing' : `got ${shown(input)}`;
}

function pathKey(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => {
      if (typeof part === 'number') return `[${part}]`;
      const text = String(part);
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(text)) return i === 0 ? text : `.${text}`;
      return `[${JSON.stringify(text)}]`;
    })
    .join('');
}

/** The key as a user finds it in the stack file. Keys outside the namespace are shown as given. */
function configKey(key: string): string {
  if (key === '') return '(file)';
  if (key.startsWith('!')) return key.slice(1);
  return `${CONFIG_NAMESPACE}:${key}`;
}
