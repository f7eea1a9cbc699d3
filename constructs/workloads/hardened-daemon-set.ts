/**
 * A DaemonSet on the hardening path every kit pod takes: a node agent on every node, or on
 * the pools it names, updated one node at a time, with the host access a node agent needs
 * (read-only host paths) declared one by one with the reason, as policy exceptions.
 */
import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from '../core/plus.js';
import { PropsValidator } from '../core/errors.js';
import { POOL_LABEL, tolerationsFor, type NodePoolRef } from '../core/placement.js';
import { addFinalTransform } from './_final-patch.js';
import { applyPodHardening, podProps, resolvePod } from './_hardening.js';
import { ingressPolicyFor, ingressRuleFor } from './_protection.js';
import { ingressPeerProblem, type IngressPeer } from './exposure.js';
import type { HashedConfigMap } from './hashed-config-map.js';
import { TopologySpread, type HardenedPodProps } from './options.js';
import type { QosClass } from '../core/qos.js';
import { EXCEPTION_ANNOTATION_PREFIX } from '../core/exceptions.js';

/** The defaults of {@link HardenedDaemonSetProps}. */
export const DAEMON_SET_DEFAULTS = {
  maxUnavailable: 1,
  minReadySeconds: 10,
} as const;

/** A directory of the node the agent reads (log files, the container runtime's state). */
export interface HostPathMount {
  /** The directory on the node. */
  readonly hostPath: string;
  /** Where the main container sees it. */
  readonly mountPath: string;
  /** Why the agent needs it: recorded as the reason of the `pss-host-path-volumes` and `pss-volume-types` exceptions. */
  readonly reason: string;
}

/** Properties of {@link HardenedDaemonSet}. */
export interface HardenedDaemonSetProps extends Omit<HardenedPodProps, 'placement' | 'topologySpread'> {
  /**
   * The pools whose nodes run the agent: `'all'` runs it on every node, tainted or not; a
   * list of pools (`nodePool(env, name)`) runs it on theirs, tolerating their taints.
   * @default 'all'
   */
  readonly pools?: 'all' | readonly NodePoolRef[];
  /**
   * Nodes updated at once in a rolling update (a count, or `'N%'`).
   * @default 1
   */
  readonly maxUnavailable?: number | string;
  /**
   * Host directories the agent reads, each mounted read-only and declared with its reason.
   * @default - none
   */
  readonly hostPaths?: readonly HostPathMount[];
  /**
   * Who may connect to the agents, on their ports (a metrics scraper).
   * @default - no one
   */
  readonly allowIngressFrom?: readonly IngressPeer[];
  /**
   * Seconds an updated agent must be ready before the next node is updated.
   * @default 10
   */
  readonly minReadySeconds?: number;
}

/**
 * A DaemonSet hardened by default: the restricted pod of every kit workload on every node
 * (or the named pools), one node updated at a time, host paths only read-only and only with
 * a reason, and a NetworkPolicy that admits only the given peers.
 */
export class HardenedDaemonSet extends Construct {
  /** The DaemonSet (construct id `Resource`). */
  public readonly daemonSet: kplus.DaemonSet;
  /** The DaemonSet's name. */
  public readonly name: string;
  /** The namespace: the one given, else the chart's, if either is set. */
  public readonly namespace?: string;
  /** The QoS class the pods get. */
  public readonly qosClass: QosClass;
  /** The labels that select the agents. */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  /** The NetworkPolicy. */
  public readonly networkPolicy: ApiObject;
  /** The content-hashed ConfigMap, when `config` was given. */
  public readonly config?: HashedConfigMap;

  constructor(scope: Construct, id: string, props: HardenedDaemonSetProps) {
    super(scope, id);
    const v = new PropsValidator('HardenedDaemonSet', this);
    const loose = props as HardenedDaemonSetProps & Record<string, unknown>;
    for (const field of ['placement', 'topologySpread', 'replicas']) {
      if (loose[field] !== undefined) throw v.error({ field, problem: 'is not a prop of a DaemonSet: it runs one pod on each node of its pools', expected: field === 'placement' ? 'pools' : `no ${field}` });
    }
    const pod = { ...props, topologySpread: TopologySpread.NONE } as HardenedPodProps;
    const resolved = resolvePod(v, this, pod);
    this.name = resolved.name;
    this.qosClass = resolved.qosClass;
    const namespace = props.namespace ?? Chart.of(this).namespace;
    if (namespace !== undefined) this.namespace = namespace;

    const pools = props.pools ?? 'all';
    if (pools !== 'all') {
      if (pools.length === 0) throw v.error({ field: 'pools', problem: 'is empty, so the agent would run nowhere', expected: "'all', or at least one pool" });
      const names = pools.map((p) => p.name);
      if (new Set(names).size !== names.length) throw v.error({ field: 'pools', value: names, problem: 'names a pool twice', expected: 'each pool once' });
    }
    const maxUnavailable = props.maxUnavailable ?? DAEMON_SET_DEFAULTS.maxUnavailable;
    if (typeof maxUnavailable === 'number' ? !Number.isInteger(maxUnavailable) || maxUnavailable < 1 : !/^([1-9]\d?|100)%$/.test(maxUnavailable)) {
      throw v.error({ field: 'maxUnavailable', value: maxUnavailable, problem: 'is not a number of nodes >= 1 or a percentage from 1% to 100%', expected: "e.g. 1 or '10%'" });
    }
    const minReadySeconds = props.minReadySeconds ?? DAEMON_SET_DEFAULTS.minReadySeconds;
    v.wholeNumber('minReadySeconds', minReadySeconds, 0);
    const hostPaths = props.hostPaths ?? [];
    hostPaths.forEach((mount, i) => {
      for (const field of ['hostPath', 'mountPath'] as const) {
        if (!mount[field].startsWith('/')) throw v.error({ field: `hostPaths[${i}].${field}`, value: mount[field], problem: 'must be an absolute path' });
      }
      if (mount.reason.trim() === '') throw v.error({ field: `hostPaths[${i}].reason`, problem: 'is empty', expected: 'why the agent reads this directory of the node' });
    });
    const allowIngressFrom = props.allowIngressFrom ?? [];
    allowIngressFrom.forEach((peer, i) => {
      const problem = ingressPeerProblem(peer);
      if (problem) throw v.error({ field: `allowIngressFrom[${i}]`, problem });
    });

    const metadata = { name: this.name, ...(props.namespace !== undefined && { namespace: props.namespace }), labels: { ...resolved.labels } };
    this.daemonSet = new kplus.DaemonSet(this, 'Resource', { metadata, minReadySeconds, ...podProps(pod, resolved, this) });
    const config = applyPodHardening({ kind: 'HardenedDaemonSet', scope: this, workload: this.daemonSet, props: pod, resolved });
    if (config) this.config = config;
    this.selectorLabels = this.daemonSet.matchLabels;

    // Where it runs, its update strategy and its host paths: written on the final JSON (cdk8s-plus-27 has no props for them).
    const tolerations = pools === 'all' ? [{ operator: 'Exists' }] : pools.flatMap((p) => tolerationsFor(p.taints));
    const affinity = pools === 'all' ? undefined : {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: POOL_LABEL, operator: 'In', values: pools.map((p) => p.name) }] }] } },
    };
    const volumes = hostPaths.map((mount, i) => ({ name: `host-${i}`, hostPath: { path: mount.hostPath, type: 'Directory' } }));
    const mounts = hostPaths.map((mount, i) => ({ name: `host-${i}`, mountPath: mount.mountPath, readOnly: true }));
    addFinalTransform(ApiObject.of(this.daemonSet), (json) => {
      const spec = (json as { spec: Record<string, unknown> & { template: { spec: Record<string, unknown> & { containers: Record<string, unknown>[] } } } }).spec;
      spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable, maxSurge: 0 } };
      const podSpec = spec.template.spec;
      podSpec.tolerations = [...structuredClone(tolerations), ...((podSpec.tolerations as unknown[] | undefined) ?? [])];
      if (affinity) podSpec.affinity = structuredClone(affinity);
      if (volumes.length > 0) {
        podSpec.volumes = [...((podSpec.volumes as unknown[] | undefined) ?? []), ...structuredClone(volumes)];
        const main = podSpec.containers[0]!;
        main.volumeMounts = [...((main.volumeMounts as unknown[] | undefined) ?? []), ...structuredClone(mounts)];
      }
      return json;
    });
    if (hostPaths.length > 0) {
      const reason = hostPaths.map((m) => `${m.hostPath}: ${m.reason}`).join('; ');
      for (const rule of ['pss-host-path-volumes', 'pss-volume-types']) this.daemonSet.metadata.addAnnotation(`${EXCEPTION_ANNOTATION_PREFIX}${rule}`, `reads ${reason}`);
    }
    this.networkPolicy = ingressPolicyFor(this, metadata, this.selectorLabels, allowIngressFrom.length > 0 ? [ingressRuleFor(allowIngressFrom, resolved.ports)] : []);
  }
}
