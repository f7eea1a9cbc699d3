/**
 * Pod Quality of Service classes, computed from container resources exactly as the API
 * server does (k8s.io/kubernetes pkg/apis/core/helper/qos, `ComputePodQOS`).
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/
 */
import { parseQuantityNanos } from './quantity.js';

/** The QoS class Kubernetes gives a pod: decides eviction order and OOM score. */
export class QosClass {
  /** Every container has cpu and memory limits, and requests equal limits. Evicted last. */
  public static readonly GUARANTEED = new QosClass('Guaranteed');
  /** At least one cpu or memory request or limit, but not Guaranteed. */
  public static readonly BURSTABLE = new QosClass('Burstable');
  /** No container sets any cpu or memory request or limit. Evicted first. */
  public static readonly BEST_EFFORT = new QosClass('BestEffort');

  private static readonly ALL: readonly QosClass[] = [QosClass.GUARANTEED, QosClass.BURSTABLE, QosClass.BEST_EFFORT];

  /**
   * Returns the class named `name`, as written in `status.qosClass`.
   *
   * @throws Error when `name` is not Guaranteed, Burstable or BestEffort.
   */
  public static of(name: string): QosClass {
    const found = QosClass.ALL.find((qos) => qos.name === name);
    if (!found) throw new Error(`'${name}' is not a QoS class: expected one of Guaranteed, Burstable, BestEffort`);
    return found;
  }

  private constructor(
    /** The class's name, as in `status.qosClass`. */
    public readonly name: 'Guaranteed' | 'Burstable' | 'BestEffort',
  ) {}

  /** The class's name, as in `status.qosClass`. */
  public toString(): string {
    return this.name;
  }
}

/**
 * The pod-template (or Pod) annotation on which a workload declares the QoS class it must
 * have; the `kit-qos-declared` rule checks the computed class against it.
 */
export const QOS_CLASS_ANNOTATION = 'k8s-platform-kit.dev/qos-class';

/** A container's resources as they appear in a manifest. */
export interface QosContainer {
  /**
   * The container's name, for messages.
   * @default - unnamed: messages call it `#<index>`
   */
  readonly name?: string;
  /**
   * The container's requests and limits.
   * @default - none: the container requests and limits nothing
   */
  readonly resources?: {
    readonly requests?: Readonly<Record<string, string | number>>;
    readonly limits?: Readonly<Record<string, string | number>>;
  };
}

/** A computed QoS class and the reason for it, in words, for messages. */
export interface QosExplanation {
  /** The computed class. */
  readonly qosClass: QosClass;
  /** Why the pod has this class, naming containers: `container 'app' has no cpu limit`. */
  readonly reason: string;
}

/** Only cpu and memory decide the QoS class. */
const QOS_RESOURCES = ['cpu', 'memory'] as const;
type QosResource = (typeof QOS_RESOURCES)[number];

/** One container's cpu and memory after API defaulting, positive values only (zero is ignored). */
interface Effective {
  readonly name: string;
  readonly requests: Partial<Record<QosResource, { raw: string | number; nanos: bigint }>>;
  readonly limits: Partial<Record<QosResource, { raw: string | number; nanos: bigint }>>;
}

/** Applies the API server's defaulting (missing request = limit) and drops zero and non-cpu/memory values. */
function effectiveResources(container: QosContainer, index: number): Effective {
  const limits = container.resources?.limits ?? {};
  const requests = { ...limits, ...(container.resources?.requests ?? {}) };
  const positive = (list: Readonly<Record<string, string | number>>): Effective['requests'] => {
    const out: Effective['requests'] = {};
    for (const resource of QOS_RESOURCES) {
      const raw = list[resource];
      if (raw === undefined) continue;
      const nanos = parseQuantityNanos(raw);
      if (nanos > 0n) out[resource] = { raw, nanos };
    }
    return out;
  };
  return { name: container.name ?? `#${index}`, requests: positive(requests), limits: positive(limits) };
}

/**
 * Computes the QoS class of a pod from its containers and init containers (ephemeral
 * containers cannot set resources and do not count), with the reason.
 *
 * Follows `ComputePodQOS`: only cpu and memory count; a limit without a request defaults the
 * request to the limit; zero quantities are ignored. BestEffort when nothing is set;
 * Guaranteed when every container has positive cpu and memory limits and, summed over all
 * containers, requests equal limits for every resource; Burstable otherwise.
 *
 * @throws QuantityError when a cpu or memory value is not a Kubernetes quantity.
 */
export function explainQosClass(containers: readonly QosContainer[]): QosExplanation {
  const effective = containers.map(effectiveResources);
  const requested = new Map<QosResource, bigint>();
  const limited = new Map<QosResource, bigint>();
  for (const container of effective) {
    for (const resource of QOS_RESOURCES) {
      const request = container.requests[resource];
      const limit = container.limits[resource];
      if (request) requested.set(resource, (requested.get(resource) ?? 0n) + request.nanos);
      if (limit) limited.set(resource, (limited.get(resource) ?? 0n) + limit.nanos);
    }
  }
  if (requested.size === 0 && limited.size === 0) {
    return { qosClass: QosClass.BEST_EFFORT, reason: 'no container sets a cpu or memory request or limit' };
  }

  const missingLimits = effective.flatMap((container, i) => QOS_RESOURCES
    .filter((resource) => !container.limits[resource])
    .map((resource) => containers[i]?.resources?.limits?.[resource] === undefined
      ? `container '${container.name}' has no ${resource} limit`
      : `container '${container.name}' has a zero ${resource} limit`));
  if (missingLimits.length > 0) {
    return { qosClass: QosClass.BURSTABLE, reason: missingLimits.join('; ') };
  }

  const unequal = QOS_RESOURCES.filter((resource) => requested.get(resource) !== limited.get(resource));
  if (unequal.length > 0) {
    const differences = effective.flatMap((container) => unequal
      .filter((resource) => container.requests[resource]?.nanos !== container.limits[resource]?.nanos)
      .map((resource) => {
        const request = container.requests[resource];
        const limit = container.limits[resource];
        return `container '${container.name}' requests ${resource} ${request ? String(request.raw) : '0'} but limits it to ${String(limit?.raw)}`;
      }));
    return { qosClass: QosClass.BURSTABLE, reason: differences.join('; ') };
  }
  return { qosClass: QosClass.GUARANTEED, reason: 'every container has cpu and memory limits equal to its requests' };
}

/**
 * Computes the QoS class of a pod from its containers and init containers, exactly as the API
 * server does. See {@link explainQosClass}.
 *
 * @throws QuantityError when a cpu or memory value is not a Kubernetes quantity.
 */
export function computeQosClass(containers: readonly QosContainer[]): QosClass {
  return explainQosClass(containers).qosClass;
}
