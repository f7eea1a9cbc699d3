/**
 * The Alertmanager configuration of MonitoringStack: receivers whose secrets are files
 * mounted from Kubernetes Secrets (`*_file` fields, never a URL or key in the values), a
 * routing tree by severity and team, the Watchdog route, and the escalation route.
 *
 * @see https://prometheus.io/docs/alerting/latest/configuration/
 */
import type { PropsValidator } from '../core/errors.js';
import { checkSecretKeyRef, type SecretKeyRef } from '../core/secret-ref.js';
import { ESCALATION_LABEL, prometheusDurationMs, type AlertSeverity } from './_monitoring-rules.js';

// Secrets referenced here live in the monitoring namespace.

/** Slack, through an incoming webhook. */
export interface SlackReceiver {
  /** The Secret key holding the incoming-webhook URL. */
  readonly webhook: SecretKeyRef;
  /**
   * The channel, e.g. `#alerts`.
   * @default - the webhook's own channel
   */
  readonly channel?: string;
}

/** PagerDuty, through the Events API v2. */
export interface PagerDutyReceiver {
  /** The Secret key holding the integration's routing key. */
  readonly routingKey: SecretKeyRef;
}

/** Email, through an SMTP relay. */
export interface EmailReceiver {
  /** Recipient address(es), comma-separated. */
  readonly to: string;
  /** Sender address. */
  readonly from: string;
  /** The SMTP relay, `host:port` (TLS is required). */
  readonly smarthost: string;
  /**
   * The SMTP user.
   * @default - no SMTP authentication
   */
  readonly username?: string;
  /**
   * The Secret key holding the SMTP password (needs `username`).
   * @default - no SMTP authentication
   */
  readonly password?: SecretKeyRef;
}

/** A generic webhook (also: a dead-man's switch service for the Watchdog). */
export interface WebhookReceiver {
  /** The Secret key holding the URL (it often embeds a token). */
  readonly url: SecretKeyRef;
}

/** One receiver: where a route's notifications go. At least one integration. */
export interface Receiver {
  /**
   * Send to Slack.
   * @default - no Slack integration
   */
  readonly slack?: SlackReceiver;
  /**
   * Page through PagerDuty.
   * @default - no PagerDuty integration
   */
  readonly pagerDuty?: PagerDutyReceiver;
  /**
   * Send email.
   * @default - no email integration
   */
  readonly email?: EmailReceiver;
  /**
   * Post to a webhook.
   * @default - no webhook integration
   */
  readonly webhook?: WebhookReceiver;
}

/** A route: alerts matching every given label go to the receiver. First match wins. */
export interface AlertRoute {
  /**
   * Match alerts of this severity.
   * @default - any severity
   */
  readonly severity?: AlertSeverity;
  /**
   * Match alerts with this `team` label.
   * @default - any team
   */
  readonly team?: string;
  /** The receiver's name (a key of `receivers`). */
  readonly receiver: string;
  /**
   * Keep matching the routes after this one too.
   * @default false
   */
  readonly continue?: boolean;
}

/**
 * Escalation: when a paging alert is not acknowledged (silenced) within `after`, its
 * escalation copy notifies the backup receiver. See docs/constructs/monitoring-stack.md.
 */
export interface Escalation {
  /** The backup's receiver (a key of `receivers`). */
  readonly receiver: string;
  /**
   * How long the first receiver has to acknowledge, by silencing the alert.
   * @default '5m'
   */
  readonly after?: string;
  /**
   * The severities that escalate.
   * @default ['critical']
   */
  readonly severities?: readonly AlertSeverity[];
}

/** Alert routing. */
export interface Alerting {
  /** Receivers by name (letters, digits, `-` and `_`; `null` is reserved). */
  readonly receivers: Readonly<Record<string, Receiver>>;
  /** The receiver of alerts that no route matches. */
  readonly defaultReceiver: string;
  /**
   * Routes by severity and team, in order; the first that matches wins.
   * @default [] - everything goes to defaultReceiver
   */
  readonly routes?: readonly AlertRoute[];
  /**
   * Labels that group alerts into one notification.
   * @default ['alertname', 'namespace', 'service']
   */
  readonly groupBy?: readonly string[];
  /**
   * How long to wait for more alerts of a new group before the first notification.
   * @default '30s'
   */
  readonly groupWait?: string;
  /**
   * How long to wait before notifying about alerts added to a group already notified.
   * @default '5m'
   */
  readonly groupInterval?: string;
  /**
   * How long before a still-firing group is notified again.
   * @default '4h'
   */
  readonly repeatInterval?: string;
  /**
   * Where the always-firing Watchdog alert goes: a dead-man's-switch receiver (a webhook
   * that pages when the pings stop), notified every minute.
   * @default - the `null` receiver (Watchdog dropped)
   */
  readonly watchdogReceiver?: string;
  /**
   * Escalate unacknowledged paging alerts to a backup receiver.
   * @default - no escalation
   */
  readonly escalation?: Escalation;
}

/** Defaults of {@link Alerting}. */
export const ALERTING_DEFAULTS = {
  groupBy: ['alertname', 'namespace', 'service'],
  groupWait: '30s',
  groupInterval: '5m',
  repeatInterval: '4h',
  escalationAfter: '5m',
  escalationSeverities: ['critical'] as readonly AlertSeverity[],
} as const;

/** Where the operator mounts `alertmanagerSpec.secrets`: `<dir>/<secret>/<key>`. */
export const ALERTMANAGER_SECRETS_DIR = '/etc/alertmanager/secrets';

/** The Alertmanager configuration and the Secrets it reads. */
export interface BuiltAlerting {
  readonly config: Record<string, unknown>;
  /** Secret names to mount (`alertmanager.alertmanagerSpec.secrets`). */
  readonly secrets: string[];
}

const RECEIVER_NAME = /^[A-Za-z0-9_-]+$/;
const SEVERITIES: readonly AlertSeverity[] = ['critical', 'warning', 'info'];

/** The chart's default inhibitions: a critical alert mutes warnings and infos of the same alert and namespace. */
const INHIBIT_RULES = [
  { source_matchers: ['severity = critical'], target_matchers: ['severity =~ warning|info'], equal: ['namespace', 'alertname'] },
  { source_matchers: ['severity = warning'], target_matchers: ['severity = info'], equal: ['namespace', 'alertname'] },
  { source_matchers: ['alertname = InfoInhibitor'], target_matchers: ['severity = info'], equal: ['namespace'] },
  { target_matchers: ['alertname = InfoInhibitor'] },
];

const SLACK_TITLE = '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }}{{ if .CommonLabels.service }} ({{ .CommonLabels.service }}){{ end }}';
const SLACK_TEXT = '{{ range .Alerts }}*{{ .Labels.severity | toUpper }}* {{ .Annotations.summary }}\n{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}\n{{ end }}';

/**
 * Validates `alerting` and builds the Alertmanager configuration; `v` throws each problem,
 * for a field such as `alerting.receivers.oncall.slack.webhook`.
 */
export function buildAlerting(v: PropsValidator, alerting: Alerting | undefined): BuiltAlerting {
  const secrets = new Set<string>();
  const receivers: Record<string, unknown>[] = [{ name: 'null' }];
  const names = new Set<string>();
  const secretFile = (field: string, ref: SecretKeyRef | undefined, what: string): string => {
    if (ref === undefined || ref === null) throw v.error({ field, problem: `is missing; ${what}` });
    // A URL or key given as a string is refused without being shown: it is the secret.
    const { name, key } = checkSecretKeyRef(v, field, ref, "{ name: 'alertmanager-secrets', key: 'url' }");
    secrets.add(name);
    return `${ALERTMANAGER_SECRETS_DIR}/${name}/${key}`;
  };
  const durationOf = (field: string, value: string) => {
    if (!(prometheusDurationMs(value) !== undefined && (prometheusDurationMs(value) ?? 0) > 0)) {
      throw v.error({ field, value, problem: 'is not a duration above zero', expected: "e.g. '30s', '5m' or '4h'" });
    }
    return value;
  };

  if (alerting === undefined) {
    return {
      config: {
        global: { resolve_timeout: '5m' },
        route: { receiver: 'null', group_by: [...ALERTING_DEFAULTS.groupBy], routes: [{ receiver: 'null', matchers: ['alertname = "Watchdog"'] }] },
        receivers,
        inhibit_rules: INHIBIT_RULES,
        templates: ['/etc/alertmanager/config/*.tmpl'],
      },
      secrets: [],
    };
  }

  const entries = Object.entries(alerting.receivers ?? {});
  if (entries.length === 0) throw v.error({ field: 'alerting.receivers', problem: 'is empty', expected: "at least one receiver, e.g. { oncall: { slack: { webhook: { name: 'alertmanager-slack', key: 'url' } } } }" });
  for (const [name, receiver] of entries) {
    const field = `alerting.receivers.${name}`;
    if (!RECEIVER_NAME.test(name) || name === 'null') throw v.error({ field: `alerting.receivers['${name}']`, problem: 'is not a receiver name', expected: "letters, digits, '-' and '_' ('null' is the kit's drop receiver)" });
    names.add(name);
    const built: Record<string, unknown> = { name };
    if (receiver.slack !== undefined) {
      const slack = receiver.slack;
      built.slack_configs = [{
        api_url_file: secretFile(`${field}.slack.webhook`, slack.webhook, 'a Slack receiver needs a Secret reference to its incoming-webhook URL ({ name, key }), which Alertmanager reads from the mounted Secret; the URL itself never goes into the values'),
        ...(slack.channel !== undefined && { channel: slack.channel }),
        send_resolved: true,
        title: SLACK_TITLE,
        text: SLACK_TEXT,
      }];
    }
    if (receiver.pagerDuty !== undefined) {
      built.pagerduty_configs = [{
        routing_key_file: secretFile(`${field}.pagerDuty.routingKey`, receiver.pagerDuty.routingKey, 'a PagerDuty receiver needs a Secret reference to its Events API v2 routing key ({ name, key })'),
        send_resolved: true,
        description: '{{ .CommonLabels.alertname }}: {{ .CommonAnnotations.summary }}',
      }];
    }
    if (receiver.email !== undefined) {
      const email = receiver.email;
      for (const key of ['to', 'from'] as const) {
        if (typeof email[key] !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email[key].split(',')[0]?.trim() ?? '')) {
          throw v.error({ field: `${field}.email.${key}`, value: email[key], problem: 'is not an email address', expected: "e.g. 'oncall@example.com'" });
        }
      }
      if (typeof email.smarthost !== 'string' || !/^[^\s:]+:\d+$/.test(email.smarthost)) {
        throw v.error({ field: `${field}.email.smarthost`, value: email.smarthost, problem: 'is not host:port', expected: "e.g. 'smtp.example.com:587'" });
      }
      if (email.password !== undefined && email.username === undefined) {
        throw v.conflict(`${field}.email.password is set without username; SMTP authentication needs both`);
      }
      built.email_configs = [{
        to: email.to,
        from: email.from,
        smarthost: email.smarthost,
        require_tls: true,
        send_resolved: true,
        ...(email.username !== undefined && { auth_username: email.username }),
        ...(email.password !== undefined && { auth_password_file: secretFile(`${field}.email.password`, email.password, 'the SMTP password needs a Secret reference ({ name, key })') }),
      }];
    }
    if (receiver.webhook !== undefined) {
      built.webhook_configs = [{
        url_file: secretFile(`${field}.webhook.url`, receiver.webhook.url, 'a webhook receiver needs a Secret reference to its URL ({ name, key })'),
        send_resolved: true,
      }];
    }
    if (Object.keys(built).length === 1) {
      throw v.error({ field, problem: 'has no integration', expected: 'one of slack, pagerDuty, email or webhook' });
    }
    receivers.push(built);
  }
  const receiverRef = (field: string, name: string | undefined) => {
    if (name === undefined || !names.has(name)) {
      throw v.error({ field, value: name, problem: 'is not a receiver', expected: `one of ${[...names].map((n) => `'${n}'`).join(', ')}` });
    }
    return name;
  };

  const routes: Record<string, unknown>[] = [
    alerting.watchdogReceiver !== undefined
      ? { receiver: receiverRef('alerting.watchdogReceiver', alerting.watchdogReceiver), matchers: ['alertname = "Watchdog"'], group_wait: '0s', group_interval: '1m', repeat_interval: '1m' }
      : { receiver: 'null', matchers: ['alertname = "Watchdog"'] },
    { receiver: 'null', matchers: ['alertname = "InfoInhibitor"'] },
  ];
  if (alerting.escalation !== undefined) {
    const escalation = alerting.escalation;
    routes.push({ receiver: receiverRef('alerting.escalation.receiver', escalation.receiver), matchers: [`${ESCALATION_LABEL.name} = "${ESCALATION_LABEL.value}"`] });
  }
  (alerting.routes ?? []).forEach((route, i) => {
    const field = `alerting.routes[${i}]`;
    if (route.severity !== undefined && !SEVERITIES.includes(route.severity)) {
      throw v.error({ field: `${field}.severity`, value: route.severity, problem: 'is not a severity', expected: "'critical', 'warning' or 'info'" });
    }
    if (route.team !== undefined && (typeof route.team !== 'string' || route.team === '' || /["\\\n]/.test(route.team))) {
      throw v.error({ field: `${field}.team`, value: route.team, problem: 'is not a label value', expected: "e.g. 'payments'" });
    }
    if (route.severity === undefined && route.team === undefined) {
      throw v.error({ field, problem: 'matches every alert', expected: 'severity, team or both (alerts no route matches go to defaultReceiver)' });
    }
    routes.push({
      receiver: receiverRef(`${field}.receiver`, route.receiver),
      matchers: [
        ...(route.severity !== undefined ? [`severity = "${route.severity}"`] : []),
        ...(route.team !== undefined ? [`team = "${route.team}"`] : []),
      ],
      ...(route.continue === true && { continue: true }),
    });
  });

  const groupBy = alerting.groupBy ?? ALERTING_DEFAULTS.groupBy;
  groupBy.forEach((label, i) => {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label) && label !== '...') throw v.error({ field: `alerting.groupBy[${i}]`, value: label, problem: 'is not a label name' });
  });
  return {
    config: {
      global: { resolve_timeout: '5m' },
      route: {
        receiver: receiverRef('alerting.defaultReceiver', alerting.defaultReceiver),
        group_by: [...groupBy],
        group_wait: durationOf('alerting.groupWait', alerting.groupWait ?? ALERTING_DEFAULTS.groupWait),
        group_interval: durationOf('alerting.groupInterval', alerting.groupInterval ?? ALERTING_DEFAULTS.groupInterval),
        repeat_interval: durationOf('alerting.repeatInterval', alerting.repeatInterval ?? ALERTING_DEFAULTS.repeatInterval),
        routes,
      },
      receivers,
      inhibit_rules: INHIBIT_RULES,
      templates: ['/etc/alertmanager/config/*.tmpl'],
    },
    secrets: [...secrets].sort(),
  };
}

/** Validates `alerting.escalation` and resolves its defaults (undefined without escalation). */
export function resolveEscalation(v: PropsValidator, alerting: Alerting | undefined): { after: string; severities: readonly AlertSeverity[] } | undefined {
  const escalation = alerting?.escalation;
  if (escalation === undefined) return undefined;
  const after = escalation.after ?? ALERTING_DEFAULTS.escalationAfter;
  if (!((prometheusDurationMs(after) ?? 0) > 0)) {
    throw v.error({ field: 'alerting.escalation.after', value: after, problem: 'is not a duration above zero', expected: "e.g. '5m'" });
  }
  const severities = escalation.severities ?? ALERTING_DEFAULTS.escalationSeverities;
  if (severities.length === 0 || severities.some((s) => !SEVERITIES.includes(s))) {
    throw v.error({ field: 'alerting.escalation.severities', value: severities, problem: "must list severities among 'critical', 'warning' and 'info'" });
  }
  return { after, severities };
}
