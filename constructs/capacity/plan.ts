/**
 * The capacity planner: will an environment's workloads fit its node pools, at rest and at
 * its worst moments, and what does it cost?
 *
 * Scenarios, each simulated pod by pod with the scheduler model (scheduler.ts):
 * - **steady**: the replicas the manifests ask for, on the nodes the pools start with
 *   (`desired`). What the first deploy gets.
 * - **peak**: every HorizontalPodAutoscaler at its maximum; pools that autoscale grow from
 *   `min` up to `max` as a cluster autoscaler would (a node at a time, in the pool that
 *   wastes least). An EKS pool is a node group per zone: it grows in the zone where the
 *   pending pod fits, trying the zones with the fewest nodes first (balance-similar-node-groups),
 *   each zone up to its own share of `max`. A pool of one group over several zones (AKS)
 *   adds nodes to its zones round-robin, wherever the pod needs to be.
 * - **rollout**: each Deployment's rolling update, its `maxSurge` new pods on top of the
 *   steady state. With `maxUnavailable: 0` a surge pod that does not fit stalls the rollout
 *   (and a rollback); otherwise the rollout only slows down, which is reported as a warning.
 * - **zone loss** (clusters over two or more zones): each zone in turn lost, the remaining
 *   zones' pools growing up to `max`. An error for production environments, a warning
 *   otherwise.
 *
 * Per pool it reports requested and allocatable CPU, memory and pod slots at rest, the
 * smallest node count that fits at rest and at peak (pools grown from `min`), and the
 * monthly cost from an on-demand price table.
 */
import type { Environment } from '../environment/load.js';
import type { ManifestObject } from '../core/manifest.js';
import { clusterAddOns } from './add-ons.js';
import { UnknownMachineTypeError, nodeOf, poolShapes, startingNodes, type NodeShape, type PoolShape, type Resources, type ZoneShare } from './nodes.js';
import { DEFAULT_PRICES, HOURS_PER_MONTH, hourlyPrice, type PriceTable } from './prices.js';
import { ClusterState, matchesNodeAffinity, untoleratedTaint, type Pod } from './scheduler.js';
import { workloadsOf, type Uncounted, type Workload } from './workloads.js';

/** What the planner takes besides the environment and its manifests. */
export interface CapacityOptions {
  /**
   * The cluster's own pods.
   * @default - the managed add-ons of the environment's cloud (`clusterAddOns(env.cloud)`)
   */
  readonly addOns?: readonly ManifestObject[];
  /**
   * Prices for the cost estimate.
   * @default DEFAULT_PRICES
   */
  readonly prices?: PriceTable;
  /**
   * Pool shapes to plan on instead of the environment's (what-if sizing, tests).
   * @default - the shapes of the environment's pools (`poolShapes(env)`)
   */
  readonly pools?: readonly PoolShape[];
}

/** How bad a failed scenario is: an `error` fails the plan, a `warning` is reported. */
export type Severity = 'error' | 'warning';

/** A pod no node would take. */
export interface PendingPod {
  /** The pod's name. */
  readonly pod: string;
  /** `Kind/namespace/name` of the workload it belongs to. */
  readonly workload: string;
  /** The pools whose nodes it could run on by node selector and taints. */
  readonly pools: readonly string[];
  /** The scheduler's words: `0/3 nodes are available: 3 Too many pods.` */
  readonly message: string;
}

/** The outcome of one scenario. */
export interface ScenarioResult {
  /** `steady`, `peak`, `rollout <workload>` or `zone <zone> lost`. */
  readonly name: string;
  /** Whether every pod of the scenario found a node. */
  readonly fits: boolean;
  /** How bad it is when it does not fit. */
  readonly severity: Severity;
  /** The pods no node would take. */
  readonly pending: readonly PendingPod[];
  /** Nodes per pool in the scenario. */
  readonly nodes: Readonly<Record<string, number>>;
  /** What a failure means, in a sentence. */
  readonly consequence: string;
}

/** One pool's line of the capacity table. */
export interface PoolReport {
  /** The pool's name. */
  readonly pool: string;
  /** The pool's EC2 instance type or Azure VM size. */
  readonly machineType: string;
  /** True for spot capacity. */
  readonly spot: boolean;
  /** The pool's minimum node count. */
  readonly min: number;
  /** The pool's node count at rest. */
  readonly desired: number;
  /** The pool's maximum node count. */
  readonly max: number;
  /** What one node offers pods. */
  readonly allocatable: Resources;
  /** Requested by the pods on the pool's nodes at rest. */
  readonly requested: Resources;
  /** The pool's total at rest (`desired` nodes). */
  readonly available: Resources;
  /** The smallest node count that fits at rest, or undefined when even `max` does not. */
  readonly smallestSteady: number | undefined;
  /** The smallest node count that fits at peak, or undefined when even `max` does not. */
  readonly smallestPeak: number | undefined;
  /** Hourly on-demand price of one node, when the price table has it. */
  readonly hourly: number | undefined;
}

/** A problem found, one line each. */
export interface CapacityProblem {
  /** How bad the problem is. */
  readonly severity: Severity;
  /** The name of the scenario it was found in, or `pools` when the pools could not be planned. */
  readonly scenario: string;
  /** The problem, in a sentence. */
  readonly message: string;
}

/** Everything the planner found. */
export interface CapacityPlan {
  /** The environment's name. */
  readonly environment: string;
  /** The environment's cloud. */
  readonly cloud: Environment['cloud'];
  /** The environment's region. */
  readonly region: string;
  /** The environment's tier. */
  readonly tier: Environment['tier'];
  /** The outcome of each scenario, steady state first. */
  readonly scenarios: readonly ScenarioResult[];
  /** One line per pool of the capacity table. */
  readonly pools: readonly PoolReport[];
  /** Objects whose pods the planner cannot know. */
  readonly uncounted: readonly Uncounted[];
  /** Every problem found, one line each. */
  readonly problems: readonly CapacityProblem[];
  /**
   * Where the cost estimate's prices come from, their currency and the control plane's hourly
   * price.
   */
  readonly prices: { readonly source: string; readonly asOf: string; readonly currency: string; readonly controlPlaneHourly: number };
  /** True when no scenario fails with an error. */
  readonly fits: boolean;
}

interface Simulation {
  readonly state: ClusterState;
  readonly pending: PendingPod[];
  readonly counts: Map<string, number>;
}

interface SimulationInput {
  readonly shapes: readonly PoolShape[];
  /** Which size each pool starts with (split over its zone groups, when it has them). */
  readonly start: (shape: PoolShape) => 'min' | 'desired';
  /** Whether a pool may add nodes (up to its max) when a pod does not fit. */
  readonly grows: (shape: PoolShape) => boolean;
  readonly lostZone?: string;
  readonly workloads: readonly Workload[];
  readonly replicas: (workload: Workload) => number;
}

/** The pod of a workload: template labels plus the revision label its controller adds. */
function podOf(workload: Workload, index: number, name: string, revision = 'current', node?: string): Pod {
  const labels = workload.kind === 'Deployment'
    ? { ...workload.template.labels, 'pod-template-hash': `${index}-${revision}` }
    : workload.template.labels;
  return { workload: workload.id, name, template: workload.template, labels, ...(node !== undefined && { node }) };
}

/** Whether a pod could run on a pool's nodes at all, in one of its zones (node selector, affinity, taints). */
function poolAccepts(shape: PoolShape, pod: Pod): boolean {
  if (untoleratedTaint(shape.taints, pod.template.tolerations) !== undefined) return false;
  const zones = shape.zones.length > 0 ? shape.zones.map((zone) => [zone]) : [shape.zones];
  return zones.some((zone) => matchesNodeAffinity({ ...pod, node: undefined }, nodeOf(shape, 0, zone)));
}

const ZONE_LABEL = 'topology.kubernetes.io/zone';

class Simulator {
  readonly state = new ClusterState();
  readonly pending: PendingPod[] = [];
  readonly counts = new Map<string, number>();
  /** Nodes per pool and zone (`<pool> <zone>`), for the zone groups' maxes. */
  private readonly zoneCounts = new Map<string, number>();
  private readonly nextIndex = new Map<string, number>();
  private readonly daemons: { workload: Workload; index: number }[];

  constructor(private readonly input: SimulationInput) {
    this.daemons = input.workloads.map((workload, index) => ({ workload, index })).filter((d) => d.workload.daemon);
  }

  private zonesOf(shape: PoolShape): readonly string[] {
    return shape.zones.filter((zone) => zone !== this.input.lostZone);
  }

  /** Starts each pool; nodes in a lost zone are gone. */
  startNodes(): void {
    for (const shape of this.input.shapes) {
      const nodes = startingNodes(shape, this.input.start(shape));
      this.nextIndex.set(shape.pool, nodes.length);
      this.counts.set(shape.pool, 0);
      for (const node of nodes) {
        if (this.input.lostZone !== undefined && node.labels[ZONE_LABEL] === this.input.lostZone) continue;
        this.addNode(this.state, node);
      }
    }
  }

  private addNode(state: ClusterState, node: NodeShape, record = true): void {
    state.addNode(node);
    if (record) {
      this.counts.set(node.pool, (this.counts.get(node.pool) ?? 0) + 1);
      const zoneKey = `${node.pool} ${node.labels[ZONE_LABEL] ?? ''}`;
      this.zoneCounts.set(zoneKey, (this.zoneCounts.get(zoneKey) ?? 0) + 1);
    }
    for (const { workload, index } of this.daemons) {
      const pod = podOf(workload, index, `${workload.name}-${node.name}`, 'current', node.name);
      if (!matchesNodeAffinity(pod, node) || untoleratedTaint(node.taints, pod.template.tolerations)) continue;
      const result = state.schedule(pod);
      if ('message' in result && record) this.recordPending(pod, result.message);
    }
  }

  private recordPending(pod: Pod, message: string): void {
    const pools = this.input.shapes.filter((shape) => poolAccepts(shape, pod)).map((shape) => shape.pool);
    this.pending.push({ pod: pod.name, workload: pod.workload, pools, message });
  }

  /**
   * The zone groups of a pool that may add a node, fewest nodes first (the autoscaler
   * keeps similar groups balanced), ties in zone order: round-robin while they stay even.
   */
  private growableZones(shape: PoolShape, groups: readonly ZoneShare[]): ZoneShare[] {
    const count = (group: ZoneShare) => this.zoneCounts.get(`${shape.pool} ${group.zone}`) ?? 0;
    return groups
      .filter((group) => group.zone !== this.input.lostZone && count(group) < group.max)
      .map((group, order) => ({ group, order, count: count(group) }))
      .sort((a, b) => a.count - b.count || a.order - b.order)
      .map(({ group }) => group);
  }

  /**
   * The node a pool would add for the pod: with zone groups, a node in the first zone
   * (growableZones' order) where the pod fits; otherwise the next node round-robin, if the
   * pod fits on it. Undefined when the pool cannot add one that takes the pod.
   */
  private poolNodeFor(shape: PoolShape, pod: Pod): { node: NodeShape; trial: ClusterState } | undefined {
    const index = this.nextIndex.get(shape.pool) ?? 0;
    const candidates: NodeShape[] = [];
    if (shape.zoneGroups) {
      for (const group of this.growableZones(shape, shape.zoneGroups)) candidates.push(nodeOf(shape, index, [group.zone]));
    } else {
      const zones = this.zonesOf(shape);
      if ((this.counts.get(shape.pool) ?? 0) >= shape.max || (shape.zones.length > 0 && zones.length === 0)) return undefined;
      candidates.push(nodeOf(shape, index, zones));
    }
    for (const node of candidates) {
      const trial = this.state.clone();
      this.addNode(trial, node, false);
      if (trial.fits(pod, node.name)) return { node, trial };
    }
    return undefined;
  }

  /** A new node of the pool that would take the pod, the one wasting least; undefined when none. */
  private growFor(pod: Pod): NodeShape | undefined {
    let best: { node: NodeShape; waste: number } | undefined;
    for (const shape of this.input.shapes) {
      if (!this.input.grows(shape) || !poolAccepts(shape, pod)) continue;
      const found = this.poolNodeFor(shape, pod);
      if (!found) continue;
      const { node, trial } = found;
      const used = trial.usage(node.name);
      const waste = (node.allocatable.cpu - used.cpu - pod.template.requests.cpu) / node.allocatable.cpu +
        (node.allocatable.memory - used.memory - pod.template.requests.memory) / node.allocatable.memory;
      if (!best || waste < best.waste - 1e-9) best = { node, waste };
    }
    return best?.node;
  }

  /** Schedules a pod, growing a pool when it does not fit and growth is allowed. */
  place(pod: Pod): void {
    const result = this.state.schedule(pod);
    if (!('message' in result)) return;
    const node = this.growFor(pod);
    if (node) {
      this.nextIndex.set(node.pool, (this.nextIndex.get(node.pool) ?? 0) + 1);
      this.addNode(this.state, node);
      const retried = this.state.schedule(pod);
      if (!('message' in retried)) return;
      this.recordPending(pod, retried.message);
      return;
    }
    this.recordPending(pod, result.message);
  }

  run(): Simulation {
    this.startNodes();
    this.input.workloads.forEach((workload, index) => {
      if (workload.daemon) return;
      const replicas = this.input.replicas(workload);
      for (let i = 0; i < replicas; i++) this.place(podOf(workload, index, `${workload.name}-${i}`));
    });
    return { state: this.state, pending: this.pending, counts: this.counts };
  }
}

function simulate(input: SimulationInput): Simulation {
  return new Simulator(input).run();
}

function countsRecord(counts: Map<string, number>): Record<string, number> {
  return Object.fromEntries(counts);
}

function scenario(name: string, severity: Severity, consequence: string, sim: Simulation): ScenarioResult {
  return { name, fits: sim.pending.length === 0, severity, pending: sim.pending, nodes: countsRecord(sim.counts), consequence };
}

/** The rolling update of one workload on top of the steady state. */
function rolloutScenario(steady: Simulation, shapes: readonly PoolShape[], workload: Workload, index: number): ScenarioResult | undefined {
  const budget = workload.rollout;
  if (!budget || budget.maxSurge === 0) return undefined;
  const state = steady.state.clone();
  const pending: PendingPod[] = [];
  const surge: Pod[] = [];
  if (workload.daemon) {
    for (const { pod, node } of state.placements()) {
      if (pod.workload === workload.id) surge.push(podOf(workload, index, `${pod.name}-next`, 'next', node.name));
    }
  } else {
    const count = Math.min(budget.maxSurge, Math.max(workload.replicas, 1));
    for (let i = 0; i < count; i++) surge.push(podOf(workload, index, `${workload.name}-next-${i}`, 'next'));
  }
  for (const pod of surge) {
    const result = state.schedule(pod);
    if ('message' in result) {
      pending.push({ pod: pod.name, workload: workload.id, pools: shapes.filter((s) => poolAccepts(s, pod)).map((s) => s.pool), message: result.message });
    }
  }
  const stalls = budget.maxUnavailable === 0;
  return {
    name: `rollout ${workload.id}`,
    fits: pending.length === 0,
    severity: stalls ? 'error' : 'warning',
    pending,
    nodes: countsRecord(steady.counts),
    consequence: stalls
      ? `the rolling update (and a rollback) stalls: maxUnavailable is 0 and ${pending.length} of ${surge.length} surge pod(s) find no node`
      : `the rolling update replaces ${budget.maxUnavailable} pod(s) at a time instead of surging: ${pending.length} of ${surge.length} surge pod(s) find no node`,
  };
}

function poolReports(shapes: readonly PoolShape[], steady: Simulation, sizing: Simulation, peakSizing: Simulation, env: Environment, prices: PriceTable): PoolReport[] {
  return shapes.map((shape) => {
    const requested: { cpu: number; memory: number; pods: number; gpus?: number } = { cpu: 0, memory: 0, pods: 0 };
    for (const { pod, node } of steady.state.placements()) {
      if (node.pool !== shape.pool) continue;
      requested.cpu += pod.template.requests.cpu;
      requested.memory += pod.template.requests.memory;
      requested.pods += 1;
      if (pod.template.requests.gpus) requested.gpus = (requested.gpus ?? 0) + pod.template.requests.gpus;
    }
    const fitsIn = (sim: Simulation) => (sim.pending.length === 0 ? Math.max(sim.counts.get(shape.pool) ?? 0, shape.min) : undefined);
    return {
      pool: shape.pool,
      machineType: shape.machineType,
      spot: shape.spot,
      min: shape.min,
      desired: shape.desired,
      max: shape.max,
      allocatable: shape.allocatable,
      requested,
      available: {
        cpu: shape.allocatable.cpu * shape.desired,
        memory: shape.allocatable.memory * shape.desired,
        pods: shape.allocatable.pods * shape.desired,
        ...(shape.allocatable.gpus && { gpus: shape.allocatable.gpus * shape.desired }),
      },
      smallestSteady: fitsIn(sizing),
      smallestPeak: fitsIn(peakSizing),
      hourly: hourlyPrice(prices, env.cloud, env.region, shape.machineType),
    };
  });
}

/** One line per workload, message and pools: `3 pods of Deployment/apps/api (api-4 … api-6; pool general): …`. */
function problemsOf(scenarios: readonly ScenarioResult[]): CapacityProblem[] {
  const problems: CapacityProblem[] = [];
  for (const s of scenarios) {
    if (s.fits) continue;
    problems.push({ severity: s.severity, scenario: s.name, message: s.consequence });
    const groups = new Map<string, PendingPod[]>();
    for (const p of s.pending) {
      const key = JSON.stringify([p.workload, p.pools, p.message]);
      groups.set(key, [...(groups.get(key) ?? []), p]);
    }
    for (const pods of groups.values()) {
      const [first] = pods;
      if (!first) continue;
      const pools = first.pools.length > 0 ? `pool ${first.pools.join(', ')}` : 'no pool matches its node selector and tolerations';
      const which = pods.length === 1 ? `pod ${first.pod}` : `${pods.length} pods`;
      const names = pods.length === 1 ? '' : `${first.pod} … ${pods[pods.length - 1]!.pod}; `;
      problems.push({ severity: s.severity, scenario: s.name, message: `${which} of ${first.workload} (${names}${pools}): ${first.message}` });
    }
  }
  return problems;
}

/** Plans the environment's capacity for the given manifests (the objects `buildApp(env)` produces). */
export function planCapacity(env: Environment, objects: readonly ManifestObject[], options: CapacityOptions = {}): CapacityPlan {
  const prices = options.prices ?? DEFAULT_PRICES;
  const base = {
    environment: env.name,
    cloud: env.cloud,
    region: env.region,
    tier: env.tier,
    prices: {
      source: prices.source,
      asOf: prices.asOf,
      currency: prices.currency,
      // AKS charges for the control plane on the Standard tier only.
      controlPlaneHourly: env.cloud === 'azure' && env.cluster.tier === 'Free' ? 0 : prices.controlPlane[env.cloud] ?? 0,
    },
  };
  let shapes: readonly PoolShape[];
  try {
    shapes = options.pools ?? poolShapes(env);
  } catch (error) {
    if (!(error instanceof UnknownMachineTypeError)) throw error;
    const problem: CapacityProblem = { severity: 'error', scenario: 'pools', message: `cannot plan: ${error.message}` };
    return { ...base, scenarios: [], pools: [], uncounted: [], problems: [problem], fits: false };
  }
  const addOns = workloadsOf(options.addOns ?? clusterAddOns(env.cloud)).workloads;
  const { workloads: own, uncounted } = workloadsOf(objects);
  const workloads = [...addOns, ...own];
  const common = { shapes, workloads };
  const steadyReplicas = (w: Workload) => w.replicas;
  const peakReplicas = (w: Workload) => w.peakReplicas;

  const steady = simulate({ ...common, start: () => 'desired', grows: () => false, replicas: steadyReplicas });
  const peak = simulate({ ...common, start: (s) => (s.autoscales ? 'min' : 'desired'), grows: (s) => s.autoscales, replicas: peakReplicas });
  const sizing = simulate({ ...common, start: () => 'min', grows: () => true, replicas: steadyReplicas });
  const peakSizing = simulate({ ...common, start: () => 'min', grows: () => true, replicas: peakReplicas });

  const scenarios: ScenarioResult[] = [
    scenario('steady', 'error', 'pods stay Pending on the nodes the pools start with', steady),
    scenario('peak', 'error', 'at their autoscalers\' maximum, pods stay Pending even with every autoscaling pool at its max', peak),
  ];
  // The cloud rolls its own add-ons; the App's workloads are the ones to check.
  own.forEach((workload, i) => {
    const rollout = rolloutScenario(steady, shapes, workload, addOns.length + i);
    if (rollout) scenarios.push(rollout);
  });
  const zones = [...new Set(shapes.flatMap((s) => s.zones))].filter((z) => z !== '0');
  if (zones.length >= 2) {
    for (const zone of zones) {
      const lost = simulate({ ...common, start: () => 'desired', grows: (s) => s.autoscales, lostZone: zone, replicas: steadyReplicas });
      scenarios.push(scenario(`zone ${zone} lost`, env.tier === 'prod' ? 'error' : 'warning', `with zone ${zone} down, pods stay Pending even with the other zones' pools at their max`, lost));
    }
  }
  const problems = problemsOf(scenarios);
  return {
    ...base,
    scenarios,
    pools: poolReports(shapes, steady, sizing, peakSizing, env, prices),
    uncounted,
    problems,
    fits: !problems.some((p) => p.severity === 'error'),
  };
}

/** Monthly cost of `nodes` nodes at an hourly price. */
export function monthly(hourly: number, nodes: number): number {
  return hourly * nodes * HOURS_PER_MONTH;
}
