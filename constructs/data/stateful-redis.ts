/**
 * StatefulRedis: a Redis primary with replicas, run the way it survives production (seed
 * 004's journal app):
 *
 * - a StatefulSet (three members by default), one PersistentVolumeClaim each, AOF
 *   persistence on, spread over zones and never two members on one node;
 * - member 0 is the primary, every other member a replica of it: a launch script (in a
 *   content-hashed ConfigMap) reads the ordinal from the pod name, writes the server's
 *   configuration into an in-memory emptyDir (the root filesystem is read-only) and starts
 *   `redis-server`; member 0 on an empty volume never wipes replicas that still hold data;
 * - the password only from a Secret the construct references (`requirepass` and
 *   `masterauth`), protected mode on, FLUSHALL and FLUSHDB disabled by default;
 * - a headless Service for member DNS, a write Service that resolves to the primary only, a
 *   read Service over every member;
 * - probes through `redis-cli` (authenticated by `REDISCLI_AUTH`, never an argument),
 *   Guaranteed QoS with `maxmemory` at 80% of the memory limit, a PodDisruptionBudget and a
 *   NetworkPolicy that admits the members and the clients you name.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1';
import { dns1035LabelProblem, dns1123LabelProblem, dns1123SubdomainProblem } from '../core/names.js';
import { EXCEPTION_ANNOTATION_PREFIX } from '../core/exceptions.js';
import { PropsValidator } from '../core/errors.js';
import { HashedConfigMap } from '../workloads/hashed-config-map.js';
import { QOS_CLASS_ANNOTATION, QosClass } from '../core/qos.js';
import { compareQuantities, parseQuantity } from '../core/quantity.js';
import { checkSecretKeyRef, type SecretKeyRef } from '../core/secret-ref.js';
import { defaultProfile, memberPlacement } from '../core/placement.js';
import { hardenedPodSpec, positiveQuantityProblem, requirePinnedImage } from '../workloads/pod-spec.js';
import { addPeers, clientPeer, workloadPeer, type DataStoreClient, type DataStoreClientWorkload } from './clients.js';

/** The official image, pinned. */
export const REDIS_IMAGE = 'redis:8.8.3';
/** The port every member and Service listens on. */
export const REDIS_PORT = 6379;
/** `maxmemory` as a share of the memory limit: the rest is for the fork of an AOF rewrite or a full sync (copy-on-write), replication and client buffers, and fragmentation. */
export const REDIS_MAXMEMORY_PERCENT = 80;
/** The redis user of the official image. */
const REDIS_UID = 999;
/** The smallest memory limit accepted: below it, 80% leaves Redis too little to run. */
const MIN_MEMORY = '64Mi';

/** What Redis does when `maxmemory` is reached. @see https://redis.io/docs/latest/develop/reference/eviction/ */
export type RedisMaxmemoryPolicy =
  | 'noeviction' | 'allkeys-lru' | 'allkeys-lfu' | 'allkeys-random'
  | 'volatile-lru' | 'volatile-lfu' | 'volatile-random' | 'volatile-ttl';
const MAXMEMORY_POLICIES: readonly RedisMaxmemoryPolicy[] = [
  'noeviction', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl',
];

/** Commands the probes, the launch script, replication and the recovery procedure need: never disabled. */
const REQUIRED_COMMANDS: readonly string[] = ['AUTH', 'HELLO', 'INFO', 'PING', 'PSYNC', 'REPLCONF', 'REPLICAOF', 'ROLE', 'SYNC'];

/** Properties of {@link StatefulRedis}. */
export interface StatefulRedisProps {
  /**
   * The StatefulSet, headless Service and pod name prefix; the write and read Services are `<name>-write` and `<name>-read`.
   * @default 'redis'
   */
  readonly name?: string;
  /** The namespace every object of the construct is created in. */
  readonly namespace: string;
  /**
   * Members: member 0 is the primary, the others its replicas. At least 3 in the production profile.
   * @default 3
   */
  readonly members?: number;
  /**
   * `production`: at least three members, never two on a node, zone spread enforced. `development`: one member allowed, spread preferred.
   * @default 'production' with 3 or more members, else 'development'
   */
  readonly profile?: 'production' | 'development';
  /**
   * The image, pinned by tag or digest.
   * @default REDIS_IMAGE
   */
  readonly image?: string;
  /** Each member's volume (its AOF files). */
  readonly storage: { readonly size: string; readonly storageClass?: string };
  /**
   * CPU and memory per member; requests equal limits (Guaranteed). `maxmemory` is 80% of the memory.
   * @default { cpu: '500m', memory: '1Gi' }
   */
  readonly resources?: { readonly cpu: string; readonly memory: string };
  /** The Secret key holding the password (`requirepass` and `masterauth`); the construct only references it. */
  readonly password: SecretKeyRef;
  /**
   * What Redis does at `maxmemory`: `noeviction` fails writes and drops nothing. Use `allkeys-lru` for a cache.
   * @default 'noeviction'
   * @see https://redis.io/docs/latest/develop/reference/eviction/
   */
  readonly maxmemoryPolicy?: RedisMaxmemoryPolicy;
  /**
   * Commands disabled on every member (`rename-command X ""`). `[]` disables none.
   * @default ['FLUSHALL', 'FLUSHDB']
   */
  readonly disabledCommands?: readonly string[];
  /**
   * Pods (by label, in this namespace unless a namespace label selector is given) allowed to connect.
   * @default - only the members reach each other
   */
  readonly clients?: readonly DataStoreClient[];
}

/** `maxmemory` in bytes for a memory limit: {@link REDIS_MAXMEMORY_PERCENT}% of it, rounded down. */
export function redisMaxmemoryBytes(memoryLimit: string): number {
  return Math.floor((parseQuantity(memoryLimit) * REDIS_MAXMEMORY_PERCENT) / 100);
}


/** The server configuration every member shares; the launch script adds `dir`, the password and `replicaof`. */
function serverConfig(maxmemory: number, policy: RedisMaxmemoryPolicy, disabled: readonly string[]): string {
  return [
    '# StatefulRedis: launch.sh copies this file into the config emptyDir, then adds the data',
    '# directory, the password and, on every member but 0, the primary to replicate.',
    'bind * -::*',
    `port ${REDIS_PORT}`,
    // The official image builds protected mode off; with a password set it changes nothing, but it stays on.
    'protected-mode yes',
    'appendonly yes',
    'appendfsync everysec',
    `maxmemory ${maxmemory}`,
    `maxmemory-policy ${policy}`,
    'replica-read-only yes',
    'enable-debug-command no',
    'enable-module-command no',
    'enable-protected-configs no',
    ...disabled.map((command) => `rename-command ${command} ""`),
    '',
  ].join('\n');
}

/** The launch script: member 0 is the primary, the others its replicas; see the doc for the empty-volume guard. */
function launchScript(podName: string, primary: string, peers: readonly string[]): string {
  return [
    '# StatefulRedis launch: member 0 is the primary, every other member a replica of it.',
    '# Writes the configuration into the config emptyDir (the root filesystem is read-only)',
    '# and execs redis-server. The password comes from REDISCLI_AUTH (a Secret reference).',
    'set -eu',
    ': "${POD_NAME:?POD_NAME is not set}" "${REDISCLI_AUTH:?REDISCLI_AUTH (the password) is not set}"',
    'data="${REDIS_DATA_DIR:-/data}"',
    'config="${REDIS_CONFIG_DIR:-/config}/redis.conf"',
    'here="$(dirname "$0")"',
    `primary='${primary}'`,
    `peers='${peers.join(' ')}'`,
    'ordinal="${POD_NAME##*-}"',
    `case "$ordinal" in ''|*[!0-9]*) echo "launch: cannot read a member ordinal from POD_NAME '$POD_NAME' (expected ${podName}-<n>)" >&2; exit 1 ;; esac`,
    'case "$REDISCLI_AUTH" in *"',
    // A line break cannot be written into redis.conf; a Secret made from a file keeps its last newline.
    '"*) echo "launch: the password contains a line break (kubectl create secret --from-file keeps the file\'s last newline); recreate the Secret with --from-literal" >&2; exit 1 ;; esac',
    String.raw`password="$(printf '%s' "$REDISCLI_AUTH" | sed 's/\\/\\\\/g; s/"/\\"/g')"`,
    '',
    'start() {',
    '  umask 077',
    '  {',
    '    cat "$here/redis.conf"',
    `    printf 'dir "%s"\\nrequirepass "%s"\\nmasterauth "%s"\\n' "$data" "$password" "$password"`,
    `    if [ -n "$1" ]; then printf 'replicaof %s ${REDIS_PORT}\\n' "$1"; fi`,
    '  } > "$config"',
    '  exec redis-server "$config"',
    '}',
    '',
    'if [ "$ordinal" != 0 ]; then',
    '  echo "launch: $POD_NAME is a replica of $primary"',
    '  start "$primary"',
    'fi',
    'if [ -e "$data/appendonlydir" ] || [ -e "$data/dump.rdb" ] || [ -z "$peers" ]; then',
    '  echo "launch: $POD_NAME is the primary"',
    '  start ""',
    'fi',
    '',
    '# Member 0 on an empty volume: a replica that still holds data would be emptied by syncing',
    '# from it. Ask every peer first; wait a little for peers that do not answer yet.',
    'tries="${REDIS_PEER_TRIES:-6}"',
    'while :; do',
    '  waiting=""',
    '  for peer in $peers; do',
    `    reply="$(timeout 3 redis-cli -h "$peer" -p ${REDIS_PORT} INFO keyspace 2>/dev/null || true)"`,
    '    case "$reply" in *"# Keyspace"*) ;; *) waiting="$waiting $peer"; continue ;; esac',
    // `db0:keys=42,expires=0,...`: a line per database that holds keys; none when the peer is empty.
    String.raw`    keys="$(printf '%s\n' "$reply" | sed -n 's/^\(db[0-9]*:keys=[0-9]*\).*/\1/p' | head -n 1)"`,
    '    if [ -z "$keys" ]; then continue; fi',
    `    if [ "$(timeout 3 redis-cli -h "$peer" -p ${REDIS_PORT} ROLE 2>/dev/null | head -n 1)" = master ]; then`,
    '      echo "launch: empty volume; $peer was promoted and holds data ($keys): $POD_NAME starts as its replica to copy it back"',
    '      start "$peer"',
    '    fi',
    '    echo "launch: refusing to start $POD_NAME as an empty primary: $peer holds data ($keys) that replication would erase; promote it (redis-cli REPLICAOF NO ONE) so this member copies it, or delete the replicas\' volumes to start empty" >&2',
    '    exit 1',
    '  done',
    '  if [ -z "$waiting" ]; then break; fi',
    '  tries=$((tries - 1))',
    '  if [ "$tries" -le 0 ]; then echo "launch: no answer from$waiting; $POD_NAME starts as the primary on an empty volume" >&2; break; fi',
    '  sleep "${REDIS_PEER_INTERVAL:-5}"',
    'done',
    'echo "launch: $POD_NAME is the primary (empty volume)"',
    'start ""',
    '',
  ].join('\n');
}

/** Succeeds while redis-server answers, also while it loads its data (liveness must not kill a long load). */
const ALIVE = `case "$(redis-cli -h 127.0.0.1 -p ${REDIS_PORT} PING 2>&1)" in PONG|*LOADING*|*MASTERDOWN*) exit 0 ;; *) exit 1 ;; esac`;
/** Succeeds when redis-server answers PONG and is not in the middle of a full sync from its primary. */
const READY = [
  `[ "$(redis-cli -h 127.0.0.1 -p ${REDIS_PORT} PING 2>&1)" = PONG ] || exit 1`,
  `if redis-cli -h 127.0.0.1 -p ${REDIS_PORT} INFO replication 2>&1 | grep -q '^master_sync_in_progress:1'; then exit 1; fi`,
].join('\n');

/** A Redis primary with replicas, its three Services, PDB and NetworkPolicy. */
export class StatefulRedis extends Construct {
  /** The headless Service that gives each member its DNS name. */
  public readonly serviceName: string;
  /** `<name>-write.<namespace>.svc.cluster.local`: resolves to the primary (member 0) only. */
  public readonly writeHost: string;
  /** `<name>-read.<namespace>.svc.cluster.local`: a ClusterIP over every ready member. */
  public readonly readHost: string;
  /** The port of every Service: 6379. */
  public readonly port: number;
  /** The Secret key clients read the password from. */
  public readonly passwordSecret: SecretKeyRef;
  /** Pod DNS names of the members, in order (member 0 first). */
  public readonly hosts: readonly string[];
  /** `maxmemory` of every member, in bytes. */
  public readonly maxmemoryBytes: number;
  /** The namespace of every object. */
  public readonly namespace: string;
  /** The sources the NetworkPolicy admits to port 6379: the members, then the clients. */
  private readonly peers: INetworkPolicyPeer[];

  constructor(scope: Construct, id: string, props: StatefulRedisProps) {
    super(scope, id);
    const v = new PropsValidator('StatefulRedis', this);
    const name = props.name ?? 'redis';
    const members = props.members ?? 3;
    const profile = props.profile ?? defaultProfile(members);
    const image = props.image ?? REDIS_IMAGE;
    const resources = props.resources ?? { cpu: '500m', memory: '1Gi' };
    const policy = props.maxmemoryPolicy ?? 'noeviction';
    const disabled = (props.disabledCommands ?? ['FLUSHALL', 'FLUSHDB']).map((command) => command.toUpperCase());

    v.check('name', name, dns1035LabelProblem);
    // The controller labels each pod with controller-revision-hash `<name>-<hash>`, a label value of at most 63 characters.
    if (name.length > 52) {
      throw v.error({ field: 'name', value: name, problem: `is ${name.length} characters, too long for its pods' controller-revision-hash label`, expected: 'at most 52 characters' });
    }
    v.check('namespace', props.namespace, dns1123LabelProblem);
    checkSecretKeyRef(v, 'password', props.password, "{ name: 'redis-password', key: 'password' }");
    if (profile !== 'production' && profile !== 'development') throw v.error({ field: 'profile', value: profile, problem: "is not 'production' or 'development'" });
    if (!Number.isInteger(members) || members < 1) throw v.error({ field: 'members', value: members, problem: 'is not a whole number >= 1' });
    if (profile === 'production' && members < 3) {
      throw v.error({
        field: 'members', value: members,
        problem: 'is below 3 in the production profile: replicas do not vote, so any count works, but with fewer than 3 a drained or resyncing replica leaves the primary as the only copy of the data',
        expected: "3 or more, or profile: 'development'",
      });
    }
    requirePinnedImage(v, 'image', image, REDIS_IMAGE);
    for (const [field, value] of [['storage.size', props.storage.size], ['resources.cpu', resources.cpu], ['resources.memory', resources.memory]] as const) {
      if (positiveQuantityProblem(value)) throw v.error({ field, value, problem: 'is not a positive Kubernetes quantity', expected: 'e.g. 10Gi or 500m' });
    }
    if (compareQuantities(resources.memory, MIN_MEMORY) < 0) {
      throw v.error({
        field: 'resources.memory', value: resources.memory,
        problem: `is below ${MIN_MEMORY}: maxmemory is ${REDIS_MAXMEMORY_PERCENT}% of it and Redis needs the rest for forks and buffers`,
      });
    }
    if (props.storage.storageClass !== undefined) v.check('storage.storageClass', props.storage.storageClass, dns1123SubdomainProblem);
    if (!MAXMEMORY_POLICIES.includes(policy)) {
      throw v.error({ field: 'maxmemoryPolicy', value: policy, problem: 'is not a Redis eviction policy', expected: `one of ${MAXMEMORY_POLICIES.join(', ')}` });
    }
    for (const command of disabled) {
      if (!/^[A-Z][A-Z_-]*$/.test(command)) throw v.error({ field: 'disabledCommands', value: command, problem: 'is not a Redis command name', expected: 'e.g. FLUSHALL' });
      if (REQUIRED_COMMANDS.includes(command)) {
        throw v.error({
          field: 'disabledCommands', value: command,
          problem: 'is needed by the probes, the launch script or replication, so it cannot be disabled',
          expected: `commands other than ${REQUIRED_COMMANDS.join(', ')}`,
        });
      }
    }
    (props.clients ?? []).forEach((client, i) => {
      if (Object.keys(client.podLabels).length === 0) {
        throw v.error({ field: `clients[${i}].podLabels`, problem: 'is empty, which would admit every pod', expected: "the client's labels, e.g. { 'app.kubernetes.io/name': 'journal-api' }" });
      }
    });

    const ns = props.namespace;
    const labels = { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': name };
    const memberLabels = { ...labels, 'app.kubernetes.io/component': 'member' };
    const domain = `${ns}.svc.cluster.local`;
    this.serviceName = name;
    this.hosts = Array.from({ length: members }, (_, i) => `${name}-${i}.${name}.${domain}`);
    this.writeHost = `${name}-write.${domain}`;
    this.readHost = `${name}-read.${domain}`;
    this.port = REDIS_PORT;
    this.passwordSecret = { name: props.password.name, key: props.password.key };
    this.maxmemoryBytes = redisMaxmemoryBytes(resources.memory);
    this.namespace = ns;
    const [primary = '', ...peers] = this.hosts;

    const config = new HashedConfigMap(this, 'Config', {
      baseName: `${name}-config`,
      namespace: ns,
      labels,
      data: { 'launch.sh': launchScript(name, primary, peers), 'redis.conf': serverConfig(this.maxmemoryBytes, policy, disabled) },
    });

    const port = [{ name: 'redis', port: REDIS_PORT, targetPort: REDIS_PORT }];
    new ApiObject(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ns, labels },
      // Members find each other (and member 0 asks its peers) before they are ready.
      spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: memberLabels, ports: port },
    });
    new ApiObject(this, 'WriteService', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: `${name}-write`,
        namespace: ns,
        labels,
        annotations: {
          [`${EXCEPTION_ANNOTATION_PREFIX}kit-selector-match`]: `selects the primary by statefulset.kubernetes.io/pod-name=${name}-0, a label the StatefulSet controller sets on each pod`,
        },
      },
      spec: { clusterIP: 'None', selector: { ...memberLabels, 'statefulset.kubernetes.io/pod-name': `${name}-0` }, ports: port },
    });
    new ApiObject(this, 'ReadService', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `${name}-read`, namespace: ns, labels },
      spec: { type: 'ClusterIP', selector: memberLabels, ports: port },
    });

    const production = profile === 'production';
    const probe = (script: string, periodSeconds: number, failureThreshold: number) => ({
      exec: { command: ['sh', '-c', script] }, periodSeconds, failureThreshold, timeoutSeconds: 5,
    });
    new ApiObject(this, 'StatefulSet', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name, namespace: ns, labels },
      spec: {
        serviceName: name,
        replicas: members,
        // Members start together: member 0 on an empty volume must be able to ask its peers.
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate' },
        selector: { matchLabels: memberLabels },
        template: {
          metadata: { labels: memberLabels, annotations: { [QOS_CLASS_ANNOTATION]: QosClass.GUARANTEED.name } },
          // The image's redis user, which owns the AOF files, stated on the container too.
          spec: hardenedPodSpec(v, {
            identity: { user: REDIS_UID, group: REDIS_UID },
            containerIdentity: { user: REDIS_UID, group: REDIS_UID },
            terminationGracePeriodSeconds: 60,
            ...memberPlacement(memberLabels, production),
            containers: [{
              name: 'redis',
              image,
              // Not the image's entrypoint: the launch script decides the role and execs redis-server.
              command: ['sh', '/etc/redis/launch.sh'],
              env: [
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                // redis-cli reads the password from REDISCLI_AUTH, so it is never an argument visible in ps.
                { name: 'REDISCLI_AUTH', valueFrom: { secretKeyRef: { name: props.password.name, key: props.password.key } } },
              ],
              ports: [{ name: 'redis', containerPort: REDIS_PORT }],
              resources: { requests: { cpu: resources.cpu, memory: resources.memory }, limits: { cpu: resources.cpu, memory: resources.memory } },
              startupProbe: probe(ALIVE, 5, 60),
              livenessProbe: probe(ALIVE, 15, 4),
              readinessProbe: probe(READY, 5, 3),
              volumeMounts: [
                { name: 'data', mountPath: '/data' },
                { name: 'config', mountPath: '/config' },
                { name: 'launch', mountPath: '/etc/redis', readOnly: true },
              ],
            }],
            volumes: [
              { name: 'config', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
              { name: 'launch', configMap: { name: config.name, defaultMode: 0o444 } },
            ],
          }),
        },
        volumeClaimTemplates: [{
          metadata: { name: 'data', labels },
          spec: {
            accessModes: ['ReadWriteOnce'],
            ...(props.storage.storageClass !== undefined && { storageClassName: props.storage.storageClass }),
            resources: { requests: { storage: props.storage.size } },
          },
        }],
      },
    });

    new ApiObject(this, 'Budget', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name, namespace: ns, labels },
      // Replicas do not vote: one member at a time may go, whichever it is.
      spec: { maxUnavailable: 1, selector: { matchLabels: memberLabels } },
    });

    // allowFrom() adds to `peers` after construction; the object is rendered at synth time.
    this.peers = [{ podSelector: { matchLabels: memberLabels } }, ...(props.clients ?? []).map(clientPeer)];
    new ApiObject(this, 'NetworkPolicy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace: ns, labels },
      spec: {
        podSelector: { matchLabels: memberLabels },
        policyTypes: ['Ingress'],
        ingress: [{ from: this.peers, ports: [{ protocol: 'TCP', port: REDIS_PORT }] }],
      },
    });
  }

  /**
   * Admits client workloads, by object, to port 6379: a HardenedDeployment (or a copy of a
   * BlueGreenDeployment), or anything exposing its pods' `identityLabels` and its namespace.
   * Their pods are selected by those labels, in the workload's namespace when it is not this
   * one. The same as a `clients` entry, without writing the labels out.
   */
  public allowFrom(...workloads: DataStoreClientWorkload[]): void {
    const v = new PropsValidator('StatefulRedis', this);
    if (workloads.length === 0) throw v.error({ field: 'allowFrom() workloads', problem: 'is empty', expected: 'at least one workload' });
    addPeers(this.peers, workloads.map((workload, i) => workloadPeer(v, this.namespace, workload, i)));
  }
}
