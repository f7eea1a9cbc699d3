/**
 * Availability options: disruption budgets, autoscaling and rolling-update arithmetic.
 */

/** A whole number of pods or a percentage string such as `'25%'`. */
export type PodCount = number | string;

const PERCENT = /^(\d+)%$/;

/** Returns why `value` is not a whole number >= 0 or a percentage, or undefined. */
export function podCountProblem(value: PodCount): string | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? undefined : 'must be a whole number >= 0 or a percentage such as \'25%\'';
  const match = PERCENT.exec(value);
  if (!match || Number(match[1]) > 100) return 'must be a whole number >= 0 or a percentage from 0% to 100%';
  return undefined;
}

/** True for `0` and `'0%'`. */
export function isZeroPods(value: PodCount): boolean {
  return value === 0 || value === '0%';
}

/**
 * The number of pods a count means out of `total`, rounding as the disruption controller
 * does for `minAvailable` (up) and `maxUnavailable` (up).
 */
export function podsOf(value: PodCount, total: number): number {
  if (typeof value === 'number') return value;
  return Math.ceil((Number(PERCENT.exec(value)?.[1] ?? 0) * total) / 100);
}

/** How many pods may be voluntarily disrupted at once (node drains, cluster upgrades). */
export class DisruptionBudget {
  /** At most `count` pods (or a percentage) unavailable at once. */
  static maxUnavailable(count: PodCount): DisruptionBudget {
    return new DisruptionBudget('maxUnavailable', count);
  }

  /** At least `count` pods (or a percentage) available at all times. */
  static minAvailable(count: PodCount): DisruptionBudget {
    return new DisruptionBudget('minAvailable', count);
  }

  private constructor(
    /** Which PDB field this budget sets. */
    public readonly field: 'maxUnavailable' | 'minAvailable',
    /** The value of that field. */
    public readonly value: PodCount,
  ) {}

  /**
   * Returns why this budget would block every voluntary eviction for a workload whose
   * replica count can be as low as `lowestReplicas`, or undefined when a drain can proceed.
   */
  blocksEveryDrain(lowestReplicas: number): string | undefined {
    if (this.field === 'maxUnavailable') {
      return podsOf(this.value, lowestReplicas) === 0 ? `maxUnavailable ${JSON.stringify(this.value)} allows no pod to be evicted` : undefined;
    }
    const min = podsOf(this.value, lowestReplicas);
    return min >= lowestReplicas
      ? `minAvailable ${JSON.stringify(this.value)} with ${lowestReplicas} replica${lowestReplicas === 1 ? '' : 's'} allows no pod to be evicted`
      : undefined;
  }
}

/** Horizontal pod autoscaling (autoscaling/v2) on CPU and memory utilization. */
export interface Autoscaling {
  /**
   * The fewest replicas.
   * @default 1
   */
  readonly minReplicas?: number;
  /** The most replicas. */
  readonly maxReplicas: number;
  /**
   * Target average CPU utilization, as a percentage of the CPU request (may exceed 100:
   * `kubectl autoscale --cpu-percent 400` is `cpuUtilizationPercent: 400`).
   * @default 80 when neither target is given
   */
  readonly cpuUtilizationPercent?: number;
  /**
   * Target average memory utilization, as a percentage of the memory request.
   * @default - none
   */
  readonly memoryUtilizationPercent?: number;
}
