/**
 * The environment picture: routes to Services, Services to the workloads they select,
 * workloads to the ConfigMaps and Secrets they read, ServiceMonitors to what they scrape.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Chart } from 'cdk8s';
import { HardenedDeployment, Probe, type ManifestObject } from '../../../constructs/index.js';
import { environmentEdges, environmentGraph } from '../../../constructs/gitops/index.js';
import { objectsOf } from '../../../constructs/capacity/index.js';

const route: ManifestObject = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { hostnames: ['shop.example.com'], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [{ name: 'api', port: 8080 }] }] },
};
const ingress: ManifestObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'legacy', namespace: 'shop' },
  spec: { rules: [{ host: 'old.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 8080 } } } }] } }] },
};

function shop(): ManifestObject[] {
  const app = new App();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new HardenedDeployment(chart, 'api', {
    name: 'api',
    image: 'shop/api:1.0.0',
    ports: [{ number: 8080, name: 'http' }, { number: 9090, name: 'metrics' }],
    resources: { cpu: { request: '100m' }, memory: { request: '128Mi', limit: '128Mi' } },
    liveness: Probe.httpGet('/'),
    readiness: Probe.httpGet('/'),
    config: { 'app.yaml': 'a: 1\n' },
    metrics: { port: 'metrics' },
  });
  return [...objectsOf(app), route, ingress];
}

describe('environmentEdges', () => {
  const edges = environmentEdges(shop());
  const has = (from: RegExp, to: RegExp, label?: RegExp) => edges.some((e) => from.test(e.from) && to.test(e.to) && (!label || label.test(e.label ?? '')));

  it('routes reach Services, with host and path', () => {
    assert.ok(has(/^HTTPRoute\/shop\/web$/, /^Service\/shop\/api$/, /^shop\.example\.com\/api$/));
    assert.ok(has(/^Ingress\/shop\/legacy$/, /^Service\/shop\/api$/, /^old\.example\.com\/$/));
  });

  it('an HTTPRoute reaches a Service in another namespace when its backendRef names it', () => {
    const edge: ManifestObject = {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'edge-shop', namespace: 'edge' },
      spec: { hostnames: ['shop.example.com'], rules: [{ backendRefs: [{ name: 'api', namespace: 'shop', port: 8080 }] }] },
    };
    const crossed = environmentEdges([...shop(), edge]);
    assert.ok(crossed.some((e) => e.from === 'HTTPRoute/edge/edge-shop' && e.to === 'Service/shop/api' && e.label === 'shop.example.com/'));
    assert.equal(crossed.some((e) => e.to === 'Service/edge/api'), false);
  });

  it('Services reach the workloads they select, which read their ConfigMaps', () => {
    assert.ok(has(/^Service\/shop\/api$/, /^Deployment\/shop\/api$/));
    assert.ok(has(/^Deployment\/shop\/api$/, /^ConfigMap\/shop\/api-config-/, /^reads$/));
  });

  it('ServiceMonitors reach the Services they scrape, with the port', () => {
    // The Deployment names its metrics port 'metrics': the label is that port, nothing more.
    assert.deepEqual(edges.filter((e) => e.from.startsWith('ServiceMonitor/')), [
      { from: 'ServiceMonitor/shop/api', to: 'Service/shop/api', label: 'scrapes metrics' },
    ]);
  });

  it('draws nothing the manifests do not say: a ConfigMap no one reads, a Service that selects nothing', () => {
    const configMap: ManifestObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unused', namespace: 'shop' } };
    const service: ManifestObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'external', namespace: 'shop' }, spec: { ports: [{ port: 5432 }] } };
    assert.deepEqual(environmentEdges([configMap, service]), []);
  });
});

describe('environmentGraph', () => {
  it('is a left-to-right Mermaid flowchart, one subgraph per namespace, a node per object, an edge per relation', () => {
    const text = environmentGraph(shop(), 'shop: everything');
    const lines = text.trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, 4), ['---', 'title: "shop: everything"', '---', 'flowchart LR']);
    assert.equal(lines.filter((l) => /^ {2}subgraph /.test(l)).length, 1);
    assert.ok(lines.includes('    n_HTTPRoute_shop_web["HTTPRoute<br/>web"]:::route'));
    assert.ok(lines.includes('  n_HTTPRoute_shop_web -->|"shop.example.com/api"| n_Service_shop_api'));
    assert.equal(lines.filter((l) => l.includes('-->')).length, environmentEdges(shop()).length);
  });
});
