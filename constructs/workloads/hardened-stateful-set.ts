/**
 * A StatefulSet on the hardening path every kit pod takes, with what stateful members need:
 * a headless Service that gives each member its DNS name, volume claim templates on a
 * StorageClass named by object, claims kept when the set is deleted or scaled in, ordered
 * or parallel member management, a PodDisruptionBudget, zone spread, and a NetworkPolicy
 * that admits the members to each other and the given peers to them.
 */
import { ApiObject, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from '../core/plus.js';
import { PropsValidator } from '../core/errors.js';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../core/names.js';
import { compareQuantities, isQuantity } from '../core/quantity.js';
import { addFinalTransform } from './_final-patch.js';
import { NAME_LABEL, applyPodHardening, podProps, resolvePod } from './_hardening.js';
import { disruptionBudgetFor, ingressPolicyFor, ingressRuleFor, type IngressRule } from './_protection.js';
import { DisruptionBudget, podCountProblem } from './availability.js';
import { IngressPeer, ingressPeerProblem } from './exposure.js';
import type { HashedConfigMap } from './hashed-config-map.js';
import type { HardenedPodProps, WorkloadPort } from './options.js';
import type { QosClass } from '../core/qos.js';

/** The defaults of {@link HardenedStatefulSetProps}. */
export const STATEFUL_SET_DEFAULTS = {
  replicas: 3,
  podManagement: 'OrderedReady' as PodManagement,
  claimRetention: { whenDeleted: 'Retain', whenScaled: 'Retain' } as ClaimRetention,
  accessMode: 'ReadWriteOnce' as ClaimAccessMode,
  disruptionBudget: DisruptionBudget.maxUnavailable(1),
  minReadySeconds: 10,
} as const;

/** How members are started and stopped: one at a time in order, or all at once. */
export type PodManagement = 'OrderedReady' | 'Parallel';

/** What happens to a member's claims when the set is deleted, or scaled in past the member. */
export interface ClaimRetention {
  /**
   * On deletion of the StatefulSet.
   * @default 'Retain'
   */
  readonly whenDeleted?: 'Retain' | 'Delete';
  /**
   * On scale-in past the member.
   * @default 'Retain'
   */
  readonly whenScaled?: 'Retain' | 'Delete';
}

/** How a member's volume may be mounted. */
export type ClaimAccessMode = 'ReadWriteOnce' | 'ReadWriteOncePod' | 'ReadOnlyMany' | 'ReadWriteMany';

/** A StorageClass, by object (a `DiskStorageClass`, or any object with its name). */
export interface StorageClassRef {
  /** The StorageClass's name. */
  readonly name: string;
}

/** A volume each member gets a claim of its own for. */
export interface VolumeClaim {
  /** The volume's name (a DNS-1123 label): the claims are `<name>-<set>-<ordinal>`. */
  readonly name: string;
  /** Where the main container mounts it. */
  readonly mountPath: string;
  /** The size each member's claim requests, e.g. `20Gi`. */
  readonly size: string;
  /**
   * The StorageClass, by object.
   * @default - the cluster's default StorageClass
   */
  readonly storageClass?: StorageClassRef;
  /**
   * How the volume may be mounted.
   * @default 'ReadWriteOnce'
   */
  readonly accessMode?: ClaimAccessMode;
}

/** Properties of {@link HardenedStatefulSet}. */
export interface HardenedStatefulSetProps extends HardenedPodProps {
  /**
   * The number of members.
   * @default 3
   */
  readonly replicas?: number;
  /**
   * Members started and stopped one at a time in order (`OrderedReady`), or all at once (`Parallel`).
   * @default 'OrderedReady'
   */
  readonly podManagement?: PodManagement;
  /**
   * The volumes each member gets a claim of its own for.
   * @default - none
   */
  readonly claims?: readonly VolumeClaim[];
  /**
   * What happens to the claims when the set is deleted or scaled in.
   * @default { whenDeleted: 'Retain', whenScaled: 'Retain' } - data is never deleted with the set
   */
  readonly claimRetention?: ClaimRetention;
  /**
   * The PodDisruptionBudget of a set of more than one member.
   * @default DisruptionBudget.maxUnavailable(1)
   */
  readonly disruptionBudget?: DisruptionBudget;
  /**
   * Who may connect to the members, on their ports. The members may always connect to each other.
   * @default - no one else
   */
  readonly allowIngressFrom?: readonly IngressPeer[];
  /**
   * Seconds a new member must be ready before the rollout moves to the next.
   * @default 10
   */
  readonly minReadySeconds?: number;
}

const ACCESS_MODES: readonly ClaimAccessMode[] = ['ReadWriteOnce', 'ReadWriteOncePod', 'ReadOnlyMany', 'ReadWriteMany'];
const RETENTION = ['Retain', 'Delete'] as const;

function checkClaims(v: PropsValidator, claims: readonly VolumeClaim[], setName: string, mounted: ReadonlySet<string>): void {
  const names = new Set<string>();
  claims.forEach((claim, i) => {
    const at = `claims[${i}]`;
    v.check(`${at}.name`, claim.name, (name) => {
      const problem = dns1123LabelProblem(name);
      return problem && `is not a volume name (a DNS-1123 label): it ${problem}`;
    });
    const claimName = `${claim.name}-${setName}-999`;
    if (claimName.length > 63) throw v.error({ field: `${at}.name`, value: claim.name, problem: `makes claim names up to ${claimName.length} characters (${claim.name}-${setName}-<ordinal>), which label their members' volumes; at most 63`, expected: 'a shorter volume or set name' });
    if (names.has(claim.name)) throw v.error({ field: `${at}.name`, value: claim.name, problem: 'is the name of another claim', expected: 'each claim name once' });
    if (['config'].includes(claim.name) || /^writable-\d+$/.test(claim.name)) throw v.error({ field: `${at}.name`, value: claim.name, problem: 'is the name of a volume the kit adds (config, writable-<n>)', expected: 'another name' });
    names.add(claim.name);
    if (!claim.mountPath.startsWith('/')) throw v.error({ field: `${at}.mountPath`, value: claim.mountPath, problem: 'must be an absolute path' });
    const normalized = claim.mountPath.replace(/\/+$/, '') || '/';
    if (mounted.has(normalized)) throw v.error({ field: `${at}.mountPath`, value: claim.mountPath, problem: 'is already mounted (by config, writablePaths, volumes or another claim)', expected: 'each mount path once' });
    (mounted as Set<string>).add(normalized);
    v.check(`${at}.size`, claim.size, (size) => (isQuantity(size) && compareQuantities(size, 0) > 0 ? undefined : 'is not a storage size above zero'), "e.g. '20Gi'");
    if (claim.storageClass !== undefined) {
      v.check(`${at}.storageClass`, claim.storageClass.name, (name) => {
        const problem = dns1123SubdomainProblem(name);
        return problem && `names StorageClass '${name}', which is not a StorageClass name: it ${problem}`;
      });
    }
    if (claim.accessMode !== undefined && !ACCESS_MODES.includes(claim.accessMode)) {
      throw v.error({ field: `${at}.accessMode`, value: claim.accessMode, problem: 'is not an access mode', expected: ACCESS_MODES.join(', ') });
    }
  });
}

/**
 * A StatefulSet hardened by default: the restricted pod of every kit workload, a headless
 * Service (each member reachable as `<set>-<n>.<set>`), one claim per member and volume on
 * the StorageClass given by object, claims retained when the set is deleted or scaled in,
 * members managed in order, a PodDisruptionBudget, zone spread and a NetworkPolicy.
 */
export class HardenedStatefulSet extends Construct {
  /** The StatefulSet (construct id `Resource`). */
  public readonly statefulSet: kplus.StatefulSet;
  /** The headless Service that names the members. */
  public readonly service: kplus.Service;
  /** The set's name (StatefulSet and Service). */
  public readonly name: string;
  /** The namespace: the one given, else the chart's, if either is set. */
  public readonly namespace?: string;
  /** The QoS class the pods get. */
  public readonly qosClass: QosClass;
  /** The number of members. */
  public readonly replicas: number;
  /** The labels that select the members. */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  /** The PodDisruptionBudget, for a set of more than one member. */
  public readonly disruptionBudget?: ApiObject;
  /** The NetworkPolicy. */
  public readonly networkPolicy: ApiObject;
  /** The content-hashed ConfigMap, when `config` was given. */
  public readonly config?: HashedConfigMap;
  /** The members' ports. */
  public readonly ports: readonly WorkloadPort[];

  constructor(scope: Construct, id: string, props: HardenedStatefulSetProps) {
    super(scope, id);
    const v = new PropsValidator('HardenedStatefulSet', this);
    const resolved = resolvePod(v, this, props);
    this.name = resolved.name;
    this.qosClass = resolved.qosClass;
    this.ports = resolved.ports;
    const namespace = props.namespace ?? Chart.of(this).namespace;
    if (namespace !== undefined) this.namespace = namespace;
    if (this.name.length > 52) throw v.error({ field: 'name', value: this.name, problem: `is ${this.name.length} characters; a StatefulSet's pods are named <name>-<ordinal> and labelled with it (controller-revision-hash adds 11), at most 52`, expected: 'a shorter name' });

    const replicas = props.replicas ?? STATEFUL_SET_DEFAULTS.replicas;
    v.wholeNumber('replicas', replicas, 0);
    this.replicas = replicas;
    const podManagement = props.podManagement ?? STATEFUL_SET_DEFAULTS.podManagement;
    if (podManagement !== 'OrderedReady' && podManagement !== 'Parallel') throw v.error({ field: 'podManagement', value: podManagement, problem: 'is not a pod management policy', expected: 'OrderedReady or Parallel' });
    const retention = { ...STATEFUL_SET_DEFAULTS.claimRetention, ...props.claimRetention };
    for (const field of ['whenDeleted', 'whenScaled'] as const) {
      if (!(RETENTION as readonly string[]).includes(retention[field] as string)) throw v.error({ field: `claimRetention.${field}`, value: retention[field], problem: 'is not a retention policy', expected: 'Retain or Delete' });
    }
    const claims = props.claims ?? [];
    if (props.claimRetention !== undefined && claims.length === 0) {
      throw v.error({ field: 'claimRetention', value: props.claimRetention, problem: 'has no effect without claims', expected: 'claims, or no claimRetention' });
    }
    const mounted = new Set([
      ...(props.config ? [(props.configMountPath ?? '/etc/config').replace(/\/+$/, '') || '/'] : []),
      ...(props.writablePaths ?? []).map((p) => p.replace(/\/+$/, '') || '/'),
      ...(props.volumes ?? []).map((volume) => volume.mountPath.replace(/\/+$/, '') || '/'),
    ]);
    claims.forEach((claim, i) => {
      if ((props.volumes ?? []).some((volume) => volume.name === claim.name)) throw v.error({ field: `claims[${i}].name`, value: claim.name, problem: 'is the name of one of the volumes too', expected: 'each volume and claim name once' });
    });
    checkClaims(v, claims, this.name, mounted);
    const minReadySeconds = props.minReadySeconds ?? STATEFUL_SET_DEFAULTS.minReadySeconds;
    v.wholeNumber('minReadySeconds', minReadySeconds, 0);
    const budget = props.disruptionBudget ?? STATEFUL_SET_DEFAULTS.disruptionBudget;
    const replicated = replicas > 1;
    if (props.disruptionBudget !== undefined && !replicated) {
      throw v.error({ field: 'disruptionBudget', value: `${budget.field} ${budget.value}`, problem: `has no effect with ${replicas} member${replicas === 1 ? '' : 's'}`, expected: 'more than one replica, or no disruptionBudget' });
    }
    if (replicated) {
      v.check(`disruptionBudget.${budget.field}`, budget.value, podCountProblem);
      const blocks = budget.blocksEveryDrain(replicas);
      if (blocks) throw v.error({ field: 'disruptionBudget', problem: `${blocks}, which would block every node drain and cluster upgrade`, expected: 'a budget that allows at least one member to be evicted' });
    }
    const allowIngressFrom = props.allowIngressFrom ?? [];
    allowIngressFrom.forEach((peer, i) => {
      const problem = ingressPeerProblem(peer);
      if (problem) throw v.error({ field: `allowIngressFrom[${i}]`, problem });
    });

    const metadata = { name: this.name, ...(props.namespace !== undefined && { namespace: props.namespace }), labels: { ...resolved.labels } };
    this.service = new kplus.Service(this, 'Service', {
      metadata,
      clusterIP: 'None',
      ports: resolved.ports.map((p) => ({
        port: p.number,
        targetPort: p.number,
        ...(p.name !== undefined && { name: p.name }),
        ...(p.protocol !== undefined && { protocol: kplus.Protocol[p.protocol] }),
      })),
    });
    this.statefulSet = new kplus.StatefulSet(this, 'Resource', {
      metadata,
      service: this.service,
      replicas,
      podManagementPolicy: podManagement === 'Parallel' ? kplus.PodManagementPolicy.PARALLEL : kplus.PodManagementPolicy.ORDERED_READY,
      strategy: kplus.StatefulSetUpdateStrategy.rollingUpdate(),
      minReady: Duration.seconds(minReadySeconds),
      ...podProps(props, resolved, this),
    });
    this.service.select(this.statefulSet);
    // Members find each other by name while they start, before they are ready (cdk8s-plus-27 has no prop for it).
    addFinalTransform(ApiObject.of(this.service), (json) => {
      (json as { spec: Record<string, unknown> }).spec.publishNotReadyAddresses = true;
      return json;
    });
    const config = applyPodHardening({ kind: 'HardenedStatefulSet', scope: this, workload: this.statefulSet, props, resolved, revisionLabel: 'controller-revision-hash' });
    if (config) this.config = config;
    this.selectorLabels = this.statefulSet.matchLabels;

    // cdk8s-plus-27 has no claim templates or retention policy: the kit writes them, and the main container's mounts.
    const claimLabels = { [NAME_LABEL]: this.name };
    addFinalTransform(ApiObject.of(this.statefulSet), (json) => {
      const spec = (json as { spec: Record<string, unknown> & { template: { spec: { containers: { volumeMounts?: unknown[] }[] } } } }).spec;
      if (claims.length === 0) return json;
      const main = spec.template.spec.containers[0]!;
      main.volumeMounts = [...(main.volumeMounts ?? []), ...claims.map((c) => ({ name: c.name, mountPath: c.mountPath }))];
      spec.volumeClaimTemplates = claims.map((c) => ({
        metadata: { name: c.name, labels: { ...claimLabels } },
        spec: {
          accessModes: [c.accessMode ?? STATEFUL_SET_DEFAULTS.accessMode],
          ...(c.storageClass !== undefined && { storageClassName: c.storageClass.name }),
          resources: { requests: { storage: c.size } },
        },
      }));
      spec.persistentVolumeClaimRetentionPolicy = { ...retention };
      return json;
    });

    if (replicated) this.disruptionBudget = disruptionBudgetFor(this, metadata, this.selectorLabels, budget);
    // The members reach each other (replication, gossip) and the given peers reach them, on the members' ports.
    const rules: IngressRule[] = [ingressRuleFor([IngressPeer.pods(this.selectorLabels)], resolved.ports)];
    if (allowIngressFrom.length > 0) rules.push(ingressRuleFor(allowIngressFrom, resolved.ports));
    this.networkPolicy = ingressPolicyFor(this, metadata, this.selectorLabels, rules);
  }
}
