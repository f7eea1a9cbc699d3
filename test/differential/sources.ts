/**
 * The objects the differential test mutates: every environment's output (the platform and
 * the apps, as `npm run synth` builds them) and the constructs the environments do not use,
 * built as their tests build them. Identical objects are kept once.
 */
import { App, Chart } from 'cdk8s';
import { buildApp } from '../../charts/app.js';
import { environmentNames, loadEnvironment } from '../../charts/environment.js';
import {
  BackupSchedule,
  CiDeployer,
  DiskStorageClass,
  ExternalService,
  HardenedCronJob,
  HardenedDaemonSet,
  HardenedDeployment,
  HardenedJob,
  HardenedStatefulSet,
  Placement,
  Priority,
  Probe,
  ReadOnlyAccess,
  StatefulMongo,
  TeamNamespace,
  collectObjects,
  type ManifestObject,
} from '../../constructs/index.js';

/** The constructs no shipped environment uses, with the props their tests use. */
function constructGallery(): App {
  const app = new App();
  const chart = new Chart(app, 'gallery');
  new TeamNamespace(chart, 'team', {
    name: 'team-diff', team: 'payments', owner: 'payments@example.com', purpose: 'differential test', expires: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10), reaper: {},
    quota: { cpu: { requests: '1' }, memory: { requests: '1Gi', limits: '2Gi' }, pods: 5 },
    access: { edit: [{ group: 'payments-devs' }], view: [{ serviceAccount: { name: 'dashboard', namespace: 'ops' } }] },
  });
  new ReadOnlyAccess(chart, 'joiners', { subjects: [{ group: 'new-joiners' }] });
  new CiDeployer(chart, 'ci', { name: 'deployer', namespace: 'ci-diff', targetNamespaces: ['apps-diff'] });
  new DiskStorageClass(chart, 'sc', { name: 'gp3-diff', cloud: 'aws' });
  new ExternalService(chart, 'legacy', { name: 'legacy-db', namespace: 'data-diff', addresses: ['10.0.12.5'], ports: [{ port: 5432 }] });
  new ExternalService(chart, 'named', { name: 'named-db', namespace: 'data-diff', externalName: 'db.example.com' });
  new StatefulMongo(chart, 'mongo', {
    namespace: 'data-diff',
    storage: { size: '1Gi', storageClass: 'gp3-diff' },
    admin: { username: { name: 'mongo-admin', key: 'username' }, password: { name: 'mongo-admin', key: 'password' } },
    keyfile: { name: 'mongo-keyfile', key: 'keyfile' },
    backup: { size: '1Gi', storageClass: 'gp3-diff' },
  });
  new BackupSchedule(chart, 'nightly', { name: 'nightly', includedNamespaces: ['apps-diff'], volumes: 'filesystem' });
  new HardenedDeployment(new Chart(app, 'web', { namespace: 'apps-diff' }), 'Web', {
    name: 'web',
    image: 'registry.example.com/web:1.4.2',
    ports: [{ number: 8080, name: 'http' }],
    resources: { cpu: { request: '100m' }, memory: { request: '64Mi', limit: '64Mi' } },
    liveness: Probe.httpGet('/healthz'),
    readiness: Probe.httpGet('/ready'),
    autoscaling: { maxReplicas: 6, cpuUtilizationPercent: 70 },
    config: { 'app.yaml': 'level: info\n' },
  });
  const batch = new Chart(app, 'batch', { namespace: 'apps-diff' });
  const resources = { cpu: { request: '100m' }, memory: { request: '128Mi', limit: '128Mi' } };
  new HardenedJob(batch, 'Migrate', { name: 'migrate', image: 'registry.example.com/migrate:1.0.0', resources, failOnExitCodes: [3], writablePaths: ['/tmp'] });
  new HardenedCronJob(batch, 'Report', {
    name: 'report', image: 'registry.example.com/report:2.1.0', resources, schedule: '30 2 * * *', timeZone: 'Europe/Berlin',
    placement: Placement.onPool({ name: 'spot', taints: [{ key: 'capacity', value: 'spot', effect: 'NoSchedule' }] }), priority: Priority.BATCH,
  });
  new HardenedStatefulSet(new Chart(app, 'queue', { namespace: 'data-diff' }), 'Queue', {
    name: 'queue', image: 'registry.example.com/queue:3.1.0', ports: [{ number: 5672, name: 'amqp' }], resources,
    liveness: Probe.tcpSocket(), readiness: Probe.tcpSocket(), claims: [{ name: 'data', mountPath: '/var/lib/queue', size: '1Gi', storageClass: { name: 'gp3-diff' } }],
  });
  new HardenedDaemonSet(new Chart(app, 'agents', { namespace: 'apps-diff' }), 'LogAgent', {
    name: 'log-agent', image: 'registry.example.com/agent:1.0.0', ports: [{ number: 2020, name: 'metrics' }], resources,
    liveness: Probe.httpGet('/healthz'), readiness: Probe.httpGet('/ready'),
    hostPaths: [{ hostPath: '/var/log', mountPath: '/var/log', reason: 'tails log files' }],
  });
  return app;
}

/** An object to mutate, with the objects deployed beside it (its environment's), which the cross-object rules see. */
export interface SourceObject {
  readonly object: ManifestObject;
  readonly alongside: readonly ManifestObject[];
}

/** Every distinct object of every environment in `dir` and of the construct gallery. */
export function differentialSources(dir = '.'): SourceObject[] {
  const apps = [...environmentNames(dir).map((name) => buildApp(loadEnvironment(name, dir))), constructGallery()];
  const seen = new Set<string>();
  const out: SourceObject[] = [];
  for (const app of apps) {
    const objects = collectObjects(app.charts).map((input) => input.object);
    objects.forEach((object, i) => {
      const key = JSON.stringify(object);
      if (seen.has(key)) return;
      seen.add(key);
      out.push({ object, alongside: objects.filter((_, j) => j !== i) });
    });
  }
  return out;
}
