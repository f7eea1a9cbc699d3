/**
 * The `platform` key of an environment: what the kit's platform charts install and how
 * large (monitoring, logging, the edge gateway and its certificates, team namespaces,
 * backups). Shapes and defaults only; the constructs check the values themselves
 * (quantities, durations, PromQL) and name the construct path when one is wrong.
 */
import {
  acmeEmailProblem, backupRetentionProblem, backupScheduleProblem, elasticsearchNodesProblem, futureDateProblem, logRetentionDaysProblem, positivePrometheusDurationProblem,
} from '../core/config-checks.js';
import { z } from 'zod';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../core/names.js';
import { isQuantity } from '../core/quantity.js';
import { strictObject } from './_strict.js';

/** A namespace or other DNS-1123 label. */
export const dnsLabel = z.string().refine((name) => dns1123LabelProblem(name) === undefined, { error: 'expected a DNS-1123 label such as payments' });
const objectName = z.string().refine((name) => dns1123SubdomainProblem(name) === undefined, { error: 'expected an object name (a DNS-1123 subdomain)' });
/** A host name with at least two labels. */
export const hostName = z.string().refine((host) => dns1123SubdomainProblem(host) === undefined && host.includes('.'), { error: 'expected a DNS name such as app.example.com' });
/** A Kubernetes quantity, checked as the constructs check it. */
export const quantity = z.string().refine(isQuantity, { error: "expected a Kubernetes quantity such as '50Gi' or '500m'" });

/**
 * The size of each Elasticsearch node's volume when the stack file gives none. The one
 * platform default the schema holds: EfkLogging has no default size (a volume's size is a
 * decision), and the platform charts always run logging unless it is switched off.
 */
export const LOGGING_STORAGE_DEFAULT = '30Gi';

/** A key of a Secret in the namespace that uses it; the Secret itself is managed outside the manifests. */
const secretKey = strictObject({ name: objectName, key: z.string().regex(/^[-._a-zA-Z0-9]+$/, { error: 'expected a Secret key' }) });
const severity = z.enum(['critical', 'warning', 'info']);

const receiver = strictObject({
  slack: strictObject({ webhook: secretKey, channel: z.string().min(1).optional() }).optional(),
  pagerDuty: strictObject({ routingKey: secretKey }).optional(),
  email: strictObject({
    to: z.email(), from: z.email(), smarthost: z.string().regex(/^[^:\s]+:\d+$/, { error: 'expected host:port' }),
    username: z.string().min(1).optional(), password: secretKey.optional(),
  }).optional(),
  webhook: strictObject({ url: secretKey }).optional(),
});

/** A string the construct it becomes checks with `problem`, checked here the same way, with what to write instead. */
const checkedString = (problem: (value: string) => string | undefined, expected: string) => z.string().superRefine((value, ctx) => {
  const found = problem(value);
  if (found === undefined) return;
  const sentence = found.replace(/^is /, 'which is ');
  ctx.addIssue({ code: 'custom', input: value, message: sentence.includes('; expected ') ? sentence : `${sentence}; expected ${expected}` });
});

/** Alert routing, as MonitoringStack takes it; the Secrets live in the monitoring namespace. */
const alerting = strictObject({
  receivers: z.record(z.string().min(1), receiver),
  defaultReceiver: z.string().min(1),
  routes: z.array(strictObject({ severity: severity.optional(), team: z.string().min(1).optional(), receiver: z.string().min(1), continue: z.boolean().optional() })).optional(),
  watchdogReceiver: z.string().min(1).optional(),
  escalation: strictObject({ receiver: z.string().min(1), after: checkedString(positivePrometheusDurationProblem, "a duration such as '5m'").optional(), severities: z.array(severity).optional() }).optional(),
});

const team = strictObject({
  name: dnsLabel,
  team: z.string().min(1),
  owner: z.string().min(1),
  purpose: z.string().min(1),
  /** `YYYY-MM-DD`: the reaper deletes the namespace after this day. */
  expires: checkedString((value) => futureDateProblem(value, new Date()), 'a date such as 2027-03-31').optional(),
  /** Groups (from the cluster's identity provider) bound to `edit` and `view`. */
  editGroups: z.array(z.string().min(1)).default([]),
  viewGroups: z.array(z.string().min(1)).default([]),
  quota: strictObject({
    cpu: strictObject({ requests: quantity.optional(), limits: quantity.optional() }).optional(),
    memory: strictObject({ requests: quantity.optional(), limits: quantity.optional() }).optional(),
    pods: z.int().min(1).optional(),
  }).optional(),
});

/** The `k8s-platform-kit:platform` key. */
export const platformSettings = strictObject({
  /** The DNS zone of the environment's hosts: the apps and Grafana are `<name>.<domain>`. */
  domain: hostName,
  /** The edge: one Gateway (one load balancer) for every public host. */
  ingress: strictObject({
    /** `envoy-gateway` (Gateway API), or the retired `ingress-nginx` for clusters that still run it. */
    controller: z.enum(['envoy-gateway', 'ingress-nginx']).default('envoy-gateway'),
    /** The ACME account's contact for Let's Encrypt. */
    acmeEmail: checkedString((value) => acmeEmailProblem(value)?.replace(/; expected .*$/, ''), "a mailbox for the Let's Encrypt account, e.g. platform-team@acme.dev"),
    /** Which Let's Encrypt server issues the certificates: start with staging on a new domain. */
    issuer: z.enum(['staging', 'production']).default('staging'),
    /** The basic-auth users; their bcrypt htpasswd lines are in the Secret `edge-users` (key `.htpasswd`). */
    users: z.array(z.string().regex(/^[^:\s]+$/, { error: 'expected a user name without spaces or colons' })).min(1, { error: 'expected at least one user' }),
    /** A private load balancer (reachable from the VPC/VNet only); IngressLoadBalancer's `internal` default (public) when left out. */
    internal: z.boolean().optional(),
  }),
  /** Left out, MonitoringStack's defaults apply (MONITORING_STACK_DEFAULTS). */
  monitoring: strictObject({
    /** How long Prometheus keeps samples; MonitoringStack's `retention` default when left out. */
    retention: checkedString(positivePrometheusDurationProblem, "e.g. '10d', '12h' or '2w'").optional(),
    /** Prometheus' volume; MonitoringStack's `storage.size` default when left out. */
    storage: quantity.optional(),
    alerting: alerting.optional(),
  }).prefault({}),
  /** Left out, EfkLogging's defaults apply (EFK_DEFAULTS), on volumes of {@link LOGGING_STORAGE_DEFAULT}. */
  logging: strictObject({
    enabled: z.boolean().default(true),
    /** Elasticsearch nodes: 1, or an odd number of 3 or more; EfkLogging's `nodes` default when left out. */
    nodes: z.number().superRefine((value, ctx) => {
      const found = elasticsearchNodesProblem(value);
      if (found !== undefined) ctx.addIssue({ code: 'custom', input: value, message: `${found.replace(/^is /, 'which is ')}; expected 1 (small) or an odd number from 3 (large)` });
    }).optional(),
    /** Each Elasticsearch node's volume; {@link LOGGING_STORAGE_DEFAULT} when left out (EfkLogging requires a size). */
    storage: quantity.default(LOGGING_STORAGE_DEFAULT),
    /** Days an index is kept; EfkLogging's `retentionDays` default when left out. */
    retentionDays: z.number().superRefine((value, ctx) => {
      const found = logRetentionDaysProblem(value);
      if (found !== undefined) ctx.addIssue({ code: 'custom', input: value, message: `${found.replace(/^is /, 'which is ')}; expected e.g. 30` });
    }).optional(),
    /** Memory per Elasticsearch node (its heap is half); EfkLogging's `resources` default when left out. */
    memory: quantity.optional(),
  }).prefault({}),
  teams: z.array(team).default([]),
  /** Nightly Velero backups (Velero and its storage location are installed outside the kit). */
  backups: strictObject({
    /** A cron schedule (UTC); BackupSchedule's `schedule` default when left out. */
    schedule: checkedString(backupScheduleProblem, "e.g. '0 3 * * *' (minute 0-59, hour 0-23, day 1-31, month 1-12, weekday 0-7)").optional(),
    /** How long each backup is kept (a Go duration); BackupSchedule's `retention` default when left out. */
    retention: checkedString(backupRetentionProblem, 'e.g. 720h for 30 days').optional(),
    namespaces: z.array(dnsLabel).min(1),
  }).optional(),
});

/** The platform settings (`k8s-platform-kit:platform`), defaults applied. */
export type PlatformSettings = z.output<typeof platformSettings>;
/** One team of the platform settings (`platform.teams[]`). */
export type TeamSettings = PlatformSettings['teams'][number];
