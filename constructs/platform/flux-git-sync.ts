/**
 * FluxGitSync: the two objects that make Flux apply a directory of a Git repository to the
 * cluster and keep it there (a GitRepository source and a Kustomization that prunes what
 * leaves the repository), as `flux bootstrap` would write them.
 */
import { Construct } from 'constructs';
import { GitRepository } from '../imports/flux-source.js';
import { Kustomization, KustomizationSpecSourceRefKind } from '../imports/flux-kustomize.js';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../core/names.js';
import { urlWithoutCredentials } from '../core/urls.js';
import { PropsValidator } from '../core/errors.js';
import { FLUX_GIT_SYNC_DEFAULTS } from '../core/flux.js';

/** Properties of {@link FluxGitSync}. */
export interface FluxGitSyncProps {
  /** The repository: `https://…` or `ssh://…`. */
  readonly url: string;
  /** The branch to follow. @default 'main' */
  readonly branch?: string;
  /** The directory to apply, relative to the repository root, starting with `./`. */
  readonly path: string;
  /** How often Flux fetches and reconciles (a Go duration). @default '5m' */
  readonly interval?: string;
  /**
   * A Secret in the same namespace with the repository's credentials (private repositories).
   * @default - none: the repository is fetched without credentials (public)
   */
  readonly secretName?: string;
  /** The name of both objects. @default 'platform' */
  readonly name?: string;
  /** Flux's namespace. @default 'flux-system' */
  readonly namespace?: string;
  /** Delete objects that are removed from the repository. @default true */
  readonly prune?: boolean;
  /** How long a reconciliation may take, health checks included. @default '10m' */
  readonly timeout?: string;
  /**
   * Variables the Kustomization substitutes in what it applies (`postBuild.substitute`): the
   * cluster values of the directory's Kustomizations (core/cluster-values.ts), each usually a
   * placeholder that `pulumi up` fills in when it applies this object.
   * @default {} (no substitution)
   */
  readonly substitute?: Readonly<Record<string, string>>;
}

export { FLUX_GIT_SYNC_DEFAULTS };

const DURATION = /^(\d+(\.\d+)?(ms|s|m|h))+$/;

/** A Flux GitRepository and the Kustomization that applies one of its directories. */
export class FluxGitSync extends Construct {
  /** The Flux GitRepository. */
  public readonly repository: GitRepository;
  /** The Flux Kustomization that applies the directory. */
  public readonly kustomization: Kustomization;

  constructor(scope: Construct, id: string, props: FluxGitSyncProps) {
    super(scope, id);
    const v = new PropsValidator('FluxGitSync', this);
    const settings = { ...FLUX_GIT_SYNC_DEFAULTS, ...definedOnly(props) };
    const withoutCredentials = urlWithoutCredentials(settings.url);
    if (withoutCredentials !== undefined) {
      throw v.error({
        field: 'url', value: withoutCredentials, problem: 'carries credentials (not shown), which would be written into the GitRepository in plain text',
        expected: 'the URL without them, and secretName naming a Secret that holds them (username and password, or identity and known_hosts for ssh)',
      });
    }
    if (!/^(https|ssh):\/\/\S+$/.test(settings.url)) throw v.error({ field: 'url', value: settings.url, problem: 'must start with https:// or ssh://' });
    if (!/^\.\/\S*$/.test(settings.path)) throw v.error({ field: 'path', value: settings.path, problem: "must be relative to the repository root and start with './'" });
    if (settings.branch.trim() === '') throw v.error({ field: 'branch', problem: 'is empty', expected: 'a branch name such as main' });
    // git check-ref-format: no whitespace, no '..', none of ~^:?*[\, not ending in '/' or '.lock'.
    if (/[\s~^:?*[\\]|\.\.|@\{|\/$|\.lock$|^\/|^-/.test(settings.branch)) {
      throw v.error({ field: 'branch', value: settings.branch, problem: 'is not a Git branch name (git check-ref-format)', expected: 'e.g. main or release/2026-12' });
    }
    if (settings.secretName !== undefined) v.check('secretName', settings.secretName, dns1123SubdomainProblem, 'a Secret name (a DNS-1123 subdomain)');
    for (const key of ['interval', 'timeout'] as const) {
      if (!DURATION.test(settings[key])) throw v.error({ field: key, value: settings[key], problem: "must be a duration such as '5m' or '1h30m'" });
    }
    for (const key of ['name', 'namespace'] as const) {
      const problem = dns1123LabelProblem(settings[key]);
      if (problem) throw v.error({ field: key, value: settings[key], problem });
    }
    for (const name of Object.keys(props.substitute ?? {})) {
      if (!/^[_a-zA-Z][_a-zA-Z0-9]*$/.test(name)) throw v.error({ field: 'substitute', value: name, problem: 'is not a variable name Flux substitutes', expected: 'letters, digits and _, not starting with a digit' });
    }
    const metadata = { name: settings.name, namespace: settings.namespace };
    this.repository = new GitRepository(this, 'Repository', {
      metadata,
      spec: {
        url: settings.url,
        ref: { branch: settings.branch },
        interval: settings.interval,
        ...(settings.secretName !== undefined && { secretRef: { name: settings.secretName } }),
      },
    });
    this.kustomization = new Kustomization(this, 'Kustomization', {
      metadata,
      spec: {
        sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: settings.name },
        path: settings.path,
        interval: settings.interval,
        prune: settings.prune,
        wait: true,
        timeout: settings.timeout,
        ...(Object.keys(props.substitute ?? {}).length > 0 && { postBuild: { substitute: { ...props.substitute } } }),
      },
    });
  }
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
