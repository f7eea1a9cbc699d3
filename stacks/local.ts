/**
 * Local mode: the same program without its cloud layer. The environment's Kubernetes
 * objects go to a control plane on this machine (the e2e suite's, kind, k3d, ...) instead
 * of a new EKS or AKS cluster, so `pulumi up --stack <env>` can be run for real without a
 * cloud account.
 *
 * It is switched on by one environment variable naming a kubeconfig, never by stack
 * configuration, and it refuses anything but a loopback API server and a local state
 * backend: a cloud stack's state never meets a program that leaves its cluster out (which
 * the engine would read as "delete the cluster").
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parse as parseYaml } from 'yaml';

/** The environment variable that switches local mode on: the path of a kubeconfig. */
export const LOCAL_KUBECONFIG_VARIABLE = 'K8S_PLATFORM_KIT_LOCAL_KUBECONFIG';

/** Local mode needs this state backend variable set to a `file://` URL. */
export const BACKEND_URL_VARIABLE = 'PULUMI_BACKEND_URL';

/** Why local mode installs no chart from a remote Helm repository, as the program's warnings say. */
export const LOCAL_HELM_REASON = 'local mode fetches no chart from a remote Helm repository';

/** Where local mode deploys to. */
export interface LocalTarget {
  /** The kubeconfig file named by {@link LOCAL_KUBECONFIG_VARIABLE}. */
  readonly path: string;
  /** Its contents, handed to the Kubernetes provider (as a secret: it holds credentials). */
  readonly kubeconfig: string;
  /** The kubeconfig's current context. */
  readonly context: string;
  /** That context's API server, a loopback URL. */
  readonly server: string;
}

/** Thrown when local mode is asked for but its kubeconfig or state backend do not qualify. */
export class LocalTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalTargetError';
  }
}

/**
 * The local target the environment variables ask for, or undefined when
 * {@link LOCAL_KUBECONFIG_VARIABLE} is unset (the normal, cloud mode). Throws
 * LocalTargetError when the kubeconfig cannot be read, its current context's server is
 * not a loopback address, or the state backend is not a local `file://` one.
 */
export function localTargetFrom(variables: Readonly<Record<string, string | undefined>>): LocalTarget | undefined {
  const path = variables[LOCAL_KUBECONFIG_VARIABLE];
  if (path === undefined) return undefined;
  if (path === '') throw new LocalTargetError(`${LOCAL_KUBECONFIG_VARIABLE} is set but empty; set it to the path of the local cluster's kubeconfig, or unset it to deploy to the cloud`);
  const backend = variables[BACKEND_URL_VARIABLE] ?? '';
  if (!backend.startsWith('file://')) {
    throw new LocalTargetError(
      `${LOCAL_KUBECONFIG_VARIABLE} is set, so the cloud cluster is left out of the program; ${BACKEND_URL_VARIABLE} must then ` +
        `name a local state backend (file://...), got ${backend === '' ? 'nothing' : `'${backend}'`}: a stack that holds cloud resources must never be updated in local mode`,
    );
  }
  let contents: string;
  try {
    contents = readFileSync(path, 'utf8');
  } catch (error) {
    throw new LocalTargetError(`${LOCAL_KUBECONFIG_VARIABLE} (${path}): cannot read the kubeconfig: ${(error as Error).message}`);
  }
  return localTargetOf(path, contents);
}

/** A kubeconfig's current context and server, checked to be a loopback API server. */
export function localTargetOf(path: string, kubeconfig: string): LocalTarget {
  const where = `${LOCAL_KUBECONFIG_VARIABLE} (${path})`;
  let config: KubeconfigShape;
  try {
    config = (parseYaml(kubeconfig) ?? {}) as KubeconfigShape;
  } catch (error) {
    throw new LocalTargetError(`${where}: not a kubeconfig (YAML): ${(error as Error).message}`);
  }
  const context = config['current-context'];
  if (typeof context !== 'string' || context === '') throw new LocalTargetError(`${where}: the kubeconfig has no current-context`);
  const clusterName = config.contexts?.find((c) => c?.name === context)?.context?.cluster;
  if (clusterName === undefined) throw new LocalTargetError(`${where}: the current context '${context}' is not in contexts[] or names no cluster`);
  const server = config.clusters?.find((c) => c?.name === clusterName)?.cluster?.server;
  if (typeof server !== 'string') throw new LocalTargetError(`${where}: cluster '${clusterName}' of context '${context}' has no server`);
  if (!isLoopbackServer(server)) {
    throw new LocalTargetError(
      `${where}: the current context '${context}' points at ${server}; local mode only deploys to an API server on this machine (127.0.0.0/8, ::1 or localhost)`,
    );
  }
  return { path, kubeconfig, context, server };
}

/** Whether an API server URL names this machine: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackServer(server: string): boolean {
  let host: string;
  try {
    host = new URL(server).hostname;
  } catch {
    return false;
  }
  if (host === 'localhost') return true;
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare) === 6) return bare === '::1';
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/** The fields of a kubeconfig local mode reads. */
interface KubeconfigShape {
  readonly 'current-context'?: unknown;
  readonly contexts?: readonly ({ readonly name?: unknown; readonly context?: { readonly cluster?: string } } | null)[];
  readonly clusters?: readonly ({ readonly name?: unknown; readonly cluster?: { readonly server?: unknown } } | null)[];
}
