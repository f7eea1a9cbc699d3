/**
 * The exact messages of the refusals the bad-input corpus added: one per error, so the words
 * stay the same across constructs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing, type Chart } from 'cdk8s';
import {
  AppNamespace, BackupSchedule, BlueGreenDeployment, CertManager, DiskStorageClass, EnvValue, ExternalService,
  HardenedDeployment, HashedConfigMap, LetsEncryptIssuers, Http01Solver, Probe, ReadOnlyAccess, TeamNamespace,
  type HardenedDeploymentProps,
} from '../../constructs/index.js';

const props = (over: Partial<HardenedDeploymentProps> = {}): HardenedDeploymentProps => ({
  name: 'api',
  image: 'registry.example.com/shop/api:1.4.2',
  ports: [{ number: 8080, name: 'http' }],
  resources: { cpu: { request: '250m' }, memory: { request: '256Mi', limit: '256Mi' } },
  liveness: Probe.httpGet('/healthz'),
  readiness: Probe.httpGet('/ready'),
  ...over,
});

const CASES: readonly [string, (chart: Chart) => unknown, string][] = [
  ['HardenedDeployment: a port name twice', (c) => new HardenedDeployment(c, 'api', props({ ports: [{ number: 8080, name: 'http' }, { number: 8081, name: 'http' }] })),
    "HardenedDeployment 'test/api': ports[1].name ('http') is the name of another port too; expected each port name to be unique"],
  ['HardenedDeployment: a bad label value', (c) => new HardenedDeployment(c, 'api', props({ labels: { tier: 'front end' } })),
    "HardenedDeployment 'test/api': labels['tier'] ('front end') is not a label value: it must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"],
  ['HardenedDeployment: a bad ServiceAccount name', (c) => new HardenedDeployment(c, 'api', props({ serviceAccountName: 'My_SA' })),
    "HardenedDeployment 'test/api': serviceAccountName ('My_SA') is not a ServiceAccount name (a DNS-1123 subdomain): it must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"],
  ['HardenedDeployment: a password as a literal', (c) => new HardenedDeployment(c, 'api', props({ env: [{ name: 'DB_PASSWORD', value: EnvValue.fromValue('hunter2') }] })),
    "HardenedDeployment 'test/api': env[0].value of DB_PASSWORD is a literal (not shown), so the secret would be written into the manifest; expected EnvValue.fromSecretValue({ secret, key }) with the secret in a Secret"],
  ['HardenedDeployment: configMountPath without config', (c) => new HardenedDeployment(c, 'api', props({ configMountPath: '/etc/app' })),
    "HardenedDeployment 'test/api': configMountPath ('/etc/app') has no effect without config; expected config, or no configMountPath"],
  ['HardenedDeployment: an empty command', (c) => new HardenedDeployment(c, 'api', props({ command: [] })),
    "HardenedDeployment 'test/api': command is empty, so Kubernetes runs the image's own entrypoint; expected the entrypoint, e.g. ['/app/server'], or no command"],
  ['HardenedDeployment: config over 1 MiB', (c) => new HardenedDeployment(c, 'api', props({ config: { 'big.txt': 'x'.repeat(1024 * 1024 + 1) } })),
    "HardenedDeployment 'test/api': config holds 1048584 bytes, over the 1 MiB (1048576 bytes) a ConfigMap may hold; expected fewer or smaller files, or a volume"],
  ['BlueGreenDeployment: idleReplicas with blue alone', (c) => new BlueGreenDeployment(c, 'bg', { ...props(), name: 'shop', blue: { image: 'registry.example.com/shop/api:1.4.2' }, active: 'blue', idleReplicas: 0 }),
    "BlueGreenDeployment 'test/bg': idleReplicas (0) has no effect without a green copy: with blue alone no color is idle; expected green: { image }, or no idleReplicas"],
  ['BlueGreenDeployment: a bad color image, named at the color', (c) => new BlueGreenDeployment(c, 'bg', {
    ...props(), name: 'shop', blue: { image: 'registry.example.com/shop/api:1.4.2' }, green: { image: 'registry.example.com/Shop/api:1.5.0' }, active: 'blue',
  }), "BlueGreenDeployment 'test/bg': green.image ('registry.example.com/Shop/api:1.5.0') has the repository path component 'Shop' with upper-case letters, which a repository may not have; expected an image pinned by a version tag or a digest, e.g. 'nginx:1.27.3' or 'nginx@sha256:<digest>'"],
  ['BlueGreenDeployment: a bad color config key', (c) => new BlueGreenDeployment(c, 'bg', {
    ...props(), name: 'shop', blue: { image: 'registry.example.com/shop/api:1.4.2', config: { 'a b': 'x' } }, active: 'blue',
  }), "BlueGreenDeployment 'test/bg': blue.config['a b'] has a key that is not a ConfigMap key: it must consist of alphanumeric characters, '-', '_' or '.'"],
  ['HashedConfigMap: a .. key prefix', (c) => new HashedConfigMap(c, 'cm', { data: { '..data': 'x' } }),
    "HashedConfigMap 'test/cm': data['..data'] has a key that is not a ConfigMap key: it may not start with '..'"],
  ['HashedConfigMap: a bad namespace', (c) => new HashedConfigMap(c, 'cm', { data: { a: 'x' }, namespace: 'My_NS' }),
    "HashedConfigMap 'test/cm': namespace ('My_NS') must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"],
  ['TeamNamespace: a reaper CronJob name over 52 characters', (c) => new TeamNamespace(c, 'team', {
    name: 'p'.repeat(48), team: 'payments', owner: 'o', purpose: 'p', expires: '2027-01-01', reaper: {}, today: new Date('2026-12-01T00:00:00Z'),
  }), `TeamNamespace 'test/team': name ('${'p'.repeat(48)}') makes the reaper CronJob's name 'reap-${'p'.repeat(48)}' 53 characters long; a CronJob's name is at most 52; expected a name of at most 47 characters, or no reaper`],
  ['TeamNamespace: a negative quota', (c) => new TeamNamespace(c, 'team', { name: 'payments', team: 'payments', owner: 'o', purpose: 'p', quota: { storage: '-100Gi' } }),
    "TeamNamespace 'test/team': quota.storage ('-100Gi') is negative; expected e.g. 500m, 2 or 4Gi"],
  ['AppNamespace: a bad label key', (c) => new AppNamespace(c, 'ns', { name: 'app', labels: { 'team name': 'x' } }),
    "AppNamespace 'test/ns': labels['team name'] is not a valid label key: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character; expected e.g. 'app.kubernetes.io/part-of'"],
  ['DiskStorageClass: an empty KMS key id', (c) => new DiskStorageClass(c, 'sc', { cloud: 'aws', name: 'fast', kmsKeyId: '' }),
    "DiskStorageClass 'test/sc': kmsKeyId ('') is not a KMS key id; expected a key id, alias or ARN, e.g. arn:aws:kms:eu-west-1:111122223333:key/<id>"],
  ['DiskStorageClass: an AWS-only prop on Azure', (c) => new DiskStorageClass(c, 'sc', { cloud: 'azure', name: 'fast', iops: 5000 } as never),
    "DiskStorageClass 'test/sc': iops (5000) applies to cloud 'aws' only: an Azure disk StorageClass would ignore it; expected no iops with cloud 'azure'"],
  ['ExternalService: a loopback address', (c) => new ExternalService(c, 'ext', { name: 'db', namespace: 'app', addresses: ['127.0.0.1'], ports: [{ port: 5432 }] }),
    "ExternalService 'test/ext': addresses[0] ('127.0.0.1') is a loopback address (127.0.0.0/8), which may not be an endpoint; expected e.g. 10.0.12.5 (use externalName for a DNS name)"],
  ['ExternalService: a port twice', (c) => new ExternalService(c, 'ext', { name: 'db', namespace: 'app', addresses: ['10.0.0.5'], ports: [{ port: 5432, name: 'pg' }, { port: 5432, name: 'pg2' }] }),
    "ExternalService 'test/ext': ports[1].port (5432) declares 5432/TCP twice; expected each port and protocol once"],
  ['ExternalService: a port name twice', (c) => new ExternalService(c, 'ext', { name: 'db', namespace: 'app', addresses: ['10.0.0.5'], ports: [{ port: 5432, name: 'pg' }, { port: 5433, name: 'pg' }] }),
    "ExternalService 'test/ext': ports[1].name ('pg') is the name of another port too; expected each port name to be unique"],
  ['BackupSchedule: an empty label selector', (c) => new BackupSchedule(c, 'b', { name: 'nightly', labelSelector: {} }),
    "BackupSchedule 'test/b': labelSelector ({}) has no labels, so it selects every resource; expected the labels to back up, or no labelSelector to back up everything"],
  ['BackupSchedule: a bad storage location', (c) => new BackupSchedule(c, 'b', { name: 'nightly', storageLocation: 'Primary_Bucket' }),
    "BackupSchedule 'test/b': storageLocation ('Primary_Bucket') is not a BackupStorageLocation name: it must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"],
  ['ReadOnlyAccess: an empty group', (c) => new ReadOnlyAccess(c, 'ro', { subjects: [{ group: ' ' }] }),
    "ReadOnlyAccess 'test/ro': subjects[0] ({\"group\":\" \"}) names no one; expected a user or group name"],
  ['LetsEncryptIssuers: a name too long for the account key Secret', (c) => new LetsEncryptIssuers(c, 'le', { name: 'l'.repeat(231), email: 'ops@acme.dev', http01: Http01Solver.ingressClass('nginx') }),
    `LetsEncryptIssuers 'test/le': name ('${'l'.repeat(231)}') makes the account key Secret's name 254 characters long; a Secret's name is at most 253; expected at most 230 characters`],
  ['CertManager: a bad namespace', (c) => new CertManager(c, 'cm', { namespace: 'Cert_Manager' }),
    "CertManager 'test/cm': namespace ('Cert_Manager') must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"],
];

describe('bad-input refusals', () => {
  for (const [title, build, message] of CASES) {
    it(`throws on ${title}`, () => assert.throws(() => build(Testing.chart()), { name: 'PropsError', message }));
  }
});
