/**
 * Where a workload's pods run and how they rank: on a node pool of the environment (by
 * object, so the node selector and the tolerations for the pool's taints follow from the
 * pool itself), with extra tolerations, and with one of the platform's priority classes.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { POOL_LABEL, tolerationsFor, type NodePoolRef, type Toleration } from '../core/placement.js';

export { POOL_LABEL, type NodePoolRef, type PoolTaint, type Toleration } from '../core/placement.js';

/** Which nodes a workload's pods may run on. */
export class Placement {
  /** Any node whose taints the pods tolerate (Kubernetes' default). */
  static readonly ANYWHERE = new Placement(undefined, {}, []);

  /**
   * The nodes of one pool: a node selector on the pool's name ({@link POOL_LABEL}) and a
   * toleration for each of its taints. Get the pool from the environment with `nodePool(env, name)`,
   * which refuses a pool the environment does not have.
   */
  static onPool(pool: NodePoolRef): Placement {
    return new Placement(pool, { [POOL_LABEL]: pool.name }, tolerationsFor(pool.taints));
  }

  private constructor(
    /** The pool, for {@link Placement.onPool}. */
    public readonly pool: NodePoolRef | undefined,
    /** The node selector the pods get. */
    public readonly nodeSelector: Readonly<Record<string, string>>,
    /** The tolerations the pods get. */
    public readonly tolerations: readonly Toleration[],
  ) {}
}

/** How a workload's pods rank against others when nodes are full: the platform's priority classes. */
export class Priority {
  /** The platform's own controllers and agents (ingress, DNS, monitoring, logging). */
  static readonly PLATFORM_CRITICAL = new Priority('k8s-platform-kit-platform-critical', 1_000_000, 'The platform\'s own controllers and agents: ingress, DNS, certificates, monitoring, logging.');
  /** Services users depend on. */
  static readonly SERVICE = new Priority('k8s-platform-kit-service', 100_000, 'Services users depend on.');
  /** Batch work that can wait: it never preempts another pod. */
  static readonly BATCH = new Priority('k8s-platform-kit-batch', 1_000, 'Batch work that can wait; it never preempts another pod.', 'Never');
  /** The classes {@link PriorityClasses} writes. */
  static readonly ALL: readonly Priority[] = [Priority.PLATFORM_CRITICAL, Priority.SERVICE, Priority.BATCH];

  private constructor(
    /** The PriorityClass name pods name. */
    public readonly className: string,
    /** The value: higher runs first and may preempt lower. */
    public readonly value: number,
    /** What the class is for. */
    public readonly description: string,
    /** `Never` for a class whose pods wait rather than preempt. */
    public readonly preemptionPolicy: 'PreemptLowerPriority' | 'Never' = 'PreemptLowerPriority',
  ) {}
}

/**
 * The platform's PriorityClasses ({@link Priority.ALL}): none is the cluster default, so a pod
 * without a class keeps priority 0, below every class here.
 */
export class PriorityClasses extends Construct {
  /** The PriorityClass objects, in the order of {@link Priority.ALL}. */
  public readonly classes: readonly ApiObject[];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.classes = Priority.ALL.map((priority) => new ApiObject(this, priority.className, {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: priority.className, labels: { 'app.kubernetes.io/part-of': 'k8s-platform-kit' } },
      value: priority.value,
      globalDefault: false,
      preemptionPolicy: priority.preemptionPolicy,
      description: priority.description,
    }));
  }
}
