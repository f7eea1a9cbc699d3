/**
 * Validation of the `metrics` prop of a workload and the resolution of its defaults.
 */
import { shown } from '../core/errors.js';
import { IngressPeer } from './exposure.js';
import { METRICS_DEFAULTS, type Metrics } from './metrics.js';
import type { WorkloadPort } from './options.js';

/** The metrics endpoint, validated, with defaults resolved. */
export interface ResolvedMetrics {
  /** The name of the container port (and of the Service port). */
  readonly portName: string;
  /** Its number. */
  readonly portNumber: number;
  readonly path: string;
  readonly interval: string;
  readonly allowFrom: readonly IngressPeer[];
}

/** A Prometheus duration, as the ServiceMonitor CRD's pattern accepts it (units in descending order). */
const PROMETHEUS_DURATION = /^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/;

/**
 * Validates `metrics` against the container's ports and resolves its defaults. Throws
 * `fail(<message>)` on bad input, the message starting at the field (`metrics.port …`).
 */
export function resolveMetrics(fail: (message: string) => Error, metrics: Metrics, ports: readonly WorkloadPort[]): ResolvedMetrics {
  const { port } = metrics;
  const exposed = ports.map((p) => (p.name ? `${p.number} (${p.name})` : String(p.number))).join(', ') || 'none';
  const match = ports.find((p) => (typeof port === 'number' ? p.number === port : p.name === port));
  if (!match) {
    throw fail(`metrics.port ${shown(port)} is not a port the container exposes (exposed: ${exposed}); declare it in ports, e.g. { number: 9090, name: 'metrics' }`);
  }
  if (match.name === undefined) {
    throw fail(`metrics.port ${shown(port)} is unnamed, but a ServiceMonitor selects Service ports by name; name it in ports, e.g. { number: ${match.number}, name: 'metrics' }`);
  }
  if (match.protocol !== undefined && match.protocol !== 'TCP') {
    throw fail(`metrics.port ${shown(port)} is ${match.protocol}, but Prometheus scrapes over TCP; serve the metrics on a TCP port`);
  }
  const path = metrics.path ?? METRICS_DEFAULTS.path;
  if (typeof path !== 'string' || !path.startsWith('/') || /\s/.test(path)) {
    throw fail(`metrics.path must be an absolute URL path such as '/metrics', got ${shown(path)}`);
  }
  const interval = metrics.interval ?? METRICS_DEFAULTS.interval;
  if (typeof interval !== 'string' || !PROMETHEUS_DURATION.test(interval) || !/[1-9]/.test(interval)) {
    throw fail(`metrics.interval must be a Prometheus duration above zero such as '30s', '1m' or '1m30s', got ${shown(interval)}`);
  }
  return {
    portName: match.name,
    portNumber: match.number,
    path,
    interval,
    allowFrom: metrics.allowFrom ?? [IngressPeer.namespace(METRICS_DEFAULTS.scraperNamespace)],
  };
}
