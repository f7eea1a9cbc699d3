/**
 * GPU pools on EKS: a pool whose instance type has NVIDIA GPUs runs the NVIDIA AMI, carries
 * a `nvidia.com/gpu` taint (so only pods that ask for GPUs land there) and gets the NVIDIA
 * device plugin, which advertises the `nvidia.com/gpu` resource. The stack, the platform's
 * add-ons and the capacity planner all read these functions, so they agree.
 */
import { machineSize, machineTypeOf } from './machine-types.js';
import type { AwsNodePool, Taint } from './schema.js';
import type { Environment } from './load.js';

/** The taint every GPU pool carries, as the NVIDIA device plugin's default toleration expects. */
export const GPU_TAINT: Taint = { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' };

/** The number of NVIDIA GPUs on each node of an EKS pool (0 for a pool without GPUs). */
export function poolGpus(pool: AwsNodePool): number {
  return machineSize(machineTypeOf(pool))?.gpus ?? 0;
}

/** True when the environment's EKS cluster has a pool of GPU instance types. */
export function hasGpuPool(env: Environment): boolean {
  return env.cloud === 'aws' && env.cluster.nodePools.some((pool) => poolGpus(pool) > 0);
}

/** A pool's taints as its nodes carry them: the configured ones, plus the GPU taint on a GPU pool that does not set it. */
export function poolTaints(pool: AwsNodePool): readonly Taint[] {
  if (poolGpus(pool) === 0 || pool.taints.some((t) => t.key === GPU_TAINT.key)) return pool.taints;
  return [...pool.taints, GPU_TAINT];
}
