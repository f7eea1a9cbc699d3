/**
 * The journal chart, from each environment's stack file: the API reads from any Redis
 * member and writes to the primary, the password comes from a Secret, only the gateway
 * reaches the API and the files, and everything passes the validation spine.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App } from 'cdk8s';
import { IngressController, validateManifests, type ManifestObject } from '../../constructs/index.js';
import { JournalChart } from '../../charts/journal.js';
import { environmentNames, loadEnvironment } from '../../charts/environment.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
function synth(envName: string, overrides: Record<string, unknown> = {}) {
  const env = loadEnvironment(envName);
  assert.ok(env.apps.journal, `${envName} configures journal`);
  const chart = new JournalChart(new App(), 'journal', { ...env.apps.journal, edge: IngressController.envoyGateway(), ...overrides });
  return { chart, objects: chart.toJson() as any[] };
}
const named = (objects: any[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

describe('journal chart', () => {
  const { objects } = synth('prod');
  const api = named(objects, 'Deployment', 'journal-api').spec.template.spec.containers[0];
  const env = Object.fromEntries(api.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

  it('reads from any Redis member and writes to the primary', () => {
    assert.equal(env.REDIS_READ_HOST, 'redis-read.journal.svc.cluster.local');
    assert.equal(env.REDIS_WRITE_HOST, 'redis-write.journal.svc.cluster.local');
    assert.equal(named(objects, 'Service', 'redis-write').spec.selector['statefulset.kubernetes.io/pod-name'], 'redis-0');
    assert.equal(named(objects, 'StatefulSet', 'redis').spec.replicas, 3);
  });

  it('takes the Redis password from a Secret, never from the manifests', () => {
    assert.deepEqual(env.REDIS_PASSWORD, { secretKeyRef: { name: 'redis-password', key: 'password' } });
    assert.equal(objects.filter((o) => o.kind === 'Secret').length, 0);
  });

  it('rolls the API when the entries per page change', () => {
    assert.equal(env.JOURNAL_ENTRIES, '10');
    const other = named(synth('prod', { journalEntries: 20 }).objects, 'Deployment', 'journal-api');
    assert.notDeepEqual(other.spec.template, named(objects, 'Deployment', 'journal-api').spec.template);
  });

  it('admits the gateway to the API and the files, and only the API to Redis', () => {
    for (const name of ['journal-api', 'journal-files']) {
      assert.deepEqual(named(objects, 'NetworkPolicy', name).spec.ingress[0].from, [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } } }]);
    }
    const redisPeers = JSON.stringify(named(objects, 'NetworkPolicy', 'redis').spec.ingress);
    assert.match(redisPeers, /"app.kubernetes.io\/name":"journal-api"/);
  });

  for (const envName of environmentNames()) {
    it(`passes the validation spine in ${envName}`, async () => {
      const report = await validateManifests(synth(envName).objects.map((object) => ({ object: object as ManifestObject })));
      assert.deepEqual(report.errors.map((f) => `${f.object}: ${f.message}`), []);
    });
  }
});
