/**
 * Validation of the `metrics` prop of a workload and the resolution of its defaults.
 */
import type { PropsValidator } from '../core/errors.js';
import { IngressPeer, ingressPeerProblem } from './exposure.js';
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
 * Validates `metrics` against the container's ports and resolves its defaults. Throws the
 * workload's props error on bad input, naming the field (`metrics.port …`).
 */
export function resolveMetrics(v: PropsValidator, metrics: Metrics, ports: readonly WorkloadPort[]): ResolvedMetrics {
  const { port } = metrics;
  const exposed = ports.map((p) => (p.name ? `${p.number} (${p.name})` : String(p.number))).join(', ') || 'none';
  const match = ports.find((p) => (typeof port === 'number' ? p.number === port : p.name === port));
  if (!match) {
    throw v.error({
      field: 'metrics.port', value: port, problem: `is not a port the container exposes (exposed: ${exposed})`,
      expected: "a port declared in ports, e.g. { number: 9090, name: 'metrics' }",
    });
  }
  if (match.name === undefined) {
    throw v.error({
      field: 'metrics.port', value: port, problem: 'is unnamed, but a ServiceMonitor selects Service ports by name',
      expected: `a name for it in ports, e.g. { number: ${match.number}, name: 'metrics' }`,
    });
  }
  if (match.protocol !== undefined && match.protocol !== 'TCP') {
    throw v.error({ field: 'metrics.port', value: port, problem: `is ${match.protocol}, but Prometheus scrapes over TCP`, expected: 'a TCP port' });
  }
  const path = metrics.path ?? METRICS_DEFAULTS.path;
  if (typeof path !== 'string' || !path.startsWith('/') || /\s/.test(path)) {
    throw v.error({ field: 'metrics.path', value: path, problem: 'is not an absolute URL path', expected: "e.g. '/metrics'" });
  }
  const interval = metrics.interval ?? METRICS_DEFAULTS.interval;
  if (typeof interval !== 'string' || !PROMETHEUS_DURATION.test(interval) || !/[1-9]/.test(interval)) {
    throw v.error({ field: 'metrics.interval', value: interval, problem: 'is not a Prometheus duration above zero', expected: "e.g. '30s', '1m' or '1m30s'" });
  }
  const allowFrom = metrics.allowFrom ?? [IngressPeer.namespace(METRICS_DEFAULTS.scraperNamespace)];
  allowFrom.forEach((peer, i) => {
    const problem = ingressPeerProblem(peer);
    if (problem) throw v.error({ field: `metrics.allowFrom[${i}]`, problem });
  });
  return { portName: match.name, portNumber: match.number, path, interval, allowFrom };
}
