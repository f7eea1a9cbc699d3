/**
 * MonitoringStack's output through Prometheus' and Alertmanager's own tools, built from
 * their Go modules by test/tools/prometheus.sh (at the versions kube-prometheus-stack
 * 88.5.3 runs): every rule group passes `promtool check rules`; `promtool test rules` shows
 * the crash-loop, SLO burn-rate, escalation and anomaly alerts firing and not firing on
 * synthetic series; the Alertmanager configuration passes `amtool check-config` and routes
 * as documented (`amtool config routes test`).
 *
 * The first run builds the tools (minutes on a cold Go cache); a failed build fails the
 * test with the command to run, it is never skipped.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Testing } from 'cdk8s';
import { stringify } from 'yaml';
import type { ManifestObject } from '../../../constructs/policy/finding.js';
import { MonitoringStack } from '../../../constructs/platform/monitoring-stack.js';
import { FULL } from './_monitoring-fixtures.js';

/* eslint-disable @typescript-eslint/no-explicit-any */


const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '../../tools/prometheus.sh');

/** The directory holding promtool and amtool, built on first use. */
function toolsBin(): string {
  const build = spawnSync('bash', [SCRIPT, 'build'], { encoding: 'utf8', timeout: 30 * 60 * 1000 });
  if (build.status !== 0) {
    throw new Error(`promtool and amtool could not be built (exit ${build.status ?? build.signal}):\n${(build.stderr ?? '').split('\n').slice(-15).join('\n')}\nRun 'bash test/tools/prometheus.sh build' (it needs Go 1.26 and the Go module proxy) and fix what it reports.`);
  }
  return execFileSync('bash', [SCRIPT, 'bin'], { encoding: 'utf8' }).trim();
}

function run(bin: string, args: string[], cwd: string): { status: number | null; out: string } {
  const result = spawnSync(bin, args, { cwd, encoding: 'utf8' });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

describe('MonitoringStack through promtool and amtool', () => {
  let bin = '';
  let work = '';
  const chart = Testing.chart();
  const stack = new MonitoringStack(chart, 'monitoring', FULL);
  const objects = Testing.synth(chart) as ManifestObject[];
  const ruleFiles: string[] = [];
  const promtool = (...args: string[]) => run(join(bin, 'promtool'), args, work);
  const amtool = (...args: string[]) => run(join(bin, 'amtool'), args, work);
  const rule = (alert: string, labels: Record<string, string>) => Object.values(stack.ruleGroups).flat().flatMap((g) => g.rules)
    .find((r) => r.alert === alert && Object.entries(labels).every(([k, v]) => r.labels?.[k] === v) && (labels.escalation !== undefined || r.labels?.escalation === undefined))!;

  before(() => {
    bin = toolsBin();
    work = mkdtempSync(join(tmpdir(), 'kit-monitoring-'));
    for (const object of objects.filter((o) => o.kind === 'PrometheusRule')) {
      const file = `${object.metadata?.name}.yaml`;
      writeFileSync(join(work, file), stringify({ groups: (object.spec as any).groups }));
      ruleFiles.push(file);
    }
  });
  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('promtool reports the versions the chart runs', () => {
    assert.match(promtool('--version').out, /promtool, version 3\.14\.0 /);
    assert.match(amtool('--version').out, /amtool, version 0\.34\.0 /);
  });

  it('every rule group passes promtool check rules', () => {
    assert.deepEqual(ruleFiles, ['kit-workload-alerts.yaml', 'kit-slos.yaml', 'kit-rules.yaml']);
    const result = promtool('check', 'rules', ...ruleFiles);
    assert.equal(result.status, 0, result.out);
    assert.equal(result.out.match(/SUCCESS/g)?.length, 3, result.out);
  });

  it('promtool check rules rejects what the syntax check cannot see (a range vector where an instant vector belongs)', () => {
    writeFileSync(join(work, 'bad.yaml'), stringify({ groups: [{ name: 'bad', rules: [{ alert: 'Bad', expr: 'sum(up[5m]) > 0' }] }] }));
    const result = promtool('check', 'rules', 'bad.yaml');
    assert.equal(result.status, 1, result.out);
    assert.match(result.out, /range vector/);
  });

  it('crash-loop alert: fires after 15 minutes in CrashLoopBackOff, not for a container that is running', () => {
    const labels = { job: 'kube-state-metrics', namespace: 'todo', container: 'api', reason: 'CrashLoopBackOff' };
    const annotations = rule('KubePodCrashLooping', {}).annotations!;
    const render = (text: string) => text.replaceAll('{{ $labels.namespace }}', 'todo').replaceAll('{{ $labels.pod }}', 'api-1').replaceAll('{{ $labels.container }}', 'api');
    writeFileSync(join(work, 'crashloop-test.yaml'), stringify({
      rule_files: ['kit-workload-alerts.yaml'],
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        input_series: [
          { series: `kube_pod_container_status_waiting_reason{job="kube-state-metrics", namespace="todo", pod="api-1", container="api", reason="CrashLoopBackOff"}`, values: '1x30' },
          { series: `kube_pod_container_status_waiting_reason{job="kube-state-metrics", namespace="todo", pod="api-2", container="api", reason="CrashLoopBackOff"}`, values: '0x30' },
        ],
        alert_rule_test: [
          { eval_time: '10m', alertname: 'KubePodCrashLooping', exp_alerts: [] },
          {
            eval_time: '20m',
            alertname: 'KubePodCrashLooping',
            exp_alerts: [{
              exp_labels: { ...labels, pod: 'api-1', severity: 'warning' },
              exp_annotations: { summary: render(annotations.summary!), description: render(annotations.description!), runbook_url: annotations.runbook_url! },
            }],
          },
        ],
      }],
    }));
    const result = promtool('test', 'rules', 'crashloop-test.yaml');
    assert.equal(result.status, 0, result.out);
  });

  it('SLO burn-rate alert: pages at 10% errors against 99.9%, not at 0%; the escalation copy follows 5 minutes later', () => {
    const labels = { service: 'todoapi', slo: 'availability', team: 'todo', severity: 'critical' };
    const annotations = (r: ReturnType<typeof rule>) => Object.fromEntries(Object.entries(r.annotations!).map(([k, v]) => [k, v.replaceAll('{{ $value | humanizePercentage }}', '10%')]));
    const original = { exp_labels: labels, exp_annotations: annotations(rule('ErrorBudgetBurnFast', labels)) };
    const copy = { exp_labels: { ...labels, escalation: 'backup' }, exp_annotations: annotations(rule('ErrorBudgetBurnFast', { ...labels, escalation: 'backup' })) };
    writeFileSync(join(work, 'slo-test.yaml'), stringify({
      rule_files: ['kit-slos.yaml'],
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        input_series: [
          { series: 'http_requests_total{job="todoapi", code="200"}', values: '0+90x120' },
          { series: 'http_requests_total{job="todoapi", code="500"}', values: '0+10x120' },
          { series: 'http_request_duration_seconds_bucket{job="todoapi", le="0.02"}', values: '0+100x120' },
          { series: 'http_request_duration_seconds_count{job="todoapi"}', values: '0+100x120' },
          { series: 'http_requests_total{job="healthy", code="200"}', values: '0+100x120' },
          { series: 'http_requests_total{job="healthy", code="500"}', values: '0x120' },
        ],
        promql_expr_test: [
          { expr: 'round(service:sli_error:ratio_rate5m{service="todoapi", slo="availability"}, 0.0001)', eval_time: '30m', exp_samples: [{ labels: '{service="todoapi", slo="availability"}', value: 0.1 }] },
          { expr: 'service:sli_error:ratio_rate1h{service="healthy"}', eval_time: '30m', exp_samples: [{ labels: 'service:sli_error:ratio_rate1h{service="healthy", slo="availability"}', value: 0 }] },
          { expr: 'service:sli_error:ratio_rate5m{service="todoapi", slo="latency"}', eval_time: '30m', exp_samples: [{ labels: 'service:sli_error:ratio_rate5m{service="todoapi", slo="latency"}', value: 0 }] },
        ],
        alert_rule_test: [
          { eval_time: '3m', alertname: 'ErrorBudgetBurnFast', exp_alerts: [original] },
          { eval_time: '10m', alertname: 'ErrorBudgetBurnFast', exp_alerts: [original, copy] },
        ],
      }],
    }));
    const result = promtool('test', 'rules', 'slo-test.yaml');
    assert.equal(result.status, 0, result.out);
  });

  it('anomaly alert: quiet over a normal day, fires when the request rate leaves three standard deviations', () => {
    // A day at about 1 request/s (alternating 50 and 70 a minute), then 10 requests/s.
    const values: number[] = [0];
    for (let minute = 1; minute <= 1470; minute++) values.push((values[minute - 1] ?? 0) + (minute <= 1440 ? (minute % 2 === 0 ? 50 : 70) : 600));
    const anomaly = rule('RequestRateAnomaly', { service: 'todoapi' });
    writeFileSync(join(work, 'anomaly-test.yaml'), stringify({
      rule_files: ['kit-slos.yaml'],
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        input_series: [{ series: 'http_requests_total{job="todoapi", code="200"}', values: values.join(' ') }],
        alert_rule_test: [
          { eval_time: '1440m', alertname: 'RequestRateAnomaly', exp_alerts: [] },
          { eval_time: '1465m', alertname: 'RequestRateAnomaly', exp_alerts: [{ exp_labels: { service: 'todoapi', team: 'todo', severity: 'warning' }, exp_annotations: anomaly.annotations }] },
        ],
      }],
    }, { lineWidth: 0 }));
    const result = promtool('test', 'rules', 'anomaly-test.yaml');
    assert.equal(result.status, 0, result.out);
  });

  describe('Alertmanager configuration', () => {
    const config = JSON.parse(JSON.stringify(stack.alertmanagerConfig));
    const configFile = () => join(work, 'alertmanager.yaml');

    before(() => {
      // The mounted Secrets and template directory, at the same relative paths under a
      // scratch root, so amtool finds every file the configuration names.
      const root = join(work, 'etc-alertmanager');
      const text = JSON.stringify(config).replaceAll('/etc/alertmanager/', `${root}/`);
      for (const file of text.match(new RegExp(`${root}/secrets/[^"]+`, 'g')) ?? []) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, 'scratch-value-not-a-secret\n');
      }
      mkdirSync(join(root, 'config'), { recursive: true });
      writeFileSync(configFile(), stringify(JSON.parse(text)));
    });

    it('passes amtool check-config', () => {
      const result = amtool('check-config', configFile());
      assert.equal(result.status, 0, result.out);
      assert.match(result.out, /- 5 receivers/);
    });

    it('amtool check-config rejects a route to a receiver that does not exist', () => {
      const broken = { ...config, route: { ...config.route, receiver: 'nobody' } };
      writeFileSync(join(work, 'broken.yaml'), stringify(broken));
      const result = amtool('check-config', 'broken.yaml');
      assert.notEqual(result.status, 0, result.out);
      assert.match(result.out, /undefined receiver "nobody"/);
    });

    const routes: [string, string[]][] = [
      ['deadman', ['alertname=Watchdog', 'severity=none']],
      ['null', ['alertname=InfoInhibitor', 'severity=none']],
      ['backup', ['alertname=ErrorBudgetBurnFast', 'severity=critical', 'escalation=backup', 'service=todoapi']],
      ['pager', ['alertname=ErrorBudgetBurnFast', 'severity=critical', 'service=todoapi']],
      ['oncall', ['alertname=KubePodCrashLooping', 'severity=warning', 'team=payments']],
      ['oncall', ['alertname=KubePodCrashLooping', 'severity=warning']],
    ];
    for (const [receiver, labels] of routes) {
      it(`routes {${labels.join(', ')}} to ${receiver}`, () => {
        const result = amtool('config', 'routes', 'test', `--config.file=${configFile()}`, `--verify.receivers=${receiver}`, ...labels);
        assert.equal(result.status, 0, result.out);
        assert.equal(result.out.trim(), receiver);
      });
    }
  });
});
