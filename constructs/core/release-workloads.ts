/**
 * The pods a Helm release will run, declared on its Flux HelmRelease so the capacity
 * planner can count them before the chart is rendered: HelmChartRelease writes them as the
 * `k8s-platform-kit.dev/workloads` annotation (JSON), the planner reads them back.
 *
 * ```json
 * [{"name":"prometheus","kind":"StatefulSet","replicas":2,"requests":{"cpu":"210m","memory":"1074Mi"}},
 *  {"name":"node-exporter","kind":"DaemonSet","requests":{"cpu":"10m","memory":"32Mi"},"tolerations":[{"operator":"Exists","effect":"NoSchedule"}]}]
 * ```
 *
 * Both sides check the same rules (`releaseWorkloadsProblem`): the construct throws on a bad
 * declaration, the planner lists a HelmRelease with a bad annotation as not counted.
 */
import { dns1123SubdomainProblem } from './names.js';
import { isQuantity, parseQuantityNanos } from './quantity.js';

/** The annotation on a HelmRelease that declares the pods its chart runs (a JSON list of {@link ReleaseWorkload}). */
export const RELEASE_WORKLOADS_ANNOTATION = 'k8s-platform-kit.dev/workloads';

/** The kinds of pod-bearing objects a release can declare. */
export type ReleaseWorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

const KINDS: readonly ReleaseWorkloadKind[] = ['Deployment', 'StatefulSet', 'DaemonSet'];
const OPERATORS = ['Exists', 'Equal'];
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** A toleration of a release's pods, as in a pod spec. */
export interface ReleaseToleration {
  /** The taint key; with `operator: 'Exists'` and no key, every taint matches. @default - any key */
  readonly key?: string;
  /**
   * How the value is compared: `Exists` matches any value, `Equal` the given one.
   * @default 'Equal'
   */
  readonly operator?: 'Exists' | 'Equal';
  /** The taint value (`Equal` only). @default '' */
  readonly value?: string;
  /**
   * The taint effect tolerated.
   * @default - every effect
   */
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** One pod-bearing object a release's chart renders, as the capacity planner needs it. */
export interface ReleaseWorkload {
  /**
   * The name the planner's report gives it (`Deployment/monitoring/grafana (from HelmRelease
   * monitoring/kube-prometheus-stack)`), unique among the release's workloads of its kind: a
   * DNS-1123 subdomain, usually the chart's component name.
   */
  readonly name: string;
  /** The kind of object the chart renders. */
  readonly kind: ReleaseWorkloadKind;
  /**
   * Pods of a Deployment or StatefulSet. Not for a DaemonSet, which runs one pod on every
   * node whose taints its pods tolerate.
   * @default 1 (Deployment, StatefulSet)
   */
  readonly replicas?: number;
  /**
   * What one pod requests, all its containers together (Kubernetes quantities): what the
   * scheduler counts. A container without requests counts as zero.
   */
  readonly requests: { readonly cpu: string; readonly memory: string };
  /**
   * The pods' tolerations, for pools with taints.
   * @default [] - the pods run only on untainted nodes
   */
  readonly tolerations?: readonly ReleaseToleration[];
}

const isMap = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const shown = (value: unknown) => (typeof value === 'string' ? `'${value}'` : JSON.stringify(value));

function tolerationProblem(field: string, toleration: unknown): string | undefined {
  if (!isMap(toleration)) return `${field} (${shown(toleration)}) is not a toleration; expected e.g. { operator: 'Exists', effect: 'NoSchedule' }`;
  const { key, operator, value, effect } = toleration;
  if (operator !== undefined && !OPERATORS.includes(operator as string)) return `${field}.operator (${shown(operator)}) is not 'Exists' or 'Equal'`;
  if (effect !== undefined && !EFFECTS.includes(effect as string)) return `${field}.effect (${shown(effect)}) is not 'NoSchedule', 'PreferNoSchedule' or 'NoExecute'`;
  if (key !== undefined && typeof key !== 'string') return `${field}.key (${shown(key)}) is not a string`;
  if (value !== undefined && typeof value !== 'string') return `${field}.value (${shown(value)}) is not a string`;
  if (operator === 'Exists' && value !== undefined) return `${field}.value is set with operator 'Exists', which matches any value; leave it out`;
  if (operator !== 'Exists' && key === undefined) return `${field}.key is missing; only operator 'Exists' may leave it out`;
  return undefined;
}

/**
 * What is wrong with a list of release workloads, in the words of a props error
 * (`workloads[1].requests.cpu ('x') is not a Kubernetes quantity …`), or undefined.
 */
export function releaseWorkloadsProblem(workloads: unknown): string | undefined {
  if (!Array.isArray(workloads)) return `workloads (${shown(workloads)}) is not a list`;
  const seen = new Map<string, number>();
  for (const [i, workload] of workloads.entries()) {
    const field = `workloads[${i}]`;
    if (!isMap(workload)) return `${field} (${shown(workload)}) is not a workload; expected { name, kind, replicas?, requests: { cpu, memory } }`;
    const { name, kind, replicas, requests, tolerations } = workload;
    const missing = (['name', 'kind', 'requests'] as const).find((key) => workload[key] === undefined);
    if (missing) return `${field}.${missing} is missing; expected { name, kind, replicas?, requests: { cpu, memory } }`;
    const nameProblem = typeof name === 'string' ? dns1123SubdomainProblem(name) : 'is not a string';
    if (nameProblem) return `${field}.name (${shown(name)}) ${nameProblem}`;
    if (!KINDS.includes(kind as ReleaseWorkloadKind)) return `${field}.kind (${shown(kind)}) is not a kind the planner counts; expected 'Deployment', 'StatefulSet' or 'DaemonSet'`;
    const key = `${kind as string}/${name as string}`;
    const twin = seen.get(key);
    if (twin !== undefined) return `${field} (${key}) is declared twice (also workloads[${twin}]); give each workload of the release its own name`;
    seen.set(key, i);
    if (kind === 'DaemonSet' && replicas !== undefined) return `${field}.replicas is set on a DaemonSet, which runs one pod on every node it tolerates; leave it out`;
    if (replicas !== undefined && !(typeof replicas === 'number' && Number.isInteger(replicas) && replicas >= 0)) {
      return `${field}.replicas (${shown(replicas)}) must be a whole number >= 0`;
    }
    if (!isMap(requests)) return `${field}.requests (${shown(requests)}) is not { cpu, memory }; expected e.g. { cpu: '100m', memory: '128Mi' }`;
    for (const resource of ['cpu', 'memory'] as const) {
      const quantity = requests[resource];
      if (quantity === undefined) return `${field}.requests.${resource} is missing; expected { cpu, memory }, e.g. { cpu: '100m', memory: '128Mi' }`;
      if (typeof quantity !== 'string' || !isQuantity(quantity)) {
        return `${field}.requests.${resource} (${shown(quantity)}) is not a Kubernetes quantity; expected e.g. ${resource === 'cpu' ? "'100m' or '0.5'" : "'128Mi' or '1Gi'"}`;
      }
      if (parseQuantityNanos(quantity) < 0n) return `${field}.requests.${resource} (${shown(quantity)}) is negative; expected a quantity >= 0`;
    }
    if (tolerations !== undefined) {
      if (!Array.isArray(tolerations)) return `${field}.tolerations (${shown(tolerations)}) is not a list`;
      for (const [j, toleration] of tolerations.entries()) {
        const problem = tolerationProblem(`${field}.tolerations[${j}]`, toleration);
        if (problem) return problem;
      }
    }
  }
  return undefined;
}

/** A workload as the annotation records it: keys in a fixed order, replicas resolved. */
export function normalizeReleaseWorkload(workload: ReleaseWorkload): ReleaseWorkload {
  return {
    name: workload.name,
    kind: workload.kind,
    ...(workload.kind !== 'DaemonSet' && { replicas: workload.replicas ?? 1 }),
    requests: { cpu: workload.requests.cpu, memory: workload.requests.memory },
    ...(workload.tolerations !== undefined && workload.tolerations.length > 0 && {
      tolerations: workload.tolerations.map((t) => ({
        ...(t.key !== undefined && { key: t.key }),
        ...(t.operator !== undefined && { operator: t.operator }),
        ...(t.value !== undefined && { value: t.value }),
        ...(t.effect !== undefined && { effect: t.effect }),
      })),
    }),
  };
}

/** Reads the annotation's value: the workloads, or what is wrong with it. */
export function parseReleaseWorkloads(text: string): { workloads: ReleaseWorkload[] } | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { problem: `is not JSON (${(error as Error).message})` };
  }
  const problem = releaseWorkloadsProblem(parsed);
  return problem ? { problem } : { workloads: (parsed as ReleaseWorkload[]).map(normalizeReleaseWorkload) };
}
