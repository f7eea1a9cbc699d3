/**
 * StatefulMongo: a MongoDB replica set run the way it survives production (seeds 001 and
 * 004's fleetman database):
 *
 * - a StatefulSet of an odd number of members (three by default) behind a headless
 *   Service, one PersistentVolumeClaim each on a StorageClass that waits for the first
 *   consumer, spread over zones and never two members on one node;
 * - internal authentication with a keyfile and an admin user, both from Secrets the
 *   construct only references;
 * - a Job that initiates the replica set and is safe to re-run (it does nothing once the
 *   set exists);
 * - a PodDisruptionBudget that keeps a majority, a preStop hook that steps a primary down
 *   before it stops, and probes that ask mongod itself through `mongosh`;
 * - a NetworkPolicy that admits the members, its own Jobs and the clients you name;
 * - optionally, a CronJob that `mongodump`s to a PersistentVolumeClaim and prunes old
 *   archives.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1';
import type { IVolumeMount } from 'kubernetes-models/v1';
import { cronScheduleProblem, dns1123LabelProblem, dns1123SubdomainProblem } from '../core/names.js';
import { PropsValidator, shown } from '../core/errors.js';
import { QOS_CLASS_ANNOTATION, QosClass } from '../core/qos.js';
import { defaultProfile, memberPlacement } from '../core/placement.js';
import { checkSecretKeyRef, type SecretKeyRef } from '../core/secret-ref.js';
import { hardenedPodSpec, positiveQuantityProblem, requirePinnedImage, type HardenedPodSpecInput } from '../workloads/pod-spec.js';
import { addPeers, clientPeer, workloadPeer, type DataStoreClient, type DataStoreClientWorkload } from './clients.js';

/** The official image, pinned. */
export const MONGO_IMAGE = 'mongo:8.0.4';
const PORT = 27017;
/** The mongodb user of the official image. */
const MONGO_UID = 999;

export type { SecretKeyRef };

/** Properties of {@link StatefulMongo}. */
export interface StatefulMongoProps {
  /**
   * The StatefulSet, headless Service and pod name prefix.
   * @default 'mongo'
   */
  readonly name?: string;
  /** The namespace every object of the construct is created in. */
  readonly namespace: string;
  /**
   * The replica set name.
   * @default 'rs0'
   */
  readonly replicaSet?: string;
  /**
   * Members. Always odd; at least 3 in the production profile.
   * @default 3
   */
  readonly members?: number;
  /**
   * `production`: at least three members, zone spread enforced. `development`: one member
   * allowed, spread preferred.
   * @default 'production' with 3 or more members, else 'development'
   */
  readonly profile?: 'production' | 'development';
  /**
   * The image, pinned by tag or digest.
   * @default MONGO_IMAGE
   */
  readonly image?: string;
  /** Each member's volume. */
  readonly storage: { readonly size: string; readonly storageClass?: string };
  /**
   * CPU and memory per member; requests equal limits (Guaranteed).
   * @default { cpu: '500m', memory: '1Gi' }
   */
  readonly resources?: { readonly cpu: string; readonly memory: string };
  /** The admin user, created on first start: Secret keys holding its name and password. */
  readonly admin: { readonly username: SecretKeyRef; readonly password: SecretKeyRef };
  /** The replica set's shared keyfile (756 base64 characters or fewer), as a Secret key. */
  readonly keyfile: SecretKeyRef;
  /**
   * Pods (by label, in this namespace unless a namespace label selector is given) allowed to connect.
   * @default - none: only the members themselves reach port 27017 (more can be added with `allowFrom()`)
   */
  readonly clients?: readonly DataStoreClient[];
  /**
   * Nightly `mongodump` to a PersistentVolumeClaim.
   * @default - no backup: no backup volume and no CronJob
   */
  readonly backup?: {
    /**
     * Cron schedule.
     * @default '0 2 * * *' (02:00 daily)
     */
    readonly schedule?: string;
    /**
     * Days an archive is kept.
     * @default 7
     */
    readonly retentionDays?: number;
    /** The backup volume. */
    readonly size: string;
    /**
     * The backup volume's StorageClass.
     * @default - the cluster's default StorageClass
     */
    readonly storageClass?: string;
  };
}

/**
 * Who every pod of the construct runs as: the image's mongodb user, which owns the data
 * files, stated on each container too (the keyfile must belong to mongod's own user).
 */
const IDENTITY = {
  identity: { user: MONGO_UID, group: MONGO_UID },
  containerIdentity: { user: MONGO_UID, group: MONGO_UID },
} as const satisfies Pick<HardenedPodSpecInput, 'identity' | 'containerIdentity'>;

/** A MongoDB replica set with its Service, PDB, NetworkPolicy, initiation Job and optional backups. */
export class StatefulMongo extends Construct {
  /** `mongodb://<member>.<service>.<namespace>.svc.cluster.local:27017,…/?replicaSet=<name>` (add credentials from the admin Secret, or an application user). */
  public readonly connectionString: string;
  /** The headless Service's name (the construct's `name`). */
  public readonly serviceName: string;
  /** The replica set's name. */
  public readonly replicaSetName: string;
  /** Pod DNS names of the members, in order. */
  public readonly hosts: readonly string[];
  /** The namespace of every object. */
  public readonly namespace: string;
  /** The sources the NetworkPolicy admits to port 27017: the members and Jobs, then the clients. */
  private readonly peers: INetworkPolicyPeer[];

  constructor(scope: Construct, id: string, props: StatefulMongoProps) {
    super(scope, id);
    const v = new PropsValidator('StatefulMongo', this);
    const name = props.name ?? 'mongo';
    const replicaSet = props.replicaSet ?? 'rs0';
    const members = props.members ?? 3;
    const profile = props.profile ?? defaultProfile(members);
    const image = props.image ?? MONGO_IMAGE;
    const resources = props.resources ?? { cpu: '500m', memory: '1Gi' };

    for (const [field, value, check] of [
      ['name', name, dns1123LabelProblem],
      ['namespace', props.namespace, dns1123LabelProblem],
      ['replicaSet', replicaSet, dns1123LabelProblem],
    ] as const) v.check(field, value, check);
    if (props.admin === null || typeof props.admin !== 'object') {
      throw v.error({ field: 'admin', problem: props.admin == null ? 'is missing' : `is a ${typeof props.admin}, not the admin user's Secret references`, expected: "{ username: { name: 'mongo-admin', key: 'username' }, password: { name: 'mongo-admin', key: 'password' } }" });
    }
    for (const [field, storageClass] of [['storage.storageClass', props.storage.storageClass], ['backup.storageClass', props.backup?.storageClass]] as const) {
      if (storageClass !== undefined) v.check(field, storageClass, dns1123SubdomainProblem, 'a StorageClass name (a DNS-1123 subdomain)');
    }
    checkSecretKeyRef(v, 'admin.username', props.admin.username, "{ name: 'mongo-admin', key: 'username' }");
    checkSecretKeyRef(v, 'admin.password', props.admin.password, "{ name: 'mongo-admin', key: 'password' }");
    checkSecretKeyRef(v, 'keyfile', props.keyfile, "{ name: 'mongo-keyfile', key: 'keyfile' }");
    if (!Number.isInteger(members) || members < 1 || members % 2 === 0) {
      throw v.error({ field: 'members', value: members, problem: 'is not an odd whole number: an even replica set cannot keep a majority when split in half', expected: '1, 3, 5 or 7' });
    }
    if (profile === 'production' && members < 3) {
      throw v.error({ field: 'members', value: members, problem: 'is below 3 in the production profile: one member down would stop writes', expected: "3, 5 or 7, or profile: 'development'" });
    }
    if (members > 7) throw v.error({ field: 'members', value: members, problem: "is above 7, MongoDB's limit of voting members" });
    requirePinnedImage(v, 'image', image, MONGO_IMAGE);
    for (const [field, value] of [['storage.size', props.storage.size], ['resources.cpu', resources.cpu], ['resources.memory', resources.memory], ['backup.size', props.backup?.size]] as const) {
      if (value !== undefined && positiveQuantityProblem(value)) throw v.error({ field, value, problem: 'is not a positive Kubernetes quantity', expected: 'e.g. 10Gi or 500m' });
    }
    const schedule = props.backup?.schedule ?? '0 2 * * *';
    if (props.backup) v.check('backup.schedule', schedule, cronScheduleProblem, "e.g. '0 2 * * *'");
    const retentionDays = props.backup?.retentionDays ?? 7;
    if (!Number.isInteger(retentionDays) || retentionDays < 1) throw v.error({ field: 'backup.retentionDays', value: retentionDays, problem: 'is not a whole number >= 1' });

    const ns = props.namespace;
    const labels = { 'app.kubernetes.io/name': 'mongodb', 'app.kubernetes.io/instance': name };
    const memberLabels = { ...labels, 'app.kubernetes.io/component': 'member' };
    this.serviceName = name;
    this.replicaSetName = replicaSet;
    this.hosts = Array.from({ length: members }, (_, i) => `${name}-${i}.${name}.${ns}.svc.cluster.local:${PORT}`);
    this.connectionString = `mongodb://${this.hosts.join(',')}/?replicaSet=${replicaSet}`;
    this.namespace = ns;

    const adminEnv = [
      { name: 'MONGO_INITDB_ROOT_USERNAME', valueFrom: { secretKeyRef: props.admin.username } },
      { name: 'MONGO_INITDB_ROOT_PASSWORD', valueFrom: { secretKeyRef: props.admin.password } },
    ];
    /** mongosh against the local member as the admin user; credentials come from the environment. */
    const localShell = (script: string) => ['sh', '-c', `mongosh --quiet --norc -u "$MONGO_INITDB_ROOT_USERNAME" -p "$MONGO_INITDB_ROOT_PASSWORD" --authenticationDatabase admin --eval '${script}'`];
    const ping = { exec: { command: ['mongosh', '--quiet', '--norc', '--eval', "db.adminCommand('ping').ok"] } };
    const small = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '50m', memory: '64Mi' } };

    new ApiObject(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ns, labels },
      spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: memberLabels, ports: [{ name: 'mongodb', port: PORT, targetPort: PORT }] },
    });

    const production = profile === 'production';
    new ApiObject(this, 'StatefulSet', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name, namespace: ns, labels },
      spec: {
        serviceName: name,
        replicas: members,
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate' },
        selector: { matchLabels: memberLabels },
        template: {
          metadata: { labels: memberLabels, annotations: { [QOS_CLASS_ANNOTATION]: QosClass.GUARANTEED.name } },
          spec: hardenedPodSpec(v, {
            ...IDENTITY,
            terminationGracePeriodSeconds: 60,
            ...memberPlacement(memberLabels, production),
            initContainers: [{
              // mongod accepts only a keyfile its own user owns with mode 0400: copy it from the Secret.
              name: 'keyfile',
              image,
              command: ['sh', '-c', 'cp /secret/keyfile /keyfile/keyfile && chmod 0400 /keyfile/keyfile'],
              resources: small,
              volumeMounts: [{ name: 'keyfile-secret', mountPath: '/secret', readOnly: true }, { name: 'keyfile', mountPath: '/keyfile' }],
            }],
            containers: [{
              name: 'mongod',
              image,
              args: ['--replSet', replicaSet, '--bind_ip_all', '--keyFile', '/keyfile/keyfile'],
              env: adminEnv,
              ports: [{ name: 'mongodb', containerPort: PORT }],
              resources: { requests: { cpu: resources.cpu, memory: resources.memory }, limits: { cpu: resources.cpu, memory: resources.memory } },
              startupProbe: { ...ping, periodSeconds: 10, failureThreshold: 30, timeoutSeconds: 5 },
              livenessProbe: { ...ping, periodSeconds: 20, failureThreshold: 3, timeoutSeconds: 5 },
              readinessProbe: { ...ping, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 5 },
              lifecycle: {
                // A primary that is told to stop hands over first, so writes move before it goes.
                preStop: { exec: { command: localShell('try { if (db.hello().isWritablePrimary) { rs.stepDown(30) } } catch (e) { print(e) }') } },
              },
              volumeMounts: [
                { name: 'data', mountPath: '/data/db' },
                { name: 'keyfile', mountPath: '/keyfile', readOnly: true },
                { name: 'configdb', mountPath: '/data/configdb' },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            }],
            volumes: [
              { name: 'keyfile-secret', secret: { secretName: props.keyfile.name, items: [{ key: props.keyfile.key, path: 'keyfile' }], defaultMode: 0o440 } },
              { name: 'keyfile', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
              { name: 'configdb', emptyDir: {} },
              { name: 'tmp', emptyDir: {} },
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

    // A majority must stay up for the set to keep a primary. A single development member
    // gets no budget: one that kept it up would block every node drain.
    if (members > 1) {
      new ApiObject(this, 'Budget', {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name, namespace: ns, labels },
        spec: { minAvailable: Math.floor(members / 2) + 1, selector: { matchLabels: memberLabels } },
      });
    }

    // allowFrom() adds to `peers` after construction; the object is rendered at synth time.
    this.peers = [{ podSelector: { matchLabels: labels } }, ...(props.clients ?? []).map(clientPeer)];
    new ApiObject(this, 'NetworkPolicy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace: ns, labels },
      spec: {
        podSelector: { matchLabels: labels },
        policyTypes: ['Ingress'],
        ingress: [{ from: this.peers, ports: [{ protocol: 'TCP', port: PORT }] }],
      },
    });

    const jobPod = (component: string, script: string, extra: Pick<HardenedPodSpecInput, 'volumes'> & { volumeMounts?: IVolumeMount[] } = {}) => ({
      metadata: { labels: { ...labels, 'app.kubernetes.io/component': component } },
      spec: hardenedPodSpec(v, {
        ...IDENTITY,
        restartPolicy: 'OnFailure',
        containers: [{
          name: component,
          image,
          command: ['sh', '-c', script],
          env: adminEnv,
          resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '256Mi' } },
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, ...(extra.volumeMounts ?? [])],
        }],
        volumes: [{ name: 'tmp', emptyDir: {} }, ...(extra.volumes ?? [])],
      }),
    });

    const uri = `mongodb://${this.hosts[0]}/admin?directConnection=true`;
    const memberList = this.hosts.map((host, i) => `{ _id: ${i}, host: "${host}" }`).join(', ');
    new ApiObject(this, 'Initiate', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: `${name}-initiate`, namespace: ns, labels },
      spec: {
        backoffLimit: 20,
        activeDeadlineSeconds: 1800,
        template: jobPod('initiate', [
          // Safe to re-run: rs.status() succeeds once the set exists, and then nothing is changed.
          `until mongosh --quiet --norc "${uri}" --eval "db.adminCommand('ping')" >/dev/null 2>&1; do sleep 5; done`,
          `mongosh --quiet --norc "${uri}" -u "$MONGO_INITDB_ROOT_USERNAME" -p "$MONGO_INITDB_ROOT_PASSWORD" --authenticationDatabase admin --eval '` +
            `try { rs.status(); print("replica set ${replicaSet} already initiated") } ` +
            `catch (e) { if (e.codeName !== "NotYetInitialized") { throw e } rs.initiate({ _id: "${replicaSet}", members: [${memberList}] }); print("initiated ${replicaSet}") }'`,
        ].join(' && ')),
      },
    });

    if (props.backup) {
      new ApiObject(this, 'BackupVolume', {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: `${name}-backups`, namespace: ns, labels },
        spec: {
          accessModes: ['ReadWriteOnce'],
          ...(props.backup.storageClass !== undefined && { storageClassName: props.backup.storageClass }),
          resources: { requests: { storage: props.backup.size } },
        },
      });
      const connection = `mongodb://${this.hosts.join(',')}/?replicaSet=${replicaSet}&readPreference=secondaryPreferred&authSource=admin`;
      new ApiObject(this, 'Backup', {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: `${name}-backup`, namespace: ns, labels },
        spec: {
          schedule,
          concurrencyPolicy: 'Forbid',
          startingDeadlineSeconds: 600,
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 3,
          jobTemplate: {
            spec: {
              backoffLimit: 2,
              activeDeadlineSeconds: 3 * 3600,
              template: jobPod('backup', [
                'set -e',
                'archive="/backup/$(date -u +%Y-%m-%dT%H%M%SZ).archive.gz"',
                `mongodump --uri="${connection}" --username="$MONGO_INITDB_ROOT_USERNAME" --password="$MONGO_INITDB_ROOT_PASSWORD" --oplog --gzip --archive="$archive"`,
                `find /backup -name '*.archive.gz' -mtime +${retentionDays} -delete`,
                'ls -l /backup',
              ].join('\n'), {
                volumes: [{ name: 'backup', persistentVolumeClaim: { claimName: `${name}-backups` } }],
                volumeMounts: [{ name: 'backup', mountPath: '/backup' }],
              }),
            },
          },
        },
      });
    }
  }

  /**
   * Admits client workloads, by object, to port 27017: a HardenedDeployment (or a copy of a
   * BlueGreenDeployment), or anything exposing its pods' `identityLabels` and its namespace.
   * Their pods are selected by those labels, in the workload's namespace when it is not this
   * one. The same as a `clients` entry, without writing the labels out.
   */
  public allowFrom(...workloads: DataStoreClientWorkload[]): void {
    const v = new PropsValidator('StatefulMongo', this);
    if (workloads.length === 0) throw v.error({ field: 'allowFrom() workloads', problem: 'is empty', expected: 'at least one workload' });
    addPeers(this.peers, workloads.map((workload, i) => workloadPeer(v, this.namespace, workload, i)));
  }

  /**
   * The connection string a client of `database` uses:
   * `mongodb://<member>…:27017,…/<database>?replicaSet=<name>` (credentials come from the
   * client's own Secret, as `username`/`password` options or in the driver's settings).
   */
  public connectionStringFor(database: string): string {
    new PropsValidator('StatefulMongo', this).check('connectionStringFor() database', database, mongoDatabaseNameProblem);
    return `mongodb://${this.hosts.join(',')}/${database}?replicaSet=${this.replicaSetName}`;
  }
}

/**
 * Why `name` cannot name a MongoDB database in a connection string, or undefined.
 * @see https://www.mongodb.com/docs/manual/reference/limits/#naming-restrictions
 */
export function mongoDatabaseNameProblem(name: string): string | undefined {
  if (typeof name !== 'string') return 'is not a string; expected a database name such as \'fleetman\'';
  if (name === '') return 'is empty; expected a database name such as \'fleetman\'';
  if (Buffer.byteLength(name, 'utf8') >= 64) return 'is 64 bytes or longer; MongoDB database names are shorter';
  const bad = [...name].find((c) => '/\\. "$*<>:|?'.includes(c) || c === '\0');
  if (bad !== undefined) return `contains ${shown(bad)}, which MongoDB does not allow in a database name (/\\. "$*<>:|? and NUL)`;
  return undefined;
}
