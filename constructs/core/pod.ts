/**
 * Finds the pod spec inside any pod-bearing object, and the containers inside a pod spec.
 * Typed with the kubernetes-models interfaces so rules read fields by their real names.
 */
import type { IContainer, IPodSpec, IEphemeralContainer } from 'kubernetes-models/v1';
import type { ManifestObject } from './manifest.js';

/** A pod spec and the dotted path at which it sits in its object. */
export interface PodSpecLocation {
  /** The pod spec. */
  readonly spec: IPodSpec;
  /** Dotted path from the object root: `spec.template.spec`. */
  readonly path: string;
  /** Pod template metadata (labels, annotations), when the object is a workload. */
  readonly templateMetadata: { readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
}

/** Kinds whose `spec.template.spec` is a pod spec. */
export const WORKLOAD_KINDS: ReadonlySet<string> = new Set([
  'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job',
]);

/** Kinds that run forever (as opposed to Jobs and CronJobs), and so need liveness/readiness probes. */
export const LONG_RUNNING_KINDS: ReadonlySet<string> = new Set([
  'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController',
]);

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

/** Returns the pod spec of a Pod, a workload or a CronJob, or undefined for any other object. */
export function podSpecOf(object: ManifestObject): PodSpecLocation | undefined {
  if (object.kind === 'Pod') {
    const spec = asObject(object.spec);
    return spec ? { spec: spec as unknown as IPodSpec, path: 'spec', templateMetadata: object.metadata ?? {} } : undefined;
  }
  let template: Json | undefined;
  let path: string;
  if (object.kind === 'CronJob') {
    template = asObject(asObject(asObject(asObject(object.spec)?.jobTemplate)?.spec)?.template);
    path = 'spec.jobTemplate.spec.template';
  } else if (WORKLOAD_KINDS.has(object.kind)) {
    template = asObject(asObject(object.spec)?.template);
    path = 'spec.template';
  } else {
    return undefined;
  }
  const spec = asObject(template?.spec);
  if (!spec) return undefined;
  return {
    spec: spec as unknown as IPodSpec,
    path: `${path}.spec`,
    templateMetadata: (asObject(template?.metadata) ?? {}) as PodSpecLocation['templateMetadata'],
  };
}

/** Which list of a pod spec a container comes from. */
export type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers';

/** A container and where it sits. */
export interface ContainerLocation {
  /** The container. */
  readonly container: IContainer | IEphemeralContainer;
  /** The pod spec's list the container is in. */
  readonly list: ContainerList;
  /** Dotted path from the object root: `spec.template.spec.containers[0]`. */
  readonly path: string;
}

/** Every container of a pod spec: containers, initContainers and ephemeralContainers, in that order. */
export function containersOf(pod: PodSpecLocation, lists: readonly ContainerList[] = ['containers', 'initContainers', 'ephemeralContainers']): ContainerLocation[] {
  const out: ContainerLocation[] = [];
  for (const list of lists) {
    const items = pod.spec[list] as (IContainer | IEphemeralContainer)[] | undefined;
    items?.forEach((container, i) => out.push({ container, list, path: `${pod.path}.${list}[${i}]` }));
  }
  return out;
}

/** `Kind/namespace/name` (namespace omitted when unset), for messages. */
export function describeObject(object: ManifestObject): string {
  const ns = object.metadata?.namespace;
  return `${object.kind}/${ns ? `${ns}/` : ''}${object.metadata?.name ?? '<unnamed>'}`;
}
