/**
 * A MonitoringStack that uses every feature: every receiver kind, routes, escalation, two
 * SLOs and a rule of your own. Shared by the construct's tests and the promtool/amtool tests.
 */
import { LabelMatcher, type MonitoringStackProps } from '../../../constructs/platform/monitoring-stack.js';

export const FULL: MonitoringStackProps = {
  grafanaAdmin: { secretName: 'grafana-admin' },
  storage: { size: '20Gi', storageClass: 'gp3' },
  alerting: {
    receivers: {
      oncall: { slack: { webhook: { name: 'alertmanager-slack', key: 'url' }, channel: '#alerts' } },
      pager: { pagerDuty: { routingKey: { name: 'alertmanager-pagerduty', key: 'routing-key' } } },
      backup: { email: { to: 'backup@example.com', from: 'alertmanager@example.com', smarthost: 'smtp.example.com:587', username: 'alertmanager', password: { name: 'alertmanager-smtp', key: 'password' } } },
      deadman: { webhook: { url: { name: 'alertmanager-deadman', key: 'url' } } },
    },
    defaultReceiver: 'oncall',
    routes: [{ severity: 'critical', receiver: 'pager' }, { team: 'payments', receiver: 'oncall' }],
    watchdogReceiver: 'deadman',
    escalation: { receiver: 'backup', after: '5m' },
  },
  slos: [
    {
      service: 'todoapi',
      team: 'todo',
      requests: { metric: 'http_requests_total', matchers: { job: 'todoapi' } },
      errors: { code: LabelMatcher.regex('5..') },
      availability: 99.9,
      latency: { histogram: { metric: 'http_request_duration_seconds', matchers: { job: 'todoapi' } }, threshold: '20ms', objective: 99 },
    },
    { service: 'healthy', requests: { metric: 'http_requests_total', matchers: { job: 'healthy' } }, errors: { code: LabelMatcher.regex('5..') } },
  ],
  rules: [{
    alert: 'TodoQueueBacklog', expr: 'sum(activemq_queue_size{queue="positions"}) > 1000', for: '10m', severity: 'critical',
    summary: 'The positions queue is backing up.', description: 'The position tracker is not keeping up.', runbookUrl: 'https://example.com/runbooks/queue', labels: { team: 'fleetman' },
  }],
};
