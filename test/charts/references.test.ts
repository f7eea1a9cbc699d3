/**
 * Charts wire constructs by object: the edge's proxies come from the controller the platform
 * installs, the edge's certificates name the issuer objects, the scrapers come from the
 * monitoring stack. Changing the source changes every user.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Chart } from 'cdk8s';
import { EnvoyGateway, EnvoyGatewayClass, IngressNginx, MonitoringStack, type IngressController } from '../../constructs/index.js';
import { buildApp } from '../../charts/app.js';
import { EdgeChart } from '../../charts/edge.js';
import { loadEnvironment } from '../../charts/environment.js';
import { FleetmanChart } from '../../charts/fleetman.js';
import { JournalChart } from '../../charts/journal.js';
import type { PlatformChart } from '../../charts/platform.js';
import { TodoApiChart } from '../../charts/todoapi.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const env = loadEnvironment('dev');
const apps = env.apps;

/** The apps and the edge, composed by hand around `edge`. */
function compose(controllerOf: (chart: Chart) => IngressController, scrapedBy?: (chart: Chart) => MonitoringStack) {
  const app = new App();
  const platform = new Chart(app, 'platform');
  const edge = controllerOf(platform);
  const monitoring = scrapedBy?.(platform);
  const todoapi = new TodoApiChart(app, 'todoapi', { namespace: apps.namespace, ...apps.todoapi, edge });
  const fleetman = new FleetmanChart(app, 'fleetman', { ...apps.fleetman!, edge, ...(monitoring && { scrapedBy: monitoring.scrapers }) });
  const journal = new JournalChart(app, 'journal', { ...apps.journal!, edge });
  const edgeChart = new EdgeChart(app, 'edge', {
    env, settings: env.platform!, controller: edge,
    routes: [
      { host: `todo.${env.platform!.domain}`, backend: todoapi.api, public: true },
      { host: `queue.${env.platform!.domain}`, backend: fleetman.queue, port: 8161 },
      { host: `journal.${env.platform!.domain}`, backend: journal.api, public: true },
    ],
  });
  const objects = [todoapi, fleetman, journal, edgeChart].flatMap((chart) => chart.toJson()) as any[];
  return { edgeChart, fleetman, objects, edgeObjects: edgeChart.toJson() as any[] };
}
/** The namespaces every NetworkPolicy admits by namespace selector. */
const admittedNamespaces = (objects: any[]) => new Set(objects.filter((o) => o.kind === 'NetworkPolicy')
  .flatMap((o) => (o.spec.ingress ?? []).flatMap((rule: any) => (rule.from ?? []).map((peer: any) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'])))
  .filter((name: string | undefined) => name !== undefined));

describe('the edge\'s proxies, from the controller that installs them', () => {
  it('an EnvoyGateway in another namespace moves every admission of the proxies, and its GatewayClass names the Gateway\'s class', () => {
    const { objects } = compose((chart) => new EnvoyGateway(chart, 'Gateway', { namespace: 'proxies' })
      .ingressController(new EnvoyGatewayClass(chart, 'Class', { name: 'public' })));
    assert.ok(!JSON.stringify(objects).includes('envoy-gateway-system'), 'no object names the default proxy namespace');
    assert.ok(admittedNamespaces(objects).has('proxies'));
    for (const name of ['todoapi', 'fleetman-webapp-blue', 'journal-api', 'journal-files']) {
      const policy = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === name);
      assert.ok(JSON.stringify(policy.spec.ingress).includes('"proxies"'), `${name} admits the proxies`);
    }
    assert.equal(objects.find((o) => o.kind === 'Gateway').spec.gatewayClassName, 'public');
  });

  it('an IngressNginx gives its IngressClass and namespace: one ingress per backend namespace, challenges through its class', () => {
    const { objects, edgeChart, edgeObjects } = compose((chart) => new IngressNginx(chart, 'Nginx', { namespace: 'nginx-system' }).ingressController);
    assert.ok(admittedNamespaces(objects).has('nginx-system'));
    assert.ok(!admittedNamespaces(objects).has('envoy-gateway-system'));
    assert.deepEqual(edgeChart.ingresses.map((ingress) => ingress.namespace), [apps.namespace, 'fleetman', 'journal']);
    // Basic auth only where a route is not public.
    assert.deepEqual(edgeChart.ingresses.map((ingress) => ingress.basicAuth !== undefined), [false, true, false]);
    const issuer = edgeObjects.find((o) => o.kind === 'ClusterIssuer' && o.metadata.name === edgeChart.issuers.staging.name);
    assert.deepEqual(issuer.spec.acme.solvers[0].http01, { ingress: { ingressClassName: edgeChart.ingresses[0]!.controller.className } });
  });

  it('buildApp admits the proxies of the controller the platform chart installs', () => {
    const app = buildApp(env);
    const controllers = app.node.findChild('controllers') as PlatformChart;
    assert.equal(controllers.ingressController.proxyNamespace, controllers.gateway!.namespace);
    const todoapi = (app.node.findChild('todoapi') as Chart).toJson() as any[];
    assert.ok(admittedNamespaces(todoapi).has(controllers.gateway!.namespace));
  });
});

describe('the edge\'s certificates, from the issuer objects', () => {
  it('every Certificate names the configured issuer object, whose solver answers through the edge\'s Gateway', () => {
    const { edgeChart, edgeObjects } = compose((chart) => new EnvoyGateway(chart, 'Gateway').ingressController());
    const issuer = edgeChart.issuers[env.platform!.ingress.issuer];
    const certificates = edgeObjects.filter((o) => o.kind === 'Certificate');
    assert.ok(certificates.length > 0);
    for (const certificate of certificates) assert.deepEqual(certificate.spec.issuerRef, { group: 'cert-manager.io', kind: issuer.kind, name: issuer.name });
    const clusterIssuer = edgeObjects.find((o) => o.kind === 'ClusterIssuer' && o.metadata.name === issuer.name);
    const [ingress] = edgeChart.ingresses;
    const { name, namespace, sectionName } = ingress!.http01Listener;
    assert.deepEqual(clusterIssuer.spec.acme.solvers[0].http01.gatewayHTTPRoute.parentRefs, [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name, namespace, sectionName }]);
  });
});

describe('the scrapers, from the monitoring stack', () => {
  it('a MonitoringStack in another namespace is the one the metrics port admits', () => {
    const { objects } = compose(
      (chart) => new EnvoyGateway(chart, 'Gateway').ingressController(),
      (chart) => new MonitoringStack(chart, 'Monitoring', { namespace: 'metrics', grafanaAdmin: { secretName: 'grafana-admin' } }),
    );
    assert.ok(admittedNamespaces(objects).has('metrics'));
    assert.ok(!admittedNamespaces(objects).has('monitoring'));
  });
});
