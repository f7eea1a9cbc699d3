/**
 * How the Kubernetes provider logs in to an AKS cluster: the exec kubeconfig AKS hands out
 * (`listManagedClusterUserCredentials` with format `exec`) converted as `kubelogin
 * convert-kubeconfig -l <mode>` converts it, and the check that an interactive login is not
 * configured where no one can answer it (a CI pipeline).
 *
 * @see https://azure.github.io/kubelogin/concepts/login-modes.html
 * @see https://github.com/Azure/kubelogin/blob/main/pkg/internal/converter/convert.go
 */
import { parse, stringify } from 'yaml';
import type { AzureCluster } from '../constructs/environment/index.js';

/** The kubelogin login mode (`cluster.login.mode`). */
export type AksLoginMode = AzureCluster['login']['mode'];

/** The settings of the login (`cluster.login`), defaults applied. */
export type AksLogin = AzureCluster['login'];

/** The modes that never wait for a person, in the order the errors list them. */
export const NON_INTERACTIVE_LOGIN_MODES: readonly AksLoginMode[] = ['azurecli', 'workloadidentity', 'spn', 'msi'];

/** The application id of the AKS AAD server, the audience of every AKS token (kubelogin's `--server-id`). */
export const AKS_SERVER_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';

/** The config key of the login mode, as the errors name it. */
const MODE_KEY = 'k8s-platform-kit:cluster.login.mode';

/**
 * Throws when the login mode needs a person (`devicecode`) and `env` is a CI run (`CI=true`,
 * as GitHub Actions, GitLab CI and Azure Pipelines set it): the deploy would hang on a
 * device-code prompt no one sees. Pass `process.env`.
 */
export function assertUnattendedLogin(mode: AksLoginMode, env: Readonly<Record<string, string | undefined>>): void {
  if (NON_INTERACTIVE_LOGIN_MODES.includes(mode) || env.CI?.toLowerCase() !== 'true') return;
  throw new Error(`${MODE_KEY} is '${mode}', an interactive login, but CI=true: no one can answer its prompt in a pipeline, `
    + `so the deploy would hang; set it to one of ${NON_INTERACTIVE_LOGIN_MODES.map((m) => `'${m}'`).join(', ')}`);
}

/** One kubeconfig user's exec section, as far as the conversion reads it. */
interface ExecConfig {
  readonly command?: string;
  readonly args?: readonly string[];
  readonly installHint?: string;
  readonly [key: string]: unknown;
}

interface KubeconfigUser {
  readonly name?: string;
  readonly user?: { readonly exec?: ExecConfig; readonly [key: string]: unknown };
}

/**
 * The kubeconfig with every user that runs kubelogin rewritten to log in with `login.mode`,
 * as `kubelogin convert-kubeconfig -l <mode>` rewrites it: `get-token --login <mode>
 * --server-id <id>` followed by the mode's own flags, taken from the original args (the
 * tenant, the AKS client id, the cloud environment) or from `login.clientId`. The
 * non-interactive modes get `interactiveMode: Never`, so a missing credential fails at once
 * instead of waiting for input. Secrets never go into the kubeconfig: kubelogin reads them
 * from the environment of the process that runs it (see `cluster.login` in the schema).
 *
 * A kubeconfig without such a user is returned unchanged.
 */
export function convertKubeconfig(kubeconfig: string, login: AksLogin): string {
  const document = parse(kubeconfig) as { users?: KubeconfigUser[] } | null;
  const users = document?.users ?? [];
  if (!users.some((entry) => isKubelogin(entry.user?.exec))) return kubeconfig;
  const converted = {
    ...document,
    users: users.map((entry) => {
      const exec = entry.user?.exec;
      if (!isKubelogin(exec)) return entry;
      return { ...entry, user: { ...entry.user, exec: convertExec(entry.name ?? '', exec, login) } };
    }),
  };
  return stringify(converted);
}

function isKubelogin(exec: ExecConfig | undefined): exec is ExecConfig {
  return exec?.command?.toLowerCase().includes('kubelogin') ?? false;
}

function convertExec(user: string, exec: ExecConfig, login: AksLogin): Record<string, unknown> {
  const original = exec.args ?? [];
  const valueOf = (flag: string): string | undefined => {
    const i = original.indexOf(flag);
    return i >= 0 ? original[i + 1] : undefined;
  };
  const required = (flag: string): string => {
    const value = valueOf(flag);
    if (value === undefined) {
      throw new Error(`the AKS kubeconfig's user '${user}' has no ${flag} in its kubelogin args, and the '${login.mode}' login needs it (${JSON.stringify(original)})`);
    }
    return value;
  };
  const optional = (flag: string, value: string | undefined): string[] => (value === undefined ? [] : [flag, value]);
  const environment = optional('--environment', valueOf('--environment'));
  const legacy = original.includes('--legacy') ? ['--legacy'] : [];
  const flags: Record<AksLoginMode, () => string[]> = {
    // The tenant comes from the Azure CLI's own login (kubelogin drops the kubeconfig's).
    azurecli: () => [],
    devicecode: () => ['--client-id', required('--client-id'), '--tenant-id', required('--tenant-id'), ...environment, ...legacy],
    spn: () => ['--client-id', login.clientId ?? required('--client-id'), '--tenant-id', required('--tenant-id'), ...environment, ...legacy],
    msi: () => optional('--client-id', login.clientId),
    workloadidentity: () => [],
  };
  return {
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    command: 'kubelogin',
    args: ['get-token', '--login', login.mode, '--server-id', valueOf('--server-id') ?? AKS_SERVER_ID, ...flags[login.mode]()],
    ...(exec.installHint !== undefined && { installHint: exec.installHint }),
    interactiveMode: NON_INTERACTIVE_LOGIN_MODES.includes(login.mode) ? 'Never' : 'IfAvailable',
  };
}

