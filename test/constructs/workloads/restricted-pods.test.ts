/**
 * Every pod the kit writes comes out of the one builder (constructs/workloads/pod-spec.ts):
 * HardenedDeployment, StatefulMongo (members, initiation Job, backup CronJob), StatefulRedis,
 * EfkLogging (Elasticsearch, its Jobs, Kibana, the collector) and TeamNamespace's reaper.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { StatefulMongo, StatefulRedis, TeamNamespace, type ManifestObject } from '../../../constructs/index.js';
import { EfkLogging } from '../../../constructs/platform/efk-logging.js';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../../../constructs/workloads/pod-spec.js';
import { synthDeployment, minimalProps } from './_deployment-fixtures.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

function podsOf(objects: readonly ManifestObject[]): [string, any][] {
  return objects.flatMap((o: any): [string, any][] => {
    const id = `${o.kind}/${o.metadata.name.replace(/-[0-9a-f]{10}$/, '')}`;
    if (o.kind === 'CronJob') return [[id, o.spec.jobTemplate.spec.template.spec]];
    if (['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(o.kind)) return [[id, o.spec.template.spec]];
    return [];
  });
}

describe('every kit pod is the hardened pod', () => {
  const chart = Testing.chart();
  const secret = (key: string) => ({ name: 'credentials', key });
  new StatefulMongo(chart, 'Mongo', {
    namespace: 'data', storage: { size: '10Gi' }, admin: { username: secret('u'), password: secret('p') }, keyfile: secret('k'), backup: { size: '10Gi' },
  });
  new StatefulRedis(chart, 'Redis', { namespace: 'data', storage: { size: '10Gi' }, password: secret('p') });
  new EfkLogging(chart, 'Efk', { storage: { size: '50Gi' }, elasticPassword: secret('e'), kibanaSystemPassword: secret('k'), collectorPassword: secret('c') });
  new TeamNamespace(chart, 'Team', {
    name: 'payments-dev', team: 'payments', owner: 'payments@example.com', purpose: 'shared development',
    today: new Date('2026-11-21T10:00:00Z'), expires: '2026-12-31', reaper: {},
  });
  const pods = [...podsOf(Testing.synth(chart) as ManifestObject[]), ...podsOf(synthDeployment(minimalProps({ name: 'api' })).manifests as ManifestObject[])];

  it('covers each kind of pod', () => {
    assert.deepEqual(pods.map(([id]) => id).sort(), [
      'CronJob/mongo-backup', 'CronJob/reap-payments-dev', 'DaemonSet/fluent-bit', 'Deployment/kibana', 'Deployment/api',
      'Job/elasticsearch-setup', 'Job/kibana-data-view', 'Job/mongo-initiate', 'StatefulSet/elasticsearch', 'StatefulSet/mongo', 'StatefulSet/redis',
    ].sort());
  });

  it('the restricted pod context, with the token mounted only by the collector and the reaper', () => {
    for (const [id, pod] of pods) {
      const { runAsUser: user, runAsGroup: group } = pod.securityContext;
      const root = user === 0 ? { rootReason: 'collector' } : {};
      const fsGroup = pod.securityContext.fsGroup !== undefined;
      assert.deepEqual(sorted(pod.securityContext), sorted(restrictedPodSecurityContext({ user, group, fsGroup, ...root })), id);
      assert.equal(pod.automountServiceAccountToken, ['DaemonSet/fluent-bit', 'CronJob/reap-payments-dev'].includes(id), id);
    }
  });

  it('the restricted container context on every container and init container', () => {
    for (const [id, pod] of pods) {
      for (const container of [...pod.initContainers ?? [], ...pod.containers]) {
        const { runAsUser: user, runAsGroup: group } = container.securityContext;
        const expected = restrictedContainerSecurityContext({ user, group, root: user === 0 });
        const actual = { ...container.securityContext };
        if (id.startsWith('Deployment/')) delete actual.privileged; // cdk8s-plus writes privileged: false on every container
        assert.deepEqual(sorted(actual), sorted(expected), `${id} ${container.name}`);
      }
    }
  });
});

function sorted(object: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
}
