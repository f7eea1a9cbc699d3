/**
 * The Prometheus rules of MonitoringStack: workload and node alerts, per-service SLOs
 * (multi-window, multi-burn-rate alerts on recorded error ratios), a request-rate anomaly
 * alert, and the escalation copies of paging alerts.
 */
import { prometheusDurationMs } from '../core/config-checks.js';
import { promqlString } from './_promql.js';

/** An alert's severity: `critical` pages, `warning` is a ticket, `info` is context. */
export type AlertSeverity = 'critical' | 'warning' | 'info';

/** One label matcher of a PromQL selector. */
export class LabelMatcher {
  /** `label="value"` */
  public static equals(value: string): LabelMatcher {
    return new LabelMatcher('=', value);
  }

  /** `label!="value"` */
  public static notEquals(value: string): LabelMatcher {
    return new LabelMatcher('!=', value);
  }

  /** `label=~"regex"` (anchored, RE2 syntax), e.g. `LabelMatcher.regex('5..')` for server errors. */
  public static regex(pattern: string): LabelMatcher {
    return new LabelMatcher('=~', pattern);
  }

  /** `label!~"regex"` */
  public static notRegex(pattern: string): LabelMatcher {
    return new LabelMatcher('!~', pattern);
  }

  private constructor(
    /** The PromQL matching operator. */
    public readonly operator: '=' | '!=' | '=~' | '!~',
    /** The value, or the regular expression for `=~` and `!~`. */
    public readonly value: string,
  ) {}
}

/** Label matchers by label name; a string is an equality matcher. */
export type LabelMatchers = Readonly<Record<string, string | LabelMatcher>>;

/** A metric and the matchers that pick one service's series. */
export interface MetricSelector {
  /** The metric name, e.g. `http_requests_total`. */
  readonly metric: string;
  /**
   * The matchers that select this service's series, e.g. `{ job: 'todoapi' }`.
   * @default {} - every series of the metric
   */
  readonly matchers?: LabelMatchers;
}

/** The latency objective of a service: the share of requests faster than a threshold. */
export interface LatencySlo {
  /**
   * The latency histogram, by its base name (`http_request_duration_seconds`: the kit
   * reads `<name>_bucket` and `<name>_count`), with the service's matchers.
   */
  readonly histogram: MetricSelector;
  /**
   * The threshold, as a Prometheus duration (`20ms`, `250ms`, `1s`). It must be one of the
   * histogram's bucket boundaries (`le`).
   */
  readonly threshold: string;
  /** The percentage of requests that must be faster than the threshold, in (0, 100), e.g. 99. */
  readonly objective: number;
}

/** The service level objectives of one service. */
export interface ServiceSlo {
  /** The service's name: the `service` label of its recorded series and alerts. */
  readonly service: string;
  /**
   * The owning team: a `team` label on the service's alerts, for routing.
   * @default - no team label
   */
  readonly team?: string;
  /** The request counter, e.g. `{ metric: 'http_requests_total', matchers: { job: 'todoapi' } }`. */
  readonly requests: MetricSelector;
  /** The matchers that, added to `requests`, select failed requests, e.g. `{ code: LabelMatcher.regex('5..') }`. */
  readonly errors: LabelMatchers;
  /**
   * The availability objective: the percentage of requests that must succeed, in (0, 100).
   * @default 99.9
   */
  readonly availability?: number;
  /**
   * The latency objective.
   * @default - no latency SLO
   */
  readonly latency?: LatencySlo;
  /**
   * Alert when the request rate is more than three standard deviations from its mean over
   * the past day.
   * @default true
   */
  readonly requestRateAnomaly?: boolean;
  /**
   * The runbook of this service's SLO alerts.
   * @default 'https://sre.google/workbook/alerting-on-slos/'
   */
  readonly runbookUrl?: string;
}

/** An alerting rule of your own, added to the stack's rules. */
export interface AlertRule {
  /** The alert name, e.g. `TodoApiQueueBacklog`. */
  readonly alert: string;
  /** The PromQL expression; the alert fires for each series it returns. */
  readonly expr: string;
  /**
   * How long the expression must hold before the alert fires (a Prometheus duration).
   * @default '0s' - fires on the first evaluation
   */
  readonly for?: string;
  /** How urgent the alert is; routes it to a receiver. */
  readonly severity: AlertSeverity;
  /** One line: what is wrong. May use `{{ $labels.x }}` and `{{ $value }}`. */
  readonly summary: string;
  /** What it means and what to look at first. */
  readonly description: string;
  /** The runbook: what to do. */
  readonly runbookUrl: string;
  /**
   * More labels (e.g. `team`, for routing).
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A rule as PrometheusRule groups hold it. */
export interface RuleSpec {
  /**
   * The alert's name, for an alerting rule.
   * @default - none: a recording rule (`record` is set)
   */
  readonly alert?: string;
  /**
   * The name of the series to record, for a recording rule.
   * @default - none: an alerting rule (`alert` is set)
   */
  readonly record?: string;
  /** The PromQL expression. */
  readonly expr: string;
  /**
   * How long the expression must hold before the alert fires (a Prometheus duration).
   * @default - fires on the first evaluation
   */
  readonly for?: string;
  /**
   * Labels added to the alert or the recorded series.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * The alert's annotations: `summary`, `description`, `runbook_url`.
   * @default - none
   */
  readonly annotations?: Record<string, string>;
}

/** A rule group. */
export interface RuleGroupSpec {
  /** The group's name, unique in the PrometheusRule. */
  readonly name: string;
  /** The group's rules, evaluated in order. */
  readonly rules: RuleSpec[];
}

/** How paging alerts escalate (resolved). */
export interface ResolvedEscalation {
  readonly after: string;
  readonly severities: readonly AlertSeverity[];
}

/** The label escalation copies carry; Alertmanager routes them to the backup receiver. */
export const ESCALATION_LABEL = { name: 'escalation', value: 'backup' } as const;

/** The burn-rate windows of the SRE workbook (for a 30-day SLO period). */
export const SLO_ERROR_RATIO_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;

/**
 * Multi-window, multi-burn-rate alerts (SRE workbook, chapter 5, table 5-8): each fires
 * when both the long and the short window burn the error budget faster than the factor.
 */
export const SLO_BURN_RATES = [
  { alert: 'ErrorBudgetBurnFast', severity: 'critical', factor: 14.4, long: '1h', short: '5m', budget: '2% of the 30-day budget in 1 hour' },
  { alert: 'ErrorBudgetBurnFast', severity: 'critical', factor: 6, long: '6h', short: '30m', budget: '5% of the 30-day budget in 6 hours' },
  { alert: 'ErrorBudgetBurnSlow', severity: 'warning', factor: 3, long: '1d', short: '2h', budget: '10% of the 30-day budget in 1 day' },
  { alert: 'ErrorBudgetBurnSlow', severity: 'warning', factor: 1, long: '3d', short: '6h', budget: '10% of the 30-day budget in 3 days' },
] as const;

const UPSTREAM_RUNBOOKS = 'https://runbooks.prometheus-operator.dev/runbooks';

/**
 * The chart's default alerts that the kit's workload alerts replace (same name, same
 * upstream runbook): disabled in the chart so an incident alerts once.
 */
export const REPLACED_DEFAULT_ALERTS = [
  'KubePodCrashLooping', 'KubePodNotReady', 'KubeHpaMaxedOut', 'CPUThrottlingHigh',
  'KubePersistentVolumeFillingUp', 'NodeFilesystemAlmostOutOfSpace', 'KubeNodeNotReady',
] as const;

const KSM = 'job="kube-state-metrics"';

/** The kit's workload and node alerts (kube-state-metrics, kubelet/cAdvisor and node-exporter metrics). */
export function workloadAlerts(): AlertRule[] {
  return [
    {
      alert: 'KubePodCrashLooping',
      expr: `max_over_time(kube_pod_container_status_waiting_reason{${KSM}, reason="CrashLoopBackOff"}[5m]) >= 1`,
      for: '15m',
      severity: 'warning',
      summary: 'Pod {{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) is crash looping.',
      description: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} has been in CrashLoopBackOff for 15 minutes: it starts and exits again. Read its previous logs (kubectl logs --previous) and events.',
      runbookUrl: `${UPSTREAM_RUNBOOKS}/kubernetes/kubepodcrashlooping`,
    },
    {
      alert: 'KubePodNotReady',
      expr: `min by (namespace, pod) (kube_pod_status_ready{${KSM}, condition="true"}) == 0\nand on (namespace, pod)\nmax by (namespace, pod) (kube_pod_status_phase{${KSM}, phase=~"Pending|Running|Unknown"}) == 1`,
      for: '15m',
      severity: 'warning',
      summary: 'Pod {{ $labels.namespace }}/{{ $labels.pod }} has not been ready for 15 minutes.',
      description: 'The pod is pending, unknown or running without passing its readiness probe, so it receives no traffic. Check its events (scheduling, image pulls) and its readiness probe.',
      runbookUrl: `${UPSTREAM_RUNBOOKS}/kubernetes/kubepodnotready`,
    },
    {
      alert: 'KubeDeploymentReplicasUnavailable',
      expr: `kube_deployment_status_replicas_unavailable{${KSM}} > 0`,
      for: '15m',
      severity: 'warning',
      summary: 'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has {{ $value }} unavailable replicas.',
      description: 'Replicas of the deployment have been unavailable for 15 minutes: a rollout is stuck, or pods cannot be scheduled (capacity, "Too many pods") or do not become ready.',
      runbookUrl: `${UPSTREAM_RUNBOOKS}/kubernetes/kubedeploymentreplicasmismatch`,
    },
    {
      alert: 'KubeHpaMaxedOut',
      expr: `kube_horizontalpodautoscaler_status_current_replicas{${KSM}}\n  == on (namespace, horizontalpodautoscaler)\nkube_horizontalpodautoscaler_spec_max_replicas{${KSM}}`,
      for: '15m',
      severity: 'warning',
      summary: 'HPA {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} has run at its maximum replicas for 15 minutes.',
      description: 'The autoscaler wants more replicas than maxReplicas allows: the workload is saturated. Raise maxReplicas (if the cluster has room) or find why load grew.',
      runbookUrl: `${UPSTREAM_RUNBOOKS}/kubernetes/kubehpamaxedout`,
    },
    {
      alert: 'KubeContainerOOMKilled',
      expr: `(kube_pod_container_status_restarts_total{${KSM}} - kube_pod_container_status_restarts_total{${KSM}} offset 10m >= 1)\nand ignoring (reason)\nmin_over_time(kube_pod_container_status_last_terminated_reason{${KSM}, reason="OOMKilled"}[10m]) == 1`,
      severity: 'warning',
      summary: 'Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} was OOM-killed.',
      description: 'The container restarted in the last 10 minutes because it used more memory than its limit. Compare its working set with the limit; raise the limit or fix the leak.',
      runbookUrl: 'https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/#exceed-a-container-s-memory-limit',
    },
    {
      alert: 'CPUThrottlingHigh',
      expr: 'sum by (namespace, pod, container) (increase(container_cpu_cfs_throttled_periods_total{container!=""}[5m]))\n  /\nsum by (namespace, pod, container) (increase(container_cpu_cfs_periods_total{container!=""}[5m]))\n  > 0.25',
      for: '15m',
      severity: 'info',
      summary: 'Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} is CPU-throttled {{ $value | humanizePercentage }} of the time.',
      description: 'More than 25% of its CPU periods hit the CPU limit: requests slow down. Raise or remove the CPU limit (requests still reserve CPU).',
      runbookUrl: `${UPSTREAM_RUNBOOKS}/kubernetes/cputhrottlinghigh`,
    },
    {
      alert: 'KubePersistentVolumeFillingUp',
      expr: 'kubelet_volume_stats_available_bytes{job="kubelet"} / kubelet_volume_stats_capacity_bytes{job="kubelet"} < 0.10\nand\nkubelet_volume_stats_used_bytes{job="kubelet"} > 0',
      for: '5m',
      severity: 'warning',
      summary: 'Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is {{ $value | humanizePercentage }} free.',
      description: 'Less than 10% of the volume is free. Expand the claim (if its storage class allows expansion), or delete data, before the application fails its writes.',
      runbookUrl: `${UPSTREAM_RUNBOOKS}/kubernetes/kubepersistentvolumefillingup`,
    },
    {
      alert: 'NodeFilesystemAlmostOutOfSpace',
      expr: 'node_filesystem_avail_bytes{job="node-exporter", fstype!="", mountpoint!=""} / node_filesystem_size_bytes{job="node-exporter", fstype!="", mountpoint!=""} < 0.10\nand\nnode_filesystem_readonly{job="node-exporter", fstype!="", mountpoint!=""} == 0',
      for: '30m',
      severity: 'warning',
      summary: 'Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} is {{ $value | humanizePercentage }} free.',
      description: 'Less than 10% of a node filesystem is free. The kubelet evicts pods when it crosses its eviction threshold; clean images and logs or grow the disk.',
      runbookUrl: `${UPSTREAM_RUNBOOKS}/node/nodefilesystemalmostoutofspace`,
    },
    {
      alert: 'KubeNodeNotReady',
      expr: `kube_node_status_condition{${KSM}, condition="Ready", status="true"} == 0`,
      for: '15m',
      severity: 'warning',
      summary: 'Node {{ $labels.node }} has been unready for 15 minutes.',
      description: 'The node does not report Ready: its pods are evicted after the toleration timeout. Check the kubelet, the node\'s pressure conditions and the cloud instance.',
      runbookUrl: `${UPSTREAM_RUNBOOKS}/kubernetes/kubenodenotready`,
    },
  ];
}

/** `{a="b", c=~"d"}` (an empty string for no matchers). */
export function selectorText(matchers: LabelMatchers): string {
  const parts = Object.entries(matchers).map(([label, matcher]) => {
    const m = typeof matcher === 'string' ? LabelMatcher.equals(matcher) : matcher;
    return `${label}${m.operator}${promqlString(m.value)}`;
  });
  return parts.length === 0 ? '' : `{${parts.join(', ')}}`;
}

/** A number as PromQL writes it, without float noise (`0.001`, not `0.0010000000000000009`). */
export function promqlNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/** The fraction of the error budget: `1 - objective / 100`. */
export function errorBudget(objectivePercent: number): number {
  return Number(((100 - objectivePercent) / 100).toPrecision(12));
}

/**
 * A bucket boundary as Prometheus 3 writes `le` labels: integral values keep `.0`
 * (`1.0`), others their shortest decimal (`0.02`).
 */
export function leLabel(seconds: number): string {
  const text = String(Number(seconds.toPrecision(12)));
  return /^\d+$/.test(text) ? `${text}.0` : text;
}

/** A resolved SLO, as {@link sloRuleGroup} needs it. */
export interface ResolvedSlo {
  readonly service: string;
  readonly team?: string;
  readonly requests: MetricSelector;
  readonly errors: LabelMatchers;
  readonly availability: number;
  readonly latency?: { readonly histogram: MetricSelector; readonly thresholdSeconds: number; readonly objective: number };
  readonly requestRateAnomaly: boolean;
  readonly runbookUrl: string;
}

const serviceSelector = (service: string, slo?: string) =>
  selectorText({ service, ...(slo !== undefined && { slo }) });

/** Recording and alerting rules of one service: error ratios, burn-rate alerts, anomaly. */
export function sloRuleGroup(slo: ResolvedSlo): RuleGroupSpec {
  const rules: RuleSpec[] = [];
  const base = { service: slo.service };
  const requestMatchers = slo.requests.matchers ?? {};
  const requests = (window: string) => `sum(rate(${slo.requests.metric}${selectorText(requestMatchers)}[${window}]))`;
  const errors = (window: string) => `sum(rate(${slo.requests.metric}${selectorText({ ...requestMatchers, ...slo.errors })}[${window}]))`;
  const objectives: { slo: string; objective: number; ratio: (window: string) => string; what: string }[] = [
    { slo: 'availability', objective: slo.availability, ratio: (w) => `${errors(w)}\n/\n${requests(w)}`, what: 'failed requests' },
  ];
  if (slo.latency) {
    const { histogram, thresholdSeconds, objective } = slo.latency;
    const matchers = histogram.matchers ?? {};
    const fast = (w: string) => `sum(rate(${histogram.metric}_bucket${selectorText({ ...matchers, le: leLabel(thresholdSeconds) })}[${w}]))`;
    const all = (w: string) => `sum(rate(${histogram.metric}_count${selectorText(matchers)}[${w}]))`;
    objectives.push({ slo: 'latency', objective, ratio: (w) => `1 - (\n${fast(w)}\n/\n${all(w)}\n)`, what: `requests slower than ${thresholdSeconds * 1000} ms` });
  }
  for (const objective of objectives) {
    for (const window of SLO_ERROR_RATIO_WINDOWS) {
      rules.push({ record: `service:sli_error:ratio_rate${window}`, expr: objective.ratio(window), labels: { ...base, slo: objective.slo } });
    }
  }
  const labels = { ...base, ...(slo.team !== undefined && { team: slo.team }) };
  for (const objective of objectives) {
    const budget = errorBudget(objective.objective);
    const selector = serviceSelector(slo.service, objective.slo);
    for (const alert of ['ErrorBudgetBurnFast', 'ErrorBudgetBurnSlow'] as const) {
      const windows = SLO_BURN_RATES.filter((rate) => rate.alert === alert);
      const expr = windows.map((rate) => {
        const threshold = promqlNumber(rate.factor * budget);
        return `(\n  service:sli_error:ratio_rate${rate.long}${selector} > ${threshold}\nand\n  service:sli_error:ratio_rate${rate.short}${selector} > ${threshold}\n)`;
      }).join('\nor\n');
      const first = windows[0];
      if (!first) continue;
      rules.push({
        alert,
        expr,
        labels: { ...labels, slo: objective.slo, severity: first.severity },
        annotations: {
          summary: `${slo.service}: the ${objective.slo} SLO (${objective.objective}%) is burning its error budget ${alert === 'ErrorBudgetBurnFast' ? 'fast' : 'steadily'}.`,
          description: `The ratio of ${objective.what} is {{ $value | humanizePercentage }}, above ${windows.map((w) => `${w.factor}x the budget over ${w.long} and ${w.short} (${w.budget})`).join(', or ')}. The error budget is ${promqlNumber(budget * 100)}% of requests over 30 days.`,
          runbook_url: slo.runbookUrl,
        },
      });
    }
  }
  if (slo.requestRateAnomaly) {
    const selector = serviceSelector(slo.service);
    rules.push(
      { record: 'service:requests:rate5m', expr: requests('5m'), labels: base },
      { record: 'service:requests:rate5m:avg_over_time_1d', expr: `avg_over_time(service:requests:rate5m${selector}[1d])`, labels: base },
      { record: 'service:requests:rate5m:stddev_over_time_1d', expr: `stddev_over_time(service:requests:rate5m${selector}[1d])`, labels: base },
      {
        alert: 'RequestRateAnomaly',
        expr: `abs(service:requests:rate5m${selector} - service:requests:rate5m:avg_over_time_1d${selector})\n  > 3 * service:requests:rate5m:stddev_over_time_1d${selector}\nand\nservice:requests:rate5m:stddev_over_time_1d${selector} > 0`,
        for: '10m',
        labels: { ...labels, severity: 'warning' },
        annotations: {
          summary: `${slo.service}: the request rate is more than three standard deviations from its mean over the past day.`,
          description: 'Traffic is far from its usual level: a drop can mean clients cannot reach the service, a surge an incident upstream, a retry storm or abuse. Compare with the RED dashboard.',
          runbook_url: slo.runbookUrl,
        },
      },
    );
  }
  if (slo.latency) {
    const { histogram } = slo.latency;
    for (const quantile of [0.5, 0.99]) {
      rules.push({
        record: `service:request_duration_seconds:p${quantile * 100}_rate5m`,
        expr: `histogram_quantile(${quantile}, sum by (le) (rate(${histogram.metric}_bucket${selectorText(histogram.matchers ?? {})}[5m])))`,
        labels: base,
      });
    }
  }
  return { name: `slo-${slo.service}`, rules };
}

/** An {@link AlertRule} as a group's rule. */
export function alertRuleSpec(rule: AlertRule): RuleSpec {
  return {
    alert: rule.alert,
    expr: rule.expr,
    ...(rule.for !== undefined && rule.for !== '0s' && { for: rule.for }),
    labels: { ...rule.labels, severity: rule.severity },
    annotations: { summary: rule.summary, description: rule.description, runbook_url: rule.runbookUrl },
  };
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

export { prometheusDurationMs };

/** A millisecond count as a Prometheus duration (`20m`, `1h5m`, `0s`). */
export function formatPrometheusDuration(ms: number): string {
  let rest = ms;
  let text = '';
  for (const unit of ['d', 'h', 'm', 's', 'ms']) {
    const size = DURATION_UNITS[unit] ?? 1;
    const count = Math.floor(rest / size);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * size;
  }
  return text || '0s';
}

/**
 * Adds the escalation copy after each alerting rule whose severity escalates: the same
 * expression and labels plus `escalation="backup"`, pending `after` longer. A silence on the
 * original's labels (what Alertmanager's "Silence" button fills in) matches the copy too, so
 * acknowledging the page within `after` keeps the backup from being called.
 */
export function withEscalation(group: RuleGroupSpec, escalation: ResolvedEscalation | undefined): RuleGroupSpec {
  if (!escalation) return group;
  const afterMs = prometheusDurationMs(escalation.after) ?? 0;
  const rules = group.rules.flatMap((rule) => {
    const severity = rule.labels?.severity as AlertSeverity | undefined;
    if (rule.alert === undefined || severity === undefined || !escalation.severities.includes(severity)) return [rule];
    const copy: RuleSpec = {
      ...rule,
      for: formatPrometheusDuration((prometheusDurationMs(rule.for ?? '0s') ?? 0) + afterMs),
      labels: { ...rule.labels, [ESCALATION_LABEL.name]: ESCALATION_LABEL.value },
      annotations: {
        ...rule.annotations,
        summary: `Escalated after ${escalation.after} without a silence: ${rule.annotations?.summary ?? rule.alert}`,
      },
    };
    return [rule, copy];
  });
  return { name: group.name, rules };
}
