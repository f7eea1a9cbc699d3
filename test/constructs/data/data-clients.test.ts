/**
 * The data stores' clients by object (`allowFrom`), next to the `clients` prop; Mongo's
 * connection string for a database; and the image pin check with a registry port.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import {
  HardenedDeployment, Probe, StatefulMongo, StatefulRedis, mongoDatabaseNameProblem,
  type ManifestObject, type StatefulMongoProps, type StatefulRedisProps,
} from '../../../constructs/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const MONGO: StatefulMongoProps = {
  namespace: 'fleetman',
  storage: { size: '20Gi' },
  admin: { username: { name: 'mongo-admin', key: 'username' }, password: { name: 'mongo-admin', key: 'password' } },
  keyfile: { name: 'mongo-keyfile', key: 'keyfile' },
};
const REDIS: StatefulRedisProps = { namespace: 'journal', storage: { size: '10Gi' }, password: { name: 'redis-password', key: 'password' } };

function client(chart: ReturnType<typeof Testing.chart>, id: string, namespace: string) {
  return new HardenedDeployment(chart, id, {
    name: id.toLowerCase(),
    namespace,
    image: 'registry.example.com/app:1.0.0',
    resources: { cpu: { request: '100m' }, memory: { request: '128Mi', limit: '128Mi' } },
    liveness: Probe.exec(['true']),
    readiness: Probe.exec(['true']),
  });
}

const networkPolicy = (chart: ReturnType<typeof Testing.chart>) =>
  (Testing.synth(chart) as ManifestObject[]).find((o) => o.kind === 'NetworkPolicy' && (o.metadata as any).name.match(/^(mongo|redis)$/)) as any;

describe('StatefulMongo.allowFrom', () => {
  it('admits a HardenedDeployment by its selector labels, after the members and the clients prop', () => {
    const chart = Testing.chart();
    const mongo = new StatefulMongo(chart, 'db', { ...MONGO, clients: [{ podLabels: { app: 'legacy' } }] });
    const tracker = client(chart, 'Tracker', 'fleetman');
    mongo.allowFrom(tracker);
    const policy = networkPolicy(chart);
    assert.deepEqual(policy.spec.ingress, [{
      from: [
        { podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'mongo', 'app.kubernetes.io/name': 'mongodb' } } },
        { podSelector: { matchLabels: { app: 'legacy' } } },
        { podSelector: { matchLabels: { ...tracker.identityLabels } } },
      ],
      ports: [{ port: 27017, protocol: 'TCP' }],
    }]);
  });

  it('selects the namespace by name for a workload in another namespace, and admits each workload once', () => {
    const chart = Testing.chart();
    const mongo = new StatefulMongo(chart, 'db', MONGO);
    const reports = client(chart, 'Reports', 'reporting');
    mongo.allowFrom(reports, reports);
    mongo.allowFrom(reports);
    const from = networkPolicy(chart).spec.ingress[0].from;
    assert.equal(from.length, 2);
    assert.deepEqual(from[1], {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'reporting' } },
      podSelector: { matchLabels: { ...reports.identityLabels } },
    });
  });

  it('accepts anything exposing selector labels and a namespace', () => {
    const chart = Testing.chart();
    const mongo = new StatefulMongo(chart, 'db', MONGO);
    mongo.allowFrom({ identityLabels: { 'app.kubernetes.io/name': 'batch' } });
    assert.deepEqual(networkPolicy(chart).spec.ingress[0].from[1], { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'batch' } } });
  });

  it('throws if given no workloads, or one with no selector labels', () => {
    const chart = Testing.chart();
    const mongo = new StatefulMongo(chart, 'db', MONGO);
    assert.throws(() => mongo.allowFrom(), { message: "StatefulMongo 'test/db': allowFrom() workloads is empty; expected at least one workload" });
    assert.throws(() => mongo.allowFrom({ identityLabels: {} }),
      { message: "StatefulMongo 'test/db': allowFrom() workloads[0].identityLabels is empty, which would admit every pod; expected a HardenedDeployment or an object with the labels of its pods" });
  });
});

describe('StatefulMongo.connectionStringFor', () => {
  it('names the database in the replica set connection string', () => {
    const mongo = new StatefulMongo(Testing.chart(), 'db', MONGO);
    assert.equal(mongo.connectionStringFor('fleetman'),
      'mongodb://mongo-0.mongo.fleetman.svc.cluster.local:27017,mongo-1.mongo.fleetman.svc.cluster.local:27017,mongo-2.mongo.fleetman.svc.cluster.local:27017/fleetman?replicaSet=rs0');
    assert.equal(mongo.connectionStringFor('fleetman'), mongo.connectionString.replace('/?', '/fleetman?'), 'what the charts built by hand');
  });

  it('throws if the database name is not one MongoDB accepts', () => {
    const mongo = new StatefulMongo(Testing.chart(), 'db', MONGO);
    assert.throws(() => mongo.connectionStringFor('fleet/man'),
      { message: "StatefulMongo 'test/db': connectionStringFor() database ('fleet/man') contains '/', which MongoDB does not allow in a database name (/\\. \"$*<>:|? and NUL)" });
    assert.throws(() => mongo.connectionStringFor(''), /database \(''\) is empty; expected a database name/);
  });

  it('mongoDatabaseNameProblem: undefined for a good name, a reason for a long one', () => {
    assert.equal(mongoDatabaseNameProblem('fleetman'), undefined);
    assert.equal(mongoDatabaseNameProblem('a'.repeat(64)), 'is 64 bytes or longer; MongoDB database names are shorter');
  });
});

describe('StatefulRedis.allowFrom', () => {
  it('admits a HardenedDeployment by its selector labels, after the members and the clients prop', () => {
    const chart = Testing.chart();
    const redis = new StatefulRedis(chart, 'redis', { ...REDIS, clients: [{ podLabels: { app: 'legacy' } }] });
    const api = client(chart, 'Api', 'journal');
    redis.allowFrom(api);
    assert.deepEqual(networkPolicy(chart).spec.ingress, [{
      from: [
        { podSelector: { matchLabels: { 'app.kubernetes.io/component': 'member', 'app.kubernetes.io/instance': 'redis', 'app.kubernetes.io/name': 'redis' } } },
        { podSelector: { matchLabels: { app: 'legacy' } } },
        { podSelector: { matchLabels: { ...api.identityLabels } } },
      ],
      ports: [{ port: 6379, protocol: 'TCP' }],
    }]);
  });

  it('selects the namespace by name for a workload in another namespace', () => {
    const chart = Testing.chart();
    const redis = new StatefulRedis(chart, 'redis', REDIS);
    const worker = client(chart, 'Worker', 'jobs');
    redis.allowFrom(worker);
    assert.deepEqual(networkPolicy(chart).spec.ingress[0].from[1], {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'jobs' } },
      podSelector: { matchLabels: { ...worker.identityLabels } },
    });
  });

  it('throws if given no workloads', () => {
    const redis = new StatefulRedis(Testing.chart(), 'redis', REDIS);
    assert.throws(() => redis.allowFrom(), { message: "StatefulRedis 'test/redis': allowFrom() workloads is empty; expected at least one workload" });
  });
});

describe('data store images with a registry port', () => {
  const refused = (image: string) => `image ('${image}') has no tag, so it pulls :latest; expected an image pinned by a version tag or a digest`;

  it('StatefulMongo refuses an untagged image behind a registry port, as HardenedDeployment does', () => {
    assert.throws(() => new StatefulMongo(Testing.chart(), 'db', { ...MONGO, image: 'localhost:5000/mongo' }),
      (error: Error) => error.message.startsWith(`StatefulMongo 'test/db': ${refused('localhost:5000/mongo')}`));
    assert.throws(() => new HardenedDeployment(Testing.chart(), 'api', {
      image: 'localhost:5000/mongo',
      resources: { cpu: { request: '100m' }, memory: { request: '128Mi', limit: '128Mi' } },
      liveness: Probe.exec(['true']),
      readiness: Probe.exec(['true']),
    }), (error: Error) => error.message.startsWith(`HardenedDeployment 'test/api': ${refused('localhost:5000/mongo')}`));
  });

  it('StatefulRedis refuses an untagged image behind a registry port', () => {
    assert.throws(() => new StatefulRedis(Testing.chart(), 'redis', { ...REDIS, image: 'localhost:5000/redis' }),
      (error: Error) => error.message.startsWith(`StatefulRedis 'test/redis': ${refused('localhost:5000/redis')}`));
  });

  it('both accept a pinned image with a registry port', () => {
    const chart = Testing.chart();
    new StatefulMongo(chart, 'db', { ...MONGO, image: 'localhost:5000/mongo:8.0.4' });
    new StatefulRedis(chart, 'redis', { ...REDIS, image: 'localhost:5000/redis:8.8.3' });
    const images = (Testing.synth(chart) as any[]).filter((o) => o.kind === 'StatefulSet').map((o) => o.spec.template.spec.containers[0].image);
    assert.deepEqual(images, ['localhost:5000/mongo:8.0.4', 'localhost:5000/redis:8.8.3']);
  });
});
