/** The node pools of an environment as workloads are placed on them. */
import type { NodePoolRef } from '../core/placement.js';
import { editDistance } from '../core/suggest.js';
import { poolGpus, poolTaints } from './gpu.js';
import type { Environment } from './load.js';

/**
 * The pool `name` of the environment, with the taints its nodes carry (a GPU pool's GPU
 * taint included), for `Placement.onPool`. Throws, naming the environment's pools, when it
 * has no such pool: a workload placed on a pool that does not exist would never be scheduled.
 */
export function nodePool(env: Environment, name: string): NodePoolRef {
  const taints = env.cloud === 'aws'
    ? ((pool) => pool && poolTaints(pool, env.cluster))(env.cluster.nodePools.find((p) => p.name === name))
    : env.cluster.nodePools.find((p) => p.name === name)?.taints;
  if (!taints) {
    const names = env.cluster.nodePools.map((p) => p.name);
    const closest = [...names].sort((a, b) => editDistance(name, a) - editDistance(name, b))[0];
    const hint = closest !== undefined && editDistance(name, closest) <= 2 ? ` (did you mean '${closest}'?)` : '';
    throw new Error(`environment '${env.name}' has no node pool '${name}'${hint}; its pools: ${names.join(', ')}`);
  }
  const aws = env.cloud === 'aws' ? env.cluster.nodePools.find((p) => p.name === name) : undefined;
  const gpus = aws && env.cloud === 'aws' ? poolGpus(aws, env.cluster) : 0;
  return { name, taints: taints.map((t) => ({ ...t })), ...(gpus > 0 && { gpus }) };
}
