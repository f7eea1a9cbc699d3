/**
 * Checks that a construct applies to a prop and the stack-file loader applies to the key that
 * becomes that prop: one function each, so a bad value gets the same verdict, in the same
 * words, whether it is written in TypeScript or in `Pulumi.<env>.yaml`.
 */

import { cronScheduleProblem } from './names.js';

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };
const PROMETHEUS_DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Milliseconds in a Prometheus duration (`10d`, `1h30m`, `500ms`); undefined when it is not one. */
export function prometheusDurationMs(value: string): number | undefined {
  const match = typeof value === 'string' && value !== '' ? PROMETHEUS_DURATION.exec(value) : null;
  if (!match) return undefined;
  const units = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
  return units.reduce((total, unit, i) => total + Number(match[i + 1] ?? 0) * (DURATION_UNITS[unit] ?? 0), 0);
}

/** Why `value` is not a Prometheus duration above zero (a retention, an escalation delay), or undefined. */
export function positivePrometheusDurationProblem(value: string): string | undefined {
  const ms = prometheusDurationMs(value);
  return ms !== undefined && ms > 0 ? undefined : 'is not a Prometheus duration above zero';
}

const GO_DURATION = /^(\d+h)?(\d+m)?(\d+s)?$/;

/** Seconds in a Go duration of hours, minutes and seconds (`720h`, `1h30m`), as a backup retention takes it; NaN when it is not one. */
export function goDurationSeconds(value: string): number {
  const match = typeof value === 'string' ? GO_DURATION.exec(value) : null;
  if (!match || value === '') return Number.NaN;
  const [, h = '0h', m = '0m', s = '0s'] = match;
  return parseInt(h, 10) * 3600 + parseInt(m, 10) * 60 + parseInt(s, 10);
}

const EMAIL = /^[^\s@]+@([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/i;
const FORBIDDEN_EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net'];

/** Returns why `email` cannot be an ACME contact, or undefined. */
export function acmeEmailProblem(email: string): string | undefined {
  if (typeof email !== 'string' || !EMAIL.test(email)) return 'is not an email address; expected e.g. platform-team@acme.dev';
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  if (FORBIDDEN_EMAIL_DOMAINS.includes(domain)) return `is at ${domain}, which Let's Encrypt refuses; expected a mailbox someone reads`;
  return undefined;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Why `value` is not a `YYYY-MM-DD` date of today or later (`today` in UTC), or undefined. */
export function futureDateProblem(value: string, today: Date): string | undefined {
  const match = typeof value === 'string' ? DATE.exec(value) : null;
  const parsed = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
  if (!parsed || parsed.toISOString().slice(0, 10) !== value) return 'is not a date; expected YYYY-MM-DD';
  const day = today.toISOString().slice(0, 10);
  if (value < day) return `is in the past (today is ${day}); expected today or later, or no expiry`;
  return undefined;
}

/** Whole days an Elasticsearch index may be kept. */
export const LOG_RETENTION_DAYS_RANGE = { min: 1, max: 365 } as const;

/** Why `days` is not a log retention the EFK stack takes, or undefined. */
export function logRetentionDaysProblem(days: number): string | undefined {
  const { min, max } = LOG_RETENTION_DAYS_RANGE;
  return typeof days === 'number' && Number.isInteger(days) && days >= min && days <= max
    ? undefined : `is not a whole number of days from ${min} to ${max}`;
}

/** Why `nodes` is not a size an Elasticsearch cluster keeps a quorum at (1, or an odd number of 3 or more), or undefined. */
export function elasticsearchNodesProblem(nodes: number): string | undefined {
  if (typeof nodes !== 'number' || !Number.isInteger(nodes) || nodes < 1) return 'is not a whole number >= 1';
  if (nodes % 2 === 0) {
    return `is even: ${nodes} master-eligible nodes need ${nodes / 2 + 1} for a quorum, so losing ${nodes / 2} stops the cluster `
      + 'and a network split leaves neither half a majority (split brain: no quorum on either side)';
  }
  return undefined;
}

/** Why `schedule` is not a Velero schedule (five cron fields with their ranges, or `@every <Go duration>`), or undefined. */
export function backupScheduleProblem(schedule: string): string | undefined {
  if (typeof schedule !== 'string') return "is not a five-field cron schedule or '@every <duration>'";
  if (/^@every \S+$/.test(schedule)) {
    const duration = schedule.slice('@every '.length);
    return goDurationSeconds(duration) > 0 ? undefined : 'has an @every duration that is not a Go duration such as 6h or 30m';
  }
  return cronScheduleProblem(schedule);
}

/** Why `retention` is not a positive Go duration of hours, minutes and seconds (a backup's), or undefined. */
export function backupRetentionProblem(retention: string): string | undefined {
  return goDurationSeconds(retention) > 0 ? undefined : 'is not a positive Go duration';
}
