/**
 * TeamNamespace: a namespace a team works in on a shared cluster, with its guard rails:
 * Pod Security admission labels, a ResourceQuota, LimitRange defaults for containers that
 * declare nothing, a default-deny NetworkPolicy that still lets pods resolve DNS, the team's
 * access through the built-in `edit` and `view` ClusterRoles, and who owns it, why it
 * exists and until when.
 */
import { futureDateProblem } from '../core/config-checks.js';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { CRONJOB_NAME_MAX, dns1123LabelProblem, dns1123SubdomainProblem, labelValueProblem } from '../core/names.js';
import { PropsValidator } from '../core/errors.js';
import { compareQuantities, nonNegativeQuantityProblem } from '../core/quantity.js';
import { addPolicyException } from '../core/exceptions.js';
import { hardenedPodSpec } from '../workloads/pod-spec.js';
import { POD_SECURITY_VERSION } from './app-namespace.js';

/** Who is granted access: a user, a group, or a ServiceAccount. */
export type Subject =
  | { readonly user: string }
  | { readonly group: string }
  | { readonly serviceAccount: { readonly name: string; readonly namespace: string } };

/** Requests and limits of CPU or memory. */
export interface RequestsAndLimits {
  /**
   * The most all pods of the namespace may request together (a Kubernetes quantity).
   * @default - no quota on requests
   */
  readonly requests?: string;
  /**
   * The most the limits of all pods of the namespace may add up to (a Kubernetes quantity).
   * @default - no quota on limits
   */
  readonly limits?: string;
}

/** The namespace's ResourceQuota. Omitted keys are not limited. */
export interface TeamQuota {
  /**
   * Total CPU (`requests.cpu`, `limits.cpu`).
   * @default - not limited
   */
  readonly cpu?: RequestsAndLimits;
  /**
   * Total memory (`requests.memory`, `limits.memory`).
   * @default - not limited
   */
  readonly memory?: RequestsAndLimits;
  /**
   * The most pods in the namespace.
   * @default - not limited
   */
  readonly pods?: number;
  /**
   * The most Services in the namespace.
   * @default - not limited
   */
  readonly services?: number;
  /**
   * The most PersistentVolumeClaims in the namespace.
   * @default - not limited
   */
  readonly persistentVolumeClaims?: number;
  /**
   * Total storage requested by PersistentVolumeClaims.
   * @default - not limited
   */
  readonly storage?: string;
}

/** What a container that declares no resources gets (LimitRange `defaultRequest` and `default`). */
export interface ContainerDefaults {
  /**
   * `limit` is optional: without it, containers that set no CPU limit stay unlimited. With
   * it, a container that requests more CPU than this and sets no limit of its own is
   * rejected at admission (its request would exceed the defaulted limit).
   */
  readonly cpu: { readonly request: string; readonly limit?: string };
  /** The memory request and limit a container that declares none gets. */
  readonly memory: { readonly request: string; readonly limit: string };
}

/** Properties of {@link TeamNamespace}. */
export interface TeamNamespaceProps {
  /** The namespace's name (a DNS-1123 label). */
  readonly name: string;
  /** The owning team (a label value); labels `k8s-platform-kit.dev/team`. */
  readonly team: string;
  /** Who answers for it (a person or a mailbox). */
  readonly owner: string;
  /** Why it exists, in a sentence. */
  readonly purpose: string;
  /**
   * The last day it is needed (`YYYY-MM-DD`); labels `k8s-platform-kit.dev/expires` so that
   * expired namespaces can be found and reaped. Must not be in the past.
   * @default - a permanent namespace (no expiry label)
   */
  readonly expires?: string;
  /**
   * The Pod Security Standard enforced. `baseline` needs a reason.
   * @default 'restricted'
   */
  readonly podSecurity?: 'restricted' | { readonly level: 'baseline'; readonly reason: string };
  /**
   * The ResourceQuota. Keys left out of a given quota are not limited (they are not taken
   * from the default).
   * @default DEFAULT_TEAM_QUOTA
   */
  readonly quota?: TeamQuota;
  /**
   * LimitRange defaults.
   * @default DEFAULT_CONTAINER_DEFAULTS
   */
  readonly containerDefaults?: ContainerDefaults;
  /**
   * Subjects bound to the `edit` and `view` ClusterRoles in this namespace.
   * @default - no RoleBindings
   */
  readonly access?: { readonly edit?: readonly Subject[]; readonly view?: readonly Subject[] };
  /**
   * Delete the namespace the day after `expires`: a CronJob in `namespace` (which must
   * exist; `k8s-platform-kit-system` when not given) whose ServiceAccount may delete this one
   * namespace and nothing else. Needs `expires`, at most a year ahead (a cron schedule has
   * no year).
   * @default - no reaper
   */
  readonly reaper?: { readonly namespace?: string };
  /**
   * Today, for the expiry check.
   * @default - the current date (`new Date()`)
   */
  readonly today?: Date;
}

/** The image the reaper runs: kubectl only, no shell. */
export const REAPER_IMAGE = 'registry.k8s.io/kubectl:v1.34.10';
/** The nonroot user (and group) of the distroless kubectl image. */
const REAPER_UID = 65532;

/** The label naming a team namespace's owning team. */
export const TEAM_LABEL = 'k8s-platform-kit.dev/team';
/** The label holding a team namespace's last day (`YYYY-MM-DD`), for finding and reaping expired ones. */
export const EXPIRES_LABEL = 'k8s-platform-kit.dev/expires';
/** The annotation naming who answers for a team namespace. */
export const OWNER_ANNOTATION = 'k8s-platform-kit.dev/owner';
/** The annotation saying why a team namespace exists. */
export const PURPOSE_ANNOTATION = 'k8s-platform-kit.dev/purpose';

/** The quota a team namespace gets by default: room for a handful of small services. */
export const DEFAULT_TEAM_QUOTA: TeamQuota = {
  cpu: { requests: '4' },
  memory: { requests: '8Gi', limits: '16Gi' },
  pods: 50,
  services: 20,
  persistentVolumeClaims: 10,
  storage: '100Gi',
};

/** Containers that declare nothing request 250m and 256Mi and are limited to 500m and 512Mi. */
export const DEFAULT_CONTAINER_DEFAULTS: ContainerDefaults = {
  cpu: { request: '250m', limit: '500m' },
  memory: { request: '256Mi', limit: '512Mi' },
};

/** A Subject as an RBAC binding's subject. */
export function rbacSubject(subject: Subject): Record<string, string> {
  if ('user' in subject) return { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: subject.user };
  if ('group' in subject) return { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: subject.group };
  return { kind: 'ServiceAccount', name: subject.serviceAccount.name, namespace: subject.serviceAccount.namespace };
}

/** Why a {@link Subject} names no one the API server would bind, or undefined. */
export function subjectProblem(subject: Subject): string | undefined {
  if ('serviceAccount' in subject) {
    const { name, namespace } = subject.serviceAccount;
    const problem = dns1123SubdomainProblem(name);
    if (problem) return `serviceAccount.name ${problem}`;
    const nsProblem = dns1123LabelProblem(namespace);
    return nsProblem ? `serviceAccount.namespace ${nsProblem}` : undefined;
  }
  const name = 'user' in subject ? subject.user : subject.group;
  return name.trim() === '' ? 'names no one; expected a user or group name' : undefined;
}

/** A team's namespace on a shared cluster, with quota, defaults, default-deny networking and access. */
export class TeamNamespace extends Construct {
  /** The namespace's name. */
  public readonly name: string;
  /** The Namespace object. */
  public readonly namespace: ApiObject;
  /** The namespace's ResourceQuota. */
  public readonly quota: ApiObject;
  /** The LimitRange with the container defaults. */
  public readonly limitRange: ApiObject;
  /** The default-deny NetworkPolicy (DNS egress allowed). */
  public readonly networkPolicy: ApiObject;

  constructor(scope: Construct, id: string, props: TeamNamespaceProps) {
    super(scope, id);
    const v = new PropsValidator('TeamNamespace', this);
    v.check('name', props.name, dns1123LabelProblem);
    v.check('team', props.team, (team) => labelValueProblem(team) ?? (team === '' ? 'is empty' : undefined), "a label value such as 'payments'");
    for (const key of ['owner', 'purpose'] as const) {
      if (props[key].trim() === '') throw v.error({ field: key, problem: 'is empty', expected: 'who answers for the namespace and why it exists' });
    }
    const today = props.today ?? new Date();
    if (props.expires !== undefined) v.check('expires', props.expires, (expires) => futureDateProblem(expires, today));
    const level = props.podSecurity === undefined || props.podSecurity === 'restricted' ? 'restricted' : props.podSecurity.level;
    if (typeof props.podSecurity === 'object' && props.podSecurity.reason.trim() === '') {
      throw v.error({ field: 'podSecurity.reason', problem: 'is empty', expected: "the reason the namespace needs a level below 'restricted'" });
    }
    const quota = props.quota ?? DEFAULT_TEAM_QUOTA;
    const defaults = props.containerDefaults ?? DEFAULT_CONTAINER_DEFAULTS;
    checkQuantities(v, quota, defaults);
    checkQuotaFitsDefaults(v, quota, defaults);

    this.name = props.name;
    this.namespace = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: props.name,
        labels: {
          [TEAM_LABEL]: props.team,
          ...(props.expires !== undefined && { [EXPIRES_LABEL]: props.expires }),
          'pod-security.kubernetes.io/enforce': level,
          'pod-security.kubernetes.io/enforce-version': POD_SECURITY_VERSION,
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
        annotations: {
          [OWNER_ANNOTATION]: props.owner,
          [PURPOSE_ANNOTATION]: props.purpose,
          ...(typeof props.podSecurity === 'object' && { 'k8s-platform-kit.dev/pod-security-reason': props.podSecurity.reason }),
        },
      },
    });
    const namespace = props.name;
    this.quota = new ApiObject(this, 'Quota', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'team-quota', namespace },
      spec: { hard: quotaHard(quota) },
    });
    this.limitRange = new ApiObject(this, 'Defaults', {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'container-defaults', namespace },
      spec: {
        limits: [{
          type: 'Container',
          defaultRequest: { cpu: defaults.cpu.request, memory: defaults.memory.request },
          default: { ...(defaults.cpu.limit !== undefined && { cpu: defaults.cpu.limit }), memory: defaults.memory.limit },
        }],
      },
    });
    this.networkPolicy = new ApiObject(this, 'DefaultDeny', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        egress: [{
          to: [{
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          }],
          ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
        }],
      },
    });
    if (props.reaper) this.addReaper(v, props.name, props.expires, props.reaper.namespace ?? 'k8s-platform-kit-system', today);
    for (const role of ['edit', 'view'] as const) {
      const subjects = props.access?.[role] ?? [];
      if (subjects.length === 0) continue;
      subjects.forEach((subject, i) => v.check(`access.${role}[${i}]`, subject, subjectProblem));
      new ApiObject(this, `Access-${role}`, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: `team-${role}`, namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
        subjects: subjects.map(rbacSubject),
      });
    }
  }

  /** A CronJob that deletes this namespace on the day after it expires, and the narrow RBAC it needs. */
  private addReaper(v: PropsValidator, namespace: string, expires: string | undefined, home: string, today: Date): void {
    if (expires === undefined) throw v.error({ field: 'reaper', problem: 'is set but expires is not', expected: 'the last day the namespace is needed' });
    v.check('reaper.namespace', home, dns1123LabelProblem);
    if (`reap-${namespace}`.length > CRONJOB_NAME_MAX) {
      throw v.error({
        field: 'name', value: namespace,
        problem: `makes the reaper CronJob's name 'reap-${namespace}' ${`reap-${namespace}`.length} characters long; a CronJob's name is at most ${CRONJOB_NAME_MAX}`,
        expected: `a name of at most ${CRONJOB_NAME_MAX - 'reap-'.length} characters, or no reaper`,
      });
    }
    const reapDay = new Date(Date.parse(`${expires}T00:00:00Z`) + DAY);
    if (reapDay.getTime() - today.getTime() > 365 * DAY) {
      throw v.error({ field: 'expires', value: expires, problem: "is more than a year ahead: the reaper's cron schedule has no year", expected: 'a date within a year, or no reaper' });
    }
    const name = `reap-${namespace}`;
    const roleName = `k8s-platform-kit:reap:${namespace}`;
    const labels = { 'app.kubernetes.io/name': 'namespace-reaper', 'app.kubernetes.io/instance': namespace };
    new ApiObject(this, 'ReaperAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace: home, labels },
      automountServiceAccountToken: false,
    });
    new ApiObject(this, 'ReaperRole', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: roleName, labels },
      // This namespace only: resourceNames narrows delete to one object.
      rules: [{ apiGroups: [''], resources: ['namespaces'], resourceNames: [namespace], verbs: ['get', 'delete'] }],
    });
    new ApiObject(this, 'ReaperBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: roleName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
      subjects: [{ kind: 'ServiceAccount', name, namespace: home }],
    });
    new ApiObject(this, 'ReaperIsolation', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace: home, labels },
      spec: { podSelector: { matchLabels: labels }, policyTypes: ['Ingress'] },
    });
    const cronJob = new ApiObject(this, 'Reaper', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name, namespace: home, labels },
      spec: {
        schedule: `0 3 ${reapDay.getUTCDate()} ${reapDay.getUTCMonth() + 1} *`,
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 3,
            activeDeadlineSeconds: 600,
            template: {
              metadata: { labels },
              spec: hardenedPodSpec(v, {
                serviceAccountName: name,
                // It calls the API (to delete the namespace): it mounts its token.
                mountServiceAccountToken: true,
                restartPolicy: 'OnFailure',
                // The kubectl image's nonroot user; no volume, so no fsGroup; the container inherits it.
                identity: { user: REAPER_UID, group: REAPER_UID, fsGroup: false },
                containers: [{
                  name: 'reap',
                  image: REAPER_IMAGE,
                  command: ['kubectl', 'delete', 'namespace', namespace, '--ignore-not-found', '--wait=false'],
                  resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } },
                }],
              }),
            },
          },
        },
      },
    });
    addPolicyException(cronJob, 'kit-service-account-token', `deletes namespace ${namespace} through the API once it has expired`);
  }
}

const DAY = 24 * 3600 * 1000;

function checkQuantities(v: PropsValidator, quota: TeamQuota, defaults: ContainerDefaults): void {
  const quantities: [string, string | undefined][] = [
    ['quota.cpu.requests', quota.cpu?.requests],
    ['quota.cpu.limits', quota.cpu?.limits],
    ['quota.memory.requests', quota.memory?.requests],
    ['quota.memory.limits', quota.memory?.limits],
    ['quota.storage', quota.storage],
    ['containerDefaults.cpu.request', defaults.cpu.request],
    ['containerDefaults.cpu.limit', defaults.cpu.limit],
    ['containerDefaults.memory.request', defaults.memory.request],
    ['containerDefaults.memory.limit', defaults.memory.limit],
  ];
  for (const [field, value] of quantities) {
    const problem = value === undefined ? undefined : nonNegativeQuantityProblem(value);
    if (problem) throw v.error({ field, value, problem, expected: 'e.g. 500m, 2 or 4Gi' });
  }
  for (const [field, value] of [['quota.pods', quota.pods], ['quota.services', quota.services], ['quota.persistentVolumeClaims', quota.persistentVolumeClaims]] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw v.error({ field, value, problem: 'is not a whole number >= 1' });
  }
  for (const resource of ['cpu', 'memory'] as const) {
    const limit = defaults[resource].limit;
    if (limit !== undefined && compareQuantities(defaults[resource].request, limit) > 0) {
      throw v.error({ field: `containerDefaults.${resource}.request`, value: defaults[resource].request, problem: `is above containerDefaults.${resource}.limit (${limit})` });
    }
  }
}

/** A quota smaller than what one defaulted container takes would reject every such pod. */
function checkQuotaFitsDefaults(v: PropsValidator, quota: TeamQuota, defaults: ContainerDefaults): void {
  for (const resource of ['cpu', 'memory'] as const) {
    const pairs = [['requests', defaults[resource].request, 'request'], ['limits', defaults[resource].limit, 'limit']] as const;
    for (const [kind, needed, defaultField] of pairs) {
      const hard = quota[resource]?.[kind];
      if (hard !== undefined && needed !== undefined && compareQuantities(hard, needed) < 0) {
        throw v.error({
          field: `quota.${resource}.${kind}`, value: hard,
          problem: `is below containerDefaults.${resource}.${defaultField} (${needed}): not even one pod with the defaults would be admitted`,
        });
      }
    }
  }
}

function quotaHard(quota: TeamQuota): Record<string, string> {
  const hard: Record<string, string> = {};
  const put = (key: string, value: string | number | undefined) => {
    if (value !== undefined) hard[key] = String(value);
  };
  put('requests.cpu', quota.cpu?.requests);
  put('limits.cpu', quota.cpu?.limits);
  put('requests.memory', quota.memory?.requests);
  put('limits.memory', quota.memory?.limits);
  put('pods', quota.pods);
  put('services', quota.services);
  put('persistentvolumeclaims', quota.persistentVolumeClaims);
  put('requests.storage', quota.storage);
  return hard;
}
