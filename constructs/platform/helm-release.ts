/**
 * HelmChartRelease: a pinned upstream Helm chart installed by Flux (a `HelmRepository`,
 * source.toolkit.fluxcd.io/v1, and a `HelmRelease`, helm.toolkit.fluxcd.io/v2), with its
 * values checked against the chart's own values.yaml when the construct is created.
 *
 * Helm ignores a values key the chart does not read, so a misspelt key is a setting
 * silently dropped. Every key given must exist in the pinned chart's values.yaml (the key
 * index in constructs/imports/chart-values.ts, generated from ../shared/third-party),
 * and have the type of the key's default there (a string where the default is a string),
 * except under paths declared open: empty maps, lists and nulls in values.yaml, maps the
 * chart documents as free-form, and subcharts whose values files are not pinned.
 *
 * The stacks install the same releases without Flux (stacks/_flux-releases.ts reads
 * these objects back into plain Helm releases).
 *
 * The pods the chart will run can be declared (`workloads`); they are recorded on the
 * HelmRelease as the `k8s-platform-kit.dev/workloads` annotation, which the capacity
 * planner counts (docs/capacity.md).
 *
 * @see https://fluxcd.io/flux/components/helm/helmreleases/
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { IHelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2/HelmRelease';
import type { IHelmRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/HelmRepository';
import { CHART_VALUE_KEYS, type ValuesKeyTree } from '../imports/chart-values.js';
import { editDistance } from '../core/suggest.js';
import {
  RELEASE_WORKLOADS_ANNOTATION, normalizeReleaseWorkload, releaseWorkloadsProblem,
  type ReleaseToleration, type ReleaseWorkload, type ReleaseWorkloadKind,
} from '../core/release-workloads.js';

export type { ValuesKeyTree };
export { RELEASE_WORKLOADS_ANNOTATION };
export type { ReleaseToleration, ReleaseWorkload, ReleaseWorkloadKind };
import { dns1123LabelProblem } from '../core/names.js';
import { CAPABILITIES, CAPABILITY_NAMES, PROVIDES_ANNOTATION, type Capability } from '../core/capabilities.js';
import { PropsValidator } from '../core/errors.js';

/** Helm values: a tree of maps, lists and scalars, as values.yaml holds them. */
export type HelmValues = Readonly<Record<string, unknown>>;

/** What {@link HelmChart} records about a pinned chart. */
interface HelmChartSpec {
  /** The chart's name in its repository. */
  readonly name: string;
  /** The exact chart version. */
  readonly version: string;
  /** The repository: `https://…` (a Helm repository index) or `oci://…` (an OCI registry). */
  readonly repository: string;
  /**
   * The chart's entry in constructs/imports/chart-values.ts, or, for a chart whose
   * values.yaml is not pinned, the keys the kit sets, declared in code from the chart's
   * documentation (a smaller check: only those keys are accepted).
   */
  readonly index: string | { readonly declared: ValuesKeyTree; readonly source: string };
  /** Value paths (dotted, `*` for any one key) that accept any keys, each with the reason. */
  readonly openValues: Readonly<Record<string, string>>;
}

/**
 * A pinned upstream chart whose values.yaml the kit indexes. Raising a version means
 * copying the new values.yaml into ../shared/third-party and running
 * constructs/imports/regenerate.sh.
 */
export class HelmChart {
  /**
   * kube-prometheus-stack 88.5.3 (prometheus-operator v0.93.1, Prometheus v3.14.0,
   * Alertmanager v0.34.0).
   * @see https://github.com/prometheus-community/helm-charts/tree/main/charts/kube-prometheus-stack
   */
  public static readonly KUBE_PROMETHEUS_STACK = new HelmChart({
    name: 'kube-prometheus-stack',
    version: '88.5.3',
    repository: 'https://prometheus-community.github.io/helm-charts',
    index: 'kube-prometheus-stack',
    openValues: {
      // Subcharts (Chart.yaml dependencies): their values files are not pinned, so their keys cannot be checked.
      'grafana': 'the grafana subchart (12.11.1); its values.yaml is not pinned',
      'kube-state-metrics': 'the kube-state-metrics subchart (8.4.0); its values.yaml is not pinned',
      'prometheus-node-exporter': 'the prometheus-node-exporter subchart (4.56.1); its values.yaml is not pinned',
      'prometheus-windows-exporter': 'the prometheus-windows-exporter subchart (0.12.*); its values.yaml is not pinned',
      // Documented as free-form: the chart writes it out as the Alertmanager configuration file.
      'alertmanager.config': 'the Alertmanager configuration file (checked by amtool, not by the chart)',
    },
  });

  /**
   * metrics-server 3.13.1 (metrics-server 0.8.1).
   * @see https://github.com/kubernetes-sigs/metrics-server/tree/master/charts/metrics-server
   */
  public static readonly METRICS_SERVER = new HelmChart({
    name: 'metrics-server',
    version: '3.13.1',
    repository: 'https://kubernetes-sigs.github.io/metrics-server/',
    index: 'metrics-server',
    openValues: {
      // Documented as a Kubernetes ResourceRequirements; values.yaml shows only `requests`.
      'resources': 'a container ResourceRequirements (values.yaml only shows requests)',
      'addonResizer.resources': 'a container ResourceRequirements',
    },
  });

  /**
   * fluent-bit 0.58.1 (Fluent Bit 5.1.1).
   * @see https://github.com/fluent/helm-charts/tree/main/charts/fluent-bit
   */
  public static readonly FLUENT_BIT = new HelmChart({
    name: 'fluent-bit',
    version: '0.58.1',
    repository: 'https://fluent.github.io/helm-charts',
    index: 'fluent-bit',
    openValues: {
      'resources': 'a container ResourceRequirements',
    },
  });

  /**
   * Envoy Gateway v1.9.0 (the `gateway-helm` chart, published to Docker Hub as OCI).
   * @see https://gateway.envoyproxy.io/docs/install/install-helm/
   */
  public static readonly ENVOY_GATEWAY = new HelmChart({
    name: 'gateway-helm',
    version: 'v1.9.0',
    repository: 'oci://docker.io/envoyproxy',
    index: 'envoy-gateway',
    openValues: {
      'config.envoyGateway': 'the EnvoyGateway configuration object, passed through',
      'deployment.envoyGateway.resources': 'a container ResourceRequirements',
    },
  });

  /**
   * ingress-nginx 4.15.1 (controller 1.15.1). Retired upstream in March 2026: for clusters
   * that still run it; new ingress should use Envoy Gateway.
   * @see https://github.com/kubernetes/ingress-nginx/tree/main/charts/ingress-nginx
   */
  public static readonly INGRESS_NGINX = new HelmChart({
    name: 'ingress-nginx',
    version: '4.15.1',
    repository: 'https://kubernetes.github.io/ingress-nginx',
    index: 'ingress-nginx',
    openValues: {
      'controller.config': 'the controller ConfigMap: any ingress-nginx configuration option',
      'controller.resources': 'a container ResourceRequirements',
    },
  });

  /**
   * AWS Load Balancer Controller 3.5.0 (controller v3.5.0), published to the eks-charts
   * repository from the controller's own `helm/` folder.
   * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/installation/
   */
  public static readonly AWS_LOAD_BALANCER_CONTROLLER = new HelmChart({
    name: 'aws-load-balancer-controller',
    version: '3.5.0',
    repository: 'https://aws.github.io/eks-charts',
    index: 'aws-load-balancer-controller',
    openValues: {
      // Written into the container spec with toYaml; values.yaml shows only three of its fields
      // (and leaves `capabilities` commented out), while the restricted Pod Security profile needs more.
      'securityContext': 'a container SecurityContext (values.yaml shows only some of its fields)',
    },
  });

  /**
   * Cluster Autoscaler chart 9.59.0 (cluster-autoscaler 1.35.0).
   * @see https://github.com/kubernetes/autoscaler/tree/master/cluster-autoscaler/charts/cluster-autoscaler
   */
  public static readonly CLUSTER_AUTOSCALER = new HelmChart({
    name: 'cluster-autoscaler',
    version: '9.59.0',
    repository: 'https://kubernetes.github.io/autoscaler',
    index: 'cluster-autoscaler',
    openValues: {
      // Documented as "Additional container arguments": any cluster-autoscaler flag, as `flag: value`.
      'extraArgs': 'any cluster-autoscaler command-line flag, as `flag: value` (values.yaml lists only a few)',
    },
  });

  /**
   * external-dns chart 1.21.1 (ExternalDNS 0.21.0).
   * @see https://github.com/kubernetes-sigs/external-dns/tree/master/charts/external-dns
   */
  public static readonly EXTERNAL_DNS = new HelmChart({
    name: 'external-dns',
    version: '1.21.1',
    repository: 'https://kubernetes-sigs.github.io/external-dns/',
    index: 'external-dns',
    openValues: {},
  });

  /**
   * Velero chart 12.1.0 (Velero 1.18.1). Plugins are added as init containers.
   * @see https://github.com/vmware-tanzu/helm-charts/tree/main/charts/velero
   */
  public static readonly VELERO = new HelmChart({
    name: 'velero',
    version: '12.1.0',
    repository: 'https://vmware-tanzu.github.io/helm-charts',
    index: 'velero',
    openValues: {},
  });

  /**
   * NVIDIA device plugin chart 0.20.0 (k8s-device-plugin v0.20.0).
   * @see https://github.com/NVIDIA/k8s-device-plugin#deployment-via-helm
   */
  public static readonly NVIDIA_DEVICE_PLUGIN = new HelmChart({
    name: 'nvidia-device-plugin',
    version: '0.20.0',
    repository: 'https://nvidia.github.io/k8s-device-plugin',
    index: 'nvidia-device-plugin',
    openValues: {
      // Subchart (Chart.yaml dependency, installed only with nfd.enabled or gfd.enabled): its values file is not pinned.
      'nfd': 'the node-feature-discovery subchart (0.19.0); its values.yaml is not pinned',
    },
  });

  /** The chart's name in its repository. */
  public readonly name: string;
  /** The exact chart version. */
  public readonly version: string;
  /** The repository URL (`https://…` or `oci://…`). */
  public readonly repository: string;
  /** Value paths that accept any keys, each with the reason. */
  public readonly openValues: Readonly<Record<string, string>>;
  /** The key tree of the chart's values.yaml. */
  public readonly valueKeys: ValuesKeyTree;

  /**
   * cert-manager v1.21.1. Its values.yaml is not pinned (only its CRDs are), so the kit
   * accepts just the keys it declares here, from the chart's documented values.
   * @see https://cert-manager.io/docs/installation/helm/
   */
  public static readonly CERT_MANAGER = new HelmChart({
    name: 'cert-manager',
    version: 'v1.21.1',
    repository: 'https://charts.jetstack.io',
    index: {
      source: 'the cert-manager chart documentation (values.yaml is not pinned)',
      declared: {
        crds: { enabled: 0, keep: 0 },
        replicaCount: 0,
        resources: 1,
        podDisruptionBudget: { enabled: 0, minAvailable: 0 },
        config: 1,
        prometheus: { enabled: 0, servicemonitor: { enabled: 0, labels: 1 } },
        webhook: { replicaCount: 0, resources: 1 },
        cainjector: { replicaCount: 0, resources: 1 },
      },
    },
    openValues: {
      'config': 'the controller configuration object (ControllerConfiguration), passed through',
    },
  });

  private constructor(spec: HelmChartSpec) {
    let keys: ValuesKeyTree;
    if (typeof spec.index === 'string') {
      const indexed = CHART_VALUE_KEYS[spec.index];
      if (!indexed || indexed.version !== spec.version) {
        throw new Error(`HelmChart ${spec.name} ${spec.version}: constructs/imports/chart-values.ts indexes ${indexed ? `version ${indexed.version}` : 'no such chart'}; run constructs/imports/regenerate.sh`);
      }
      keys = indexed.keys;
    } else {
      keys = spec.index.declared;
    }
    this.name = spec.name;
    this.version = spec.version;
    this.repository = spec.repository;
    this.openValues = spec.openValues;
    this.valueKeys = keys;
  }

  /** `kube-prometheus-stack 88.5.3` */
  public toString(): string {
    return `${this.name} ${this.version}`;
  }
}

/** A values key the chart does not have. */
export interface UnknownValueKey {
  /** The key's path, dotted (`prometheus.prometheusSpec.retension`). */
  readonly path: string;
  /**
   * The closest key at the same level, when one is close.
   * @default - none: no key at that level is close
   */
  readonly suggestion?: string;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** `a.b`, or `a["b.c"]` for a key that is not a plain identifier. */
function joinPath(parent: string, key: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(key)) return parent === '' ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

function isOpen(segments: readonly string[], open: readonly (readonly string[])[]): boolean {
  return open.some((prefix) => prefix.length <= segments.length && prefix.every((part, i) => part === '*' || part === segments[i]));
}


function closest(key: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(key, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * The value keys of `values` that `chart`'s values.yaml does not have, depth first in the
 * order given. Keys under an open path (the chart's `openValues`, or an empty map, list or
 * null in values.yaml) are not checked.
 */
export function unknownValueKeys(chart: HelmChart, values: HelmValues): UnknownValueKey[] {
  const open = Object.keys(chart.openValues).map((path) => path.split('.'));
  const found: UnknownValueKey[] = [];
  const walk = (tree: ValuesKeyTree, value: Record<string, unknown>, segments: string[], path: string) => {
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined) continue; // not set: nothing reaches Helm
      const childSegments = [...segments, key];
      const childPath = joinPath(path, key);
      if (isOpen(childSegments, open)) continue;
      const node = typeof tree === 'object' ? tree[key] : undefined;
      if (node === undefined) {
        const suggestion = typeof tree === 'object' ? closest(key, Object.keys(tree)) : undefined;
        found.push({ path: childPath, ...(suggestion !== undefined && { suggestion }) });
        continue;
      }
      if (node === 1 || !isPlainObject(child)) continue;
      walk(node, child, childSegments, childPath);
    }
  };
  walk(chart.valueKeys, values as Record<string, unknown>, [], '');
  return found;
}

/** A value whose type is not the type of the chart's default at its key, or that does not survive serialization. */
export interface MistypedValue {
  /** The value's path, dotted (`prometheus.prometheusSpec.replicas`). */
  readonly path: string;
  /** The value given. */
  readonly value: unknown;
  /** What is wrong, as the rest of a sentence: `is a string; the chart's default is a number`. */
  readonly problem: string;
}

/** The kind of a value, as a message names it. */
function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isPlainObject(value)) return 'a map';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return `a ${typeof value}`;
}

/**
 * The values of `values` whose type differs from the type of the default at the same key of
 * the chart's values.yaml (`replicas: 'two'` where the default is `1`), and the numbers that
 * would not reach Helm as given (`NaN` and `Infinity` serialize as `null`, which Helm reads
 * as "delete this key"). `null` is accepted anywhere (it asks Helm for the default's removal),
 * and nothing under an open path is typed.
 */
export function mistypedValues(chart: HelmChart, values: HelmValues): MistypedValue[] {
  const open = Object.keys(chart.openValues).map((path) => path.split('.'));
  const found: MistypedValue[] = [];
  const nonFinite = (value: unknown, path: string): void => {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      found.push({ path, value, problem: 'is not a finite number, and would reach Helm as null (which removes the key)' });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => nonFinite(item, `${path}[${i}]`));
    } else if (isPlainObject(value)) {
      for (const [key, item] of Object.entries(value)) nonFinite(item, joinPath(path, key));
    }
  };
  const walk = (tree: ValuesKeyTree, value: Record<string, unknown>, segments: string[], path: string) => {
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined || child === null) continue;
      const childSegments = [...segments, key];
      const childPath = joinPath(path, key);
      const node = typeof tree === 'object' ? tree[key] : undefined;
      if (node === undefined || node === 1 || node === 0 || isOpen(childSegments, open)) {
        nonFinite(child, childPath);
        continue;
      }
      if (typeof node === 'object') {
        if (isPlainObject(child)) walk(node, child, childSegments, childPath);
        else found.push({ path: childPath, value: child, problem: `is ${kindOf(child)}; the chart's default is a map` });
        continue;
      }
      const finite = typeof child !== 'number' || Number.isFinite(child);
      if (typeof child !== node || !finite) {
        found.push({ path: childPath, value: child, problem: `is ${kindOf(child)}; the chart's default is a ${node}` });
      }
    }
  };
  walk(chart.valueKeys, values as Record<string, unknown>, [], '');
  return found;
}

/** Properties of {@link HelmChartRelease}. */
export interface HelmChartReleaseProps {
  /** The pinned chart, e.g. `HelmChart.KUBE_PROMETHEUS_STACK`. */
  readonly chart: HelmChart;
  /**
   * The namespace the chart is installed into. The HelmRepository and the HelmRelease live
   * there too, so no cross-namespace reference is needed (Flux's multi-tenancy lockdown
   * forbids them).
   */
  readonly namespace: string;
  /**
   * The Helm release name; also the name of the HelmRepository and HelmRelease objects.
   * @default - the chart's name
   */
  readonly releaseName?: string;
  /**
   * The chart's values. Every key must exist in the pinned chart's values.yaml, except
   * under the chart's open paths (`HelmChart.openValues`).
   * @default {} - the chart's defaults
   */
  readonly values?: HelmValues;
  /**
   * Have Helm create the namespace. Leave it off when the namespace is an object of the App.
   * @default false
   */
  readonly createNamespace?: boolean;
  /**
   * How often Flux reconciles the release (a Go duration).
   * @default '30m'
   */
  readonly interval?: string;
  /**
   * How long each Helm action (install, upgrade, rollback) may take.
   * @default '10m'
   */
  readonly timeout?: string;
  /**
   * The pods the chart will run, with what each requests: recorded on the HelmRelease as the
   * `k8s-platform-kit.dev/workloads` annotation (JSON) for the capacity planner, which counts
   * them like the App's own pods. Hooks (Jobs that run at install) are not workloads.
   * @default [] - no annotation: the planner lists the release as not counted
   * @see docs/capacity.md
   */
  readonly workloads?: readonly ReleaseWorkload[];
  /**
   * The cluster capabilities the chart provides once installed (cert-manager, a Gateway API
   * implementation, …): recorded on the HelmRelease as the `k8s-platform-kit.dev/provides`
   * annotation, which the capability check counts for every object validated with it.
   * @default [] - the release provides no capability the check knows
   * @see docs/capabilities.md
   */
  readonly provides?: readonly Capability[];
}

/** Defaults of {@link HelmChartReleaseProps}. */
export const HELM_CHART_RELEASE_DEFAULTS = {
  interval: '30m',
  timeout: '10m',
  /** How often Flux refreshes the repository index; the chart version is pinned, so rarely. */
  repositoryInterval: '12h',
  /** Install and upgrade retries before Flux gives up (the upgrade rolls back first). */
  retries: 3,
  createNamespace: false,
} as const;

const GO_DURATION = /^(\d+(\.\d+)?(ms|s|m|h))+$/;

/** A pinned Helm chart installed by Flux, its values checked against the chart. */
export class HelmChartRelease extends Construct {
  /** The pinned chart. */
  public readonly chart: HelmChart;
  /** The Helm release name. */
  public readonly releaseName: string;
  /** The namespace the chart is installed into. */
  public readonly namespace: string;
  /** The values handed to Helm (a copy of the props' values). */
  public readonly values: HelmValues;
  /** The pods the chart will run, as recorded in the workloads annotation (replicas resolved). */
  public readonly workloads: readonly ReleaseWorkload[];
  /** The cluster capabilities the chart provides once installed. */
  public readonly provides: readonly Capability[];
  /** The Flux HelmRepository the chart comes from. */
  public readonly repository: ApiObject;
  /** The Flux HelmRelease. */
  public readonly release: ApiObject;

  constructor(scope: Construct, id: string, props: HelmChartReleaseProps) {
    super(scope, id);
    const v = new PropsValidator('HelmChartRelease', this);
    this.chart = props.chart;
    this.namespace = props.namespace;
    this.releaseName = props.releaseName ?? props.chart.name;
    v.check('namespace', this.namespace, dns1123LabelProblem);
    v.check('releaseName', this.releaseName, dns1123LabelProblem);
    const interval = props.interval ?? HELM_CHART_RELEASE_DEFAULTS.interval;
    const timeout = props.timeout ?? HELM_CHART_RELEASE_DEFAULTS.timeout;
    for (const [field, value] of [['interval', interval], ['timeout', timeout]] as const) {
      if (!GO_DURATION.test(value)) throw v.error({ field, value, problem: 'is not a Go duration', expected: "e.g. '30m' or '1h'" });
    }
    const values = props.values ?? {};
    if (!isPlainObject(values)) throw v.error({ field: 'values', value: values, problem: 'is not a map of chart values' });
    // Typed before the copy: serializing turns NaN into null, which would hide it.
    const [mistyped] = mistypedValues(this.chart, values);
    if (mistyped) {
      throw v.error({
        field: `values.${mistyped.path}`,
        value: mistyped.value,
        problem: mistyped.problem,
        expected: `a value of the type ${this.chart}'s values.yaml gives the key, or the path declared open in HelmChart if the chart takes several`,
      });
    }
    this.values = JSON.parse(JSON.stringify(values)) as HelmValues;
    const [unknown] = unknownValueKeys(this.chart, this.values);
    if (unknown) {
      throw v.error({
        field: `values.${unknown.path}`,
        problem: `is not a key of ${this.chart}'s values.yaml, so Helm would ignore it`
          + (unknown.suggestion !== undefined ? ` (did you mean '${unknown.suggestion}'?)` : ''),
        expected: 'only keys the chart defines, or the path declared open in HelmChart if the chart documents it as free-form',
      });
    }

    const workloadsProblem = releaseWorkloadsProblem(props.workloads ?? []);
    if (workloadsProblem) throw v.conflict(workloadsProblem);
    this.workloads = (props.workloads ?? []).map(normalizeReleaseWorkload);
    this.provides = [...(props.provides ?? [])];
    const unknownCapability = this.provides.find((name) => !(name in CAPABILITIES));
    if (unknownCapability !== undefined) {
      throw v.error({ field: 'provides', value: unknownCapability, problem: 'is not a capability', expected: `one of: ${CAPABILITY_NAMES.join(', ')}` });
    }
    const annotations: Record<string, string> = {
      ...(this.workloads.length > 0 && { [RELEASE_WORKLOADS_ANNOTATION]: JSON.stringify(this.workloads) }),
      ...(this.provides.length > 0 && { [PROVIDES_ANNOTATION]: this.provides.join(',') }),
    };

    const metadata = { name: this.releaseName, namespace: this.namespace };
    const repository: IHelmRepository = {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmRepository',
      metadata,
      spec: {
        url: this.chart.repository,
        interval: HELM_CHART_RELEASE_DEFAULTS.repositoryInterval,
        ...(this.chart.repository.startsWith('oci://') && { type: 'oci' }),
      },
    };
    this.repository = new ApiObject(this, 'Repository', repository);
    const remediation = { retries: HELM_CHART_RELEASE_DEFAULTS.retries };
    const release: IHelmRelease = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: {
        ...metadata,
        ...(Object.keys(annotations).length > 0 && { annotations }),
      },
      spec: {
        releaseName: this.releaseName,
        interval,
        timeout,
        chart: {
          spec: {
            chart: this.chart.name,
            version: this.chart.version,
            sourceRef: { kind: 'HelmRepository', name: this.releaseName },
          },
        },
        // CRDs follow the chart on upgrades too (Flux's default skips them, leaving old CRDs
        // under a new operator).
        install: { crds: 'CreateReplace', createNamespace: props.createNamespace ?? HELM_CHART_RELEASE_DEFAULTS.createNamespace, remediation },
        upgrade: { crds: 'CreateReplace', cleanupOnFail: true, remediation: { ...remediation, remediateLastFailure: true, strategy: 'rollback' } },
        values: this.values as Record<string, unknown>,
      },
    };
    this.release = new ApiObject(this, 'Resource', release);
  }
}
