/**
 * The two Grafana dashboards of MonitoringStack, as JSON built in code: USE (per node:
 * utilisation, saturation, errors) and RED (per service: rate, errors, duration), small on
 * purpose. The RED view reads the series the SLO rules record, so it lists exactly the
 * services that have SLOs.
 *
 * @see https://www.brendangregg.com/usemethod.html
 * @see https://grafana.com/blog/2018/08/02/the-red-method-how-to-instrument-your-services/
 */

/** One time-series panel: a title, its queries and a unit. */
interface PanelSpec {
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly targets: readonly { readonly expr: string; readonly legend: string }[];
}

/** A dashboard as Grafana's JSON model. */
export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly json: Record<string, unknown>;
}

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

function dashboard(uid: string, title: string, description: string, panels: readonly PanelSpec[], variables: Record<string, unknown>[]): Dashboard {
  return {
    uid,
    title,
    json: {
      uid,
      title,
      description,
      tags: ['k8s-platform-kit'],
      editable: false,
      schemaVersion: 39,
      time: { from: 'now-6h', to: 'now' },
      refresh: '1m',
      templating: {
        list: [
          { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus' },
          ...variables,
        ],
      },
      panels: panels.map((panel, i) => ({
        id: i + 1,
        type: 'timeseries',
        title: panel.title,
        description: panel.description,
        datasource: DATASOURCE,
        gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
        fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
        targets: panel.targets.map((target, j) => ({
          refId: String.fromCharCode(65 + j),
          datasource: DATASOURCE,
          expr: target.expr,
          legendFormat: target.legend,
        })),
      })),
    },
  };
}

/** USE: each node's CPU, memory, disk and network utilisation, saturation and errors. */
export function useDashboard(): Dashboard {
  return dashboard('kit-use', 'USE: nodes', 'Utilisation, saturation and errors of each node (node-exporter).', [
    {
      title: 'CPU utilisation',
      description: 'Share of CPU time not idle.',
      unit: 'percentunit',
      targets: [{ expr: '1 - avg by (instance) (rate(node_cpu_seconds_total{job="node-exporter", mode="idle"}[$__rate_interval]))', legend: '{{instance}}' }],
    },
    {
      title: 'CPU saturation (load per core)',
      description: '1-minute load average divided by the number of cores; above 1, work waits for a CPU.',
      unit: 'short',
      targets: [{ expr: 'node_load1{job="node-exporter"} / on (instance) count by (instance) (node_cpu_seconds_total{job="node-exporter", mode="idle"})', legend: '{{instance}}' }],
    },
    {
      title: 'Memory utilisation',
      description: 'Share of memory not available to new work.',
      unit: 'percentunit',
      targets: [{ expr: '1 - node_memory_MemAvailable_bytes{job="node-exporter"} / node_memory_MemTotal_bytes{job="node-exporter"}', legend: '{{instance}}' }],
    },
    {
      title: 'Memory saturation (major page faults)',
      description: 'Pages read back from disk per second: memory pressure.',
      unit: 'short',
      targets: [{ expr: 'rate(node_vmstat_pgmajfault{job="node-exporter"}[$__rate_interval])', legend: '{{instance}}' }],
    },
    {
      title: 'Disk utilisation and filesystem use',
      description: 'Share of time the disks were busy, and the fullest filesystem of each node.',
      unit: 'percentunit',
      targets: [
        { expr: 'max by (instance) (rate(node_disk_io_time_seconds_total{job="node-exporter"}[$__rate_interval]))', legend: '{{instance}} busy' },
        { expr: 'max by (instance) (1 - node_filesystem_avail_bytes{job="node-exporter", fstype!=""} / node_filesystem_size_bytes{job="node-exporter", fstype!=""})', legend: '{{instance}} full' },
      ],
    },
    {
      title: 'Network errors and drops',
      description: 'Receive and transmit errors and drops per second.',
      unit: 'pps',
      targets: [{
        expr: 'sum by (instance) (rate(node_network_receive_errs_total{job="node-exporter"}[$__rate_interval]) + rate(node_network_transmit_errs_total{job="node-exporter"}[$__rate_interval]) + rate(node_network_receive_drop_total{job="node-exporter"}[$__rate_interval]) + rate(node_network_transmit_drop_total{job="node-exporter"}[$__rate_interval]))',
        legend: '{{instance}}',
      }],
    },
  ], []);
}

/** RED: a service's request rate, error ratio and latency, from the SLO rules' recorded series. */
export function redDashboard(): Dashboard {
  const service = 'service="$service"';
  return dashboard('kit-red', 'RED: services', 'Rate, errors and duration of each service with an SLO (the MonitoringStack SLO rules).', [
    {
      title: 'Rate',
      description: 'Requests per second.',
      unit: 'reqps',
      targets: [{ expr: `service:requests:rate5m{${service}}`, legend: 'requests/s' }],
    },
    {
      title: 'Errors',
      description: 'Share of failed requests, and of requests slower than the latency SLO threshold.',
      unit: 'percentunit',
      targets: [
        { expr: `service:sli_error:ratio_rate5m{${service}, slo="availability"}`, legend: 'failed' },
        { expr: `service:sli_error:ratio_rate5m{${service}, slo="latency"}`, legend: 'too slow' },
      ],
    },
    {
      title: 'Duration',
      description: 'Median and 99th percentile latency.',
      unit: 's',
      targets: [
        { expr: `service:request_duration_seconds:p50_rate5m{${service}}`, legend: 'p50' },
        { expr: `service:request_duration_seconds:p99_rate5m{${service}}`, legend: 'p99' },
      ],
    },
    {
      title: 'Error budget burn rate (1h)',
      description: 'Error ratio over the last hour; compare with the objective on the SLO alerts.',
      unit: 'percentunit',
      targets: [{ expr: `service:sli_error:ratio_rate1h{${service}}`, legend: '{{slo}}' }],
    },
  ], [{
    name: 'service',
    label: 'Service',
    type: 'query',
    datasource: DATASOURCE,
    query: { query: 'label_values(service:sli_error:ratio_rate5m, service)', refId: 'service' },
    refresh: 2,
    sort: 1,
  }]);
}

/** Every PromQL expression of a dashboard, with Grafana's variables replaced so that it parses. */
export function dashboardQueries(board: Dashboard): string[] {
  const panels = (board.json.panels ?? []) as { targets: { expr: string }[] }[];
  return panels.flatMap((panel) => panel.targets.map((target) => target.expr.replaceAll('$__rate_interval', '5m')));
}
