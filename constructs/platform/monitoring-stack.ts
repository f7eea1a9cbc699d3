/**
 * MonitoringStack: the Prometheus Operator stack as one construct. kube-prometheus-stack
 * (Prometheus, Alertmanager, the operator, Grafana, kube-state-metrics, node-exporter) and
 * metrics-server as pinned HelmChartReleases; Alertmanager routing to Slack, PagerDuty,
 * email and webhooks with every secret mounted from a Secret; the kit's workload and node
 * alerts, per-service SLO burn-rate alerts and a request-rate anomaly alert as
 * PrometheusRules; escalation of unacknowledged pages; USE and RED dashboards.
 *
 * @see docs/constructs/monitoring-stack.md
 */
import { SECRET_DATA_KEY } from '../core/secret-ref.js';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { dns1123LabelProblem, dns1123SubdomainProblem, labelValueProblem } from '../core/names.js';
import { PropsValidator } from '../core/errors.js';
import { METRICS_DEFAULTS, MONITORING_LABELS } from '../workloads/metrics.js';
import { IngressPeer } from '../workloads/exposure.js';
import { buildAlerting, resolveEscalation, type Alerting } from './_monitoring-alerting.js';
import { dashboardQueries, redDashboard, useDashboard } from './_monitoring-dashboards.js';
import {
  alertRuleSpec, prometheusDurationMs, sloRuleGroup, withEscalation, workloadAlerts,
  type AlertRule, type LabelMatchers, type MetricSelector, type ResolvedSlo, type RuleGroupSpec, type ServiceSlo,
} from './_monitoring-rules.js';
import {
  GRAFANA_DASHBOARD_LABEL, MONITORING_RESOURCE_DEFAULTS, kubePrometheusStackValues, kubePrometheusStackWorkloads, managedControlPlaneValues, mergeValues,
  metricsServerValues, metricsServerWorkloads, resolvePrometheusStorage, resourceRequirements, type GrafanaAdmin, type MonitoringResources, type PrometheusStorage,
} from './_monitoring-values.js';
import { promqlProblem } from './_promql.js';
import { HelmChart, HelmChartRelease, type HelmValues } from './helm-release.js';

export type { AlertRoute, Alerting, EmailReceiver, Escalation, PagerDutyReceiver, Receiver, SlackReceiver, WebhookReceiver } from './_monitoring-alerting.js';
export { ALERTING_DEFAULTS, ALERTMANAGER_SECRETS_DIR } from './_monitoring-alerting.js';
export type { RuleGroupSpec, RuleSpec } from './_monitoring-rules.js';
export type { PrometheusStorage } from './_monitoring-values.js';
export { LabelMatcher, ESCALATION_LABEL, REPLACED_DEFAULT_ALERTS, SLO_BURN_RATES, SLO_ERROR_RATIO_WINDOWS } from './_monitoring-rules.js';
export type { AlertRule, LabelMatchers, LatencySlo, MetricSelector, ServiceSlo, AlertSeverity } from './_monitoring-rules.js';
export { CONFIG_RELOADER_REQUESTS, GRAFANA_DASHBOARD_LABEL, MANAGED_CONTROL_PLANE_COMPONENTS, MONITORING_RESOURCE_DEFAULTS, NODE_EXPORTER_TOLERATIONS } from './_monitoring-values.js';
export type { GrafanaAdmin, MonitoringResources } from './_monitoring-values.js';

/** Where Prometheus keeps its data. */
export interface MonitoringStorage {
  /**
   * The volume's size (a Kubernetes quantity).
   * @default '10Gi'
   */
  readonly size?: string;
  /**
   * The storage class of Prometheus' and Alertmanager's volumes.
   * @default - the cluster's default storage class
   */
  readonly storageClass?: string;
}

/** Properties of {@link MonitoringStack}. */
export interface MonitoringStackProps {
  /**
   * The namespace of the stack (created, with the `privileged` Pod Security level that
   * node-exporter's host access needs).
   * @default 'monitoring'
   */
  readonly namespace?: string;
  /**
   * The kube-prometheus-stack release name (it prefixes the chart's object names).
   * @default 'kube-prometheus-stack'
   */
  readonly releaseName?: string;
  /**
   * How long Prometheus keeps samples (a Prometheus duration).
   * @default '10d'
   */
  readonly retention?: string;
  /**
   * The most disk Prometheus' blocks may use (a Prometheus byte size: `8GiB`, `500MB`);
   * the oldest blocks go first. Must be below `storage.size`.
   * @default - 85% of storage.size, in whole GiB
   */
  readonly retentionSize?: string;
  /**
   * Prometheus' volume. Alertmanager gets a 1Gi volume of the same class for its silences.
   * @default { size: '10Gi' } in the cluster's default storage class
   */
  readonly storage?: MonitoringStorage;
  /**
   * Prometheus replicas (`prometheus.prometheusSpec.replicas`): each scrapes every target,
   * so two keep the alerts running while one is rescheduled.
   * @default 1
   */
  readonly prometheusReplicas?: number;
  /**
   * Alertmanager replicas (`alertmanager.alertmanagerSpec.replicas`), which gossip
   * silences and deduplicate notifications; three survive losing one.
   * @default 1
   */
  readonly alertmanagerReplicas?: number;
  /**
   * Requests and limits per component; each given component replaces its default.
   * @default MONITORING_RESOURCE_DEFAULTS - small, for a development cluster
   */
  readonly resources?: MonitoringResources;
  /** Grafana's admin user and password, from an existing Secret (never a literal). */
  readonly grafanaAdmin: GrafanaAdmin;
  /**
   * Install metrics-server (the resource metrics API that `kubectl top` and CPU/memory HPAs
   * read). Leave it off where the cluster provides it (AKS does; EKS does not by default).
   * @default true
   */
  readonly metricsServer?: boolean;
  /**
   * Who runs the control plane. `managed` (EKS, AKS): the controller manager, scheduler and
   * etcd are not reachable from the cluster and kube-proxy serves its metrics on the node's
   * loopback only, so the chart scrapes none of them and their default alerts and recording
   * rules are off (left on, KubeControllerManagerDown, KubeSchedulerDown, etcd and
   * KubeProxyDown fire from the first minute). `self-managed` (kubeadm and the like) keeps
   * the chart's defaults.
   * @default 'managed'
   */
  readonly controlPlane?: 'managed' | 'self-managed';
  /**
   * Alert routing: receivers, routes by severity and team, the Watchdog, escalation.
   * @default - every alert goes to the `null` receiver (nothing is sent)
   */
  readonly alerting?: Alerting;
  /**
   * Service level objectives, one per service: recording rules, burn-rate alerts and the
   * RED dashboard's series.
   * @default []
   */
  readonly slos?: readonly ServiceSlo[];
  /**
   * Alerting rules of your own (their expressions are checked like the kit's).
   * @default []
   */
  readonly rules?: readonly AlertRule[];
  /**
   * Where the PrometheusRules and the dashboard ConfigMaps are created. They need the
   * operator's CRDs, which the stack's own HelmRelease installs, so in GitOps output they
   * belong in a chart that Flux applies after that release is ready (a chart that depends
   * on the stack's chart): Flux cannot apply a custom resource in the same Kustomization as
   * the release that installs its CRD.
   * @default - the stack itself
   */
  readonly rulesScope?: Construct;
  /**
   * More kube-prometheus-stack values, merged last (maps key by key, lists replaced). Keys
   * are checked against the chart's values.yaml.
   * @default {}
   */
  readonly values?: HelmValues;
}

/** Defaults of {@link MonitoringStackProps}. */
export const MONITORING_STACK_DEFAULTS = {
  // The namespace HardenedDeployment's metrics port admits by default.
  namespace: METRICS_DEFAULTS.scraperNamespace,
  releaseName: 'kube-prometheus-stack',
  retention: '10d',
  storageSize: '10Gi',
  metricsServer: true,
  controlPlane: 'managed',
  grafanaUserKey: 'admin-user',
  grafanaPasswordKey: 'admin-password',
  availability: 99.9,
  sloRunbook: 'https://sre.google/workbook/alerting-on-slos/',
} as const;

/** The names of the PrometheusRules and dashboard ConfigMaps the stack writes. */
export const MONITORING_OBJECT_NAMES = {
  workloadRules: 'kit-workload-alerts',
  sloRules: 'kit-slos',
  extraRules: 'kit-rules',
  useDashboard: 'kit-dashboard-use',
  redDashboard: 'kit-dashboard-red',
} as const;

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const ALERT_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const SEVERITIES = ['critical', 'warning', 'info'];

/** The Prometheus Operator stack, its alerts, routing and dashboards. */
export class MonitoringStack extends Construct {
  /** The namespace of the stack. */
  public readonly namespace: string;
  /** The pods that scrape metrics (Prometheus, in {@link namespace}), for a workload's `metrics.allowFrom`. */
  public readonly scrapers: IngressPeer;
  /** Prometheus' retention and volume, resolved. */
  public readonly storage: PrometheusStorage;
  /**
   * Grafana's Service (port 80): `<releaseName>-grafana`, the name the chart's grafana
   * subchart gives it. For a route; Grafana asks for its own login too.
   */
  public readonly grafanaServiceName: string;
  /** The kube-prometheus-stack release. */
  public readonly prometheusStack: HelmChartRelease;
  /** The metrics-server release, unless `metricsServer` is false. */
  public readonly metricsServer?: HelmChartRelease;
  /** The Alertmanager configuration handed to the chart (`alertmanager.config`). */
  public readonly alertmanagerConfig: Record<string, unknown>;
  /** The rule groups, by PrometheusRule name. */
  public readonly ruleGroups: Readonly<Record<string, readonly RuleGroupSpec[]>>;
  /** The PrometheusRules. */
  public readonly prometheusRules: readonly ApiObject[];
  /** The dashboard ConfigMaps. */
  public readonly dashboards: readonly ApiObject[];

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id);
    const v = new PropsValidator('MonitoringStack', this);
    this.namespace = props.namespace ?? MONITORING_STACK_DEFAULTS.namespace;
    const releaseName = props.releaseName ?? MONITORING_STACK_DEFAULTS.releaseName;
    this.grafanaServiceName = `${releaseName}-grafana`;
    v.check('namespace', this.namespace, dns1123LabelProblem);
    this.scrapers = IngressPeer.namespace(this.namespace);

    this.storage = resolvePrometheusStorage(v, {
      retention: props.retention ?? MONITORING_STACK_DEFAULTS.retention,
      ...(props.retentionSize !== undefined && { retentionSize: props.retentionSize }),
      size: props.storage?.size ?? MONITORING_STACK_DEFAULTS.storageSize,
      ...(props.storage?.storageClass !== undefined && { storageClass: props.storage.storageClass }),
    });
    if (this.storage.storageClass !== undefined) v.check('storage.storageClass', this.storage.storageClass, dns1123SubdomainProblem);
    const resources = Object.fromEntries(Object.entries(MONITORING_RESOURCE_DEFAULTS).map(([component, fallback]) => [
      component,
      resourceRequirements(v, `resources.${component}`, props.resources?.[component as keyof MonitoringResources] ?? fallback),
    ])) as { [K in keyof MonitoringResources]-?: ReturnType<typeof resourceRequirements> };

    if (props.grafanaAdmin === undefined) throw v.error({ field: 'grafanaAdmin', problem: "is missing (Grafana's admin credentials come from a Secret)", expected: "{ secretName: 'grafana-admin' }, a Secret with keys admin-user and admin-password" });
    const grafanaAdmin = {
      secretName: props.grafanaAdmin.secretName,
      userKey: props.grafanaAdmin.userKey ?? MONITORING_STACK_DEFAULTS.grafanaUserKey,
      passwordKey: props.grafanaAdmin.passwordKey ?? MONITORING_STACK_DEFAULTS.grafanaPasswordKey,
    };
    v.check('grafanaAdmin.secretName', grafanaAdmin.secretName, dns1123SubdomainProblem);
    for (const field of ['userKey', 'passwordKey'] as const) {
      v.check(`grafanaAdmin.${field}`, grafanaAdmin[field], (key) => (SECRET_DATA_KEY.test(key) ? undefined : "is not a Secret key (letters, digits, '-', '_' or '.')"));
    }

    const alerting = buildAlerting(v, props.alerting);
    this.alertmanagerConfig = alerting.config;
    const escalation = resolveEscalation(v, props.alerting);

    // Rules: every expression parses, the kit's as much as the user's.
    const checkExpr = (field: string, expr: string) => {
      const problem = promqlProblem(expr);
      if (problem) throw v.error({ field, problem });
    };
    const workloads = withEscalation({ name: 'kit-workloads', rules: workloadAlerts().map(alertRuleSpec) }, escalation);
    const slos = resolveSlos(v, props.slos ?? []);
    const sloGroups = slos.map((slo) => withEscalation(sloRuleGroup(slo), escalation));
    const extra = (props.rules ?? []).map((rule, i) => validateRule(v, `rules[${i}]`, rule));
    const groups: Record<string, RuleGroupSpec[]> = { [MONITORING_OBJECT_NAMES.workloadRules]: [workloads] };
    if (sloGroups.length > 0) groups[MONITORING_OBJECT_NAMES.sloRules] = sloGroups;
    if (extra.length > 0) groups[MONITORING_OBJECT_NAMES.extraRules] = [withEscalation({ name: 'kit-rules', rules: extra.map(alertRuleSpec) }, escalation)];
    workloads.rules.forEach((rule, i) => checkExpr(`the kit's rule ${rule.alert ?? rule.record} (${i})`, rule.expr));
    sloGroups.forEach((group, i) => group.rules.forEach((rule) => checkExpr(`slos[${i}] (rule ${rule.alert ?? rule.record})`, rule.expr)));
    this.ruleGroups = groups;

    const dashboards = [useDashboard(), redDashboard()];
    for (const board of dashboards) dashboardQueries(board).forEach((expr) => checkExpr(`dashboard ${board.uid}`, expr));

    new ApiObject(this, 'Namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: this.namespace,
        labels: {
          // node-exporter reads the host's /proc, /sys and root filesystem, on the host network.
          'pod-security.kubernetes.io/enforce': 'privileged',
          'pod-security.kubernetes.io/audit': 'baseline',
        },
      },
    });

    const values = kubePrometheusStackValues({
      storage: this.storage,
      resources,
      grafanaAdmin,
      alertmanagerConfig: alerting.config,
      alertmanagerSecrets: alerting.secrets,
    }) as unknown as Record<string, unknown>;
    const controlPlane = props.controlPlane ?? MONITORING_STACK_DEFAULTS.controlPlane;
    if (controlPlane !== 'managed' && controlPlane !== 'self-managed') {
      throw v.error({ field: 'controlPlane', value: controlPlane, problem: "is not 'managed' or 'self-managed'" });
    }
    if (controlPlane === 'managed') Object.assign(values, managedControlPlaneValues(values));
    // Replicas only when set: the chart's own default is the documented 1.
    for (const [field, replicas] of [['prometheusReplicas', props.prometheusReplicas], ['alertmanagerReplicas', props.alertmanagerReplicas]] as const) {
      if (replicas !== undefined) v.wholeNumber(field, replicas, 1);
    }
    const replicaValues = {
      ...(props.prometheusReplicas !== undefined && { prometheus: { prometheusSpec: { replicas: props.prometheusReplicas } } }),
      ...(props.alertmanagerReplicas !== undefined && { alertmanager: { alertmanagerSpec: { replicas: props.alertmanagerReplicas } } }),
    };
    const stackValues = mergeValues(mergeValues(values, replicaValues), (props.values ?? {}) as Record<string, unknown>);
    // The pods the charts will run, from the final values, for the capacity planner.
    this.prometheusStack = new HelmChartRelease(this, 'KubePrometheusStack', {
      chart: HelmChart.KUBE_PROMETHEUS_STACK,
      namespace: this.namespace,
      releaseName,
      values: stackValues,
      workloads: kubePrometheusStackWorkloads(v, stackValues),
      provides: ['prometheus-operator'],
    });
    if (props.metricsServer ?? MONITORING_STACK_DEFAULTS.metricsServer) {
      this.metricsServer = new HelmChartRelease(this, 'MetricsServer', {
        chart: HelmChart.METRICS_SERVER,
        namespace: this.namespace,
        values: metricsServerValues(resources.metricsServer),
        workloads: metricsServerWorkloads(resources.metricsServer),
        provides: ['metrics-server'],
      });
    }

    const rulesScope = props.rulesScope ?? this;
    const rulesId = (id: string) => (rulesScope === this ? id : `${this.node.id}-${id}`);
    this.prometheusRules = Object.entries(groups).map(([name, ruleGroups]) => {
      const rule: IPrometheusRule = {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name, namespace: this.namespace, labels: { ...MONITORING_LABELS } },
        spec: { groups: ruleGroups.map((group) => ({ name: group.name, rules: group.rules.map((r) => ({ ...r })) })) },
      };
      return new ApiObject(rulesScope, rulesId(`Rules-${name}`), rule);
    });

    this.dashboards = dashboards.map((board) => new ApiObject(rulesScope, rulesId(`Dashboard-${board.uid}`), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: board.uid === 'kit-use' ? MONITORING_OBJECT_NAMES.useDashboard : MONITORING_OBJECT_NAMES.redDashboard,
        namespace: this.namespace,
        labels: { [GRAFANA_DASHBOARD_LABEL.name]: GRAFANA_DASHBOARD_LABEL.value },
      },
      data: { [`${board.uid}.json`]: JSON.stringify(board.json, null, 2) },
    }));
  }
}

function checkMatchers(v: PropsValidator, field: string, matchers: LabelMatchers | undefined): void {
  for (const [label, matcher] of Object.entries(matchers ?? {})) {
    if (!LABEL_NAME.test(label)) throw v.error({ field: `${field}.${label}`, problem: 'is not a label name', expected: "letters, digits and '_'" });
    const value = typeof matcher === 'string' ? matcher : matcher?.value;
    if (typeof value !== 'string') throw v.error({ field: `${field}.${label}`, value: matcher, problem: 'is not a string or LabelMatcher' });
  }
}

function checkSelector(v: PropsValidator, field: string, selector: MetricSelector | undefined): MetricSelector {
  if (selector === undefined || typeof selector.metric !== 'string' || !METRIC_NAME.test(selector.metric)) {
    throw v.error({ field: `${field}.metric`, value: selector?.metric, problem: 'is not a metric name', expected: "e.g. 'http_requests_total'" });
  }
  checkMatchers(v, `${field}.matchers`, selector.matchers);
  return selector;
}

function checkObjective(v: PropsValidator, field: string, value: number): number {
  if (typeof value !== 'number' || !(value > 0 && value < 100)) {
    throw v.error({ field, value, problem: 'is outside (0, 100)', expected: 'the percentage of good requests, e.g. 99.9' });
  }
  return value;
}

/** Validates the SLOs and resolves their defaults. */
function resolveSlos(v: PropsValidator, slos: readonly ServiceSlo[]): ResolvedSlo[] {
  const seen = new Set<string>();
  return slos.map((slo, i) => {
    const field = `slos[${i}]`;
    const problem = typeof slo.service === 'string' && slo.service !== '' ? labelValueProblem(slo.service) : 'is empty';
    if (problem) throw v.error({ field: `${field}.service`, value: slo.service, problem });
    if (seen.has(slo.service)) throw v.error({ field: `${field}.service`, value: slo.service, problem: 'has an SLO already', expected: 'one entry per service' });
    seen.add(slo.service);
    if (slo.team !== undefined) {
      const teamProblem = slo.team === '' ? 'is empty' : labelValueProblem(slo.team);
      if (teamProblem) throw v.error({ field: `${field}.team`, value: slo.team, problem: teamProblem });
    }
    const requests = checkSelector(v, `${field}.requests`, slo.requests);
    if (slo.errors === undefined || Object.keys(slo.errors).length === 0) {
      throw v.error({ field: `${field}.errors`, problem: 'is empty', expected: "the matchers that select failed requests, e.g. { code: LabelMatcher.regex('5..') }" });
    }
    checkMatchers(v, `${field}.errors`, slo.errors);
    const availability = checkObjective(v, `${field}.availability`, slo.availability ?? MONITORING_STACK_DEFAULTS.availability);
    let latency: ResolvedSlo['latency'];
    if (slo.latency !== undefined) {
      const histogram = checkSelector(v, `${field}.latency.histogram`, slo.latency.histogram);
      const thresholdMs = prometheusDurationMs(slo.latency.threshold);
      if (!(thresholdMs !== undefined && thresholdMs > 0)) {
        throw v.error({ field: `${field}.latency.threshold`, value: slo.latency.threshold, problem: 'is not a duration above zero', expected: "a bucket boundary such as '20ms' or '1s'" });
      }
      latency = { histogram, thresholdSeconds: thresholdMs / 1000, objective: checkObjective(v, `${field}.latency.objective`, slo.latency.objective) };
    }
    return {
      service: slo.service,
      ...(slo.team !== undefined && { team: slo.team }),
      requests,
      errors: slo.errors,
      availability,
      ...(latency !== undefined && { latency }),
      requestRateAnomaly: slo.requestRateAnomaly ?? true,
      runbookUrl: slo.runbookUrl ?? MONITORING_STACK_DEFAULTS.sloRunbook,
    };
  });
}

/** Validates a user's alerting rule. */
function validateRule(v: PropsValidator, field: string, rule: AlertRule): AlertRule {
  if (typeof rule.alert !== 'string' || !ALERT_NAME.test(rule.alert)) throw v.error({ field: `${field}.alert`, value: rule.alert, problem: 'is not an alert name', expected: "e.g. 'TodoApiQueueBacklog'" });
  const problem = typeof rule.expr === 'string' ? promqlProblem(rule.expr) : 'is not a string';
  if (problem) throw v.error({ field: `${field}.expr`, problem });
  if (rule.for !== undefined && prometheusDurationMs(rule.for) === undefined) throw v.error({ field: `${field}.for`, value: rule.for, problem: 'is not a Prometheus duration', expected: "e.g. '5m'" });
  if (!SEVERITIES.includes(rule.severity)) throw v.error({ field: `${field}.severity`, value: rule.severity, problem: 'is not a severity', expected: "'critical', 'warning' or 'info'" });
  for (const key of ['summary', 'description', 'runbookUrl'] as const) {
    if (typeof rule[key] !== 'string' || rule[key].trim() === '') throw v.error({ field: `${field}.${key}`, problem: 'is missing', expected: 'text: every alert says what is wrong, what it means and where its runbook is' });
  }
  for (const label of Object.keys(rule.labels ?? {})) {
    if (!LABEL_NAME.test(label) || label === 'severity') throw v.error({ field: `${field}.labels.${label}`, problem: 'is not a label the rule may set', expected: "letters, digits and '_' (severity is its own field)" });
  }
  return rule;
}
