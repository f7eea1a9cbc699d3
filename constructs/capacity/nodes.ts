/**
 * The nodes an environment's pools are made of, as the scheduler sees them: allocatable CPU,
 * memory and pod slots (capacity minus what the kubelet keeps back), labels and taints.
 *
 * Reservations follow what each cloud's node image configures:
 * - EKS (Amazon Linux 2023, `nodeadm`): kube-reserved CPU of 6% of the first core, 1% of the
 *   second, 0.5% of the third and fourth and 0.25% of every further core; kube-reserved memory
 *   of 11 MiB per pod slot plus 255 MiB; eviction at 100 MiB available.
 * - AKS (1.29 and later): kube-reserved CPU from the AKS table by core count; kube-reserved
 *   memory of 20 MiB per pod slot plus 50 MiB, or 25% of the memory if that is less; eviction
 *   at 100 MiB available.
 *
 * Pod slots: the pool's `maxPods`, bounded on EKS by what the VPC CNI can address. Without
 * prefix delegation that is the type's max pods M (`ENIs × (addresses per ENI − 1) + 2`, from
 * the VPC CNI's eni-max-pods.txt). The kit's clusters turn prefix delegation on (a /28 prefix,
 * 16 addresses, per ENI slot), so the bound is `(M − 2) × 16 + 2`, capped at 110 below 30
 * vCPUs and 250 above.
 *
 * Memory is the machine's nominal size; the kubelet reports a little less (what the kernel
 * keeps), so a plan that is tight on memory to the last few percent is optimistic.
 */
import { CONFIG_NAMESPACE, type Environment } from '../environment/load.js';
import { isArmInstanceType } from '../environment/rules.js';
import { poolLabels, poolTaints } from '../environment/gpu.js';
import { declaredMachineTypeKey, machineSize, machineTypeOf, type MachineSize } from '../environment/machine-types.js';
import { POOL_LABEL, type AwsNodePool, type AzureNodePool } from '../environment/schema.js';
import { zoneGroups } from '../environment/zone-groups.js';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** CPU in millicores, memory in bytes, pods in slots. */
export interface Resources {
  /** CPU in millicores. */
  readonly cpu: number;
  /** Memory in bytes. */
  readonly memory: number;
  /** Pod slots. */
  readonly pods: number;
  /**
   * NVIDIA GPUs (`nvidia.com/gpu`, an extended resource the device plugin advertises).
   * @default - none
   */
  readonly gpus?: number;
}

/** A node taint. */
export interface Taint {
  /** The taint's key. */
  readonly key: string;
  /**
   * The taint's value.
   * @default - no value: the taint is matched by key and effect alone.
   */
  readonly value?: string;
  /** `NoSchedule`, `PreferNoSchedule` or `NoExecute`. */
  readonly effect: string;
}

/** The shape every node of a pool has, and how far the pool may scale. */
export interface PoolShape {
  /** The pool's name, as the stack file gives it. */
  readonly pool: string;
  /** The pool's EC2 instance type or Azure VM size. */
  readonly machineType: string;
  /** What one node has, before the kubelet's reservations. */
  readonly capacity: Resources;
  /** What one node offers pods: capacity minus kube-reserved and the eviction threshold. */
  readonly allocatable: Resources;
  /** Labels every node of the pool carries (its zone label is added per node). */
  readonly labels: Readonly<Record<string, string>>;
  /** Taints every node of the pool carries. */
  readonly taints: readonly Taint[];
  /** The zone label values the pool's nodes are spread over, in order; empty when none. */
  readonly zones: readonly string[];
  /** The pool's minimum node count. */
  readonly min: number;
  /** The pool's node count at rest. */
  readonly desired: number;
  /** The pool's maximum node count. */
  readonly max: number;
  /** Whether the pool grows and shrinks between min and max with demand. */
  readonly autoscales: boolean;
  /**
   * The pool's node groups by zone, when it has one per zone (EKS, stacks/eks.ts): each
   * starts with its share of min or desired and grows in its own zone up to its own max.
   * @default - one group over all the pool's zones (AKS): nodes go to the zones round-robin,
   *   the zone of a new node chosen by the group, not by the pod that needs it.
   */
  readonly zoneGroups?: readonly ZoneShare[];
  /** True for spot capacity, priced and reclaimed differently. */
  readonly spot: boolean;
}

/** One zone's node group of a pool: its zone label value and its share of min, desired and max. */
export interface ZoneShare {
  /** The zone label value of the group's nodes. */
  readonly zone: string;
  /** The group's share of the pool's `min`. */
  readonly min: number;
  /** The group's share of the pool's `desired`. */
  readonly desired: number;
  /** The group's share of the pool's `max`. */
  readonly max: number;
}

/** One node of a pool. */
export interface NodeShape {
  /** The node's name, `<pool>-<index>`. */
  readonly name: string;
  /** The name of the pool the node belongs to. */
  readonly pool: string;
  /** What the node offers pods. */
  readonly allocatable: Resources;
  /** What the node has, before the kubelet's reservations. */
  readonly capacity: Resources;
  /** The pool's labels plus the node's hostname and zone labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** The pool's taints. */
  readonly taints: readonly Taint[];
}

/** Thrown when a pool's machine type is one the kit has no size for, and the stack file declares none. */
export class UnknownMachineTypeError extends Error {
  constructor(
    /** Where the machine type is set: `<file>: k8s-platform-kit:cluster.nodePools[0].vmSize`. */
    readonly key: string,
    /** The pool's name. */
    readonly pool: string,
    /** The machine type the kit has no size for. */
    readonly machineType: string,
    /** The environment's cloud. */
    readonly cloud: Environment['cloud'] = 'aws',
  ) {
    const declared = `${CONFIG_NAMESPACE}:${declaredMachineTypeKey(machineType)}`;
    const expected = cloud === 'aws'
      ? `an EC2 instance type the kit knows (constructs/imports/ec2-instance-types.ts) or one declared under ${declared} with cpu, memoryGiB and maxPods`
      : `an Azure VM size the kit knows (MACHINE_SIZES in constructs/environment/machine-types.ts) or one declared under ${declared} with cpu and memoryGiB`;
    super(`${key}: got '${machineType}' (pool '${pool}'); expected ${expected}`);
    this.name = 'UnknownMachineTypeError';
  }
}

/**
 * The VPC CNI's bound on pods per node, for an EC2 machine: its max pods M without prefix
 * delegation; with it `(M − 2) × 16 + 2`, capped at 110 below 30 vCPUs and 250 above.
 * Undefined for a machine without an ENI bound (Azure sizes).
 */
export function eniMaxPods(size: MachineSize, prefixDelegation: boolean): number | undefined {
  const max = size.maxPods ?? (size.network && size.network.enis * (size.network.ipv4PerEni - 1) + 2);
  if (max === undefined) return undefined;
  if (!prefixDelegation) return max;
  return Math.min((max - 2) * 16 + 2, size.cpu < 30 ? 110 : 250);
}

/** kube-reserved CPU (millicores) on EKS nodes. */
export function eksReservedCpu(cores: number): number {
  const tiers: readonly [number, number][] = [[1, 60], [1, 10], [2, 5]];
  let reserved = 0;
  let left = cores;
  for (const [count, perCore] of tiers) {
    const used = Math.min(left, count);
    reserved += used * perCore;
    left -= used;
  }
  return reserved + left * 2.5;
}

/** kube-reserved CPU (millicores) on AKS nodes, by core count. */
const AKS_RESERVED_CPU: readonly [number, number][] = [[1, 60], [2, 100], [4, 140], [8, 180], [16, 260], [32, 420], [64, 740]];

/** kube-reserved CPU in millicores of an AKS node with `cores` cores, from the AKS table. */
export function aksReservedCpu(cores: number): number {
  let reserved = AKS_RESERVED_CPU[0]![1];
  for (const [atLeast, millicores] of AKS_RESERVED_CPU) if (cores >= atLeast) reserved = millicores;
  return reserved;
}

const EVICTION_HARD_MEMORY = 100 * MIB;

/** What a node of this size and pod count offers pods, on the given cloud. */
export function allocatableOf(cloud: Environment['cloud'], size: MachineSize, pods: number): { capacity: Resources; allocatable: Resources } {
  const memory = size.memoryGiB * GIB;
  const gpus = size.gpus ?? 0;
  const capacity = { cpu: size.cpu * 1000, memory, pods, ...(gpus > 0 && { gpus }) };
  const reservedCpu = cloud === 'aws' ? eksReservedCpu(size.cpu) : aksReservedCpu(size.cpu);
  const reservedMemory = cloud === 'aws' ? (11 * pods + 255) * MIB : Math.min((20 * pods + 50) * MIB, memory / 4);
  return {
    capacity,
    allocatable: {
      cpu: Math.floor(capacity.cpu - reservedCpu),
      memory: Math.max(0, memory - reservedMemory - EVICTION_HARD_MEMORY),
      pods,
      ...(gpus > 0 && { gpus }),
    },
  };
}

/** The zone label value a node in `zone` carries. */
function zoneLabel(env: Environment, zone: string): string {
  return env.cloud === 'azure' ? `${env.region}-${zone}` : zone;
}

/** The shape of one pool of the environment. */
export function poolShape(env: Environment, pool: AwsNodePool | AzureNodePool): PoolShape {
  const machineType = machineTypeOf(pool);
  // Shapes declared in the stack file first; declaring a type the kit knows is rejected on load.
  const size = machineSize(machineType, env.cluster.machineTypes);
  if (!size) {
    const index = env.cluster.nodePools.findIndex((p) => p.name === pool.name);
    const field = 'instanceTypes' in pool ? 'instanceTypes[0]' : 'vmSize';
    throw new UnknownMachineTypeError(`${env.source}: ${CONFIG_NAMESPACE}:cluster.nodePools[${index}].${field}`, pool.name, machineType, env.cloud);
  }
  // The kit's EKS clusters run the VPC CNI with prefix delegation (stacks/eks.ts); on AKS only
  // a declared size's maxPods bounds the pool's.
  const bound = env.cloud === 'aws' ? eniMaxPods(size, true) : size.maxPods;
  const pods = bound === undefined ? pool.maxPods : Math.min(pool.maxPods, bound);
  const { capacity, allocatable } = allocatableOf(env.cloud, size, pods);
  const zones = (pool.zones ?? env.cluster.zones).map((zone) => zoneLabel(env, zone));
  const arch = env.cloud === 'aws' ? size.arch ?? (isArmInstanceType(machineType) ? 'arm64' : 'amd64') : 'amd64';
  const awsPool = 'instanceTypes' in pool ? pool : undefined;
  const azurePool = 'vmSize' in pool ? pool : undefined;
  return {
    pool: pool.name,
    machineType,
    capacity,
    allocatable,
    labels: {
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': arch,
      'node.kubernetes.io/instance-type': machineType,
      'topology.kubernetes.io/region': env.region,
      ...(azurePool && { 'kubernetes.azure.com/mode': azurePool.mode }),
      ...(awsPool?.capacity === 'spot' && { 'eks.amazonaws.com/capacityType': 'SPOT' }),
      [POOL_LABEL]: pool.name,
      ...(awsPool && env.cloud === 'aws' ? poolLabels(awsPool, env.cluster) : pool.labels),
    },
    taints: awsPool && env.cloud === 'aws' ? poolTaints(awsPool, env.cluster) : pool.taints,
    // AKS labels nodes outside availability zones with zone "0".
    zones: zones.length > 0 ? zones : env.cloud === 'azure' ? ['0'] : [],
    min: pool.min,
    desired: pool.desired,
    max: pool.max,
    // A pool grows only where something grows it: AKS's own autoscaler on pools with
    // autoscale on; on EKS the Cluster Autoscaler the platform installs (addons.autoscaler).
    autoscales: pool.min < pool.max && (azurePool ? azurePool.autoscale : env.cloud === 'aws' && env.cluster.addons.autoscaler === 'cluster-autoscaler'),
    spot: awsPool?.capacity === 'spot',
    // EKS pools are a node group per zone, split as the stack splits them.
    ...(awsPool && env.cloud === 'aws' && {
      zoneGroups: zoneGroups(awsPool, env.cluster).map(({ zone, min, desired, max }) => ({ zone: zoneLabel(env, zone), min, desired, max })),
    }),
  };
}

/** The shapes of every pool of the environment, in configuration order. */
export function poolShapes(env: Environment): PoolShape[] {
  return env.cluster.nodePools.map((pool) => poolShape(env, pool));
}

/**
 * Node `index` of a pool: named `<pool>-<index>`, in the given zones round-robin (as a
 * group over several zones balances them); pass one zone to place it there.
 */
export function nodeOf(shape: PoolShape, index: number, zones: readonly string[] = shape.zones): NodeShape {
  const name = `${shape.pool}-${index}`;
  const zone = zones.length > 0 ? zones[index % zones.length] : undefined;
  return {
    name,
    pool: shape.pool,
    capacity: shape.capacity,
    allocatable: shape.allocatable,
    labels: {
      ...shape.labels,
      'kubernetes.io/hostname': name,
      ...(zone !== undefined && { 'topology.kubernetes.io/zone': zone }),
    },
    taints: shape.taints,
  };
}

/**
 * The nodes a pool starts with at its `min` or `desired`: each zone group's share, handed
 * out a zone at a time (the same order as round-robin when the shares are even); without
 * zone groups that many nodes round-robin over the pool's zones.
 */
export function startingNodes(shape: PoolShape, size: 'min' | 'desired'): NodeShape[] {
  if (!shape.zoneGroups) return Array.from({ length: shape[size] }, (_, i) => nodeOf(shape, i));
  const left = shape.zoneGroups.map((group) => group[size]);
  const nodes: NodeShape[] = [];
  while (left.some((n) => n > 0)) {
    shape.zoneGroups.forEach((group, z) => {
      if ((left[z] ?? 0) <= 0) return;
      left[z] = (left[z] ?? 0) - 1;
      nodes.push(nodeOf(shape, nodes.length, [group.zone]));
    });
  }
  return nodes;
}
