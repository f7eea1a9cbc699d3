/**
 * StatefulRedis: the primary/replica objects and defaults, the launch script and the probe
 * scripts run for real with `sh` (redis-server and redis-cli replaced by small fakes), the
 * Services, PDB and NetworkPolicy, overrides, the validation spine, no secret in the output,
 * and each kind of bad input.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { QOS_CLASS_ANNOTATION, validateManifests, type ManifestObject } from '../../../constructs/index.js';
import { REDIS_IMAGE, StatefulRedis, redisMaxmemoryBytes, type StatefulRedisProps } from '../../../constructs/data/stateful-redis.js';
import { profileOf as podProfile } from './_profile.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const BASE: StatefulRedisProps = {
  namespace: 'journal',
  storage: { size: '10Gi', storageClass: 'gp3' },
  password: { name: 'redis-password', key: 'password' },
};

function build(props: Partial<StatefulRedisProps> = {}) {
  const chart = Testing.chart();
  const redis = new StatefulRedis(chart, 'redis', { ...BASE, ...props });
  return { redis, objects: Testing.synth(chart) as ManifestObject[] };
}

const find = (objects: ManifestObject[], kind: string, name?: string) =>
  objects.find((o) => o.kind === kind && (name === undefined || o.metadata?.name === name)) as any;
const podOf = (objects: ManifestObject[]) => find(objects, 'StatefulSet').spec.template.spec;
const containerOf = (objects: ManifestObject[]) => podOf(objects).containers[0];
const configData = (objects: ManifestObject[]): Record<string, string> => find(objects, 'ConfigMap').data;

const MEMBER_LABELS = { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': 'redis', 'app.kubernetes.io/component': 'member' };
const LABELS = { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': 'redis' };
const HOST = (i: number) => `redis-${i}.redis.journal.svc.cluster.local`;

// ---------------------------------------------------------------------------------------------
// A sandbox to run the generated shell scripts: fake redis-server and redis-cli on the PATH.

const sandboxes: string[] = [];
after(() => { for (const dir of sandboxes) rmSync(dir, { recursive: true, force: true }); });

/** `replies[host][COMMAND]` is what the fake redis-cli prints; a host or command not listed fails like an unreachable server. */
type Replies = Record<string, Record<string, string>>;

function sandbox(replies: Replies) {
  const dir = mkdtempSync(join(tmpdir(), 'stateful-redis-'));
  sandboxes.push(dir);
  for (const sub of ['bin', 'etc', 'data', 'config', 'replies']) mkdirSync(join(dir, sub));
  for (const [host, commands] of Object.entries(replies)) {
    for (const [command, reply] of Object.entries(commands)) writeFileSync(join(dir, 'replies', `${host}.${command}`), reply);
  }
  const tool = (file: string, body: string) => { writeFileSync(join(dir, 'bin', file), `#!/bin/sh\n${body}\n`); chmodSync(join(dir, 'bin', file), 0o755); };
  // redis-server: records its arguments and the config it was given, then exits.
  tool('redis-server', `echo "redis-server $*"; cp "$1" "${dir}/started.conf"`);
  // redis-cli -h HOST -p PORT COMMAND [ARG]: records the call and prints the canned reply.
  tool('redis-cli', [
    'host=127.0.0.1; while [ $# -gt 0 ]; do case "$1" in -h) host="$2"; shift 2 ;; -p) shift 2 ;; *) break ;; esac; done',
    `echo "$host $* auth=$REDISCLI_AUTH" >> "${dir}/calls"`,
    `reply="${dir}/replies/$host.$1"`,
    'if [ -f "$reply" ]; then cat "$reply"; else echo "Could not connect to Redis at $host:6379: Connection refused" >&2; exit 1; fi',
  ].join('\n'));
  const env = (extra: Record<string, string>) => ({
    PATH: `${join(dir, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    REDISCLI_AUTH: 's3cret',
    REDIS_DATA_DIR: join(dir, 'data'),
    REDIS_CONFIG_DIR: join(dir, 'config'),
    REDIS_PEER_TRIES: '2',
    REDIS_PEER_INTERVAL: '0',
    ...extra,
  });
  const read = (file: string) => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : undefined);
  return { dir, env, read };
}

/** Runs the construct's launch script as member `podName`, against `replies` from its peers. */
function launch(objects: ManifestObject[], podName: string, options: { replies?: Replies; data?: string[]; env?: Record<string, string> } = {}) {
  const box = sandbox(options.replies ?? {});
  const data = configData(objects);
  writeFileSync(join(box.dir, 'etc', 'launch.sh'), data['launch.sh'] ?? '');
  writeFileSync(join(box.dir, 'etc', 'redis.conf'), data['redis.conf'] ?? '');
  for (const file of options.data ?? []) mkdirSync(join(box.dir, 'data', file));
  const run = spawnSync('sh', [join(box.dir, 'etc', 'launch.sh')], { env: box.env({ POD_NAME: podName, ...options.env }), encoding: 'utf8', timeout: 20_000 });
  const configPath = join(box.dir, 'config', 'redis.conf');
  return {
    status: run.status, stdout: run.stdout, stderr: run.stderr,
    /** The config redis-server was started with; undefined when it was not started. */
    started: box.read('started.conf'),
    configMode: existsSync(configPath) ? statSync(configPath).mode & 0o777 : undefined,
    calls: box.read('calls') ?? '',
  };
}

/** Runs a probe's command (`sh -c <script>`) against a local server answering `replies`. */
function probe(command: string[], replies: Record<string, string>): number | null {
  const box = sandbox({ '127.0.0.1': replies });
  assert.deepEqual(command.slice(0, 2), ['sh', '-c']);
  return spawnSync('sh', ['-c', command[2] ?? ''], { env: box.env({}), encoding: 'utf8', timeout: 10_000 }).status;
}

/** INFO keyspace of an empty server, and of one with keys in database 3 only (DBSIZE would say 0). */
const EMPTY = '# Keyspace\r\n';
const HOLDING = '# Keyspace\r\ndb3:keys=42,expires=0,avg_ttl=0,subexpiry=0\r\n';
const replicaLine = (config: string | undefined) => config?.split('\n').find((line) => line.startsWith('replicaof'));

// ---------------------------------------------------------------------------------------------

describe('StatefulRedis defaults', () => {
  const { redis, objects } = build({ clients: [{ podLabels: { 'app.kubernetes.io/name': 'journal-api' } }] });
  const sts = find(objects, 'StatefulSet');
  const pod = podOf(objects);
  const redisContainer = containerOf(objects);

  it('a content-hashed ConfigMap, three Services, the StatefulSet, a PDB and a NetworkPolicy', () => {
    assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata?.name}`), [
      `ConfigMap/${find(objects, 'ConfigMap').metadata.name}`,
      'Service/redis', 'Service/redis-write', 'Service/redis-read',
      'StatefulSet/redis', 'PodDisruptionBudget/redis', 'NetworkPolicy/redis',
    ]);
    assert.match(find(objects, 'ConfigMap').metadata.name, /^redis-config-[0-9a-f]{10}$/);
    assert.equal(find(objects, 'ConfigMap').immutable, true);
  });

  it('three members of the pinned official image, started in parallel, a volume each', () => {
    assert.equal(sts.spec.replicas, 3);
    assert.equal(sts.spec.serviceName, 'redis');
    assert.equal(sts.spec.podManagementPolicy, 'Parallel');
    assert.equal(redisContainer.image, REDIS_IMAGE);
    assert.match(REDIS_IMAGE, /^redis:\d+\.\d+\.\d+$/);
    assert.deepEqual(sts.spec.volumeClaimTemplates, [{
      metadata: { name: 'data', labels: LABELS },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '10Gi' } } },
    }]);
  });

  it('exposes the hosts, the port and the Secret a client needs', () => {
    assert.equal(redis.writeHost, 'redis-write.journal.svc.cluster.local');
    assert.equal(redis.readHost, 'redis-read.journal.svc.cluster.local');
    assert.equal(redis.port, 6379);
    assert.deepEqual(redis.passwordSecret, { name: 'redis-password', key: 'password' });
    assert.deepEqual(redis.hosts, [HOST(0), HOST(1), HOST(2)]);
    assert.equal(redis.serviceName, 'redis');
  });

  it('runs the launch script from the ConfigMap, with the pod name and the password from the Secret', () => {
    assert.deepEqual(redisContainer.command, ['sh', '/etc/redis/launch.sh']);
    assert.equal(redisContainer.args, undefined);
    assert.deepEqual(redisContainer.env, [
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'REDISCLI_AUTH', valueFrom: { secretKeyRef: { name: 'redis-password', key: 'password' } } },
    ]);
    assert.deepEqual(redisContainer.volumeMounts, [
      { name: 'data', mountPath: '/data' },
      { name: 'config', mountPath: '/config' },
      { name: 'launch', mountPath: '/etc/redis', readOnly: true },
    ]);
    assert.deepEqual(pod.volumes, [
      { name: 'config', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
      { name: 'launch', configMap: { name: find(objects, 'ConfigMap').metadata.name, defaultMode: 0o444 } },
    ]);
  });

  it('configures AOF, protected mode, maxmemory at 80% of the limit, noeviction, and disables FLUSHALL and FLUSHDB', () => {
    const conf = configData(objects)['redis.conf']?.split('\n') ?? [];
    for (const line of [
      'bind * -::*', 'port 6379', 'protected-mode yes', 'appendonly yes', 'appendfsync everysec',
      'maxmemory 858993459', 'maxmemory-policy noeviction', 'replica-read-only yes',
      'enable-debug-command no', 'enable-module-command no', 'enable-protected-configs no',
      'rename-command FLUSHALL ""', 'rename-command FLUSHDB ""',
    ]) assert.ok(conf.includes(line), `redis.conf has '${line}'`);
    assert.ok(!conf.some((line) => /requirepass|masterauth|replicaof/.test(line)), 'the password and the role are added at start, not in the ConfigMap');
    assert.equal(redis.maxmemoryBytes, 858993459);
  });

  it('computes maxmemory as 80% of the memory limit, rounded down', () => {
    assert.equal(redisMaxmemoryBytes('1Gi'), 858993459);
    assert.equal(redisMaxmemoryBytes('512Mi'), 429496729);
    assert.equal(redisMaxmemoryBytes('1G'), 800000000);
  });

  it('is Guaranteed, declared, and runs restricted as the image\'s redis user', () => {
    assert.deepEqual(redisContainer.resources, { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '500m', memory: '1Gi' } });
    assert.deepEqual(sts.spec.template.metadata.annotations, { [QOS_CLASS_ANNOTATION]: 'Guaranteed' });
    assert.deepEqual(redisContainer.securityContext, {
      allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, capabilities: { drop: ['ALL'] },
    });
    assert.deepEqual(pod.securityContext, {
      runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' },
    });
    assert.equal(pod.automountServiceAccountToken, false);
  });

  it('never puts two members on one node and spreads them over zones', () => {
    assert.deepEqual(pod.affinity, { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: MEMBER_LABELS } }] } });
    assert.deepEqual(pod.topologySpreadConstraints, [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: MEMBER_LABELS } }]);
  });

  it('a headless Service for member DNS, a headless write Service on member 0 only, a ClusterIP read Service over all', () => {
    const ports = [{ name: 'redis', port: 6379, targetPort: 6379 }];
    assert.deepEqual(find(objects, 'Service', 'redis').spec, { clusterIP: 'None', publishNotReadyAddresses: true, selector: MEMBER_LABELS, ports });
    const write = find(objects, 'Service', 'redis-write');
    assert.deepEqual(write.spec, { clusterIP: 'None', selector: { ...MEMBER_LABELS, 'statefulset.kubernetes.io/pod-name': 'redis-0' }, ports });
    assert.match(write.metadata.annotations['exceptions.k8s-platform-kit.dev/kit-selector-match'], /statefulset\.kubernetes\.io\/pod-name=redis-0/);
    assert.deepEqual(find(objects, 'Service', 'redis-read').spec, { type: 'ClusterIP', selector: MEMBER_LABELS, ports });
  });

  it('lets one member at a time go in a voluntary disruption', () => {
    assert.deepEqual(find(objects, 'PodDisruptionBudget').spec, { maxUnavailable: 1, selector: { matchLabels: MEMBER_LABELS } });
  });

  it('admits its members and the named clients on 6379 only', () => {
    assert.deepEqual(find(objects, 'NetworkPolicy').spec, {
      podSelector: { matchLabels: MEMBER_LABELS },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{ podSelector: { matchLabels: MEMBER_LABELS } }, { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'journal-api' } } }],
        ports: [{ protocol: 'TCP', port: 6379 }],
      }],
    });
  });

  it('probes through redis-cli with the password from REDISCLI_AUTH, never on the command line', () => {
    for (const name of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
      const command: string[] = redisContainer[name].exec.command;
      assert.equal(command[0], 'sh');
      assert.match(command[2] ?? '', /redis-cli -h 127\.0\.0\.1 -p 6379 PING/);
      assert.doesNotMatch(command.join(' '), / -a |--pass|--user|REDISCLI_AUTH/);
    }
    assert.deepEqual([redisContainer.startupProbe.periodSeconds, redisContainer.startupProbe.failureThreshold], [5, 60]);
  });

  it('liveness passes while Redis answers or loads; readiness only when it answers PONG and is not in a full sync', () => {
    const alive = redisContainer.livenessProbe.exec.command;
    const ready = redisContainer.readinessProbe.exec.command;
    assert.deepEqual(redisContainer.startupProbe.exec.command, alive);
    assert.equal(probe(alive, { PING: 'PONG\n' }), 0);
    assert.equal(probe(alive, { PING: 'LOADING Redis is loading the dataset in memory\n' }), 0);
    assert.equal(probe(alive, {}), 1, 'no answer');
    assert.equal(probe(alive, { PING: 'NOAUTH Authentication required.\n' }), 1);
    const synced = 'role:slave\r\nmaster_link_status:up\r\nmaster_sync_in_progress:0\r\n';
    assert.equal(probe(ready, { PING: 'PONG\n', INFO: synced }), 0);
    assert.equal(probe(ready, { PING: 'PONG\n', INFO: 'role:master\r\nconnected_slaves:2\r\n' }), 0);
    assert.equal(probe(ready, { PING: 'PONG\n', INFO: 'role:slave\r\nmaster_link_status:down\r\nmaster_sync_in_progress:1\r\n' }), 1);
    assert.equal(probe(ready, { PING: 'LOADING Redis is loading the dataset in memory\n' }), 1);
  });
});

describe('StatefulRedis launch script (run with sh)', () => {
  const { objects } = build();

  it('makes every member but 0 a replica of member 0, with the password from the environment', () => {
    for (const member of ['redis-1', 'redis-2']) {
      const run = launch(objects, member);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`launch: ${member} is a replica of ${HOST(0).replace(/\./g, '\\.')}`));
      assert.match(run.stdout, /redis-server .*\/config\/redis\.conf/);
      assert.equal(replicaLine(run.started), `replicaof ${HOST(0)} 6379`);
      assert.ok(run.started?.includes('requirepass "s3cret"\nmasterauth "s3cret"\n'));
      assert.ok(run.started?.startsWith(configData(objects)['redis.conf'] ?? '-'), 'the shared configuration comes first');
      assert.equal(run.configMode, 0o600, 'the generated config is readable by the redis user only');
      assert.equal(run.calls, '', 'a replica asks no one');
    }
  });

  it('makes member 0 the primary when its volume holds data, without asking the peers', () => {
    const run = launch(objects, 'redis-0', { data: ['appendonlydir'] });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /launch: redis-0 is the primary/);
    assert.equal(replicaLine(run.started), undefined);
    assert.match(run.started ?? '', /^dir ".*\/data"$/m);
    assert.equal(run.calls, '');
  });

  it('makes member 0 of a new set the primary once every peer answers with no keys', () => {
    const run = launch(objects, 'redis-0', { replies: { [HOST(1)]: { INFO: EMPTY }, [HOST(2)]: { INFO: EMPTY } } });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /launch: redis-0 is the primary \(empty volume\)/);
    assert.equal(replicaLine(run.started), undefined);
    assert.equal(run.calls, `${HOST(1)} INFO keyspace auth=s3cret\n${HOST(2)} INFO keyspace auth=s3cret\n`, 'peers are asked with REDISCLI_AUTH, not an argument');
  });

  it('refuses to start member 0 empty while a replica holds data that syncing would erase', () => {
    const run = launch(objects, 'redis-0', { replies: { [HOST(1)]: { INFO: HOLDING, ROLE: `slave\n${HOST(0)}\n6379\nconnect\n-1\n` }, [HOST(2)]: { INFO: EMPTY } } });
    assert.equal(run.status, 1);
    assert.equal(run.started, undefined, 'redis-server is not started');
    assert.match(run.stderr, new RegExp(`refusing to start redis-0 as an empty primary: ${HOST(1).replace(/\./g, '\\.')} holds data \\(db3:keys=42\\) that replication would erase; promote it \\(redis-cli REPLICAOF NO ONE\\)`));
  });

  it('starts member 0 as a replica of a promoted peer, to copy its data back', () => {
    const run = launch(objects, 'redis-0', { replies: { [HOST(1)]: { INFO: HOLDING, ROLE: 'master\n1234\n' }, [HOST(2)]: { INFO: EMPTY } } });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(replicaLine(run.started), `replicaof ${HOST(1)} 6379`);
    assert.match(run.stdout, /was promoted and holds data \(db3:keys=42\): redis-0 starts as its replica/);
  });

  it('waits a bounded time for peers that do not answer, then starts member 0 as the primary', () => {
    const run = launch(objects, 'redis-0', { replies: { [HOST(2)]: { INFO: 'LOADING Redis is loading the dataset in memory\n' } } });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, new RegExp(`no answer from ${HOST(1).replace(/\./g, '\\.')} ${HOST(2).replace(/\./g, '\\.')}; redis-0 starts as the primary on an empty volume`));
    assert.equal(run.calls.split('\n').filter(Boolean).length, 4, 'two tries, two peers');
    assert.equal(replicaLine(run.started), undefined);
  });

  it('starts a single member as the primary without asking anyone', () => {
    const single = build({ members: 1, profile: 'development' }).objects;
    const run = launch(single, 'redis-0');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(replicaLine(run.started), undefined);
    assert.equal(run.calls, '');
  });

  it('escapes quotes and backslashes of the password for redis.conf', () => {
    const run = launch(objects, 'redis-1', { env: { REDISCLI_AUTH: String.raw`a"b\c$d'e` } });
    assert.equal(run.status, 0, run.stderr);
    assert.ok(run.started?.includes(String.raw`requirepass "a\"b\\c$d'e"`), run.started);
  });

  it('refuses a password with a line break, and a pod name without an ordinal', () => {
    const newline = launch(objects, 'redis-1', { env: { REDISCLI_AUTH: 's3cret\n' } });
    assert.equal(newline.status, 1);
    assert.match(newline.stderr, /the password contains a line break .* recreate the Secret with --from-literal/);
    assert.equal(newline.started, undefined);
    const ordinal = launch(objects, 'redis', {});
    assert.equal(ordinal.status, 1);
    assert.match(ordinal.stderr, /cannot read a member ordinal from POD_NAME 'redis' \(expected redis-<n>\)/);
  });
});

describe('StatefulRedis development profile', () => {
  it('one member, spread preferred, no required anti-affinity', () => {
    const { objects, redis } = build({ members: 1, profile: 'development' });
    const pod = podOf(objects);
    assert.equal(find(objects, 'StatefulSet').spec.replicas, 1);
    assert.equal(pod.affinity, undefined);
    assert.equal(pod.topologySpreadConstraints[0].whenUnsatisfiable, 'ScheduleAnyway');
    assert.deepEqual(redis.hosts, [HOST(0)]);
  });
});

describe('StatefulRedis profile default', () => {
  const profileOf = (objects: ManifestObject[]) => podProfile(podOf(objects));

  it('is development with 2 members, and builds them without an explicit profile', () => {
    const { objects } = build({ members: 2 });
    assert.equal(find(objects, 'StatefulSet').spec.replicas, 2);
    assert.equal(profileOf(objects), 'development');
  });

  it('is production with 3 members, as with 3 by default', () => {
    assert.equal(profileOf(build({ members: 3 }).objects), 'production');
    assert.equal(profileOf(build().objects), 'production');
  });

  it('gives way to an explicit profile', () => {
    assert.equal(profileOf(build({ members: 3, profile: 'development' }).objects), 'development');
    assert.equal(profileOf(build({ members: 5, profile: 'production' }).objects), 'production');
    assert.throws(() => build({ members: 2, profile: 'production' }), /members \(2\) is below 3 in the production profile/);
  });
});

describe('StatefulRedis overrides', () => {
  it('name, members, image, resources, eviction policy, commands, storage class and clients', () => {
    const { redis, objects } = build({
      name: 'cache', members: 5, image: 'redis@sha256:' + 'a'.repeat(64),
      resources: { cpu: '1', memory: '2Gi' }, maxmemoryPolicy: 'allkeys-lru', disabledCommands: ['keys', 'FLUSHALL'],
      storage: { size: '5Gi' },
      clients: [{ podLabels: { app: 'worker' }, namespaceLabels: { 'kubernetes.io/metadata.name': 'jobs' } }],
    });
    const sts = find(objects, 'StatefulSet');
    assert.equal(sts.metadata.name, 'cache');
    assert.equal(sts.spec.replicas, 5);
    assert.equal(sts.spec.volumeClaimTemplates[0].spec.storageClassName, undefined);
    assert.equal(containerOf(objects).image, `redis@sha256:${'a'.repeat(64)}`);
    assert.deepEqual(containerOf(objects).resources.limits, { cpu: '1', memory: '2Gi' });
    assert.equal(redis.writeHost, 'cache-write.journal.svc.cluster.local');
    assert.deepEqual(objects.filter((o) => o.kind === 'Service').map((o) => o.metadata?.name), ['cache', 'cache-write', 'cache-read']);
    assert.equal(find(objects, 'Service', 'cache-write').spec.selector['statefulset.kubernetes.io/pod-name'], 'cache-0');
    const conf = configData(objects)['redis.conf'] ?? '';
    assert.match(conf, /^maxmemory 1717986918$/m);
    assert.match(conf, /^maxmemory-policy allkeys-lru$/m);
    assert.deepEqual(conf.split('\n').filter((line) => line.startsWith('rename-command')), ['rename-command KEYS ""', 'rename-command FLUSHALL ""']);
    assert.match(configData(objects)['launch.sh'] ?? '', /^peers='cache-1\.cache\.journal\.svc\.cluster\.local .* cache-4\.cache\.journal\.svc\.cluster\.local'$/m);
    assert.deepEqual(find(objects, 'NetworkPolicy').spec.ingress[0].from[1], {
      podSelector: { matchLabels: { app: 'worker' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'jobs' } },
    });
  });

  it('disables no command with disabledCommands: []', () => {
    assert.doesNotMatch(configData(build({ disabledCommands: [] }).objects)['redis.conf'] ?? '', /rename-command/);
  });

  it('changes the ConfigMap name, and so rolls the members, when the configuration changes', () => {
    const before = find(build().objects, 'ConfigMap').metadata.name;
    const changed = build({ maxmemoryPolicy: 'allkeys-lfu' }).objects;
    assert.notEqual(find(changed, 'ConfigMap').metadata.name, before);
    assert.equal(podOf(changed).volumes[1].configMap.name, find(changed, 'ConfigMap').metadata.name);
  });
});

describe('StatefulRedis validation spine and secrets', () => {
  it('passes the validation spine with no unwaived error; only the write Service\'s selector is waived', async () => {
    for (const props of [{}, { members: 1, profile: 'development' as const }]) {
      const { objects } = build({ ...props, clients: [{ podLabels: { 'app.kubernetes.io/name': 'journal-api' } }] });
      const report = await validateManifests(objects.map((object) => ({ object })));
      assert.deepEqual(report.errors, []);
      assert.deepEqual(report.waived.map((f) => [f.ruleId, f.object]), [['kit-selector-match', 'Service/journal/redis-write']]);
    }
  });

  it('puts no password in the output: the Secret is only referenced', () => {
    const { objects } = build();
    const text = JSON.stringify(objects);
    // The only requirepass and masterauth are the launch script's printf template, filled at start.
    assert.deepEqual(text.match(/(requirepass|masterauth) [^%]{0,3}/g), ['requirepass \\"', 'masterauth \\"']);
    assert.doesNotMatch(text, /"REDISCLI_AUTH","value"/);
    assert.equal((text.match(/"secretKeyRef"/g) ?? []).length, 1, 'one reference: REDISCLI_AUTH of the member container');
    assert.ok(!objects.some((o) => o.kind === 'Secret'), 'the construct creates no Secret');
  });
});

describe('StatefulRedis bad input', () => {
  const cases: [string, Partial<StatefulRedisProps>, string][] = [
    ['a name that is not a DNS-1035 label', { name: '1redis' }, "name ('1redis') must consist of lower case alphanumeric characters or '-', start with an alphabetic character"],
    ['a name too long for the controller-revision-hash label', { name: 'r'.repeat(53) }, `name ('${'r'.repeat(53)}') is 53 characters, too long for its pods' controller-revision-hash label; expected at most 52 characters`],
    ['a bad namespace', { namespace: 'Journal' }, "namespace ('Journal') must consist of lower case"],
    ['zero members', { members: 0 }, 'members (0) is not a whole number >= 1'],
    ['a fractional member count', { members: 2.5 }, 'members (2.5) is not a whole number >= 1'],
    ['two members in production', { members: 2, profile: 'production' }, "members (2) is below 3 in the production profile: replicas do not vote, so any count works, but with fewer than 3 a drained or resyncing replica leaves the primary as the only copy of the data; expected 3 or more, or profile: 'development'"],
    ['an unknown profile', { profile: 'prod' as never }, "profile ('prod') is not 'production' or 'development'"],
    ['an unpinned image', { image: 'redis:latest' }, `image ('redis:latest') uses the mutable tag 'latest'; expected an image pinned by a version tag or a digest, e.g. '${REDIS_IMAGE}' or 'redis@sha256:<digest>'`],
    ['an untagged image', { image: 'redis' }, "image ('redis') has no tag, so it pulls :latest; expected an image pinned by a version tag or a digest"],
    ['an untagged image behind a registry port', { image: 'localhost:5000/redis' }, `image ('localhost:5000/redis') has no tag, so it pulls :latest; expected an image pinned by a version tag or a digest, e.g. '${REDIS_IMAGE}' or 'redis@sha256:<digest>'`],
    ['a storage size that is not a quantity', { storage: { size: '10GB' } }, "storage.size ('10GB') is not a positive Kubernetes quantity; expected e.g. 10Gi or 500m"],
    ['a bad storage class', { storage: { size: '10Gi', storageClass: 'GP3' } }, "storage.storageClass ('GP3') must consist of lower case"],
    ['a memory that is not a quantity', { resources: { cpu: '500m', memory: '1 GB' } }, "resources.memory ('1 GB') is not a positive Kubernetes quantity"],
    ['a cpu of zero', { resources: { cpu: '0', memory: '1Gi' } }, "resources.cpu ('0') is not a positive Kubernetes quantity"],
    ['too little memory', { resources: { cpu: '500m', memory: '32Mi' } }, "resources.memory ('32Mi') is below 64Mi: maxmemory is 80% of it and Redis needs the rest for forks and buffers"],
    ['an unknown eviction policy', { maxmemoryPolicy: 'lru' as never }, "maxmemoryPolicy ('lru') is not a Redis eviction policy; expected one of noeviction, allkeys-lru"],
    ['disabling a command the probes need', { disabledCommands: ['ping'] }, "disabledCommands ('PING') is needed by the probes, the launch script or replication, so it cannot be disabled; expected commands other than AUTH, HELLO, INFO, PING, PSYNC, REPLCONF, REPLICAOF, ROLE, SYNC"],
    ['a command name that is not one', { disabledCommands: ['FLUSH ALL'] }, "disabledCommands ('FLUSH ALL') is not a Redis command name; expected e.g. FLUSHALL"],
    ['a client selecting every pod', { clients: [{ podLabels: {} }] }, 'clients[0].podLabels is empty, which would admit every pod'],
    ['a missing password reference', { password: undefined as never }, "password is missing; expected a reference to a key of a Secret, e.g. { name: 'redis-password', key: 'password' }"],
    ['a password reference without a Secret name', { password: { key: 'password' } as never }, "password.name is missing; expected the name of the Secret, e.g. { name: 'redis-password', key: 'password' }"],
    ['a bad password Secret name', { password: { name: 'Redis_Password', key: 'password' } }, "password.name ('Redis_Password') must consist of lower case"],
    ['a bad password Secret key', { password: { name: 'redis-password', key: 'pass word' } }, "password.key ('pass word') is not a Secret key"],
  ];
  for (const [what, props, message] of cases) {
    it(`throws on ${what}`, () => {
      assert.throws(() => build(props), (error: Error) => {
        assert.ok(error.message.startsWith(`StatefulRedis 'test/redis': ${message}`), error.message);
        return true;
      });
    });
  }

  it('throws on a literal password without repeating it', () => {
    assert.throws(() => build({ password: 'hunter2' as never }), (error: Error) => {
      assert.equal(error.message, "StatefulRedis 'test/redis': password is a string, not a Secret reference (the value is not shown: it may be the secret); expected a reference to a key of a Secret, e.g. { name: 'redis-password', key: 'password' }");
      assert.doesNotMatch(error.message, /hunter2/);
      return true;
    });
  });
});
