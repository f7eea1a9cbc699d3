/**
 * Pools, workloads and environments for the capacity tests, written as plainly as the
 * scenarios they describe.
 */
import { loadEnvironment, type Environment } from '../../../charts/environment.js';
import { allocatableOf, type PoolShape, type Taint } from '../../../constructs/capacity/index.js';
import { POOL_LABEL } from '../../../constructs/environment/index.js';
import type { ManifestObject } from '../../../constructs/policy/index.js';

/** A pool of `count` fixed nodes (no autoscaling) with the given machine and pod slots. */
export function pool(name: string, options: {
  cpu: number;
  memoryGiB: number;
  pods: number;
  count: number;
  max?: number;
  autoscales?: boolean;
  zones?: string[];
  taints?: Taint[];
  labels?: Record<string, string>;
  cloud?: 'aws' | 'azure';
}): PoolShape {
  const { capacity, allocatable } = allocatableOf(options.cloud ?? 'aws', { cpu: options.cpu, memoryGiB: options.memoryGiB }, options.pods);
  return {
    pool: name,
    machineType: 'm6i.large',
    capacity,
    allocatable,
    labels: { 'kubernetes.io/os': 'linux', [POOL_LABEL]: name, ...options.labels },
    taints: options.taints ?? [],
    zones: options.zones ?? [],
    min: options.count,
    desired: options.count,
    max: options.max ?? options.count,
    autoscales: options.autoscales ?? false,
    spot: false,
  };
}

/** A Deployment whose pods request `cpu` and `memory`, with optional extra pod spec and strategy. */
export function deployment(name: string, options: {
  replicas: number;
  cpu?: string;
  memory?: string;
  namespace?: string;
  pod?: Record<string, unknown>;
  strategy?: Record<string, unknown>;
}): ManifestObject {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: options.namespace ?? 'apps' },
    spec: {
      replicas: options.replicas,
      selector: { matchLabels: labels },
      ...(options.strategy && { strategy: options.strategy }),
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name: 'main', image: 'app:1', resources: { requests: { cpu: options.cpu ?? '100m', memory: options.memory ?? '128Mi' } } }],
          ...options.pod,
        },
      },
    },
  };
}

/** An HPA for a Deployment. */
export function hpa(target: string, min: number, max: number, namespace = 'apps'): ManifestObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: target, namespace },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas: min, maxReplicas: max },
  };
}

/** A repository environment with another tier, for tier-dependent severities. */
export function environment(name: string, overrides: Partial<Pick<Environment, 'tier'>> = {}): Environment {
  return { ...loadEnvironment(name), ...overrides } as Environment;
}

/** A Flux HelmRelease declaring `workloads` in its workloads annotation (none: no annotation). */
export function helmRelease(name: string, namespace: string, workloads?: readonly Record<string, unknown>[], targetNamespace?: string): ManifestObject {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name, namespace, ...(workloads && { annotations: { 'k8s-platform-kit.dev/workloads': JSON.stringify(workloads) } }) },
    spec: { ...(targetNamespace !== undefined && { targetNamespace }) },
  };
}
