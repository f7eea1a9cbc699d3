/**
 * MonitoringStack: the objects, the chart values (selectors, storage, resources, Grafana
 * credentials), the Alertmanager configuration, the rules and escalation copies, the
 * dashboards, the validation spine, no secret in the output, and each kind of bad input.
 * promtool and amtool run over the same output in monitoring-tools.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { MonitoringStack, type MonitoringStackProps } from '../../../constructs/platform/monitoring-stack.js';
import { promqlSyntaxError } from '../../../constructs/platform/_promql.js';
import { validateManifests } from '../../../constructs/policy/validate.js';
import type { ManifestObject } from '../../../constructs/policy/finding.js';
import { MONITORING_LABELS } from '../../../constructs/workloads/metrics.js';
import { helmReleasesOf } from '../../../stacks/_flux-releases.js';
import { FULL } from './_monitoring-fixtures.js';

/* eslint-disable @typescript-eslint/no-explicit-any */


function build(props: Partial<MonitoringStackProps> = {}) {
  const chart = Testing.chart();
  const stack = new MonitoringStack(chart, 'monitoring', { grafanaAdmin: { secretName: 'grafana-admin' }, ...props });
  return { stack, objects: Testing.synth(chart) as ManifestObject[] };
}

const byName = (objects: ManifestObject[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata?.name === name) as any;

describe('MonitoringStack defaults', () => {
  const { stack, objects } = build();
  const release = byName(objects, 'HelmRelease', 'kube-prometheus-stack');
  const values = release.spec.values;

  it('a namespace, two pinned releases, the workload rules and two dashboards', () => {
    assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata?.name}`), [
      'Namespace/monitoring',
      'HelmRepository/kube-prometheus-stack', 'HelmRelease/kube-prometheus-stack',
      'HelmRepository/metrics-server', 'HelmRelease/metrics-server',
      'PrometheusRule/kit-workload-alerts',
      'ConfigMap/kit-dashboard-use', 'ConfigMap/kit-dashboard-red',
    ]);
    assert.deepEqual(byName(objects, 'Namespace', 'monitoring').metadata.labels, { 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/audit': 'baseline' });
    assert.deepEqual(helmReleasesOf(objects).releases.map((r) => [r.name, r.namespace, r.chart, r.version, r.repository]), [
      ['kube-prometheus-stack', 'monitoring', 'kube-prometheus-stack', '88.5.3', 'https://prometheus-community.github.io/helm-charts'],
      ['metrics-server', 'monitoring', 'metrics-server', '3.13.1', 'https://kubernetes-sigs.github.io/metrics-server/'],
    ]);
  });

  it("Prometheus selects HardenedDeployment's ServiceMonitors and the kit's rules in every namespace", () => {
    const spec = values.prometheus.prometheusSpec;
    assert.deepEqual(spec.serviceMonitorSelector, { matchLabels: MONITORING_LABELS });
    assert.deepEqual(spec.serviceMonitorNamespaceSelector, {});
    assert.equal(spec.serviceMonitorSelectorNilUsesHelmValues, false);
    assert.deepEqual(spec.ruleSelector, { matchLabels: MONITORING_LABELS });
    assert.deepEqual(spec.ruleNamespaceSelector, {});
    assert.equal(spec.ruleSelectorNilUsesHelmValues, false);
    // ... and the chart's own ServiceMonitors and default rules carry the same label.
    assert.deepEqual(values.commonLabels, MONITORING_LABELS);
    assert.deepEqual(values['kube-state-metrics'].prometheus.monitor.additionalLabels, MONITORING_LABELS);
    assert.deepEqual(values['prometheus-node-exporter'].prometheus.monitor.additionalLabels, MONITORING_LABELS);
    assert.deepEqual(values.grafana.serviceMonitor.labels, MONITORING_LABELS);
    assert.deepEqual(byName(objects, 'PrometheusRule', 'kit-workload-alerts').metadata.labels, MONITORING_LABELS);
  });

  it('keeps the default rules, except those the kit replaces and those about a managed control plane\'s hidden parts', () => {
    assert.deepEqual(values.defaultRules, {
      create: true,
      disabled: { CPUThrottlingHigh: true, KubeHpaMaxedOut: true, KubeNodeNotReady: true, KubePersistentVolumeFillingUp: true, KubePodCrashLooping: true, KubePodNotReady: true, NodeFilesystemAlmostOutOfSpace: true },
      rules: { etcd: false, kubeControllerManager: false, kubeProxy: false, kubeSchedulerAlerting: false, kubeSchedulerRecording: false },
    });
  });

  it('managed control plane (default): scrapes neither the controller manager, the scheduler, etcd nor kube-proxy', () => {
    for (const component of ['kubeControllerManager', 'kubeScheduler', 'kubeEtcd', 'kubeProxy']) assert.deepEqual(values[component], { enabled: false }, component);
    assert.equal(values.kubeApiServer, undefined, 'the API server stays scraped (the chart default)');
  });

  it('self-managed control plane: the chart\'s defaults for those components and their rules', () => {
    const selfManaged = byName(build({ controlPlane: 'self-managed' }).objects, 'HelmRelease', 'kube-prometheus-stack').spec.values;
    for (const component of ['kubeControllerManager', 'kubeScheduler', 'kubeEtcd', 'kubeProxy']) assert.equal(selfManaged[component], undefined, component);
    assert.equal(selfManaged.defaultRules.rules, undefined);
  });

  it('refuses a controlPlane that is neither managed nor self-managed', () => {
    assert.throws(() => build({ controlPlane: 'eks' as never }), { message: "MonitoringStack 'test/monitoring': controlPlane ('eks') is not 'managed' or 'self-managed'" });
  });

  it('retains 10 days or 8GiB on a 10Gi volume; Alertmanager keeps its silences on 1Gi', () => {
    const spec = values.prometheus.prometheusSpec;
    assert.deepEqual([spec.retention, spec.retentionSize], ['10d', '8GiB']);
    assert.deepEqual(spec.storageSpec, { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } } });
    assert.deepEqual(values.alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec.resources, { requests: { storage: '1Gi' } });
    assert.deepEqual(stack.storage, { retention: '10d', retentionSize: '8GiB', size: '10Gi' });
  });

  it('sizes every component small, with memory limits', () => {
    assert.deepEqual(values.prometheus.prometheusSpec.resources, { requests: { cpu: '200m', memory: '1Gi' }, limits: { memory: '2Gi' } });
    assert.deepEqual(values.alertmanager.alertmanagerSpec.resources, { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '128Mi' } });
    assert.deepEqual(values.prometheusOperator.resources, { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } });
    assert.deepEqual(values.grafana.resources, { requests: { cpu: '50m', memory: '256Mi' }, limits: { memory: '512Mi' } });
    assert.deepEqual(values['kube-state-metrics'].resources, { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '256Mi' } });
    assert.deepEqual(values['prometheus-node-exporter'].resources, { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } });
    assert.deepEqual(byName(objects, 'HelmRelease', 'metrics-server').spec.values, {
      resources: { requests: { cpu: '50m', memory: '100Mi' }, limits: { memory: '200Mi' } },
      metrics: { enabled: true },
      serviceMonitor: { enabled: true, additionalLabels: MONITORING_LABELS },
    });
  });

  it("Grafana's admin comes from the Secret, and its sidecar loads the kit's dashboards", () => {
    assert.deepEqual(values.grafana.admin, { existingSecret: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' });
    assert.deepEqual(values.grafana.sidecar, { dashboards: { enabled: true, label: 'grafana_dashboard', labelValue: '1', searchNamespace: 'ALL' } });
    assert.equal(JSON.stringify(values).includes('adminPassword'), false);
  });

  it('without alerting, everything goes to the null receiver, the Watchdog included', () => {
    assert.deepEqual(values.alertmanager.config.route, { receiver: 'null', group_by: ['alertname', 'namespace', 'service'], routes: [{ receiver: 'null', matchers: ['alertname = "Watchdog"'] }] });
    assert.deepEqual(values.alertmanager.config.receivers, [{ name: 'null' }]);
    assert.deepEqual(values.alertmanager.alertmanagerSpec.secrets, []);
  });

  it('passes the validation spine', async () => {
    const report = await validateManifests(objects.map((object) => ({ object })));
    assert.deepEqual(report.errors, []);
  });
});

describe('MonitoringStack workloads (for the capacity planner)', () => {
  const workloadsOf = (objects: ManifestObject[], name: string) => JSON.parse(byName(objects, 'HelmRelease', name).metadata.annotations['k8s-platform-kit.dev/workloads']);

  it('defaults: every component at one replica with the resources the stack sets; Prometheus and Alertmanager with the config reloader; node-exporter on every node', () => {
    const { stack, objects } = build();
    assert.equal(
      byName(objects, 'HelmRelease', 'kube-prometheus-stack').metadata.annotations['k8s-platform-kit.dev/workloads'],
      '[{"name":"prometheus","kind":"StatefulSet","replicas":1,"requests":{"cpu":"210m","memory":"1074Mi"}},'
        + '{"name":"alertmanager","kind":"StatefulSet","replicas":1,"requests":{"cpu":"20m","memory":"114Mi"}},'
        + '{"name":"operator","kind":"Deployment","replicas":1,"requests":{"cpu":"50m","memory":"128Mi"}},'
        + '{"name":"grafana","kind":"Deployment","replicas":1,"requests":{"cpu":"50m","memory":"256Mi"}},'
        + '{"name":"kube-state-metrics","kind":"Deployment","replicas":1,"requests":{"cpu":"10m","memory":"64Mi"}},'
        + '{"name":"node-exporter","kind":"DaemonSet","requests":{"cpu":"10m","memory":"32Mi"},"tolerations":[{"operator":"Exists","effect":"NoSchedule"}]}]',
    );
    assert.deepEqual(workloadsOf(objects, 'metrics-server'), [{ name: 'metrics-server', kind: 'Deployment', replicas: 1, requests: { cpu: '50m', memory: '100Mi' } }]);
    assert.deepEqual(stack.prometheusStack.workloads.map((w) => w.name), ['prometheus', 'alertmanager', 'operator', 'grafana', 'kube-state-metrics', 'node-exporter']);
  });

  it('from the final values: replicas (times shards), resources, reloader requests, tolerations; components turned off are left out', () => {
    const { objects } = build({
      resources: { prometheus: { cpu: { request: '1', limit: '2' }, memory: { request: '4Gi', limit: '4Gi' } } },
      metricsServer: false,
      values: {
        prometheus: { prometheusSpec: { replicas: 2, shards: 2 } },
        alertmanager: { alertmanagerSpec: { replicas: 3 } },
        prometheusOperator: { prometheusConfigReloader: { resources: { requests: { cpu: '5m', memory: '25Mi' } } } },
        grafana: { enabled: false },
        kubeStateMetrics: { enabled: false },
        'prometheus-node-exporter': { resources: { requests: { cpu: '20m' } }, tolerations: [{ operator: 'Exists' }] },
      },
    });
    assert.deepEqual(workloadsOf(objects, 'kube-prometheus-stack'), [
      { name: 'prometheus', kind: 'StatefulSet', replicas: 4, requests: { cpu: '1005m', memory: '4121Mi' } },
      { name: 'alertmanager', kind: 'StatefulSet', replicas: 3, requests: { cpu: '15m', memory: '89Mi' } },
      { name: 'operator', kind: 'Deployment', replicas: 1, requests: { cpu: '50m', memory: '128Mi' } },
      { name: 'node-exporter', kind: 'DaemonSet', requests: { cpu: '20m', memory: '32Mi' }, tolerations: [{ operator: 'Exists' }] },
    ]);
  });

  it('throws on replicas in values that are not a whole number', () => {
    assert.throws(() => build({ values: { alertmanager: { alertmanagerSpec: { replicas: 'three' } } } }), {
      message: "MonitoringStack 'test/monitoring': values.alertmanager.alertmanagerSpec.replicas ('three') must be a whole number >= 0",
    });
  });
});

describe('MonitoringStack overrides', () => {
  it('retention, storage, resources, metrics-server off, extra values merged last', () => {
    const { objects } = build({
      retention: '30d', retentionSize: '40GB', storage: { size: '50Gi', storageClass: 'managed-csi' },
      resources: { prometheus: { cpu: { request: '1', limit: '2' }, memory: { request: '4Gi', limit: '4Gi' } } },
      metricsServer: false,
      values: { prometheus: { prometheusSpec: { replicas: 2 } }, grafana: { persistence: { enabled: true } } },
    });
    const values = byName(objects, 'HelmRelease', 'kube-prometheus-stack').spec.values;
    const spec = values.prometheus.prometheusSpec;
    assert.deepEqual([spec.retention, spec.retentionSize, spec.replicas], ['30d', '40GB', 2]);
    assert.equal(spec.storageSpec.volumeClaimTemplate.spec.storageClassName, 'managed-csi');
    assert.equal(values.alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec.storageClassName, 'managed-csi');
    assert.deepEqual(spec.resources, { requests: { cpu: '1', memory: '4Gi' }, limits: { cpu: '2', memory: '4Gi' } });
    assert.deepEqual(values.grafana.persistence, { enabled: true });
    assert.equal(values.grafana.admin.existingSecret, 'grafana-admin', 'the merge keeps sibling keys');
    assert.equal(byName(objects, 'HelmRelease', 'metrics-server'), undefined);
  });

  it('extra values are checked against the chart too', () => {
    assert.throws(() => build({ values: { prometheus: { prometheusSpec: { retension: '1d' } } } }), {
      message: "HelmChartRelease 'test/monitoring/KubePrometheusStack': values.prometheus.prometheusSpec.retension is not a key of kube-prometheus-stack 88.5.3's values.yaml, so Helm would ignore it (did you mean 'retention'?); expected only keys the chart defines, or the path declared open in HelmChart if the chart documents it as free-form",
    });
  });
});

describe('MonitoringStack alert routing', () => {
  const { stack, objects } = build(FULL);
  const values = byName(objects, 'HelmRelease', 'kube-prometheus-stack').spec.values;
  const config = stack.alertmanagerConfig as any;

  it('reads every secret from a mounted Secret file', () => {
    assert.deepEqual(values.alertmanager.alertmanagerSpec.secrets, ['alertmanager-deadman', 'alertmanager-pagerduty', 'alertmanager-slack', 'alertmanager-smtp']);
    const receivers = Object.fromEntries(config.receivers.map((r: any) => [r.name, r]));
    assert.equal(receivers.oncall.slack_configs[0].api_url_file, '/etc/alertmanager/secrets/alertmanager-slack/url');
    assert.equal(receivers.oncall.slack_configs[0].channel, '#alerts');
    assert.equal(receivers.pager.pagerduty_configs[0].routing_key_file, '/etc/alertmanager/secrets/alertmanager-pagerduty/routing-key');
    assert.deepEqual(receivers.backup.email_configs[0], {
      to: 'backup@example.com', from: 'alertmanager@example.com', smarthost: 'smtp.example.com:587', require_tls: true, send_resolved: true,
      auth_username: 'alertmanager', auth_password_file: '/etc/alertmanager/secrets/alertmanager-smtp/password',
    });
    assert.deepEqual(receivers.deadman.webhook_configs[0], { url_file: '/etc/alertmanager/secrets/alertmanager-deadman/url', send_resolved: true });
    assert.deepEqual(Object.keys(receivers), ['null', 'oncall', 'pager', 'backup', 'deadman']);
  });

  it('routes: Watchdog to the dead-man switch, escalation copies to the backup, then severity and team', () => {
    assert.deepEqual(config.route, {
      receiver: 'oncall',
      group_by: ['alertname', 'namespace', 'service'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: [
        { receiver: 'deadman', matchers: ['alertname = "Watchdog"'], group_wait: '0s', group_interval: '1m', repeat_interval: '1m' },
        { receiver: 'null', matchers: ['alertname = "InfoInhibitor"'] },
        { receiver: 'backup', matchers: ['escalation = "backup"'] },
        { receiver: 'pager', matchers: ['severity = "critical"'] },
        { receiver: 'oncall', matchers: ['team = "payments"'] },
      ],
    });
    assert.deepEqual(values.alertmanager.config, config);
  });

  it('puts no secret in the output', () => {
    assert.doesNotMatch(JSON.stringify(objects), /hooks\.slack\.com|events\.pagerduty\.com/);
    assert.doesNotMatch(JSON.stringify(values.alertmanager), /"(api_url|routing_key|service_key|auth_password|auth_secret|url)":/);
  });
});

describe('MonitoringStack rules', () => {
  const { stack, objects } = build(FULL);
  const rules = (name: string) => byName(objects, 'PrometheusRule', name).spec.groups as { name: string; rules: any[] }[];

  it('one PrometheusRule for the workload alerts, one for the SLOs, one for your rules', () => {
    assert.deepEqual(objects.filter((o) => o.kind === 'PrometheusRule').map((o) => o.metadata?.name), ['kit-workload-alerts', 'kit-slos', 'kit-rules']);
    assert.deepEqual(rules('kit-workload-alerts')[0]?.rules.map((r) => r.alert), [
      'KubePodCrashLooping', 'KubePodNotReady', 'KubeDeploymentReplicasUnavailable', 'KubeHpaMaxedOut', 'KubeContainerOOMKilled',
      'CPUThrottlingHigh', 'KubePersistentVolumeFillingUp', 'NodeFilesystemAlmostOutOfSpace', 'KubeNodeNotReady',
    ]);
    assert.deepEqual(Object.keys(stack.ruleGroups), ['kit-workload-alerts', 'kit-slos', 'kit-rules']);
  });

  it('every alert has a severity, a summary, a description and a runbook', () => {
    for (const group of Object.values(stack.ruleGroups).flat()) {
      for (const rule of group.rules.filter((r) => r.alert)) {
        assert.ok(['critical', 'warning', 'info'].includes(rule.labels?.severity ?? ''), rule.alert);
        assert.deepEqual(Object.keys(rule.annotations ?? {}).sort(), ['description', 'runbook_url', 'summary'], rule.alert);
        assert.match(rule.annotations?.runbook_url ?? '', /^https:\/\//);
      }
    }
  });

  it('records the error ratios of each SLO over the seven windows', () => {
    const todo = rules('kit-slos').find((g) => g.name === 'slo-todoapi')!;
    const records = todo.rules.filter((r) => r.record === 'service:sli_error:ratio_rate5m');
    assert.deepEqual(records, [
      { record: 'service:sli_error:ratio_rate5m', expr: 'sum(rate(http_requests_total{job="todoapi", code=~"5.."}[5m]))\n/\nsum(rate(http_requests_total{job="todoapi"}[5m]))', labels: { service: 'todoapi', slo: 'availability' } },
      { record: 'service:sli_error:ratio_rate5m', expr: '1 - (\nsum(rate(http_request_duration_seconds_bucket{job="todoapi", le="0.02"}[5m]))\n/\nsum(rate(http_request_duration_seconds_count{job="todoapi"}[5m]))\n)', labels: { service: 'todoapi', slo: 'latency' } },
    ]);
    assert.deepEqual([...new Set(todo.rules.filter((r) => r.record?.startsWith('service:sli_error')).map((r) => r.record))], ['5m', '30m', '1h', '2h', '6h', '1d', '3d'].map((w) => `service:sli_error:ratio_rate${w}`));
  });

  it('pages on 14.4x over 1h and 5m or 6x over 6h and 30m; tickets on 3x over 1d and 2h or 1x over 3d and 6h', () => {
    const todo = rules('kit-slos').find((g) => g.name === 'slo-todoapi')!;
    const fast = todo.rules.find((r) => r.alert === 'ErrorBudgetBurnFast' && r.labels.slo === 'availability' && !r.labels.escalation);
    assert.equal(fast.expr, [
      '(\n  service:sli_error:ratio_rate1h{service="todoapi", slo="availability"} > 0.0144\nand\n  service:sli_error:ratio_rate5m{service="todoapi", slo="availability"} > 0.0144\n)',
      '(\n  service:sli_error:ratio_rate6h{service="todoapi", slo="availability"} > 0.006\nand\n  service:sli_error:ratio_rate30m{service="todoapi", slo="availability"} > 0.006\n)',
    ].join('\nor\n'));
    assert.deepEqual(fast.labels, { service: 'todoapi', team: 'todo', slo: 'availability', severity: 'critical' });
    const slow = todo.rules.find((r) => r.alert === 'ErrorBudgetBurnSlow' && r.labels.slo === 'latency');
    assert.match(slow.expr, /ratio_rate1d\{service="todoapi", slo="latency"\} > 0\.03\nand\n {2}service:sli_error:ratio_rate2h\{service="todoapi", slo="latency"\} > 0\.03/);
    assert.match(slow.expr, /ratio_rate3d\{service="todoapi", slo="latency"\} > 0\.01\nand\n {2}service:sli_error:ratio_rate6h\{service="todoapi", slo="latency"\} > 0\.01/);
    assert.equal(slow.labels.severity, 'warning');
  });

  it('alerts on a request rate more than three standard deviations from its daily mean', () => {
    const todo = rules('kit-slos').find((g) => g.name === 'slo-todoapi')!;
    const anomaly = todo.rules.find((r) => r.alert === 'RequestRateAnomaly');
    assert.equal(anomaly.expr, 'abs(service:requests:rate5m{service="todoapi"} - service:requests:rate5m:avg_over_time_1d{service="todoapi"})\n  > 3 * service:requests:rate5m:stddev_over_time_1d{service="todoapi"}\nand\nservice:requests:rate5m:stddev_over_time_1d{service="todoapi"} > 0');
    assert.deepEqual(todo.rules.filter((r) => r.record?.startsWith('service:requests')).map((r) => [r.record, r.expr]), [
      ['service:requests:rate5m', 'sum(rate(http_requests_total{job="todoapi"}[5m]))'],
      ['service:requests:rate5m:avg_over_time_1d', 'avg_over_time(service:requests:rate5m{service="todoapi"}[1d])'],
      ['service:requests:rate5m:stddev_over_time_1d', 'stddev_over_time(service:requests:rate5m{service="todoapi"}[1d])'],
    ]);
  });

  it('each paging alert gets an escalation copy, 5 minutes later, labelled for the backup', () => {
    const all = Object.values(stack.ruleGroups).flat().flatMap((g) => g.rules);
    const copies = all.filter((r) => r.labels?.escalation === 'backup');
    assert.deepEqual(copies.map((r) => [r.alert, r.labels?.service ?? r.labels?.team, r.labels?.slo, r.for]), [
      ['ErrorBudgetBurnFast', 'todoapi', 'availability', '5m'],
      ['ErrorBudgetBurnFast', 'todoapi', 'latency', '5m'],
      ['ErrorBudgetBurnFast', 'healthy', 'availability', '5m'],
      ['TodoQueueBacklog', 'fleetman', undefined, '15m'],
    ]);
    const [queue, queueCopy] = all.filter((r) => r.alert === 'TodoQueueBacklog');
    assert.ok(queue);
    assert.deepEqual(queueCopy, {
      ...queue,
      for: '15m',
      labels: { team: 'fleetman', severity: 'critical', escalation: 'backup' },
      annotations: { ...queue.annotations, summary: 'Escalated after 5m without a silence: The positions queue is backing up.' },
    });
  });

  it('passes the validation spine (PrometheusRule schema)', async () => {
    const report = await validateManifests(objects.map((object) => ({ object })));
    assert.deepEqual(report.errors, []);
  });
});

describe('MonitoringStack dashboards', () => {
  const { objects } = build(FULL);

  it('USE and RED as ConfigMaps the Grafana sidecar loads', () => {
    for (const [name, file] of [['kit-dashboard-use', 'kit-use.json'], ['kit-dashboard-red', 'kit-red.json']]) {
      const map = byName(objects, 'ConfigMap', name as string);
      assert.deepEqual(map.metadata.labels, { grafana_dashboard: '1' });
      assert.deepEqual(Object.keys(map.data), [file]);
    }
  });

  it('USE shows utilisation, saturation and errors; RED rate, errors and duration per service', () => {
    const use = JSON.parse(byName(objects, 'ConfigMap', 'kit-dashboard-use').data['kit-use.json']);
    const red = JSON.parse(byName(objects, 'ConfigMap', 'kit-dashboard-red').data['kit-red.json']);
    assert.deepEqual(use.panels.map((p: any) => p.title), ['CPU utilisation', 'CPU saturation (load per core)', 'Memory utilisation', 'Memory saturation (major page faults)', 'Disk utilisation and filesystem use', 'Network errors and drops']);
    assert.deepEqual(red.panels.map((p: any) => p.title), ['Rate', 'Errors', 'Duration', 'Error budget burn rate (1h)']);
    assert.deepEqual(red.templating.list.map((v: any) => v.name), ['datasource', 'service']);
    assert.equal(red.templating.list[1].query.query, 'label_values(service:sli_error:ratio_rate5m, service)');
    assert.equal(red.panels[0].targets[0].expr, 'service:requests:rate5m{service="$service"}');
    for (const panel of [...use.panels, ...red.panels]) {
      for (const target of panel.targets) assert.equal(promqlSyntaxError(target.expr.replaceAll('$__rate_interval', '5m')), undefined, target.expr);
    }
  });
});

describe('MonitoringStack bad input', () => {
  const slack = (webhook: unknown) => ({ receivers: { oncall: { slack: { webhook } } }, defaultReceiver: 'oncall' }) as never;
  const slo = (extra: object) => [{ ...FULL.slos![0]!, ...extra }];
  const rule = (extra: object) => [{ ...FULL.rules![0]!, ...extra }];
  const cases: [string, Partial<MonitoringStackProps>, string][] = [
    ['a Slack receiver without a webhook secret', { alerting: slack(undefined) },
      "alerting.receivers.oncall.slack.webhook is missing; a Slack receiver needs a Secret reference to its incoming-webhook URL ({ name, key }), which Alertmanager reads from the mounted Secret; the URL itself never goes into the values"],
    ['a Slack webhook given as a URL', { alerting: slack('https://hooks.slack.com/services/T0/B0/x') },
      "alerting.receivers.oncall.slack.webhook is a string, not a Secret reference (the value is not shown: it may be the secret); expected a reference to a key of a Secret, e.g. { name: 'alertmanager-secrets', key: 'url' }"],
    ['a receiver with no integration', { alerting: { receivers: { oncall: {} }, defaultReceiver: 'oncall' } }, 'alerting.receivers.oncall has no integration; expected one of slack, pagerDuty, email or webhook'],
    ['a route to an unknown receiver', { alerting: { ...FULL.alerting!, routes: [{ severity: 'critical', receiver: 'pagerduty' }] } },
      "alerting.routes[0].receiver ('pagerduty') is not a receiver; expected one of 'oncall', 'pager', 'backup', 'deadman'"],
    ['an escalation delay that is not a duration', { alerting: { ...FULL.alerting!, escalation: { receiver: 'backup', after: '5 minutes' } } },
      "alerting.escalation.after ('5 minutes') is not a duration above zero; expected e.g. '5m'"],
    ['a retention that is not a duration', { retention: '10 days' }, "retention ('10 days') is not a Prometheus duration above zero; expected e.g. '10d', '12h' or '2w'"],
    ['a storage size that is not a quantity', { storage: { size: '10GB' } }, "storage.size ('10GB') is not a positive Kubernetes quantity; expected e.g. 10Gi or 50Gi"],
    ['a retention size that is not a byte size', { retentionSize: '8Gi' }, "retentionSize ('8Gi') is not a Prometheus byte size above zero; expected e.g. '8GiB' or '500MB'"],
    ['a retention size as large as the volume', { retentionSize: '20GiB', storage: { size: '20Gi' } },
      'retentionSize (20GiB) is not below storage.size (20Gi); the volume would fill before Prometheus deletes old data (expected about 85% of it)'],
    ['a memory limit below the request', { resources: { grafana: { cpu: { request: '50m' }, memory: { request: '512Mi', limit: '256Mi' } } } },
      'resources.grafana.memory.limit (256Mi) is below resources.grafana.memory.request (512Mi)'],
    ['an SLO target of 100', { slos: slo({ availability: 100 }) }, 'slos[0].availability (100) is outside (0, 100); expected the percentage of good requests, e.g. 99.9'],
    ['an SLO target of 0', { slos: slo({ latency: { ...FULL.slos![0]!.latency!, objective: 0 } }) }, 'slos[0].latency.objective (0) is outside (0, 100); expected the percentage of good requests, e.g. 99.9'],
    ['a latency threshold that is not a duration', { slos: slo({ latency: { ...FULL.slos![0]!.latency!, threshold: '20' } }) },
      "slos[0].latency.threshold ('20') is not a duration above zero; expected a bucket boundary such as '20ms' or '1s'"],
    ['an SLO without an error filter', { slos: slo({ errors: {} }) }, "slos[0].errors is empty; expected the matchers that select failed requests, e.g. { code: LabelMatcher.regex('5..') }"],
    ['a metric name with a selector in it', { slos: slo({ requests: { metric: 'http_requests_total{job="x"}' } }) },
      'slos[0].requests.metric (\'http_requests_total{job="x"}\') is not a metric name; expected e.g. \'http_requests_total\''],
    ['a rule with an invalid PromQL expression', { rules: rule({ expr: 'sum(rate(http_requests_total[5m])' }) },
      "rules[0].expr is not valid PromQL: syntax error at line 1, column 34 in 'sum(rate(http_requests_total[5m])'"],
    ['a rule with a syntax error on its second line', { rules: rule({ expr: 'sum(up)\n  > > 1' }) },
      "rules[0].expr is not valid PromQL: syntax error at line 2, column 5 in 'sum(up)\n  > > 1'"],
    ['a rule without a runbook', { rules: rule({ runbookUrl: '' }) }, 'rules[0].runbookUrl is missing; expected text: every alert says what is wrong, what it means and where its runbook is'],
    ['a grafana Secret name that is not a DNS name', { grafanaAdmin: { secretName: 'Grafana_Admin' } }, "grafanaAdmin.secretName ('Grafana_Admin') must consist of lower case"],
  ];
  for (const [what, props, message] of cases) {
    it(`throws on ${what}`, () => {
      assert.throws(() => build({ ...props }), (error: Error) => {
        assert.ok(error.message.startsWith(`MonitoringStack 'test/monitoring': ${message}`), error.message);
        assert.doesNotMatch(error.message, /hooks\.slack\.com/, 'a secret given as a literal is never echoed');
        return true;
      });
    });
  }
});
