/**
 * GPU pools on EKS: a pool whose instance type has NVIDIA GPUs runs the NVIDIA AMI, carries
 * a `nvidia.com/gpu` taint (so only pods that ask for GPUs land there) and gets the NVIDIA
 * device plugin, which advertises the `nvidia.com/gpu` resource. The stack, the platform's
 * add-ons and the capacity planner all read these functions, so they agree.
 */
import { GPU_NODE } from '../core/capabilities.js';
import { machineSize, machineTypeOf } from './machine-types.js';
import { isArmInstanceType } from './rules.js';
import type { AwsCluster, AwsNodePool, Taint } from './schema.js';
import type { Environment } from './load.js';

/** The taint every GPU pool carries, as the NVIDIA device plugin's default toleration expects. */
export const GPU_TAINT: Taint = { ...GPU_NODE.taint };

/** The number of NVIDIA GPUs on each node of an EKS pool (0 for a pool without GPUs), from the table or the cluster's declared shapes. */
export function poolGpus(pool: AwsNodePool, cluster: Pick<AwsCluster, 'machineTypes'>): number {
  return machineSize(machineTypeOf(pool), cluster.machineTypes)?.gpus ?? 0;
}

/** True when a pool's nodes are arm64 (Graviton), from the table or the cluster's declared shapes. */
export function poolIsArm(pool: AwsNodePool, cluster: Pick<AwsCluster, 'machineTypes'>): boolean {
  const type = machineTypeOf(pool);
  const arch = machineSize(type, cluster.machineTypes)?.arch;
  return arch !== undefined ? arch === 'arm64' : isArmInstanceType(type);
}

/** True when the environment's EKS cluster has a pool of GPU instance types. */
export function hasGpuPool(env: Environment): boolean {
  return env.cloud === 'aws' && env.cluster.nodePools.some((pool) => poolGpus(pool, env.cluster) > 0);
}

/** The label GPU nodes carry, which the NVIDIA device plugin's DaemonSet selects (the chart's own convention). */
export const GPU_NODE_LABEL = GPU_NODE.label;

/** A pool's node labels as its nodes carry them: the configured ones, plus {@link GPU_NODE_LABEL} on a GPU pool. */
export function poolLabels(pool: AwsNodePool, cluster: Pick<AwsCluster, 'machineTypes'>): Readonly<Record<string, string>> {
  return poolGpus(pool, cluster) > 0 ? { ...GPU_NODE_LABEL, ...pool.labels } : pool.labels;
}

/** A pool's taints as its nodes carry them: the configured ones, plus the GPU taint on a GPU pool that does not set it. */
export function poolTaints(pool: AwsNodePool, cluster: Pick<AwsCluster, 'machineTypes'>): readonly Taint[] {
  if (poolGpus(pool, cluster) === 0 || pool.taints.some((t) => t.key === GPU_TAINT.key)) return pool.taints;
  return [...pool.taints, GPU_TAINT];
}
