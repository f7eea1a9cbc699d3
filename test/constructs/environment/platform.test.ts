/**
 * The `platform` key's defaults: a key the stack file leaves out stays undefined, so the
 * construct's `@default` applies (the charts pass it through); inner defaults are written
 * once (`prefault`), so an omitted group and an empty one parse the same.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOGGING_STORAGE_DEFAULT, TIER_SIZING, awsCluster, capacitySettings, platformSettings } from '../../../constructs/environment/index.js';

const MINIMAL = { domain: 'example.acme.dev', ingress: { acmeEmail: 'team@acme.dev', users: ['admin'] } };

describe('platform settings defaults', () => {
  it('defaults: sizes the constructs default are left undefined', () => {
    const settings = platformSettings.parse({ ...MINIMAL, backups: { namespaces: ['todo'] } });
    assert.deepEqual(settings.monitoring, {});
    assert.deepEqual(settings.logging, { enabled: true, storage: LOGGING_STORAGE_DEFAULT });
    assert.deepEqual(settings.backups, { namespaces: ['todo'] });
    assert.equal(settings.ingress.internal, undefined);
    assert.equal(settings.ingress.controller, 'envoy-gateway');
    assert.equal(settings.ingress.issuer, 'staging');
  });

  it('keeps each value the stack file sets', () => {
    const settings = platformSettings.parse({
      ...MINIMAL,
      ingress: { ...MINIMAL.ingress, internal: true },
      monitoring: { retention: '30d', storage: '200Gi' },
      logging: { nodes: 3, storage: '100Gi', retentionDays: 45, memory: '4Gi' },
      backups: { schedule: '0 3 * * *', retention: '168h', namespaces: ['todo'] },
    });
    assert.deepEqual(settings.monitoring, { retention: '30d', storage: '200Gi' });
    assert.deepEqual(settings.logging, { enabled: true, nodes: 3, storage: '100Gi', retentionDays: 45, memory: '4Gi' });
    assert.deepEqual(settings.backups, { schedule: '0 3 * * *', retention: '168h', namespaces: ['todo'] });
    assert.equal(settings.ingress.internal, true);
  });

  it('parses an omitted group as the empty one, its inner defaults applied once', () => {
    const omitted = platformSettings.parse(MINIMAL);
    const empty = platformSettings.parse({ ...MINIMAL, monitoring: {}, logging: {} });
    assert.deepEqual(omitted, empty);
    assert.deepEqual(platformSettings.parse({ ...MINIMAL, logging: { enabled: false } }).logging, { enabled: false, storage: LOGGING_STORAGE_DEFAULT });
  });
});

describe('cluster settings inner defaults', () => {
  const cluster = { name: 'kit', version: '1.34', zones: ['eu-west-1a', 'eu-west-1b'], vpcCidr: '10.0.0.0/16', nodePools: [{ name: 'general', instanceTypes: ['m6i.large'], min: 1, desired: 1, max: 2 }] };

  it('defaults: an omitted group is its fields\' defaults', () => {
    const parsed = awsCluster.parse(cluster);
    assert.deepEqual(parsed.addons, { loadBalancerController: true, autoscaler: 'cluster-autoscaler', networkPolicy: true, versions: {} });
    assert.deepEqual(parsed.endpoint, { private: true, public: false, publicCidrs: [], deployFrom: 'public-cidrs' });
    assert.deepEqual(capacitySettings.parse(undefined), { strict: false });
  });

  it('fills the rest of a group the stack file sets in part', () => {
    const parsed = awsCluster.parse({ ...cluster, addons: { networkPolicy: false }, endpoint: { public: true, publicCidrs: ['203.0.113.0/24'] } });
    assert.deepEqual(parsed.addons, { loadBalancerController: true, autoscaler: 'cluster-autoscaler', networkPolicy: false, versions: {} });
    assert.deepEqual(parsed.endpoint, { private: true, public: true, publicCidrs: ['203.0.113.0/24'], deployFrom: 'public-cidrs' });
  });
});

describe('TIER_SIZING', () => {
  it('replicates the controllers and Prometheus in prod only, and leaves MonitoringStack\'s defaults elsewhere', () => {
    assert.deepEqual(TIER_SIZING.prod, { controllerReplicas: 2, prometheusReplicas: 2, alertmanagerReplicas: 3 });
    for (const tier of ['dev', 'staging'] as const) assert.deepEqual(TIER_SIZING[tier], { controllerReplicas: 1 });
  });
});
