/**
 * The hardened pod: the one place the kit builds the restricted Pod Security settings of a
 * pod and its containers, checks that images are pinned and that resources are requested,
 * and decides the image pull policy and whether the ServiceAccount token is mounted.
 *
 * Every pod the kit writes goes through it: HardenedDeployment (through `_hardening.ts`,
 * onto cdk8s-plus), and the pods written as plain JSON by StatefulMongo (members,
 * initiation Job, backup CronJob), StatefulRedis, EfkLogging (Elasticsearch, its setup
 * Jobs, the collector DaemonSet; Kibana is a HardenedDeployment) and TeamNamespace's
 * reaper CronJob. What legitimately differs between them (the image's own uid, a collector
 * that must read root-owned log files, a pod with no volume to own) is a parameter here,
 * with its reason at the call site.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
import type { IContainer, IPodSecurityContext, IPodSpec, ISecurityContext } from 'kubernetes-models/v1';
import type { PropsValidator } from '../core/errors.js';
import { imagePinProblem, parseImageReference } from '../core/image.js';
import { compareQuantities, parseQuantity, QuantityError } from '../core/quantity.js';

/** The seccomp profile of every kit pod (PSS restricted "Seccomp"). */
export const RUNTIME_DEFAULT_SECCOMP = { type: 'RuntimeDefault' } as const;
/** The capabilities of every kit container: none (PSS restricted "Capabilities"). */
export const DROP_ALL_CAPABILITIES = { drop: ['ALL'] } as const;
/**
 * The pull policy of every kit container: images are pinned, so a node never needs to pull
 * one it already has. Written only where a library would otherwise write another value
 * (cdk8s-plus writes `Always`); for the plain-JSON pods it is Kubernetes' own default for a
 * pinned image.
 */
export const IMAGE_PULL_POLICY = 'IfNotPresent';
/** Whether kit pods mount their ServiceAccount token: only pods that call the Kubernetes API do, and say why. */
export const MOUNT_SERVICE_ACCOUNT_TOKEN = false;

/** Who the processes of a pod run as. */
export interface PodIdentity {
  /** The numeric user id; 0 only together with `rootReason`. */
  readonly user: number;
  /** The numeric group id. */
  readonly group: number;
  /**
   * Give mounted volumes to `group` (`fsGroup`, changed only on a root mismatch), so that the
   * pod can write its PersistentVolumeClaims and emptyDirs.
   * @default true
   */
  readonly fsGroup?: boolean;
  /**
   * Why the pod must run as root. Every other restricted control still applies: no
   * privilege escalation, no capabilities, a read-only root filesystem.
   * @default - the pod runs as a non-root user
   */
  readonly rootReason?: string;
}

/** Who one container runs as, when it states it itself rather than inheriting it from the pod. */
export interface ContainerIdentity {
  /**
   * The numeric user id.
   * @default - the pod's
   */
  readonly user?: number;
  /**
   * The numeric group id.
   * @default - the pod's
   */
  readonly group?: number;
  /**
   * The container runs as root, as its pod does (see {@link PodIdentity.rootReason}); it then
   * also states `privileged: false` and `runAsNonRoot: false` explicitly.
   * @default false
   */
  readonly root?: boolean;
}

/** The restricted pod securityContext for `identity`. */
export function restrictedPodSecurityContext(identity: PodIdentity): IPodSecurityContext {
  const root = identity.rootReason !== undefined;
  return {
    runAsNonRoot: !root,
    runAsUser: identity.user,
    runAsGroup: identity.group,
    ...((identity.fsGroup ?? true) && { fsGroup: identity.group, fsGroupChangePolicy: 'OnRootMismatch' }),
    seccompProfile: { ...RUNTIME_DEFAULT_SECCOMP },
  };
}

/** The restricted container securityContext: no privilege escalation, no capabilities, a read-only root filesystem, non-root. */
export function restrictedContainerSecurityContext(identity: ContainerIdentity = {}): ISecurityContext {
  const root = identity.root ?? false;
  return {
    allowPrivilegeEscalation: false,
    ...(root && { privileged: false }),
    readOnlyRootFilesystem: true,
    runAsNonRoot: !root,
    ...(identity.user !== undefined && { runAsUser: identity.user }),
    ...(identity.group !== undefined && { runAsGroup: identity.group }),
    capabilities: { drop: [...DROP_ALL_CAPABILITIES.drop] },
  };
}

/**
 * Throws unless `image` is pinned by a version tag or a digest (not untagged, not `latest`).
 * A `:` before the last `/` is a registry port, not a tag (`localhost:5000/mongo` is untagged).
 */
export function requirePinnedImage(v: PropsValidator, field: string, image: string, example: string): void {
  const problem = typeof image === 'string' ? imagePinProblem(image) : 'is not a string';
  if (problem === undefined) return;
  const repository = parseImageReference(example).repository;
  throw v.error({ field, value: image, problem, expected: `an image pinned by a version tag or a digest, e.g. '${example}' or '${repository}@sha256:<digest>'` });
}

/** Why a value is not a Kubernetes quantity, as the rest of a sentence about the field. */
export const NOT_A_QUANTITY = 'is not a Kubernetes quantity; expected a number with an optional suffix (Ki, Mi, Gi, Ti, Pi, Ei, m, k, M, G, T, P, E), e.g. 256Mi, 0.5 or 500m';

/**
 * Why `value` is not a quantity greater than zero, as the rest of a sentence about the field
 * (`must be greater than zero`, or {@link NOT_A_QUANTITY}), or undefined when it is one.
 */
export function positiveQuantityProblem(value: unknown): string | undefined {
  try {
    if (typeof value !== 'string' && typeof value !== 'number') return NOT_A_QUANTITY;
    if (parseQuantity(value) <= 0) return 'must be greater than zero';
  } catch (error) {
    if (error instanceof QuantityError) return NOT_A_QUANTITY;
    throw error;
  }
  return undefined;
}

/** A container's requests and limits, as Kubernetes writes them. */
export interface ContainerResources {
  readonly requests: Readonly<Record<string, string>>;
  readonly limits: Readonly<Record<string, string>>;
}

/**
 * Throws unless `resources` requests cpu and memory and limits memory, each a quantity
 * greater than zero, with no limit below its request. (Without a memory limit a leak takes
 * the node down; without requests the scheduler cannot place the pod.)
 */
export function checkContainerResources(v: PropsValidator, field: string, resources: ContainerResources): void {
  const { requests, limits } = resources;
  if (requests.cpu === undefined || requests.memory === undefined || limits.memory === undefined) {
    throw v.error({ field, value: resources, problem: 'needs requests.cpu, requests.memory and limits.memory' });
  }
  for (const [kind, values] of [['requests', requests], ['limits', limits]] as const) {
    for (const [name, value] of Object.entries(values)) v.check(`${field}.${kind}.${name}`, value, positiveQuantityProblem);
  }
  for (const [name, limit] of Object.entries(limits)) {
    const request = requests[name];
    if (request !== undefined && compareQuantities(limit, request) < 0) {
      throw v.error({ field: `${field}.limits.${name}`, value: limit, problem: `is below ${field}.requests.${name} (${request})` });
    }
  }
}

/** A container of a {@link HardenedPodSpecInput}: everything but the settings the builder owns. */
export interface HardenedContainerInput extends Omit<IContainer, 'securityContext' | 'imagePullPolicy' | 'resources'> {
  /** The image, pinned by tag or digest. */
  readonly image: string;
  /** Requests (cpu and memory) and limits (memory at least). */
  readonly resources: ContainerResources;
}

/** What {@link hardenedPodSpec} builds a pod spec from. */
export interface HardenedPodSpecInput extends Omit<IPodSpec, 'securityContext' | 'automountServiceAccountToken' | 'containers' | 'initContainers'> {
  /** Who the pod runs as. */
  readonly identity: PodIdentity;
  /**
   * Who each container runs as, when the containers state it themselves.
   * @default - the containers inherit the pod's identity
   */
  readonly containerIdentity?: ContainerIdentity;
  /**
   * Mount the ServiceAccount token: only for a pod that calls the Kubernetes API (record the
   * reason as a `kit-service-account-token` policy exception).
   * @default false
   */
  readonly mountServiceAccountToken?: boolean;
  readonly containers: readonly HardenedContainerInput[];
  /** @default - none */
  readonly initContainers?: readonly HardenedContainerInput[];
}

/**
 * A hardened pod spec: the restricted pod and container security contexts, the token
 * mounted only when asked for, every image pinned and every container's resources checked.
 * The other fields of `input` are kept as they are, in their order. The key order is stable
 * (the token setting first, the pod's securityContext just before its containers, a
 * container's just before its volumeMounts), because some Job names hash their template.
 */
export function hardenedPodSpec(v: PropsValidator, input: HardenedPodSpecInput): IPodSpec {
  const { identity, containerIdentity, mountServiceAccountToken, ...rest } = input;
  if (identity.rootReason === undefined ? identity.user < 1 : identity.user !== 0 || identity.rootReason.trim() === '') {
    throw v.error({ field: 'identity.user', value: identity.user, problem: 'runs as root only with a reason, and with a reason only as root' });
  }
  const container = (field: string) => (spec: HardenedContainerInput, i: number): IContainer => {
    requirePinnedImage(v, `${field}[${i}].image`, spec.image, 'registry.example.com/app:1.2.3');
    checkContainerResources(v, `${field}[${i}].resources`, spec.resources);
    const resources = { requests: { ...spec.resources.requests }, limits: { ...spec.resources.limits } };
    return insertBefore({ ...spec, resources }, ['volumeMounts'], 'securityContext', restrictedContainerSecurityContext(containerIdentity)) as unknown as IContainer;
  };
  const pod: Record<string, unknown> = { automountServiceAccountToken: mountServiceAccountToken ?? MOUNT_SERVICE_ACCOUNT_TOKEN };
  for (const [key, value] of Object.entries(rest)) {
    if (key === 'containers' || key === 'initContainers') pod[key] = (value as HardenedContainerInput[]).map(container(key));
    else pod[key] = value;
  }
  return insertBefore(pod, ['initContainers', 'containers'], 'securityContext', restrictedPodSecurityContext(identity)) as unknown as IPodSpec;
}

/** `object` with `key: value` inserted before the first of `before` it has (or last). */
function insertBefore(object: Record<string, unknown>, before: readonly string[], key: string, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let placed = false;
  for (const [k, v] of Object.entries(object)) {
    if (!placed && before.includes(k)) {
      out[key] = value;
      placed = true;
    }
    out[k] = v;
  }
  if (!placed) out[key] = value;
  return out;
}
