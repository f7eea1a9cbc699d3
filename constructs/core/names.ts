/**
 * The name and label syntax rules of the Kubernetes API (k8s.io/apimachinery
 * pkg/util/validation), as pure predicates with the API's own wording.
 */
import type { PropsValidator } from './errors.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Returns why `value` is not a DNS-1123 label (RFC 1123), or undefined if it is one. */
export function dns1123LabelProblem(value: string): string | undefined {
  if (value.length > 63) return `must be no more than 63 characters (got ${value.length})`;
  if (!DNS1123_LABEL.test(value)) {
    return "must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
  }
  return undefined;
}

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Returns why `value` is not a DNS-1035 label (a DNS-1123 label that starts with a letter, as Service names must), or undefined. */
export function dns1035LabelProblem(value: string): string | undefined {
  if (value.length > 63) return `must be no more than 63 characters (got ${value.length})`;
  if (!DNS1035_LABEL.test(value)) {
    return "must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
  }
  return undefined;
}

/** Returns why `value` is not a DNS-1123 subdomain, or undefined if it is one. */
export function dns1123SubdomainProblem(value: string): string | undefined {
  if (value.length > 253) return `must be no more than 253 characters (got ${value.length})`;
  if (!DNS1123_SUBDOMAIN.test(value)) {
    return "must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}

/** Returns why `key` is not a valid label or annotation key (`[prefix/]name`), or undefined. */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return "must be a name with an optional DNS subdomain prefix and '/' (e.g. 'example.com/my-name')";
  const name = parts[parts.length - 1] ?? '';
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    if (prefix.length === 0) return 'has an empty prefix before the /';
    const problem = dns1123SubdomainProblem(prefix);
    if (problem) return `prefix '${prefix}' ${problem}`;
  }
  if (name.length === 0 || name.length > 63) return `name part must be 1 to 63 characters (got ${name.length})`;
  if (!QUALIFIED_NAME.test(name)) {
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}

/** Returns why `value` is not a valid label value, or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return `must be no more than 63 characters (got ${value.length})`;
  if (!LABEL_VALUE.test(value)) {
    return "must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}

const CRON_FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'], first: 1 },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'], first: 0 },
] as const;
/** The descriptors Kubernetes' CronJob parser takes in place of five fields. */
const CRON_DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/** Why one cron field is not valid for its position, or undefined. */
function cronFieldProblem(field: string, spec: (typeof CRON_FIELDS)[number]): string | undefined {
  const value = (text: string): number | undefined => {
    if (/^\d+$/.test(text)) return Number(text);
    const index = 'names' in spec ? (spec.names as readonly string[]).indexOf(text.toUpperCase()) : -1;
    return index >= 0 && 'first' in spec ? index + spec.first : undefined;
  };
  for (const part of field.split(',')) {
    const match = /^(\*|\?|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
    if (!match) return `has ${spec.name} '${field}', which is not a cron field`;
    const [, range = '', step] = match;
    if (range === '?' && spec.name !== 'day of month' && spec.name !== 'day of week') return `has '?' as its ${spec.name}, which only the day fields take`;
    if (step !== undefined && Number(step) < 1) return `has ${spec.name} step ${step}; a step is at least 1`;
    if (range === '*' || range === '?') continue;
    const [from = '', to] = range.split('-');
    for (const bound of to === undefined ? [from] : [from, to]) {
      const n = value(bound);
      if (n === undefined || n < spec.min || n > spec.max) return `has ${spec.name} ${bound}, outside ${spec.min}-${spec.max}`;
    }
    if (to !== undefined && (value(from) ?? 0) > (value(to) ?? 0)) return `has ${spec.name} range ${range}, whose start is after its end`;
  }
  return undefined;
}

/**
 * Returns why `value` is not a cron schedule Kubernetes' CronJob controller takes (five fields,
 * minute 0-59, hour 0-23, day 1-31, month 1-12 or JAN-DEC, weekday 0-7 or SUN-SAT, with ranges,
 * lists and steps; or a descriptor such as @daily), or undefined.
 */
export function cronScheduleProblem(value: string): string | undefined {
  const trimmed = value.trim();
  if (CRON_DESCRIPTORS.includes(trimmed)) return undefined;
  if (/^(CRON_)?TZ=/.test(trimmed)) return 'sets a time zone in the schedule, which Kubernetes refuses; use the time zone field instead';
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 5) return `is not a five-field cron schedule (it has ${fields.length} field${fields.length === 1 ? '' : 's'})`;
  for (const [i, field] of fields.entries()) {
    const problem = cronFieldProblem(field, CRON_FIELDS[i] as (typeof CRON_FIELDS)[number]);
    if (problem) return problem;
  }
  return undefined;
}

/** RBAC object names (`system:aggregate-to-edit`): anything but `.`, `..`, or a name containing `/` or `%`. */
export function pathSegmentNameProblem(value: string): string | undefined {
  if (value === '') return 'must not be empty';
  if (value === '.' || value === '..') return `may not be '${value}'`;
  if (/[/%]/.test(value)) return "may not contain '/' or '%'";
  return undefined;
}

const RBAC_NAME = { check: pathSegmentNameProblem, what: "name without '/' or '%'" };

/** The name check the API server applies to each kind whose names are not DNS-1123 subdomains. */
export const NAME_CHECKS: Readonly<Record<string, { readonly check: (name: string) => string | undefined; readonly what: string }>> = {
  Namespace: { check: dns1123LabelProblem, what: 'DNS-1123 label' },
  Service: { check: dns1035LabelProblem, what: 'DNS-1035 label' },
  Role: RBAC_NAME,
  ClusterRole: RBAC_NAME,
  RoleBinding: RBAC_NAME,
  ClusterRoleBinding: RBAC_NAME,
};

/** The most bytes the data of one ConfigMap may hold, keys and values together (1 MiB). */
export const CONFIG_MAP_MAX_BYTES = 1024 * 1024;

/**
 * Returns why `key` is not a ConfigMap (or Secret) data key, or undefined: 1 to 253 letters,
 * digits, '-', '_' or '.', and neither '.' nor '..' nor starting with '..' (the API server's
 * `IsConfigMapKey`: such keys would clash with the files of a mounted volume).
 */
export function configMapKeyProblem(key: string): string | undefined {
  if (key.length === 0 || key.length > 253) return `must be 1 to 253 characters (got ${key.length})`;
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) return "must consist of alphanumeric characters, '-', '_' or '.'";
  if (key === '.' || key === '..') return `may not be '${key}'`;
  if (key.startsWith('..')) return "may not start with '..'";
  return undefined;
}

/** Returns why `data` is too big for one ConfigMap (over 1 MiB of keys and values, in UTF-8 bytes), or undefined. */
export function configMapSizeProblem(data: Readonly<Record<string, string>>): string | undefined {
  const bytes = Object.entries(data).reduce((sum, [key, value]) => sum + Buffer.byteLength(key, 'utf8') + Buffer.byteLength(value, 'utf8'), 0);
  return bytes > CONFIG_MAP_MAX_BYTES ? `holds ${bytes} bytes, over the 1 MiB (${CONFIG_MAP_MAX_BYTES} bytes) a ConfigMap may hold` : undefined;
}

/**
 * Checks every key (a qualified name) and value (a label value) of a labels prop, the one way
 * constructs refuse a bad label: `labels['a/b/c']` names the key, and the value is shown.
 */
export function checkLabels(v: PropsValidator, field: string, labels: Readonly<Record<string, string>> | undefined): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem) throw v.error({ field: `${field}['${key}']`, problem: `is not a valid label key: ${keyProblem}`, expected: "e.g. 'app.kubernetes.io/part-of'" });
    const valueProblem = typeof value === 'string' ? labelValueProblem(value) : `is a ${typeof value}, not a string`;
    if (valueProblem) throw v.error({ field: `${field}['${key}']`, value, problem: `is not a label value: it ${valueProblem}` });
  }
}

/** The longest name a CronJob may have: its Jobs' names add 11 characters to it, and a Job's name becomes a label value (at most 63). */
export const CRONJOB_NAME_MAX = 52;

/** What a port number must be, for messages. */
export const PORT_NUMBER_EXPECTED = '1 to 65535';

/** Returns why `port` is not a port number (a whole number from 1 to 65535), or undefined. */
export function portNumberProblem(port: unknown): string | undefined {
  return typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535 ? undefined : 'is not a port number';
}

/** Returns why `zone` is not an IANA time zone the runtime knows (as a CronJob's `timeZone` must be), or undefined. */
export function timeZoneProblem(zone: string): string | undefined {
  if (zone.trim() !== zone || zone === '') return 'is not a time zone name (it is empty or has spaces around it)';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return undefined;
  } catch {
    return 'is not a time zone of the IANA database';
  }
}
