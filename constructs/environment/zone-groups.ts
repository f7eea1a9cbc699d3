/**
 * How an EKS pool is split into node groups, one per zone: the Cluster Autoscaler can only
 * choose the zone of a new node when each Auto Scaling group is in one zone (a pod bound to
 * a zonal EBS volume, or a member of a zone-spread StatefulSet, needs a node in its zone).
 * The stack (stacks/eks.ts) creates the groups and the capacity planner
 * (constructs/capacity) simulates them from the same numbers.
 */
import type { AwsCluster, AwsNodePool } from './schema.js';

/** One zone's node group of a pool. */
export interface ZoneGroup {
  /** The availability zone, e.g. `eu-west-1a`. */
  readonly zone: string;
  /** The zone without its region, for names: `a` for `eu-west-1a`, `lax-1a` for `us-west-2-lax-1a`. */
  readonly suffix: string;
  /** The group's share of the pool's `min`. */
  readonly min: number;
  /** The group's share of the pool's `desired`. */
  readonly desired: number;
  /** At least 1: EKS rejects a node group whose max is 0, so a pool's max must reach its zone count. */
  readonly max: number;
}

/** `total` split over `parts` as evenly as possible, earlier parts getting the remainder: 4 over 3 → 2, 1, 1. */
export function splitEvenly(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  const remainder = total % parts;
  return Array.from({ length: parts }, (_, i) => base + (i < remainder ? 1 : 0));
}

/** The zone without its region: `a` for `eu-west-1a`, `lax-1a` for the Local Zone `us-west-2-lax-1a`. */
export function zoneSuffix(zone: string): string {
  const match = /^[a-z]+(?:-[a-z]+)+-\d+-?(.+)$/.exec(zone);
  return match?.[1] ?? zone;
}

/**
 * The node groups of an EKS pool, one per zone of the pool (its `zones`, or the cluster's),
 * in zone order. The pool's min, desired and max are each split evenly over the zones,
 * earlier zones getting the remainder (min 4 over three zones: 2, 1, 1), so the groups add
 * up to the pool's sizes. EKS rejects a max of 0; the loader refuses a pool whose max is
 * below its zone count, so every group's max is at least 1. Min and desired never exceed a
 * zone's max, as their shares are never larger than max's.
 */
export function zoneGroups(pool: AwsNodePool, cluster: AwsCluster): ZoneGroup[] {
  const zones = pool.zones ?? cluster.zones;
  const min = splitEvenly(pool.min, zones.length);
  const desired = splitEvenly(pool.desired, zones.length);
  const max = splitEvenly(pool.max, zones.length);
  if (pool.max < zones.length) {
    throw new Error(`pool '${pool.name}': max (${pool.max}) is below its ${zones.length} zones; each zone's node group needs a max of at least 1 (the loader reports this as a configuration problem)`);
  }
  return zones.map((zone, i) => {
    const zoneMax = max[i] ?? 0;
    return {
      zone,
      suffix: zoneSuffix(zone),
      min: Math.min(min[i] ?? 0, zoneMax),
      desired: Math.min(desired[i] ?? 0, zoneMax),
      max: zoneMax,
    };
  });
}
