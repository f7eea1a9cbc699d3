/**
 * Where the members of a replicated data store run: in production never two on one node
 * (required anti-affinity by host) and spread evenly over zones, refusing to schedule
 * rather than stacking a zone; in development the spread is only preferred.
 */
export function memberPlacement(memberLabels: Readonly<Record<string, string>>, production: boolean): Record<string, unknown> {
  return {
    ...(production && {
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { ...memberLabels } } }] } },
    }),
    topologySpreadConstraints: [{
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: production ? 'DoNotSchedule' : 'ScheduleAnyway',
      labelSelector: { matchLabels: { ...memberLabels } },
    }],
  };
}

/** The fewest members a replicated data store runs in the production profile. */
export const PRODUCTION_MIN_MEMBERS = 3;

/** A data store's profile when none is given: production from {@link PRODUCTION_MIN_MEMBERS} members, else development. */
export function defaultProfile(members: number): 'production' | 'development' {
  return members >= PRODUCTION_MIN_MEMBERS ? 'production' : 'development';
}

/** The label the stacks put on every node: the name of its pool. */
export const POOL_LABEL = 'k8s-platform-kit.dev/pool';

/** The effects a taint may have. */
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

/** A taint of a node pool's nodes. */
export interface PoolTaint {
  /** The taint's key. */
  readonly key: string;
  /**
   * The taint's value.
   * @default - none
   */
  readonly value?: string;
  /** What the taint does to pods that do not tolerate it. */
  readonly effect: (typeof TAINT_EFFECTS)[number];
}

/** A node pool of an environment as workloads are placed on it: its name (the {@link POOL_LABEL} of its nodes) and its nodes' taints. */
export interface NodePoolRef {
  /** The pool's name. */
  readonly name: string;
  /** The taints its nodes carry. */
  readonly taints: readonly PoolTaint[];
  /**
   * NVIDIA GPUs on each of its nodes.
   * @default 0
   */
  readonly gpus?: number;
}

/** A toleration of a pod, as Kubernetes writes it. */
export interface Toleration {
  /**
   * The taint key tolerated.
   * @default - every key (then `operator` must be `Exists`)
   */
  readonly key?: string;
  /**
   * `Equal` matches the value; `Exists` any value.
   * @default 'Equal'
   */
  readonly operator?: 'Equal' | 'Exists';
  /**
   * The taint value matched by `Equal`.
   * @default - the empty value
   */
  readonly value?: string;
  /**
   * The taint effect tolerated.
   * @default - every effect
   */
  readonly effect?: (typeof TAINT_EFFECTS)[number];
  /**
   * For `NoExecute`: seconds the pod stays on a node after the taint appears.
   * @default - forever
   */
  readonly tolerationSeconds?: number;
}

/** The tolerations that admit a pod onto nodes with `taints`: one per taint, matching its key, value and effect. */
export function tolerationsFor(taints: readonly PoolTaint[]): Toleration[] {
  return taints.map((t) => (t.value === undefined
    ? { key: t.key, operator: 'Exists' as const, effect: t.effect }
    : { key: t.key, operator: 'Equal' as const, value: t.value, effect: t.effect }));
}
