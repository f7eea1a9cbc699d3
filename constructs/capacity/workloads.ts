/**
 * What the scheduler will be asked to place: every pod-bearing object of a set of manifests,
 * reduced to its pod's requests and placement rules, with its replica count at rest, at its
 * HorizontalPodAutoscaler's maximum, and during a rolling update; plus the pods HelmReleases
 * declare in their `k8s-platform-kit.dev/workloads` annotation (release-workloads.ts).
 */
import type { IPodSpec, IResourceRequirements, ITopologySpreadConstraint, IPodAffinityTerm, INodeSelectorTerm, IToleration } from 'kubernetes-models/v1';
import type { ManifestObject } from '../core/manifest.js';
import { describeObject, podSpecOf } from '../core/pod.js';
import { parseQuantity } from '../core/quantity.js';
import { RELEASE_WORKLOADS_ANNOTATION, parseReleaseWorkloads, type ReleaseWorkload } from '../core/release-workloads.js';

/** CPU (millicores) and memory (bytes) a pod asks for. */
export interface Requests {
  /** CPU in millicores. */
  readonly cpu: number;
  /** Memory in bytes. */
  readonly memory: number;
  /**
   * NVIDIA GPUs (`nvidia.com/gpu`).
   * @default - none
   */
  readonly gpus?: number;
}

/** The extended resource GPUs are requested as. */
export const GPU_RESOURCE = 'nvidia.com/gpu';

/** A pod as the scheduler's filters see it. */
export interface PodTemplate {
  /** The pod's namespace. */
  readonly namespace: string;
  /** The pod template's labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** What one pod requests, as the scheduler computes it (containers, init containers, sidecars and overhead). */
  readonly requests: Requests;
  /** The pod's node selector. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** requiredDuringSchedulingIgnoredDuringExecution node selector terms (any one must match). */
  readonly nodeAffinity: readonly INodeSelectorTerm[];
  /** The pod's tolerations. */
  readonly tolerations: readonly IToleration[];
  /** The pod's topology spread constraints. */
  readonly topologySpread: readonly ITopologySpreadConstraint[];
  /** Required pod anti-affinity terms. */
  readonly antiAffinity: readonly IPodAffinityTerm[];
  /** Required pod affinity terms. */
  readonly affinity: readonly IPodAffinityTerm[];
}

/** How a rolling update adds and removes pods, resolved against the replica count. */
export interface RolloutBudget {
  /** Pods created above the replica count. */
  readonly maxSurge: number;
  /** Old pods removed before new ones are ready. */
  readonly maxUnavailable: number;
}

/** A pod-bearing object and the pods it asks for. */
export interface Workload {
  /**
   * `Kind/namespace/name`; for pods a HelmRelease declares, followed by the release:
   * `StatefulSet/monitoring/prometheus (from HelmRelease monitoring/kube-prometheus-stack)`.
   */
  readonly id: string;
  /** The object's kind: `Deployment`, `StatefulSet`, `DaemonSet`, … */
  readonly kind: string;
  /** The object's name; its pods are `<name>-<n>`. */
  readonly name: string;
  /**
   * `namespace/name` of the HelmRelease that declares it, for pods a chart will run.
   * @default - none: the object is in the manifests themselves
   */
  readonly release?: string;
  /** The pod the object asks for, as the scheduler's filters see it. */
  readonly template: PodTemplate;
  /** Replicas at rest (within the HPA's range when one targets it). */
  readonly replicas: number;
  /** Replicas at the HPA's maximum; `replicas` when no HPA targets it. */
  readonly peakReplicas: number;
  /** One pod per eligible node instead of a replica count. */
  readonly daemon: boolean;
  /**
   * Deployments (and DaemonSets with a surge): the extra room a rolling update needs.
   * @default - none: no surge (StatefulSets, Jobs, Recreate Deployments, DaemonSets without
   *   `maxSurge`)
   */
  readonly rollout?: RolloutBudget;
}

/** An object whose pods the planner cannot know (a HelmRelease renders them later). */
export interface Uncounted {
  /** `Kind/namespace/name` of the object. */
  readonly id: string;
  /** Why its pods cannot be counted, and how to count them. */
  readonly reason: string;
}

/** Objects whose pods a controller creates from something the planner does not have, and why. */
const CREATED_LATER: Readonly<Record<string, string>> = {
  HelmRelease: `its pods are rendered from a chart when it is installed; declare them in its ${RELEASE_WORKLOADS_ANNOTATION} annotation to count them`,
  Gateway: 'its proxy pods are created by its Gateway controller (Envoy Gateway: an Envoy Deployment per Gateway)',
};

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Whole replicas from a count or a percentage, rounded as the Deployment controller does. */
export function resolveIntOrPercent(value: number | string | undefined, total: number, fallback: string, roundUp: boolean): number {
  const raw = value ?? fallback;
  if (typeof raw === 'number') return raw;
  const percent = /^(\d+)%$/.exec(raw);
  if (!percent) return Number(raw);
  const exact = (Number(percent[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** CPU and memory of one container's requests; a container with limits only is requested at its limits. */
function containerRequests(resources: IResourceRequirements | undefined, defaults: Requests | undefined): Requests {
  const read = (name: 'cpu' | 'memory'): number | undefined => {
    const value = resources?.requests?.[name] ?? resources?.limits?.[name];
    if (value === undefined) return undefined;
    const base = parseQuantity(value as string | number);
    return name === 'cpu' ? base * 1000 : base;
  };
  // An extended resource is requested at its limit (the two must be equal), and never defaulted.
  const gpus = resources?.limits?.[GPU_RESOURCE] ?? resources?.requests?.[GPU_RESOURCE];
  return { cpu: read('cpu') ?? defaults?.cpu ?? 0, memory: read('memory') ?? defaults?.memory ?? 0, ...withGpus(gpus === undefined ? 0 : parseQuantity(gpus as string | number)) };
}

/** `{ gpus }` when there are any: requests without GPUs keep their two fields. */
const withGpus = (gpus: number): { gpus?: number } => (gpus > 0 ? { gpus } : {});

function add(a: Requests, b: Requests): Requests {
  return { cpu: a.cpu + b.cpu, memory: a.memory + b.memory, ...withGpus((a.gpus ?? 0) + (b.gpus ?? 0)) };
}

function max(a: Requests, b: Requests): Requests {
  return { cpu: Math.max(a.cpu, b.cpu), memory: Math.max(a.memory, b.memory), ...withGpus(Math.max(a.gpus ?? 0, b.gpus ?? 0)) };
}

/**
 * What a pod requests, as the scheduler computes it: the sum of its containers and
 * sidecars (init containers that keep running), or the largest init container with the
 * sidecars started before it, whichever is larger, plus the pod's overhead.
 */
export function podRequests(spec: IPodSpec, defaults?: Requests): Requests {
  let sidecars: Requests = { cpu: 0, memory: 0 };
  let init: Requests = { cpu: 0, memory: 0 };
  for (const container of spec.initContainers ?? []) {
    const requests = containerRequests(container.resources, defaults);
    if (container.restartPolicy === 'Always') {
      sidecars = add(sidecars, requests);
    } else {
      init = max(init, add(requests, sidecars));
    }
  }
  let main = sidecars;
  for (const container of spec.containers) main = add(main, containerRequests(container.resources, defaults));
  const overhead = spec.overhead ? containerRequests({ requests: spec.overhead }, undefined) : { cpu: 0, memory: 0 };
  return add(max(main, init), overhead);
}

/** Container defaults of each namespace's LimitRanges: what a container without requests gets. */
function limitRangeDefaults(objects: readonly ManifestObject[]): Map<string, Requests> {
  const defaults = new Map<string, Requests>();
  for (const object of objects) {
    if (object.kind !== 'LimitRange') continue;
    const namespace = object.metadata?.namespace ?? 'default';
    for (const limit of ((object.spec as Json | undefined)?.limits ?? []) as Json[]) {
      if (limit.type !== 'Container') continue;
      const requests = containerRequests({ requests: limit.defaultRequest, limits: limit.default }, undefined);
      defaults.set(namespace, requests);
    }
  }
  return defaults;
}

interface Autoscaler {
  readonly min: number;
  readonly max: number;
}

/** HorizontalPodAutoscalers by the `Kind/namespace/name` of their target. */
function autoscalers(objects: readonly ManifestObject[]): Map<string, Autoscaler> {
  const byTarget = new Map<string, Autoscaler>();
  for (const object of objects) {
    if (object.kind !== 'HorizontalPodAutoscaler') continue;
    const spec = (object.spec ?? {}) as Json;
    const target = spec.scaleTargetRef as Json | undefined;
    if (!target) continue;
    const id = `${target.kind}/${object.metadata?.namespace ?? 'default'}/${target.name}`;
    byTarget.set(id, { min: spec.minReplicas ?? 1, max: spec.maxReplicas });
  }
  return byTarget;
}

function templateOf(object: ManifestObject, spec: IPodSpec, labels: Record<string, string>, defaults: Requests | undefined): PodTemplate {
  const required = (terms: IPodAffinityTerm[] | undefined) => terms ?? [];
  return {
    namespace: object.metadata?.namespace ?? 'default',
    labels,
    requests: podRequests(spec, defaults),
    nodeSelector: spec.nodeSelector ?? {},
    nodeAffinity: spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [],
    tolerations: spec.tolerations ?? [],
    topologySpread: spec.topologySpreadConstraints ?? [],
    antiAffinity: required(spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    affinity: required(spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
  };
}

/** The workloads of a set of manifests, and the objects whose pods cannot be known. */
export function workloadsOf(objects: readonly ManifestObject[]): { workloads: Workload[]; uncounted: Uncounted[] } {
  const defaults = limitRangeDefaults(objects);
  const hpas = autoscalers(objects);
  const workloads: Workload[] = [];
  const uncounted: Uncounted[] = [];
  for (const object of objects) {
    if (object.kind === 'HelmRelease') {
      const declared = releaseWorkloadsOf(object);
      if ('workloads' in declared) workloads.push(...declared.workloads);
      else uncounted.push({ id: describeObject(object), reason: declared.reason });
      continue;
    }
    const later = CREATED_LATER[object.kind];
    if (later !== undefined) {
      uncounted.push({ id: describeObject(object), reason: later });
      continue;
    }
    const pod = podSpecOf(object);
    if (!pod) continue;
    const id = describeObject(object);
    const spec = (object.spec ?? {}) as Json;
    const template = templateOf(object, pod.spec, { ...(pod.templateMetadata.labels ?? {}) }, defaults.get(object.metadata?.namespace ?? 'default'));
    const hpa = hpas.get(id);
    let replicas: number;
    switch (object.kind) {
      case 'Pod':
        replicas = 1;
        break;
      case 'Job':
        replicas = spec.parallelism ?? 1;
        break;
      case 'CronJob':
        replicas = spec.jobTemplate?.spec?.parallelism ?? 1;
        break;
      default:
        replicas = spec.replicas ?? 1;
    }
    if (hpa) replicas = Math.min(Math.max(replicas, hpa.min), hpa.max);
    const daemon = object.kind === 'DaemonSet';
    workloads.push({
      id,
      kind: object.kind,
      name: object.metadata?.name ?? '<unnamed>',
      template,
      replicas,
      peakReplicas: hpa ? Math.max(hpa.max, replicas) : replicas,
      daemon,
      rollout: rolloutOf(object.kind, spec, replicas),
    });
  }
  return { workloads, uncounted };
}

/**
 * The pods a HelmRelease declares in its annotation, in the namespace the chart is installed
 * into (`spec.targetNamespace`, else the release's own). Counted at their replicas at rest and
 * at peak alike, DaemonSets on every node they tolerate; no rollout scenario (the chart's
 * update strategy is not known). Without the annotation, or with a bad one, the release is
 * not counted and says why.
 */
function releaseWorkloadsOf(object: ManifestObject): { workloads: Workload[] } | { reason: string } {
  const text = object.metadata?.annotations?.[RELEASE_WORKLOADS_ANNOTATION];
  if (text === undefined) return { reason: CREATED_LATER.HelmRelease! };
  const parsed = parseReleaseWorkloads(text);
  if ('problem' in parsed) return { reason: `its ${RELEASE_WORKLOADS_ANNOTATION} annotation is not valid: ${parsed.problem}` };
  const releaseNamespace = object.metadata?.namespace ?? 'default';
  const release = `${releaseNamespace}/${object.metadata?.name ?? '<unnamed>'}`;
  const namespace = ((object.spec as Json | undefined)?.targetNamespace as string | undefined) ?? releaseNamespace;
  return { workloads: parsed.workloads.map((declared) => releaseWorkload(declared, namespace, release, object.metadata?.name ?? '')) };
}

function releaseWorkload(declared: ReleaseWorkload, namespace: string, release: string, instance: string): Workload {
  const replicas = declared.kind === 'DaemonSet' ? 1 : declared.replicas ?? 1;
  return {
    id: `${declared.kind}/${namespace}/${declared.name} (from HelmRelease ${release})`,
    kind: declared.kind,
    name: declared.name,
    release,
    template: {
      namespace,
      labels: { 'app.kubernetes.io/name': declared.name, 'app.kubernetes.io/instance': instance },
      requests: { cpu: parseQuantity(declared.requests.cpu) * 1000, memory: parseQuantity(declared.requests.memory) },
      nodeSelector: {},
      nodeAffinity: [],
      tolerations: (declared.tolerations ?? []) as IToleration[],
      topologySpread: [],
      antiAffinity: [],
      affinity: [],
    },
    replicas,
    peakReplicas: replicas,
    daemon: declared.kind === 'DaemonSet',
  };
}

function rolloutOf(kind: string, spec: Json, replicas: number): RolloutBudget | undefined {
  if (kind === 'Deployment') {
    if (spec.strategy?.type === 'Recreate') return undefined;
    const rolling = spec.strategy?.rollingUpdate ?? {};
    return {
      maxSurge: resolveIntOrPercent(rolling.maxSurge, replicas, '25%', true),
      maxUnavailable: resolveIntOrPercent(rolling.maxUnavailable, replicas, '25%', false),
    };
  }
  if (kind === 'DaemonSet') {
    const rolling = spec.updateStrategy?.rollingUpdate ?? {};
    const surge = rolling.maxSurge;
    if (surge === undefined || surge === 0 || surge === '0%') return undefined;
    return { maxSurge: 1, maxUnavailable: 0 };
  }
  return undefined;
}
