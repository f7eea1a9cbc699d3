/**
 * The Helm values of MonitoringStack's charts (kube-prometheus-stack 88.5.3 and
 * metrics-server 3.13.1), typed for the keys the kit sets, the validation of the sizes
 * and resources that go into them, and the pods those values make the charts run.
 */
import type { ReleaseWorkload } from '../core/release-workloads.js';
import type { PropsValidator } from '../core/errors.js';
import { MONITORING_LABELS } from '../workloads/metrics.js';
import type { WorkloadResources } from '../workloads/options.js';
import { compareQuantities, isQuantity, parseQuantity, parseQuantityNanos } from '../core/quantity.js';
import { prometheusDurationMs, REPLACED_DEFAULT_ALERTS } from './_monitoring-rules.js';

/** The components whose requests and limits MonitoringStack sets. */
export interface MonitoringResources {
  /**
   * Prometheus.
   * @default 200m CPU, 1Gi memory (2Gi limit)
   */
  readonly prometheus?: WorkloadResources;
  /**
   * Alertmanager.
   * @default 10m CPU, 64Mi memory (128Mi limit)
   */
  readonly alertmanager?: WorkloadResources;
  /** The Prometheus Operator. @default 50m CPU, 128Mi memory (256Mi limit) */
  readonly operator?: WorkloadResources;
  /**
   * Grafana.
   * @default 50m CPU, 256Mi memory (512Mi limit)
   */
  readonly grafana?: WorkloadResources;
  /**
   * kube-state-metrics.
   * @default 10m CPU, 64Mi memory (256Mi limit)
   */
  readonly kubeStateMetrics?: WorkloadResources;
  /**
   * The node exporter, on every node.
   * @default 10m CPU, 32Mi memory (64Mi limit)
   */
  readonly nodeExporter?: WorkloadResources;
  /**
   * metrics-server.
   * @default 50m CPU, 100Mi memory (200Mi limit)
   */
  readonly metricsServer?: WorkloadResources;
}

/** Defaults of {@link MonitoringResources}: sized for a small development cluster. */
export const MONITORING_RESOURCE_DEFAULTS: { readonly [K in keyof MonitoringResources]-?: WorkloadResources } = {
  prometheus: { cpu: { request: '200m' }, memory: { request: '1Gi', limit: '2Gi' } },
  alertmanager: { cpu: { request: '10m' }, memory: { request: '64Mi', limit: '128Mi' } },
  operator: { cpu: { request: '50m' }, memory: { request: '128Mi', limit: '256Mi' } },
  grafana: { cpu: { request: '50m' }, memory: { request: '256Mi', limit: '512Mi' } },
  kubeStateMetrics: { cpu: { request: '10m' }, memory: { request: '64Mi', limit: '256Mi' } },
  nodeExporter: { cpu: { request: '10m' }, memory: { request: '32Mi', limit: '64Mi' } },
  metricsServer: { cpu: { request: '50m' }, memory: { request: '100Mi', limit: '200Mi' } },
};

/** A container's `resources` as the charts take it. */
export interface ResourceRequirements {
  /** The CPU and memory requests. */
  readonly requests: { readonly cpu: string; readonly memory: string };
  /** The memory limit, and the CPU limit when one is set. */
  readonly limits: { readonly cpu?: string; readonly memory: string };
}

/**
 * Validates one component's resources and returns them as a ResourceRequirements.
 * `v` is the construct's validator.
 */
export function resourceRequirements(v: PropsValidator, field: string, resources: WorkloadResources): ResourceRequirements {
  const quantities: [string, string | undefined][] = [
    [`${field}.cpu.request`, resources.cpu?.request],
    [`${field}.cpu.limit`, resources.cpu?.limit],
    [`${field}.memory.request`, resources.memory?.request],
    [`${field}.memory.limit`, resources.memory?.limit],
  ];
  for (const [name, value] of quantities) {
    if (value === undefined && name.endsWith('cpu.limit')) continue;
    if (value === undefined) throw v.error({ field: name, problem: 'is missing', expected: 'a Kubernetes quantity such as 100m or 256Mi' });
    if (!isQuantity(value) || parseQuantity(value) <= 0) throw v.error({ field: name, value, problem: 'is not a positive Kubernetes quantity', expected: 'e.g. 100m or 256Mi' });
  }
  const { cpu, memory } = resources;
  if (compareQuantities(memory.limit, memory.request) < 0) {
    throw v.conflict(`${field}.memory.limit (${memory.limit}) is below ${field}.memory.request (${memory.request})`);
  }
  if (cpu.limit !== undefined && compareQuantities(cpu.limit, cpu.request) < 0) {
    throw v.conflict(`${field}.cpu.limit (${cpu.limit}) is below ${field}.cpu.request (${cpu.request})`);
  }
  return {
    requests: { cpu: cpu.request, memory: memory.request },
    limits: { ...(cpu.limit !== undefined && { cpu: cpu.limit }), memory: memory.limit },
  };
}

/** A Prometheus ByteSize (`8GiB`, `512MB`), as the Prometheus CRD's pattern accepts it. */
const BYTE_SIZE = /^(0|([0-9]*[.])?[0-9]+((K|M|G|T|E|P)i?)?B)$/;
const BYTE_UNITS: Readonly<Record<string, number>> = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

/** Bytes in a Prometheus ByteSize; undefined when it is not one. */
export function byteSizeBytes(value: string): number | undefined {
  if (typeof value !== 'string' || !BYTE_SIZE.test(value)) return undefined;
  if (value === '0') return 0;
  const match = /^([0-9.]+)([KMGTEP]i?)?B$/.exec(value);
  return match ? Number(match[1]) * (BYTE_UNITS[match[2] ?? ''] ?? 1) : undefined;
}

/** Prometheus' storage: retention by time and size, and its volume. */
export interface PrometheusStorage {
  /** How long Prometheus keeps samples (a Prometheus duration: `10d`). */
  readonly retention: string;
  /** How much Prometheus keeps before deleting the oldest blocks (a Prometheus byte size: `8GiB`). */
  readonly retentionSize: string;
  /** The size of Prometheus' volume (a Kubernetes quantity: `10Gi`). */
  readonly size: string;
  /**
   * The StorageClass of Prometheus' volume (and of Alertmanager's).
   * @default - the cluster's default StorageClass
   */
  readonly storageClass?: string;
}

/**
 * Validates retention and storage; the default retentionSize is 85% of the volume, in GiB,
 * so Prometheus deletes old blocks before the volume fills (the WAL and compaction need
 * the rest).
 */
export function resolvePrometheusStorage(
  v: PropsValidator,
  input: { retention: string; retentionSize?: string; size: string; storageClass?: string },
): PrometheusStorage {
  if (!((prometheusDurationMs(input.retention) ?? 0) > 0)) {
    throw v.error({ field: 'retention', value: input.retention, problem: 'is not a Prometheus duration above zero', expected: "e.g. '10d', '12h' or '2w'" });
  }
  if (!isQuantity(input.size) || parseQuantity(input.size) <= 0) {
    throw v.error({ field: 'storage.size', value: input.size, problem: 'is not a positive Kubernetes quantity', expected: 'e.g. 10Gi or 50Gi' });
  }
  const volumeBytes = parseQuantity(input.size);
  const retentionSize = input.retentionSize ?? `${Math.max(1, Math.floor((volumeBytes * 0.85) / 2 ** 30))}GiB`;
  const retentionBytes = byteSizeBytes(retentionSize);
  if (retentionBytes === undefined || retentionBytes <= 0) {
    throw v.error({ field: 'retentionSize', value: retentionSize, problem: 'is not a Prometheus byte size above zero', expected: "e.g. '8GiB' or '500MB'" });
  }
  if (retentionBytes >= volumeBytes) {
    throw v.conflict(`retentionSize (${retentionSize}) is not below storage.size (${input.size}); the volume would fill before Prometheus deletes old data (expected about 85% of it)`);
  }
  return { retention: input.retention, retentionSize, size: input.size, ...(input.storageClass !== undefined && { storageClass: input.storageClass }) };
}

/** The Grafana admin user, from an existing Secret. */
export interface GrafanaAdmin {
  /** The Secret in the monitoring namespace that holds the admin user name and password. */
  readonly secretName: string;
  /**
   * The Secret's key holding the admin user name.
   * @default 'admin-user'
   */
  readonly userKey?: string;
  /**
   * The Secret's key holding the admin password.
   * @default 'admin-password'
   */
  readonly passwordKey?: string;
}

/** The kube-prometheus-stack values the kit sets (a subset of the chart's values.yaml). */
export interface KubePrometheusStackValues {
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly defaultRules: { readonly create: boolean; readonly disabled: Record<string, boolean> };
  readonly alertmanager: {
    readonly config: Record<string, unknown>;
    readonly alertmanagerSpec: {
      readonly secrets: string[];
      readonly resources: ResourceRequirements;
      readonly storage: VolumeClaim;
    };
  };
  readonly prometheus: {
    readonly prometheusSpec: {
      readonly retention: string;
      readonly retentionSize: string;
      readonly resources: ResourceRequirements;
      readonly storageSpec: VolumeClaim;
      readonly serviceMonitorSelectorNilUsesHelmValues: boolean;
      readonly serviceMonitorSelector: { readonly matchLabels: Readonly<Record<string, string>> };
      readonly serviceMonitorNamespaceSelector: Record<string, never>;
      readonly ruleSelectorNilUsesHelmValues: boolean;
      readonly ruleSelector: { readonly matchLabels: Readonly<Record<string, string>> };
      readonly ruleNamespaceSelector: Record<string, never>;
    };
  };
  readonly prometheusOperator: { readonly resources: ResourceRequirements };
  readonly grafana: {
    readonly resources: ResourceRequirements;
    readonly admin: { readonly existingSecret: string; readonly userKey: string; readonly passwordKey: string };
    readonly sidecar: { readonly dashboards: { readonly enabled: boolean; readonly label: string; readonly labelValue: string; readonly searchNamespace: string } };
    readonly serviceMonitor: { readonly labels: Readonly<Record<string, string>> };
  };
  readonly 'kube-state-metrics': { readonly resources: ResourceRequirements; readonly prometheus: { readonly monitor: { readonly additionalLabels: Readonly<Record<string, string>> } } };
  readonly 'prometheus-node-exporter': { readonly resources: ResourceRequirements; readonly prometheus: { readonly monitor: { readonly additionalLabels: Readonly<Record<string, string>> } } };
}

interface VolumeClaim {
  readonly volumeClaimTemplate: {
    readonly spec: { readonly storageClassName?: string; readonly accessModes: string[]; readonly resources: { readonly requests: { readonly storage: string } } };
  };
}

/** The label and value the chart's Grafana dashboard sidecar watches (values.yaml: grafana.sidecar.dashboards). */
export const GRAFANA_DASHBOARD_LABEL = { name: 'grafana_dashboard', value: '1' } as const;

/** Alertmanager's volume: it keeps silences (the acknowledgements of escalation) across restarts. */
export const ALERTMANAGER_STORAGE_SIZE = '1Gi';

function volumeClaim(size: string, storageClass: string | undefined): VolumeClaim {
  return {
    volumeClaimTemplate: {
      spec: { ...(storageClass !== undefined && { storageClassName: storageClass }), accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
    },
  };
}

/**
 * The kube-prometheus-stack values. Prometheus selects, in every namespace, the
 * ServiceMonitors and PrometheusRules labelled MONITORING_LABELS: HardenedDeployment's
 * ServiceMonitors, this stack's rules, and (through `commonLabels` and the subcharts'
 * additional labels) the chart's own ServiceMonitors and default rules.
 */
export function kubePrometheusStackValues(input: {
  storage: PrometheusStorage;
  resources: { readonly [K in keyof MonitoringResources]-?: ResourceRequirements };
  grafanaAdmin: Required<GrafanaAdmin>;
  alertmanagerConfig: Record<string, unknown>;
  alertmanagerSecrets: string[];
}): KubePrometheusStackValues {
  const labels = { ...MONITORING_LABELS };
  return {
    commonLabels: labels,
    defaultRules: { create: true, disabled: Object.fromEntries(REPLACED_DEFAULT_ALERTS.map((alert) => [alert, true])) },
    alertmanager: {
      config: input.alertmanagerConfig,
      alertmanagerSpec: {
        secrets: input.alertmanagerSecrets,
        resources: input.resources.alertmanager,
        storage: volumeClaim(ALERTMANAGER_STORAGE_SIZE, input.storage.storageClass),
      },
    },
    prometheus: {
      prometheusSpec: {
        retention: input.storage.retention,
        retentionSize: input.storage.retentionSize,
        resources: input.resources.prometheus,
        storageSpec: volumeClaim(input.storage.size, input.storage.storageClass),
        serviceMonitorSelectorNilUsesHelmValues: false,
        serviceMonitorSelector: { matchLabels: labels },
        serviceMonitorNamespaceSelector: {},
        ruleSelectorNilUsesHelmValues: false,
        ruleSelector: { matchLabels: labels },
        ruleNamespaceSelector: {},
      },
    },
    prometheusOperator: { resources: input.resources.operator },
    grafana: {
      resources: input.resources.grafana,
      admin: { existingSecret: input.grafanaAdmin.secretName, userKey: input.grafanaAdmin.userKey, passwordKey: input.grafanaAdmin.passwordKey },
      sidecar: { dashboards: { enabled: true, label: GRAFANA_DASHBOARD_LABEL.name, labelValue: GRAFANA_DASHBOARD_LABEL.value, searchNamespace: 'ALL' } },
      serviceMonitor: { labels },
    },
    'kube-state-metrics': { resources: input.resources.kubeStateMetrics, prometheus: { monitor: { additionalLabels: labels } } },
    'prometheus-node-exporter': { resources: input.resources.nodeExporter, prometheus: { monitor: { additionalLabels: labels } } },
  };
}

/** The metrics-server values: its resources, and its own metrics scraped through a labelled ServiceMonitor. */
export function metricsServerValues(resources: ResourceRequirements): Record<string, unknown> {
  return {
    resources,
    metrics: { enabled: true },
    serviceMonitor: { enabled: true, additionalLabels: { ...MONITORING_LABELS } },
  };
}

const isMap = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Helm's merge: maps merge key by key, anything else (lists included) in `override` replaces. */
export function mergeValues(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    out[key] = isMap(current) && isMap(value) ? mergeValues(current, value) : value;
  }
  return out;
}

/**
 * What the prometheus-operator gives the config-reloader sidecar of every Prometheus and
 * Alertmanager pod when the chart passes no resources (values.yaml:
 * `prometheusOperator.prometheusConfigReloader.resources: {}`): the operator's
 * `-config-reloader-cpu-request` and `-config-reloader-memory-request` defaults.
 */
export const CONFIG_RELOADER_REQUESTS = { cpu: '10m', memory: '50Mi' } as const;

/**
 * node-exporter's tolerations when values do not set them: the prometheus-node-exporter
 * subchart's default (its values.yaml is not pinned), so it runs on nodes tainted NoSchedule too.
 */
export const NODE_EXPORTER_TOLERATIONS = [{ operator: 'Exists', effect: 'NoSchedule' }] as const;

type Values = Record<string, unknown>;

/** The value at a dotted path of Helm values (`prometheus.prometheusSpec.replicas`), or undefined. */
function valueAt(values: Values, path: string): unknown {
  let current: unknown = values;
  for (const key of path.split('.')) {
    if (!isMap(current)) return undefined;
    current = current[key];
  }
  return current;
}

const MIB = 2n ** 20n * 1_000_000_000n;

/** The sum of quantities, as a quantity: whole millicores for CPU, Mi (or bytes) for memory. */
export function sumQuantities(resource: 'cpu' | 'memory', quantities: readonly string[]): string {
  const nanos = quantities.reduce((total, q) => total + parseQuantityNanos(q), 0n);
  if (resource === 'cpu') return `${(nanos + 999_999n) / 1_000_000n}m`;
  if (nanos % MIB === 0n) return `${nanos / MIB}Mi`;
  return `${(nanos + 999_999_999n) / 1_000_000_000n}`;
}

/**
 * The pods kube-prometheus-stack runs with these (merged) values, for the capacity planner:
 * Prometheus (replicas × shards) and Alertmanager, each with its config-reloader sidecar; the
 * operator, Grafana and kube-state-metrics; node-exporter on every node. Components turned off
 * (`…enabled: false`) are left out. Requests come from the values (a container's limits when it
 * sets no requests, zero when it sets neither); Grafana's sidecars request nothing by default.
 * The admission webhook's Jobs are install hooks, not counted.
 */
export function kubePrometheusStackWorkloads(v: PropsValidator, values: Values): ReleaseWorkload[] {
  const on = (path: string) => valueAt(values, path) !== false;
  const count = (path: string) => {
    const value = valueAt(values, path);
    if (value === undefined) return 1;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw v.error({ field: `values.${path}`, value, problem: 'must be a whole number >= 0' });
    return value;
  };
  const quantityAt = (path: string, fallback: string): string => {
    const value = valueAt(values, path) ?? fallback;
    if ((typeof value !== 'string' && typeof value !== 'number') || !isQuantity(value)) {
      throw v.error({ field: `values.${path}`, value, problem: 'is not a Kubernetes quantity', expected: 'e.g. 100m or 256Mi' });
    }
    return String(value);
  };
  /** One pod's requests: its main container's (limits when it sets no requests, else zero) plus its sidecars'. */
  const requestsAt = (path: string, sidecars: readonly { cpu: string; memory: string }[] = []) => {
    const of = (resource: 'cpu' | 'memory') => {
      const own = quantityAt(`${path}.requests.${resource}`, quantityAt(`${path}.limits.${resource}`, '0'));
      return sidecars.length === 0 ? own : sumQuantities(resource, [own, ...sidecars.map((sidecar) => sidecar[resource])]);
    };
    return { cpu: of('cpu'), memory: of('memory') };
  };
  const reloaderPath = 'prometheusOperator.prometheusConfigReloader.resources.requests';
  const configReloader = {
    cpu: quantityAt(`${reloaderPath}.cpu`, CONFIG_RELOADER_REQUESTS.cpu),
    memory: quantityAt(`${reloaderPath}.memory`, CONFIG_RELOADER_REQUESTS.memory),
  };
  const workloads: ReleaseWorkload[] = [];
  if (on('prometheus.enabled')) {
    workloads.push({
      name: 'prometheus',
      kind: 'StatefulSet',
      replicas: count('prometheus.prometheusSpec.replicas') * count('prometheus.prometheusSpec.shards'),
      requests: requestsAt('prometheus.prometheusSpec.resources', [configReloader]),
    });
  }
  if (on('alertmanager.enabled')) {
    workloads.push({
      name: 'alertmanager',
      kind: 'StatefulSet',
      replicas: count('alertmanager.alertmanagerSpec.replicas'),
      requests: requestsAt('alertmanager.alertmanagerSpec.resources', [configReloader]),
    });
  }
  if (on('prometheusOperator.enabled')) workloads.push({ name: 'operator', kind: 'Deployment', replicas: 1, requests: requestsAt('prometheusOperator.resources') });
  if (on('grafana.enabled')) workloads.push({ name: 'grafana', kind: 'Deployment', replicas: count('grafana.replicas'), requests: requestsAt('grafana.resources') });
  if (on('kubeStateMetrics.enabled')) {
    workloads.push({ name: 'kube-state-metrics', kind: 'Deployment', replicas: count('kube-state-metrics.replicas'), requests: requestsAt('kube-state-metrics.resources') });
  }
  if (on('nodeExporter.enabled')) {
    const tolerations = valueAt(values, 'prometheus-node-exporter.tolerations');
    workloads.push({
      name: 'node-exporter',
      kind: 'DaemonSet',
      requests: requestsAt('prometheus-node-exporter.resources'),
      tolerations: Array.isArray(tolerations) ? tolerations : NODE_EXPORTER_TOLERATIONS,
    });
  }
  return workloads;
}

/**
 * The pods metrics-server runs with the kit's values: one replica (the chart's default
 * `replicas: 1`; the kit sets none) with the requests the kit sets. The addon-resizer
 * sidecar is off by default (`addonResizer.enabled: false`).
 */
export function metricsServerWorkloads(resources: ResourceRequirements): ReleaseWorkload[] {
  return [{ name: 'metrics-server', kind: 'Deployment', replicas: 1, requests: { ...resources.requests } }];
}

/** The components of a managed control plane (EKS, AKS) the cluster cannot scrape, by values key, with the default rule groups about each. */
export const MANAGED_CONTROL_PLANE_COMPONENTS = {
  kubeControllerManager: ['kubeControllerManager'],
  kubeScheduler: ['kubeSchedulerAlerting', 'kubeSchedulerRecording'],
  kubeEtcd: ['etcd'],
  kubeProxy: ['kubeProxy'],
} as const;

/**
 * The values that turn off scraping of what a managed control plane hides, and the chart's
 * default alerts and recording rules about it: merged over `values` (its `defaultRules` kept).
 */
export function managedControlPlaneValues(values: Record<string, unknown>): Record<string, unknown> {
  const defaultRules = (values.defaultRules ?? {}) as Record<string, unknown>;
  const rules = Object.fromEntries(Object.values(MANAGED_CONTROL_PLANE_COMPONENTS).flat().map((group) => [group, false]));
  return {
    ...Object.fromEntries(Object.keys(MANAGED_CONTROL_PLANE_COMPONENTS).map((component) => [component, { enabled: false }])),
    defaultRules: { ...defaultRules, rules: { ...(defaultRules.rules as Record<string, unknown> | undefined), ...rules } },
  };
}
