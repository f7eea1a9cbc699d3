import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Testing } from 'cdk8s';
import {
  HardenedDeployment, IngressPeer, METRICS_DEFAULTS, MONITORING_LABELS, validateManifests, type HardenedDeploymentProps,
} from '../../../constructs/index.js';
import { AT, build, minimalProps, portlessProps, synthDeployment } from './_deployment-fixtures.js';

const PORTS = [{ number: 8080, name: 'http' }, { number: 9090, name: 'metrics' }] as const;

function withMetrics(metrics: HardenedDeploymentProps['metrics'], overrides: Partial<HardenedDeploymentProps> = {}): HardenedDeploymentProps {
  return minimalProps({ ports: PORTS, metrics, ...overrides });
}

function serviceMonitorOf(props: HardenedDeploymentProps) {
  const result = synthDeployment(props);
  return { ...result, serviceMonitor: result.manifests.find((o) => o.kind === 'ServiceMonitor') };
}

function throwsWith(props: HardenedDeploymentProps, message: string): void {
  assert.throws(() => build(props), { message: `${AT}${message}` });
}

describe('HardenedDeployment metrics defaults', () => {
  it('creates no ServiceMonitor without metrics', () => {
    const { manifests, workload } = synthDeployment(minimalProps({ ports: PORTS }));
    assert.equal(manifests.some((o) => o.kind === 'ServiceMonitor'), false);
    assert.equal(workload.serviceMonitor, undefined);
  });

  it("defaults to path '/metrics' every '30s' on the named Service port", () => {
    const { serviceMonitor, workload } = serviceMonitorOf(withMetrics({ port: 'metrics' }));
    assert.equal(serviceMonitor.apiVersion, 'monitoring.coreos.com/v1');
    assert.deepEqual(serviceMonitor.spec.endpoints, [{ port: 'metrics', path: '/metrics', interval: '30s' }]);
    assert.deepEqual(METRICS_DEFAULTS, { path: '/metrics', interval: '30s', scraperNamespace: 'monitoring' });
    assert.ok(workload.serviceMonitor);
  });

  it('selects the Service by its name label, in its namespace, with the same name', () => {
    const { serviceMonitor, service } = serviceMonitorOf(withMetrics({ port: 'metrics' }, { name: 'orders', namespace: 'shop' }));
    assert.equal(serviceMonitor.metadata.name, 'orders');
    assert.equal(serviceMonitor.metadata.namespace, 'shop');
    assert.deepEqual(serviceMonitor.spec.selector, { matchLabels: { 'app.kubernetes.io/name': 'orders' } });
    assert.equal(service.metadata.labels['app.kubernetes.io/name'], 'orders');
  });

  it('labels the ServiceMonitor with MONITORING_LABELS and the workload labels', () => {
    const { serviceMonitor } = serviceMonitorOf(withMetrics({ port: 'metrics' }, { name: 'orders', labels: { team: 'shop' } }));
    assert.deepEqual(MONITORING_LABELS, { 'k8s-platform-kit.dev/monitoring': 'true' });
    assert.deepEqual(serviceMonitor.metadata.labels, { team: 'shop', 'app.kubernetes.io/name': 'orders', 'k8s-platform-kit.dev/monitoring': 'true' });
  });

  it('exposes the metrics port on the Service', () => {
    const { service } = serviceMonitorOf(withMetrics({ port: 'metrics' }));
    assert.deepEqual(service.spec.ports.find((p: { name: string }) => p.name === 'metrics'), { name: 'metrics', port: 9090, targetPort: 9090 });
  });

  it("lets the 'monitoring' namespace reach the metrics port, and nothing else", () => {
    const { networkPolicy } = serviceMonitorOf(withMetrics({ port: 'metrics' }));
    assert.deepEqual(networkPolicy.spec.ingress, [{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      ports: [{ port: 9090, protocol: 'TCP' }],
    }]);
  });

  it('passes schema and policy validation', async () => {
    const chart = Testing.chart();
    new HardenedDeployment(chart, 'api', withMetrics({ port: 'metrics' }, { name: 'api', namespace: 'shop' }));
    const report = await validateManifests(Testing.synth(chart).map((object) => ({ object })));
    assert.equal(report.errors.length, 0, report.format());
    assert.equal(report.objectCount, 5);
  });
});

describe('HardenedDeployment metrics overrides', () => {
  it('takes the port by number and writes its name', () => {
    const { serviceMonitor } = serviceMonitorOf(withMetrics({ port: 9090 }));
    assert.equal(serviceMonitor.spec.endpoints[0].port, 'metrics');
  });

  it('scrapes the main port when it serves the metrics', () => {
    const { serviceMonitor, networkPolicy } = serviceMonitorOf(minimalProps({ metrics: { port: 'http' } }));
    assert.equal(serviceMonitor.spec.endpoints[0].port, 'http');
    assert.deepEqual(networkPolicy.spec.ingress[0].ports, [{ port: 8080, protocol: 'TCP' }]);
  });

  it('takes a path and an interval', () => {
    const { serviceMonitor } = serviceMonitorOf(withMetrics({ port: 'metrics', path: '/admin/metrics', interval: '1m30s' }));
    assert.deepEqual(serviceMonitor.spec.endpoints, [{ port: 'metrics', path: '/admin/metrics', interval: '1m30s' }]);
  });

  it('lets the given scrapers in, next to allowIngressFrom', () => {
    const { networkPolicy } = serviceMonitorOf(withMetrics(
      { port: 'metrics', allowFrom: [IngressPeer.pods({ 'app.kubernetes.io/name': 'prometheus' }, 'observability')] },
      { allowIngressFrom: [IngressPeer.namespace('gateway')] },
    ));
    assert.deepEqual(networkPolicy.spec.ingress, [
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway' } } }],
        ports: [{ port: 8080, protocol: 'TCP' }, { port: 9090, protocol: 'TCP' }],
      },
      {
        from: [{
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } },
        }],
        ports: [{ port: 9090, protocol: 'TCP' }],
      },
    ]);
  });

  it('adds no NetworkPolicy rule when allowFrom is empty', () => {
    const { networkPolicy, serviceMonitor } = serviceMonitorOf(withMetrics({ port: 'metrics', allowFrom: [] }));
    assert.deepEqual(networkPolicy.spec.ingress, []);
    assert.ok(serviceMonitor);
  });
});

describe('HardenedDeployment metrics errors', () => {
  it('throws if the port is not declared', () => {
    throwsWith(withMetrics({ port: 'prom' }),
      "metrics.port ('prom') is not a port the container exposes (exposed: 8080 (http), 9090 (metrics)); expected a port declared in ports, e.g. { number: 9090, name: 'metrics' }");
  });

  it('throws if the port number is not declared', () => {
    throwsWith(withMetrics({ port: 9100 }),
      "metrics.port (9100) is not a port the container exposes (exposed: 8080 (http), 9090 (metrics)); expected a port declared in ports, e.g. { number: 9090, name: 'metrics' }");
  });

  it('throws if the container has no ports', () => {
    throwsWith(portlessProps({ metrics: { port: 9090 } }),
      "metrics.port (9090) is not a port the container exposes (exposed: none); expected a port declared in ports, e.g. { number: 9090, name: 'metrics' }");
  });

  it('throws if the port is unnamed', () => {
    throwsWith(minimalProps({ ports: [{ number: 8080 }], metrics: { port: 8080 } }),
      "metrics.port (8080) is unnamed, but a ServiceMonitor selects Service ports by name; expected a name for it in ports, e.g. { number: 8080, name: 'metrics' }");
  });

  it('throws if the port is not TCP', () => {
    throwsWith(minimalProps({ ports: [{ number: 8080, name: 'http' }, { number: 9125, name: 'statsd', protocol: 'UDP' }], metrics: { port: 'statsd' } }),
      "metrics.port ('statsd') is UDP, but Prometheus scrapes over TCP; expected a TCP port");
  });

  it('throws if the path is relative', () => {
    throwsWith(withMetrics({ port: 'metrics', path: 'metrics' }), "metrics.path ('metrics') is not an absolute URL path; expected e.g. '/metrics'");
  });

  it('throws if the interval is not a Prometheus duration', () => {
    for (const interval of ['30', '1h30', '30m1h', '']) {
      throwsWith(withMetrics({ port: 'metrics', interval }),
        `metrics.interval ('${interval}') is not a Prometheus duration above zero; expected e.g. '30s', '1m' or '1m30s'`);
    }
  });

  it('throws if the interval is zero', () => {
    throwsWith(withMetrics({ port: 'metrics', interval: '0s' }),
      "metrics.interval ('0s') is not a Prometheus duration above zero; expected e.g. '30s', '1m' or '1m30s'");
  });
});
