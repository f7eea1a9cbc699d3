/**
 * StatefulMongo: the replica set's objects and defaults, the connection string, backups,
 * the validation spine, no secret in the output, and each kind of bad input.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { StatefulMongo, validateManifests, type ManifestObject, type StatefulMongoProps } from '../../../constructs/index.js';
import { profileOf as podProfile } from './_profile.js';

const BASE: StatefulMongoProps = {
  namespace: 'fleetman',
  storage: { size: '20Gi', storageClass: 'gp3' },
  admin: { username: { name: 'mongo-admin', key: 'username' }, password: { name: 'mongo-admin', key: 'password' } },
  keyfile: { name: 'mongo-keyfile', key: 'keyfile' },
};

function build(props: Partial<StatefulMongoProps> = {}) {
  const chart = Testing.chart();
  const mongo = new StatefulMongo(chart, 'db', { ...BASE, ...props });
  return { mongo, objects: Testing.synth(chart) as ManifestObject[] };
}

const find = (objects: ManifestObject[], kind: string) => objects.find((o) => o.kind === kind) as any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('StatefulMongo defaults', () => {
  const { mongo, objects } = build({ clients: [{ podLabels: { app: 'position-tracker' } }], backup: { size: '50Gi' } });
  const sts = find(objects, 'StatefulSet');
  const pod = sts.spec.template.spec;

  it('three members behind a headless Service, one volume each', () => {
    assert.deepEqual(objects.map((o) => o.kind), ['Service', 'StatefulSet', 'PodDisruptionBudget', 'NetworkPolicy', 'Job', 'PersistentVolumeClaim', 'CronJob']);
    const service = find(objects, 'Service');
    assert.equal(service.spec.clusterIP, 'None');
    assert.equal(service.spec.publishNotReadyAddresses, true);
    assert.equal(sts.spec.replicas, 3);
    assert.equal(sts.spec.serviceName, 'mongo');
    assert.deepEqual(sts.spec.volumeClaimTemplates[0].spec, { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '20Gi' } } });
  });

  it('exposes the connection string and hosts a client needs', () => {
    assert.equal(mongo.connectionString, 'mongodb://mongo-0.mongo.fleetman.svc.cluster.local:27017,mongo-1.mongo.fleetman.svc.cluster.local:27017,mongo-2.mongo.fleetman.svc.cluster.local:27017/?replicaSet=rs0');
    assert.equal(mongo.hosts.length, 3);
  });

  it('runs the pinned official image with a keyfile, never two members on a node, spread over zones', () => {
    const mongod = pod.containers[0];
    assert.equal(mongod.image, 'mongo:8.0.4');
    assert.deepEqual(mongod.args, ['--replSet', 'rs0', '--bind_ip_all', '--keyFile', '/keyfile/keyfile']);
    assert.equal(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey, 'kubernetes.io/hostname');
    assert.deepEqual(pod.topologySpreadConstraints.map((c: any) => [c.topologyKey, c.whenUnsatisfiable]), [['topology.kubernetes.io/zone', 'DoNotSchedule']]); // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual(pod.initContainers[0].command, ['sh', '-c', 'cp /secret/keyfile /keyfile/keyfile && chmod 0400 /keyfile/keyfile']);
  });

  it('probes mongod through mongosh and steps a primary down before stopping', () => {
    const mongod = pod.containers[0];
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) assert.deepEqual(mongod[probe].exec.command.slice(0, 1), ['mongosh']);
    assert.match(mongod.lifecycle.preStop.exec.command[2], /isWritablePrimary\) \{ rs\.stepDown\(30\) \}/);
  });

  it('keeps a majority through voluntary disruptions', () => {
    assert.equal(find(objects, 'PodDisruptionBudget').spec.minAvailable, 2);
    assert.equal(find(build({ members: 5 }).objects, 'PodDisruptionBudget').spec.minAvailable, 3);
  });

  it('admits its members, its Jobs and the named clients on 27017 only', () => {
    const ingress = find(objects, 'NetworkPolicy').spec.ingress;
    assert.deepEqual(ingress[0].from, [
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'mongodb', 'app.kubernetes.io/instance': 'mongo' } } },
      { podSelector: { matchLabels: { app: 'position-tracker' } } },
    ]);
    assert.deepEqual(ingress[0].ports, [{ protocol: 'TCP', port: 27017 }]);
  });

  it('initiates the replica set with a Job that does nothing once the set exists', () => {
    const script: string = find(objects, 'Job').spec.template.spec.containers[0].command[2];
    assert.match(script, /try \{ rs\.status\(\); print\("replica set rs0 already initiated"\) \}/);
    assert.match(script, /if \(e\.codeName !== "NotYetInitialized"\) \{ throw e \} rs\.initiate\(\{ _id: "rs0", members: \[\{ _id: 0, host: "mongo-0\.mongo\.fleetman\.svc\.cluster\.local:27017" \}/);
  });

  it('backs up nightly to a volume, one run at a time, with deadlines and retention', () => {
    const cron = find(objects, 'CronJob');
    assert.equal(cron.spec.schedule, '0 2 * * *');
    assert.equal(cron.spec.concurrencyPolicy, 'Forbid');
    assert.equal(cron.spec.startingDeadlineSeconds, 600);
    assert.equal(cron.spec.jobTemplate.spec.activeDeadlineSeconds, 10800);
    const script: string = cron.spec.jobTemplate.spec.template.spec.containers[0].command[2];
    assert.match(script, /mongodump --uri="mongodb:\/\/mongo-0\.[^"]*replicaSet=rs0&readPreference=secondaryPreferred&authSource=admin" .* --oplog --gzip --archive="\$archive"/);
    assert.match(script, /find \/backup -name '\*\.archive\.gz' -mtime \+7 -delete/);
  });

  it('passes the validation spine', async () => {
    const report = await validateManifests(objects.map((object) => ({ object })));
    assert.deepEqual(report.errors, []);
  });

  it('puts no credential in the output: every secret is a reference', () => {
    const text = JSON.stringify(objects);
    assert.doesNotMatch(text, /MONGO_INITDB_ROOT_PASSWORD","value"/);
    const envs = objects.flatMap((o: any) => JSON.stringify(o).match(/"MONGO_INITDB_ROOT_(USERNAME|PASSWORD)","valueFrom":\{"secretKeyRef"/g) ?? []); // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.ok(envs.length >= 6, 'the member, the Job and the backup read the admin user from the Secret');
  });
});

describe('StatefulMongo development profile', () => {
  it('one member, spread preferred, no required anti-affinity', () => {
    const { objects } = build({ members: 1, profile: 'development' });
    const pod = find(objects, 'StatefulSet').spec.template.spec;
    assert.equal(pod.affinity, undefined);
    assert.equal(pod.topologySpreadConstraints[0].whenUnsatisfiable, 'ScheduleAnyway');
  });

  it('one member gets no PodDisruptionBudget: keeping it up would block every node drain', async () => {
    const { objects } = build({ members: 1, profile: 'development' });
    assert.equal(find(objects, 'PodDisruptionBudget'), undefined);
    const report = await validateManifests(objects.map((object) => ({ object })));
    assert.deepEqual(report.errors, []);
  });
});

describe('StatefulMongo profile default', () => {
  const profileOf = (objects: ManifestObject[]) => podProfile(find(objects, 'StatefulSet').spec.template.spec);

  it('is development with 1 member, and builds it without an explicit profile', () => {
    const { objects } = build({ members: 1 });
    assert.equal(find(objects, 'StatefulSet').spec.replicas, 1);
    assert.equal(profileOf(objects), 'development');
  });

  it('is production with 3 members, as with 3 by default', () => {
    assert.equal(profileOf(build({ members: 3 }).objects), 'production');
    assert.equal(profileOf(build().objects), 'production');
  });

  it('gives way to an explicit profile', () => {
    assert.equal(profileOf(build({ members: 3, profile: 'development' }).objects), 'development');
    assert.equal(profileOf(build({ members: 5, profile: 'production' }).objects), 'production');
    assert.throws(() => build({ members: 1, profile: 'production' }), /members \(1\) is below 3 in the production profile/);
  });
});

describe('StatefulMongo bad input', () => {
  const cases: [string, Partial<StatefulMongoProps>, string][] = [
    ['an even member count', { members: 4 }, 'members (4) is not an odd whole number: an even replica set cannot keep a majority when split in half; expected 1, 3, 5 or 7'],
    ['one member in production', { members: 1, profile: 'production' }, "members (1) is below 3 in the production profile: one member down would stop writes; expected 3, 5 or 7, or profile: 'development'"],
    ['more than seven voters', { members: 9 }, "members (9) is above 7, MongoDB's limit of voting members"],
    ['an unpinned image', { image: 'mongo:latest' }, "image ('mongo:latest') uses the mutable tag 'latest'; expected an image pinned by a version tag or a digest, e.g. 'mongo:8.0.4' or 'mongo@sha256:<digest>'"],
    ['an untagged image', { image: 'mongo' }, "image ('mongo') has no tag, so it pulls :latest; expected an image pinned by a version tag or a digest"],
    ['an untagged image behind a registry port', { image: 'localhost:5000/mongo' }, "image ('localhost:5000/mongo') has no tag, so it pulls :latest; expected an image pinned by a version tag or a digest, e.g. 'mongo:8.0.4' or 'mongo@sha256:<digest>'"],
    ['a malformed digest', { image: 'mongo@sha256:abc' }, "image ('mongo@sha256:abc') has a malformed digest 'sha256:abc'"],
    ['a storage size that is not a quantity', { storage: { size: '20GB' } }, "storage.size ('20GB') is not a positive Kubernetes quantity; expected e.g. 10Gi or 500m"],
    ['a bad backup schedule', { backup: { size: '10Gi', schedule: 'nightly' } }, "backup.schedule ('nightly') is not a five-field cron schedule (it has 1 field); expected e.g. '0 2 * * *'"],
    ['a bad Secret name', { keyfile: { name: 'Mongo_Keyfile', key: 'k' } }, "keyfile.name ('Mongo_Keyfile') must consist of lower case"],
  ];
  for (const [what, props, message] of cases) {
    it(what, () => {
      assert.throws(() => build(props), (error: Error) => {
        assert.ok(error.message.startsWith(`StatefulMongo 'test/db': ${message}`), error.message);
        return true;
      });
    });
  }
});
