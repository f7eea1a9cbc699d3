/**
 * Options shared by every hardened workload (Deployment now; StatefulSet, DaemonSet, Job
 * and CronJob reuse them).
 */
import type { Placement, Priority, Toleration } from './placement.js';
import type * as kplus from '../core/plus.js';
import type { Probe } from './probe.js';
import type { QosClass } from '../core/qos.js';

/** A port the container listens on. */
export interface WorkloadPort {
  /** The port number, 1–65535. */
  readonly number: number;
  /**
   * A name (IANA service name: at most 15 lower-case letters, digits and '-'), usable by
   * probes and Services.
   * @default - unnamed
   */
  readonly name?: string;
  /**
   * The port's protocol.
   * @default TCP
   */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/** A request and an optional limit for one resource, as Kubernetes quantities (`250m`, `0.5`, `256Mi`). */
export interface CpuResources {
  /** The CPU request: what the scheduler reserves for the container. */
  readonly request: string;
  /**
   * The CPU limit. Leaving it out (allowed for Burstable pods) avoids CFS throttling.
   * @default - no limit
   */
  readonly limit?: string;
}

/** Memory always has a limit: without one, a leak takes the node down with it. */
export interface MemoryResources {
  /** The memory request: what the scheduler reserves for the container. */
  readonly request: string;
  /** The memory limit: the container is OOM-killed above it. */
  readonly limit: string;
}

/** Requests and limits of the main container. */
export interface WorkloadResources {
  /** The CPU request, and the limit if any. */
  readonly cpu: CpuResources;
  /** The memory request and limit. */
  readonly memory: MemoryResources;
  /**
   * NVIDIA GPUs, requested and limited as `nvidia.com/gpu` (whole GPUs; the device plugin
   * advertises them). The pod must be placed on a GPU pool: `Placement.onPool(nodePool(env, 'gpu'))`.
   * @default - none
   */
  readonly gpus?: number;
}

/** One environment variable. */
export interface EnvVar {
  /** The variable name; unique within the container. */
  readonly name: string;
  /**
   * The value: `EnvValue.fromValue('x')`, `EnvValue.fromConfigMap(cm, 'key')` or
   * `EnvValue.fromSecretValue({ secret, key })`.
   */
  readonly value: kplus.EnvValue;
}

/** How pods spread across zones and nodes. */
export class TopologySpread {
  /** Spread across zones and nodes where possible (`ScheduleAnyway`): never blocks scheduling. */
  static readonly PREFERRED = new TopologySpread('ScheduleAnyway');
  /** Refuse to schedule a pod that would unbalance zones or nodes by more than one (`DoNotSchedule`). */
  static readonly REQUIRED = new TopologySpread('DoNotSchedule');
  /** No topology spread constraints. */
  static readonly NONE = new TopologySpread(undefined);

  private constructor(
    /** The `whenUnsatisfiable` value, or undefined for NONE. */
    public readonly whenUnsatisfiable: 'ScheduleAnyway' | 'DoNotSchedule' | undefined,
  ) {}
}

/** Where an extra volume's content comes from: the volume sources the restricted Pod Security profile allows. */
export class VolumeSource {
  /** A Secret's keys as files (read-only by default). */
  static secret(secretName: string): VolumeSource {
    return new VolumeSource('secret', secretName, { secret: { secretName } }, true);
  }

  /** A ConfigMap's keys as files (read-only by default). */
  static configMap(name: string): VolumeSource {
    return new VolumeSource('configMap', name, { configMap: { name } }, true);
  }

  /** A PersistentVolumeClaim that exists in the namespace. */
  static claim(claimName: string): VolumeSource {
    return new VolumeSource('persistentVolumeClaim', claimName, { persistentVolumeClaim: { claimName } }, false);
  }

  /** Scratch space on the node, bounded by `sizeLimit` (the pod is evicted beyond it), or in memory (`medium: 'Memory'`, counted against the memory limit). */
  static emptyDir(sizeLimit: string, options: { readonly medium?: 'Memory' } = {}): VolumeSource {
    return new VolumeSource('emptyDir', sizeLimit, { emptyDir: { ...(options.medium && { medium: options.medium }), sizeLimit } }, false);
  }

  private constructor(
    /** The volume source's field: `secret`, `configMap`, `persistentVolumeClaim`, `emptyDir`. */
    public readonly kind: 'secret' | 'configMap' | 'persistentVolumeClaim' | 'emptyDir',
    /** The name of the object it reads (the size limit for `emptyDir`). */
    public readonly reference: string,
    /** The volume's source, as the pod spec writes it. */
    public readonly spec: Readonly<Record<string, unknown>>,
    /** Whether the mount is read-only unless the volume says otherwise. */
    public readonly readOnlyByDefault: boolean,
  ) {}
}

/** A ServiceAccount bound to a cloud identity, as pods use it (what `WorkloadIdentity` exposes). */
export interface PodIdentityBinding {
  /** The ServiceAccount the identity is bound to. */
  readonly serviceAccount: { readonly namespace: string; readonly name: string };
  /** The labels the pods need for the cloud to inject the identity's token. */
  readonly podLabels: Readonly<Record<string, string>>;
}

/** A container beside the main one: an init container that runs to completion first, or a native sidecar that runs beside it. */
export interface ExtraContainer {
  /** The container's name (a DNS-1123 label, not `main`). */
  readonly name: string;
  /** The image, pinned by tag or digest. */
  readonly image: string;
  /**
   * The entrypoint, replacing the image's.
   * @default - the image's entrypoint
   */
  readonly command?: readonly string[];
  /**
   * The entrypoint's arguments.
   * @default - the image's arguments
   */
  readonly args?: readonly string[];
  /** CPU and memory requests and limits: counted in the pod's QoS class and by the capacity planner. */
  readonly resources: WorkloadResources;
  /**
   * Environment variables.
   * @default - none
   */
  readonly env?: readonly EnvVar[];
  /**
   * Volumes of the pod it mounts (`config`, `writable-<n>`, or one of `volumes`), by name.
   * @default - none
   */
  readonly mounts?: readonly { readonly volume: string; readonly mountPath: string; readonly readOnly?: boolean }[];
}

/** A volume of the pod, mounted by the main container. */
export interface ExtraVolume {
  /** The volume's name (a DNS-1123 label). */
  readonly name: string;
  /** Where the main container mounts it. */
  readonly mountPath: string;
  /** Where its content comes from. */
  readonly source: VolumeSource;
  /**
   * Mount it read-only.
   * @default - true for a Secret or ConfigMap, false for a claim or an emptyDir
   */
  readonly readOnly?: boolean;
}

/** Properties of the pod and its main container, common to every hardened workload. */
export interface HardenedPodProps {
  /** The container image, pinned by tag (not `latest`) or digest. */
  readonly image: string;
  /**
   * The name of the workload and of its Service (a DNS-1123 label).
   * @default - generated from the construct path
   */
  readonly name?: string;
  /**
   * The namespace of every object created.
   * @default - none (the namespace the manifests are applied to)
   */
  readonly namespace?: string;
  /**
   * The container's entrypoint, replacing the image's.
   * @default - the image's entrypoint
   */
  readonly command?: readonly string[];
  /**
   * The arguments of the entrypoint, replacing the image's.
   * @default - the image's arguments
   */
  readonly args?: readonly string[];
  /**
   * The ports the container listens on. The first is the default port of probes.
   * @default - none
   */
  readonly ports?: readonly WorkloadPort[];
  /** CPU and memory requests and limits. */
  readonly resources: WorkloadResources;
  /**
   * The QoS class the pod must have. The resources must satisfy it, by the Kubernetes rules.
   * @default - whichever of Guaranteed or Burstable the resources give
   */
  readonly qosClass?: QosClass;
  /**
   * The liveness probe, or `Probe.waived(reason)` to go without one (the reason is recorded
   * as a `kit-probes` policy exception). Checked at run time too, for JavaScript callers.
   */
  readonly liveness: Probe;
  /**
   * The readiness probe, or `Probe.waived(reason)` to go without one (the reason is recorded
   * as a `kit-probes` policy exception). Checked at run time too, for JavaScript callers.
   */
  readonly readiness: Probe;
  /**
   * A startup probe, which holds back liveness and readiness until the app has started.
   * @default - none
   */
  readonly startup?: Probe;
  /**
   * Environment variables.
   * @default - none
   */
  readonly env?: readonly EnvVar[];
  /**
   * Configuration files: a ConfigMap named with a hash of this content, mounted read-only
   * at `configMountPath`. Changing any value rolls the pods.
   * @default - no configuration files
   */
  readonly config?: Readonly<Record<string, string>>;
  /**
   * Where the `config` files are mounted.
   * @default '/etc/config'
   */
  readonly configMountPath?: string;
  /**
   * Paths that must be writable, each an `emptyDir` mount (the root filesystem is read-only).
   * @default - none
   */
  readonly writablePaths?: readonly string[];
  /**
   * More volumes, each mounted by the main container: Secrets, ConfigMaps, claims, and
   * `emptyDir`s with a size limit.
   * @default - none
   */
  readonly volumes?: readonly ExtraVolume[];
  /**
   * Containers that run to completion, in order, before the main container starts (migrations, waiting for a dependency).
   * @default - none
   */
  readonly initContainers?: readonly ExtraContainer[];
  /**
   * Native sidecars (init containers with `restartPolicy: Always`): started before the main
   * container and the init containers, kept running beside it, stopped after it.
   * @default - none
   */
  readonly sidecars?: readonly ExtraContainer[];
  /**
   * Secrets (of type `kubernetes.io/dockerconfigjson`) with the credentials of private registries.
   * @default - none
   */
  readonly imagePullSecrets?: readonly string[];
  /**
   * The numeric user id the container runs as.
   * @default 10001
   */
  readonly user?: number;
  /**
   * The numeric group id the container runs as, also the pod's fsGroup.
   * @default 10001
   */
  readonly group?: number;
  /**
   * A ServiceAccount to run as.
   * @default - the namespace's default ServiceAccount
   */
  readonly serviceAccountName?: string;
  /**
   * A cloud identity to run as (a `WorkloadIdentity`: an IAM role through EKS Pod Identity, or
   * a managed identity through AKS workload identity): the pods run as its ServiceAccount and
   * carry the labels its cloud needs. Not with `serviceAccountName`.
   * @default - no cloud identity
   */
  readonly identity?: PodIdentityBinding;
  /**
   * Mount the ServiceAccount token (only workloads that call the Kubernetes API need it).
   * @default false
   */
  readonly mountServiceAccountToken?: boolean;
  /**
   * Seconds the preStop hook sleeps before the container gets SIGTERM, so endpoints and load
   * balancers stop sending traffic first. 0 disables the hook.
   * @default 5
   */
  readonly preStopSleepSeconds?: number;
  /**
   * Seconds between the start of termination and SIGKILL; must exceed `preStopSleepSeconds`.
   * @default 30
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Spreading across zones (`topology.kubernetes.io/zone`) and nodes (`kubernetes.io/hostname`).
   * @default TopologySpread.PREFERRED
   */
  readonly topologySpread?: TopologySpread;
  /**
   * Which nodes the pods run on: `Placement.onPool(nodePool(env, 'spot'))` selects one pool of
   * the environment and tolerates its taints.
   * @default Placement.ANYWHERE - any node whose taints the pods tolerate
   */
  readonly placement?: Placement;
  /**
   * Tolerations beyond the ones `placement` brings.
   * @default - none
   */
  readonly tolerations?: readonly Toleration[];
  /**
   * The platform priority class of the pods (`PriorityClasses` writes them).
   * @default - none: priority 0, below every platform class
   */
  readonly priority?: Priority;
  /**
   * Extra labels for the pods and every object.
   * @default - `app.kubernetes.io/name` only
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Policy exceptions, rule id → reason, recorded as annotations on the workload.
   * @default - none
   */
  readonly policyExceptions?: Readonly<Record<string, string>>;
}
