/**
 * A model of kube-scheduler's default profile, over simulated nodes: the filters that decide
 * whether a pod fits a node (in the scheduler's order, stopping at the first that fails, as
 * the scheduler does), the scores that choose among the nodes that pass, and the scheduler's
 * own words when none does (`0/3 nodes are available: 3 Too many pods.`).
 *
 * Modelled filters: TaintToleration, NodeAffinity (nodeSelector and required node affinity),
 * NodeResourcesFit (pods, cpu, memory), PodTopologySpread (DoNotSchedule constraints) and
 * InterPodAffinity (required affinity and anti-affinity, the pod's own and existing pods').
 * Scores: least allocated and balanced CPU/memory, topology spread (the pod's ScheduleAnyway
 * constraints, or the scheduler's default spreading over hosts and zones), and
 * PreferNoSchedule taints. Not modelled: preemption, volumes, host ports, priorities.
 */
import type { INodeSelectorRequirement, INodeSelectorTerm, IPodAffinityTerm, ITopologySpreadConstraint, IToleration } from 'kubernetes-models/v1';
import { matchesSelector, type ILabelSelector } from '../core/selector.js';
import type { NodeShape, Taint } from './nodes.js';
import type { PodTemplate, Requests } from './workloads.js';

/** A pod to place, or placed. */
export interface Pod {
  /** The workload's `Kind/namespace/name`. */
  readonly workload: string;
  /** `<workload>-<n>`, unique in the simulation. */
  readonly name: string;
  /** The pod template of the workload the pod belongs to. */
  readonly template: PodTemplate;
  /** The template labels plus what the controller adds (pod-template-hash). */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * DaemonSet pods are bound to one node, as the DaemonSet controller does with node affinity.
   * @default - not bound: the scheduler picks the node
   */
  readonly node?: string;
}

interface NodeState {
  readonly shape: NodeShape;
  cpu: number;
  memory: number;
  gpus: number;
  /** Requests as scored (a pod without requests counts as 100m and 200Mi). */
  scoredCpu: number;
  scoredMemory: number;
  readonly pods: Pod[];
  /** Pods by namespace and label, for selector look-ups. */
  readonly byLabel: Map<string, Pod[]>;
}

/** A pod that found no node, and why, in the scheduler's words. */
export interface Unschedulable {
  /** The pod. */
  readonly pod: Pod;
  /** The scheduler's words: `0/3 nodes are available: 3 Too many pods.` */
  readonly message: string;
}

const MIB = 1024 * 1024;
/** What the scheduler's scoring assumes for a pod that requests nothing. */
const DEFAULT_SCORED: Requests = { cpu: 100, memory: 200 * MIB };

const REASON = {
  taints: "node(s) had untolerated taint(s)",
  nodeAffinity: "node(s) didn't match Pod's node affinity/selector",
  pods: 'Too many pods',
  cpu: 'Insufficient cpu',
  memory: 'Insufficient memory',
  gpus: 'Insufficient nvidia.com/gpu',
  spread: "node(s) didn't match pod topology spread constraints",
  spreadLabel: "node(s) didn't match pod topology spread constraints (missing required label)",
  affinity: "node(s) didn't match pod affinity rules",
  antiAffinity: "node(s) didn't match pod anti-affinity rules",
  existingAntiAffinity: "node(s) didn't satisfy existing pods anti-affinity rules",
} as const;

/** The scheduler's message for a pod no node passes, from each node's reasons. */
export function fitErrorMessage(nodeCount: number, reasonsPerNode: readonly (readonly string[])[]): string {
  const histogram = new Map<string, number>();
  for (const reasons of reasonsPerNode) for (const reason of reasons) histogram.set(reason, (histogram.get(reason) ?? 0) + 1);
  const parts = [...histogram].map(([reason, count]) => `${count} ${reason}`).sort();
  return `0/${nodeCount} nodes are available${parts.length > 0 ? `: ${parts.join(', ')}` : ''}.`;
}

function tolerates(tolerations: readonly IToleration[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (!t.key) return t.operator === 'Exists';
    if (t.key !== taint.key) return false;
    return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
  });
}

/** The first NoSchedule/NoExecute taint of the node the pod does not tolerate. */
export function untoleratedTaint(taints: readonly Taint[], tolerations: readonly IToleration[]): Taint | undefined {
  return taints.find((taint) => taint.effect !== 'PreferNoSchedule' && !tolerates(tolerations, taint));
}

function requirementMatches(requirement: INodeSelectorRequirement, value: string | undefined): boolean {
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

function termMatches(term: INodeSelectorTerm, node: NodeShape): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  return (
    expressions.every((r) => requirementMatches(r, node.labels[r.key])) &&
    fields.every((r) => requirementMatches(r, r.key === 'metadata.name' ? node.name : undefined))
  );
}

/** Whether the node passes the pod's nodeSelector and required node affinity. */
export function matchesNodeAffinity(pod: Pod, node: NodeShape): boolean {
  const { nodeSelector, nodeAffinity } = pod.template;
  if (pod.node !== undefined && pod.node !== node.name) return false;
  if (!Object.entries(nodeSelector).every(([key, value]) => node.labels[key] === value)) return false;
  return nodeAffinity.length === 0 || nodeAffinity.some((term) => termMatches(term, node));
}

/** A spread constraint's selector with its matchLabelKeys folded in from the pod's labels. */
function spreadSelector(constraint: ITopologySpreadConstraint, pod: Pod): ILabelSelector {
  const extra: Record<string, string> = {};
  for (const key of constraint.matchLabelKeys ?? []) {
    const value = pod.labels[key];
    if (value !== undefined) extra[key] = value;
  }
  const selector = constraint.labelSelector ?? {};
  return { ...selector, matchLabels: { ...(selector.matchLabels ?? {}), ...extra } };
}

function termNamespaces(term: IPodAffinityTerm, owner: Pod): readonly string[] {
  return term.namespaces && term.namespaces.length > 0 ? term.namespaces : [owner.template.namespace];
}

function termMatchesPod(term: IPodAffinityTerm, owner: Pod, other: Pod): boolean {
  return termNamespaces(term, owner).includes(other.template.namespace) && matchesSelector(term.labelSelector, other.labels);
}

/** The scheduler's default spreading for pods that declare none (soft, by host and zone). */
const DEFAULT_SPREAD: readonly string[] = ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'];

/** Index key of a pod label within a namespace. */
const labelKey = (namespace: string, key: string, value: string) => `${namespace}\u0000${key}=${value}`;

/** What a pod's filters need from the whole cluster, computed once per scheduling attempt. */
interface PodContext {
  /** Per DoNotSchedule constraint: matching pods per domain, the global minimum, the pod's own match. */
  readonly spread: { readonly key: string; readonly maxSkew: number; readonly counts: Map<string, number>; readonly min: number; readonly self: number }[];
  /** Per required affinity term: the domains holding a matching pod (undefined: none anywhere and the pod matches itself). */
  readonly affinity: { readonly key: string; readonly domains: Set<string> | undefined }[];
  /** Per required anti-affinity term: the domains holding a matching pod. */
  readonly antiAffinity: { readonly key: string; readonly domains: Set<string> }[];
  /** Domains (by topology key) where an existing pod's anti-affinity refuses this pod. */
  readonly refusedBy: { readonly key: string; readonly value: string }[];
}

/** Simulated nodes and the pods bound to them. */
export class ClusterState {
  private readonly states: NodeState[] = [];
  /** Bound pods that declare required anti-affinity, which every later pod must respect. */
  private holders: { pod: Pod; state: NodeState }[] = [];

  constructor(nodes: readonly NodeShape[] = []) {
    for (const node of nodes) this.addNode(node);
  }

  /** Adds an empty node to the cluster. */
  addNode(node: NodeShape): void {
    this.states.push({ shape: node, cpu: 0, memory: 0, gpus: 0, scoredCpu: 0, scoredMemory: 0, pods: [], byLabel: new Map() });
  }

  /** An independent copy, for what-if scenarios from the same starting point. */
  clone(): ClusterState {
    const copy = new ClusterState();
    const mapping = new Map<NodeState, NodeState>();
    for (const state of this.states) {
      const byLabel = new Map<string, Pod[]>();
      for (const [key, pods] of state.byLabel) byLabel.set(key, [...pods]);
      const cloned = { ...state, pods: [...state.pods], byLabel };
      mapping.set(state, cloned);
      copy.states.push(cloned);
    }
    copy.holders = this.holders.map((h) => ({ pod: h.pod, state: mapping.get(h.state)! }));
    return copy;
  }

  /** Every pod bound so far, with its node. */
  placements(): { pod: Pod; node: NodeShape }[] {
    return this.states.flatMap((s) => s.pods.map((pod) => ({ pod, node: s.shape })));
  }

  /** CPU, memory and pods requested on a node. */
  usage(nodeName: string): { cpu: number; memory: number; pods: number } {
    const state = this.states.find((s) => s.shape.name === nodeName);
    return state ? { cpu: state.cpu, memory: state.memory, pods: state.pods.length } : { cpu: 0, memory: 0, pods: 0 };
  }

  /** Pods on a node in `namespace` that `selector` matches, looked up through the label index when it can be. */
  private matching(state: NodeState, namespace: string, selector: ILabelSelector): number {
    const first = Object.entries(selector.matchLabels ?? {})[0];
    const candidates = first ? state.byLabel.get(labelKey(namespace, first[0], first[1])) ?? [] : state.pods.filter((p) => p.template.namespace === namespace);
    let count = 0;
    for (const pod of candidates) if (matchesSelector(selector, pod.labels)) count++;
    return count;
  }

  /** Domains of `key` holding a pod that `term` (owned by `owner`) matches. */
  private termDomains(term: IPodAffinityTerm, owner: Pod): Set<string> {
    const domains = new Set<string>();
    for (const state of this.states) {
      const domain = state.shape.labels[term.topologyKey];
      if (domain === undefined || domains.has(domain)) continue;
      const found = termNamespaces(term, owner).some((ns) => this.matching(state, ns, term.labelSelector ?? {}) > 0 && state.pods.some((p) => termMatchesPod(term, owner, p)));
      if (found) domains.add(domain);
    }
    return domains;
  }

  private context(pod: Pod): PodContext {
    const spread = pod.template.topologySpread
      .filter((c) => c.whenUnsatisfiable === 'DoNotSchedule')
      .map((constraint) => {
        const selector = spreadSelector(constraint, pod);
        const counts = new Map<string, number>();
        // Domains over the nodes the pod may go to by node affinity that carry every constraint's key.
        for (const state of this.states) {
          if (!matchesNodeAffinity({ ...pod, node: undefined }, state.shape)) continue;
          if (!pod.template.topologySpread.every((c) => state.shape.labels[c.topologyKey] !== undefined)) continue;
          const domain = state.shape.labels[constraint.topologyKey]!;
          counts.set(domain, (counts.get(domain) ?? 0) + this.matching(state, pod.template.namespace, selector));
        }
        const minDomains = constraint.minDomains ?? 1;
        const min = counts.size < minDomains || counts.size === 0 ? 0 : Math.min(...counts.values());
        return { key: constraint.topologyKey, maxSkew: constraint.maxSkew, counts, min, self: matchesSelector(selector, pod.labels) ? 1 : 0 };
      });
    const affinity = pod.template.affinity.map((term) => {
      const domains = this.termDomains(term, pod);
      const anywhere = this.states.some((s) => s.pods.some((p) => termMatchesPod(term, pod, p)));
      return { key: term.topologyKey, domains: !anywhere && termMatchesPod(term, pod, pod) ? undefined : domains };
    });
    const antiAffinity = pod.template.antiAffinity.map((term) => ({ key: term.topologyKey, domains: this.termDomains(term, pod) }));
    const refusedBy: { key: string; value: string }[] = [];
    for (const { pod: existing, state } of this.holders) {
      for (const term of existing.template.antiAffinity) {
        const value = state.shape.labels[term.topologyKey];
        if (value !== undefined && termMatchesPod(term, existing, pod)) refusedBy.push({ key: term.topologyKey, value });
      }
    }
    return { spread, affinity, antiAffinity, refusedBy };
  }

  /** Why the pod cannot go to this node: the first failing filter's reasons, or none. */
  private reasons(pod: Pod, node: NodeState, context: PodContext): string[] {
    const { template } = pod;
    if (untoleratedTaint(node.shape.taints, template.tolerations)) return [REASON.taints];
    if (!matchesNodeAffinity(pod, node.shape)) return [REASON.nodeAffinity];
    const resources: string[] = [];
    const { allocatable } = node.shape;
    if (node.pods.length + 1 > allocatable.pods) resources.push(REASON.pods);
    if (template.requests.cpu > 0 && template.requests.cpu > allocatable.cpu - node.cpu) resources.push(REASON.cpu);
    if (template.requests.memory > 0 && template.requests.memory > allocatable.memory - node.memory) resources.push(REASON.memory);
    const gpus = template.requests.gpus ?? 0;
    if (gpus > 0 && gpus > (allocatable.gpus ?? 0) - node.gpus) resources.push(REASON.gpus);
    if (resources.length > 0) return resources;
    const labels = node.shape.labels;
    for (const constraint of context.spread) {
      const domain = labels[constraint.key];
      if (domain === undefined) return [REASON.spreadLabel];
      if ((constraint.counts.get(domain) ?? 0) + constraint.self - constraint.min > constraint.maxSkew) return [REASON.spread];
    }
    for (const term of context.affinity) {
      const domain = labels[term.key];
      if (term.domains === undefined) continue;
      if (domain === undefined || !term.domains.has(domain)) return [REASON.affinity];
    }
    for (const term of context.antiAffinity) {
      const domain = labels[term.key];
      if (domain !== undefined && term.domains.has(domain)) return [REASON.antiAffinity];
    }
    if (context.refusedBy.some((r) => labels[r.key] === r.value)) return [REASON.existingAntiAffinity];
    return [];
  }

  /** Scores a feasible node; higher is better. */
  private score(pod: Pod, node: NodeState, spreadCounts: Map<string, number>, spreadRange: { min: number; max: number }): number {
    const requested = pod.template.requests;
    const scoredCpu = requested.cpu > 0 ? requested.cpu : DEFAULT_SCORED.cpu;
    const scoredMemory = requested.memory > 0 ? requested.memory : DEFAULT_SCORED.memory;
    const { allocatable } = node.shape;
    const cpuFraction = Math.min(1, (node.scoredCpu + scoredCpu) / allocatable.cpu);
    const memoryFraction = Math.min(1, (node.scoredMemory + scoredMemory) / allocatable.memory);
    const leastAllocated = ((1 - cpuFraction) * 100 + (1 - memoryFraction) * 100) / 2;
    const balanced = (1 - Math.abs(cpuFraction - memoryFraction) / 2) * 100;
    const count = spreadCounts.get(node.shape.name) ?? 0;
    const spread = spreadRange.max === spreadRange.min ? 100 : ((spreadRange.max - count) * 100) / (spreadRange.max - spreadRange.min);
    const preferNot = node.shape.taints.filter((t) => t.effect === 'PreferNoSchedule' && !tolerates(pod.template.tolerations, t)).length;
    return leastAllocated + balanced + 2 * spread + 3 * (preferNot === 0 ? 100 : 0);
  }

  /** Matching pods in each feasible node's domains, weighted as the soft spreading score does. */
  private softSpreadCounts(pod: Pod, feasible: readonly NodeState[]): Map<string, number> {
    const declared = pod.template.topologySpread.filter((c) => c.whenUnsatisfiable === 'ScheduleAnyway');
    const constraints = pod.template.topologySpread.length > 0
      ? declared.map((c) => ({ key: c.topologyKey, selector: spreadSelector(c, pod) }))
      : DEFAULT_SPREAD.map((key) => ({ key, selector: { matchLabels: pod.template.labels } as ILabelSelector }));
    const counts = new Map<string, number>();
    for (const { key, selector } of constraints) {
      if (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0) continue;
      const perDomain = new Map<string, number>();
      for (const state of this.states) {
        const domain = state.shape.labels[key];
        if (domain === undefined) continue;
        perDomain.set(domain, (perDomain.get(domain) ?? 0) + this.matching(state, pod.template.namespace, selector));
      }
      const weight = Math.log(perDomain.size + 2);
      for (const node of feasible) {
        const domain = node.shape.labels[key];
        if (domain === undefined) continue;
        counts.set(node.shape.name, (counts.get(node.shape.name) ?? 0) + (perDomain.get(domain) ?? 0) * weight);
      }
    }
    return counts;
  }

  /** Places the pod on the best feasible node, or says why none is. */
  schedule(pod: Pod): { node: NodeShape } | Unschedulable {
    const context = this.context(pod);
    const feasible: NodeState[] = [];
    const reasonsPerNode: string[][] = [];
    for (const state of this.states) {
      const reasons = this.reasons(pod, state, context);
      if (reasons.length === 0) feasible.push(state);
      else reasonsPerNode.push(reasons);
    }
    if (feasible.length === 0) return { pod, message: fitErrorMessage(this.states.length, reasonsPerNode) };
    let best = feasible[0]!;
    if (feasible.length > 1) {
      const counts = this.softSpreadCounts(pod, feasible);
      const values = feasible.map((s) => counts.get(s.shape.name) ?? 0);
      const range = { min: Math.min(...values), max: Math.max(...values) };
      let bestScore = -Infinity;
      for (const state of feasible) {
        const score = this.score(pod, state, counts, range);
        if (score > bestScore + 1e-9) {
          best = state;
          bestScore = score;
        }
      }
    }
    this.bind(pod, best);
    return { node: best.shape };
  }

  private bind(pod: Pod, state: NodeState): void {
    const { cpu, memory } = pod.template.requests;
    state.gpus += pod.template.requests.gpus ?? 0;
    state.cpu += cpu;
    state.memory += memory;
    state.scoredCpu += cpu > 0 ? cpu : DEFAULT_SCORED.cpu;
    state.scoredMemory += memory > 0 ? memory : DEFAULT_SCORED.memory;
    state.pods.push(pod);
    for (const [key, value] of Object.entries(pod.labels)) {
      const index = labelKey(pod.template.namespace, key, value);
      const list = state.byLabel.get(index);
      if (list) list.push(pod);
      else state.byLabel.set(index, [pod]);
    }
    if (pod.template.antiAffinity.length > 0) this.holders.push({ pod, state });
  }

  /** Whether the pod passes every filter on a node (for choosing a pool to grow). */
  fits(pod: Pod, nodeName: string): boolean {
    const state = this.states.find((s) => s.shape.name === nodeName);
    return state !== undefined && this.reasons(pod, state, this.context(pod)).length === 0;
  }
}
