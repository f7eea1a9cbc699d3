/**
 * The platform charts of every environment: the stages Flux needs (no custom resource in
 * the chart whose releases define it), sizes by tier, the edge's routes and certificates,
 * the only policy waivers being the declared ones, and the legacy controller's warning.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Chart } from 'cdk8s';
import { COLLECTOR_EXCEPTIONS, collectObjects, constructWarnings, validateManifests } from '../../constructs/index.js';
import { buildApp } from '../../charts/app.js';
import { environmentNames, loadEnvironment, type Environment } from '../../charts/environment.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const chartOf = (app: ReturnType<typeof buildApp>, id: string) => app.node.findChild(id) as Chart;
const objectsOf = (app: ReturnType<typeof buildApp>, id: string) => chartOf(app, id).toJson() as any[];
const named = (objects: any[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

describe('platform charts', () => {
  for (const name of environmentNames()) {
    it(`${name}: every object passes the validation spine; the only waivers are the declared ones`, async () => {
      const app = buildApp(loadEnvironment(name));
      const report = await validateManifests(collectObjects(app.charts));
      assert.deepEqual(report.errors.map((f) => `${f.object}: ${f.message}`), []);
      const waived = [...new Set(report.waived.map((f) => `${f.object.split('/')[0]} ${f.ruleId}`))].sort();
      // The log collector's hostPath reads, the Redis write Service's runtime pod-name selector, the position simulator's probes.
      assert.deepEqual(waived, [...Object.keys(COLLECTOR_EXCEPTIONS).map((rule) => `DaemonSet ${rule}`), 'Deployment kit-probes', 'Service kit-selector-match'].sort());
    });
  }

  it('keeps custom resources out of the chart whose releases install their definitions', () => {
    for (const name of environmentNames()) {
      const kinds = new Set(objectsOf(buildApp(loadEnvironment(name)), 'controllers').map((o) => `${o.apiVersion.split('/')[0]}/${o.kind}`));
      assert.deepEqual([...kinds].sort(), [
        'helm.toolkit.fluxcd.io/HelmRelease', 'source.toolkit.fluxcd.io/HelmRepository', 'storage.k8s.io/StorageClass', 'v1/Namespace',
      ], name);
    }
    const cluster = objectsOf(buildApp(loadEnvironment('dev')), 'cluster');
    assert.ok(cluster.some((o) => o.kind === 'PrometheusRule'));
    assert.ok(cluster.some((o) => o.kind === 'GatewayClass'));
  });

  it('sizes by tier: dev runs one of each controller, prod replicates them', () => {
    const release = (env: string, name: string) => named(objectsOf(buildApp(loadEnvironment(env)), 'controllers'), 'HelmRelease', name).spec.values;
    assert.equal(release('dev', 'cert-manager').replicaCount, 1);
    assert.equal(release('prod', 'cert-manager').replicaCount, 2);
    assert.deepEqual(release('prod', 'cert-manager').podDisruptionBudget, { enabled: true, minAvailable: 1 });
    assert.equal(release('prod', 'kube-prometheus-stack').prometheus.prometheusSpec.replicas, 2);
    assert.equal(release('prod', 'kube-prometheus-stack').alertmanager.alertmanagerSpec.replicas, 3);
    assert.equal(release('dev', 'kube-prometheus-stack').prometheus.prometheusSpec.replicas, undefined);
    const elasticsearch = (env: string) => named(objectsOf(buildApp(loadEnvironment(env)), 'cluster'), 'StatefulSet', 'elasticsearch').spec.replicas;
    assert.deepEqual([elasticsearch('dev'), elasticsearch('prod')], [1, 3]);
  });

  it('routes every host through one Gateway, with a certificate per host from the configured issuer', () => {
    const edge = objectsOf(buildApp(loadEnvironment('dev')), 'edge');
    const gateways = edge.filter((o) => o.kind === 'Gateway');
    assert.equal(gateways.length, 1);
    const hosts = edge.filter((o) => o.kind === 'Certificate').map((o) => o.spec.dnsNames).flat().sort();
    assert.deepEqual(hosts, ['fleetman.dev.platform.acme.dev', 'grafana.dev.platform.acme.dev', 'journal.dev.platform.acme.dev',
      'queue.fleetman.dev.platform.acme.dev', 'todo.dev.platform.acme.dev']);
    assert.ok(edge.filter((o) => o.kind === 'Certificate').every((o) => o.spec.issuerRef.name === 'letsencrypt-staging'));
    const secured = edge.filter((o) => o.kind === 'HTTPRoute' && o.metadata.name.endsWith('-secure')).flatMap((o) => o.spec.hostnames).sort();
    assert.deepEqual(secured, ['grafana.dev.platform.acme.dev', 'queue.fleetman.dev.platform.acme.dev']);
    assert.equal(objectsOf(buildApp(loadEnvironment('prod')), 'edge').filter((o) => o.kind === 'Certificate').every((o) => o.spec.issuerRef.name === 'letsencrypt-production'), true);
    // Each route reaches its Service in the app's namespace, which grants it; the proxies may reach the pods.
    const backends = edge.filter((o) => o.kind === 'HTTPRoute').flatMap((o) => o.spec.rules.flatMap((r: any) => r.backendRefs ?? []))
      .filter((ref: any) => ref.name !== 'edge-auth-verifier').map((ref: any) => `${ref.namespace}/${ref.name}`).sort();
    assert.deepEqual(backends, ['fleetman/fleetman-queue', 'fleetman/fleetman-webapp', 'journal/journal-api', 'journal/journal-files',
      'monitoring/kube-prometheus-stack-grafana', 'todo/todoapi']);
    assert.deepEqual(edge.filter((o) => o.kind === 'ReferenceGrant').map((o) => o.metadata.namespace).sort(), ['fleetman', 'journal', 'monitoring', 'todo']);
    assert.deepEqual(edge.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name.endsWith('-from-edge')).map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort(),
      ['fleetman/fleetman-queue-from-edge', 'journal/journal-api-from-edge', 'journal/journal-files-from-edge', 'todo/todoapi-from-edge']);
  });

  it('pages the primary on call and escalates to the backup in prod', () => {
    const values = named(objectsOf(buildApp(loadEnvironment('prod')), 'controllers'), 'HelmRelease', 'kube-prometheus-stack').spec.values;
    const receivers = values.alertmanager.config.receivers.map((r: any) => r.name);
    for (const receiver of ['team-slack', 'primary-pager', 'backup-pager']) assert.ok(receivers.includes(receiver), receiver);
    // Escalation copies of paging rules carry escalation="backup"; the first route sends them to the backup.
    assert.deepEqual(values.alertmanager.config.route.routes.slice(2), [
      { matchers: ['escalation = "backup"'], receiver: 'backup-pager' },
      { matchers: ['severity = "critical"'], receiver: 'primary-pager' },
    ]);
  });

  it('the legacy ingress-nginx controller installs its chart and warns why', () => {
    const env = loadEnvironment('dev');
    const legacy = { ...env, platform: { ...env.platform!, ingress: { ...env.platform!.ingress, controller: 'ingress-nginx' as const } } } as Environment;
    const app = buildApp(legacy);
    assert.ok(named(objectsOf(app, 'controllers'), 'HelmRelease', 'ingress-nginx'));
    assert.equal(objectsOf(app, 'edge').some((o) => o.kind === 'Gateway'), false);
    const warnings = constructWarnings(app);
    assert.ok(warnings.some((w) => /IngressNginx 'controllers\/IngressNginx': ingress-nginx was retired upstream in March 2026/.test(w)), warnings.join('\n'));
  });
});
