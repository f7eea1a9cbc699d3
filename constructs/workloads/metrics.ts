/**
 * Prometheus metrics of a workload: the endpoint a ServiceMonitor (prometheus-operator,
 * `monitoring.coreos.com/v1`) scrapes, and the label by which a Prometheus selects those
 * ServiceMonitors.
 *
 * @see https://prometheus-operator.dev/docs/developer/getting-started/
 */
import type { IngressPeer } from './exposure.js';

/**
 * The label every ServiceMonitor of the kit carries. A Prometheus selects them with
 * `serviceMonitorSelector: { matchLabels: MONITORING_LABELS }`.
 */
export const MONITORING_LABELS: Readonly<Record<string, string>> = Object.freeze({ 'k8s-platform-kit.dev/monitoring': 'true' });

/** The defaults of {@link Metrics}, resolved once. */
export const METRICS_DEFAULTS = {
  path: '/metrics',
  interval: '30s',
  /** The namespace whose pods may scrape the metrics port when `allowFrom` is not given. */
  scraperNamespace: 'monitoring',
} as const;

/** Where and how often Prometheus scrapes a workload's metrics. */
export interface Metrics {
  /**
   * The container port that serves the metrics, by number or name. It must be one of
   * `ports`, so the Service exposes it, and it must be named: a ServiceMonitor selects
   * Service ports by name.
   */
  readonly port: number | string;
  /**
   * The HTTP path of the metrics.
   * @default '/metrics'
   */
  readonly path?: string;
  /**
   * How often Prometheus scrapes, as a Prometheus duration (`15s`, `1m`, `1m30s`).
   * @default '30s'
   */
  readonly interval?: string;
  /**
   * Who may connect to the metrics port, on top of `allowIngressFrom`: the NetworkPolicy
   * admits them on that port only. An empty list adds no rule.
   * @default [IngressPeer.namespace('monitoring')] - the pods of namespace `monitoring`
   */
  readonly allowFrom?: readonly IngressPeer[];
}
