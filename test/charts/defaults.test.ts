/**
 * One source for each default: a size the stack file leaves out is the construct's
 * `@default` in the output, a size it sets is that value; tier sizes come from TIER_SIZING.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Chart } from 'cdk8s';
import {
  AWS_CONTROLLER_DEFAULTS, BACKUP_SCHEDULE_DEFAULTS, EFK_DEFAULTS, MONITORING_STACK_DEFAULTS, IngressLoadBalancer,
} from '../../constructs/index.js';
import { TIER_SIZING, parseEnvironment, readStackConfig } from '../../constructs/environment/index.js';
import { buildApp } from '../../charts/app.js';
import { APPS_SCHEMA, type Environment } from '../../charts/environment.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const KEY = 'k8s-platform-kit:platform';

/** The prod stack file, its `platform` key edited. */
function prodWith(edit: (platform: any) => void): Environment {
  const config = structuredClone(readStackConfig('Pulumi.prod.yaml'));
  edit(config[KEY]);
  return parseEnvironment('prod', config, { apps: APPS_SCHEMA, source: 'Pulumi.prod.yaml (edited)' });
}
const objectsOf = (env: Environment, chart: string) => ((buildApp(env).node.findChild(chart) as Chart).toJson()) as any[];
const named = (objects: any[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const prometheusSpec = (env: Environment) => named(objectsOf(env, 'controllers'), 'HelmRelease', 'kube-prometheus-stack').spec.values.prometheus.prometheusSpec;

describe('platform defaults follow the constructs', () => {
  it('defaults: monitoring without retention and storage gets MonitoringStack\'s', () => {
    const spec = prometheusSpec(prodWith((p) => { delete p.monitoring.retention; delete p.monitoring.storage; }));
    assert.equal(spec.retention, MONITORING_STACK_DEFAULTS.retention);
    assert.equal(spec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage, MONITORING_STACK_DEFAULTS.storageSize);
  });

  it('monitoring with retention and storage gets those', () => {
    const spec = prometheusSpec(prodWith((p) => { p.monitoring.retention = '21d'; p.monitoring.storage = '300Gi'; }));
    assert.equal(spec.retention, '21d');
    assert.equal(spec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage, '300Gi');
  });

  it('defaults: backups without schedule and retention get BackupSchedule\'s; set, they are kept', () => {
    const schedule = (env: Environment) => named(objectsOf(env, 'backups'), 'Schedule', 'nightly').spec;
    const unset = schedule(prodWith((p) => { delete p.backups.schedule; delete p.backups.retention; }));
    assert.deepEqual([unset.schedule, unset.template.ttl], [BACKUP_SCHEDULE_DEFAULTS.schedule, BACKUP_SCHEDULE_DEFAULTS.retention]);
    const set = schedule(prodWith((p) => { p.backups.schedule = '30 4 * * *'; p.backups.retention = '168h'; }));
    assert.deepEqual([set.schedule, set.template.ttl], ['30 4 * * *', '168h']);
  });

  it('defaults: logging without nodes, memory and retention gets EfkLogging\'s; set, they are kept', () => {
    const elasticsearch = (env: Environment) => named(objectsOf(env, 'cluster'), 'StatefulSet', 'elasticsearch').spec;
    const unset = elasticsearch(prodWith((p) => { delete p.logging.nodes; delete p.logging.memory; delete p.logging.retentionDays; }));
    assert.equal(unset.replicas, EFK_DEFAULTS.nodes);
    assert.deepEqual(unset.template.spec.containers[0].resources.limits, { ...EFK_DEFAULTS.resources });
    const set = elasticsearch(prodWith((p) => { p.logging.nodes = 5; p.logging.memory = '8Gi'; }));
    assert.equal(set.replicas, 5);
    assert.deepEqual(set.template.spec.containers[0].resources.limits, { cpu: EFK_DEFAULTS.resources.cpu, memory: '8Gi' });
  });

  it('defaults: an edge without internal gets IngressLoadBalancer\'s (internet-facing); internal: true is kept', () => {
    const scheme = (env: Environment) => named(objectsOf(env, 'edge'), 'EnvoyProxy', 'edge').spec.provider.kubernetes.envoyService.annotations['service.beta.kubernetes.io/aws-load-balancer-scheme'];
    assert.equal(IngressLoadBalancer.aws().aws.internal, undefined);
    assert.equal(scheme(prodWith((p) => { delete p.ingress.internal; })), 'internet-facing');
    assert.equal(scheme(prodWith((p) => { p.ingress.internal = true; })), 'internal');
  });
});

describe('tier sizing follows TIER_SIZING', () => {
  for (const tier of ['dev', 'staging', 'prod'] as const) {
    it(`${tier}: the controllers and Prometheus run the tier's replicas, or the constructs' defaults`, () => {
      const env = { ...prodWith(() => {}), tier };
      const sizing = TIER_SIZING[tier];
      const releases = objectsOf(env, 'controllers').filter((o) => o.kind === 'HelmRelease');
      const values = (name: string) => releases.find((o) => o.metadata.name === name).spec.values;
      assert.equal(values('cert-manager').replicaCount, sizing.controllerReplicas ?? 1);
      assert.equal(values('gateway-helm').deployment.replicas, sizing.controllerReplicas ?? 1);
      assert.equal(values('kube-prometheus-stack').prometheus.prometheusSpec.replicas, sizing.prometheusReplicas);
      assert.equal(values('kube-prometheus-stack').alertmanager.alertmanagerSpec.replicas, sizing.alertmanagerReplicas);
      const lbc = named(objectsOf(env, 'addons'), 'HelmRelease', 'aws-load-balancer-controller').spec.values;
      assert.equal(lbc.replicaCount, sizing.controllerReplicas ?? AWS_CONTROLLER_DEFAULTS.loadBalancerControllerReplicas);
    });
  }
});
