/**
 * The platform constructs on a real API server: every object is accepted by server-side
 * dry-run and apply, and the guard rails act — a pod without resources gets the team
 * namespace's LimitRange defaults, a pod beyond the quota is refused, an ExternalService's
 * EndpointSlice backs its Service, RBAC names with colons are accepted, and the CI deployer
 * may act only where it was given.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { App, Chart } from 'cdk8s';
import { stringify } from 'yaml';
import { join } from 'node:path';
import {
  BackupSchedule,
  CiDeployer,
  DiskStorageClass,
  ExternalService,
  ReadOnlyAccess,
  StatefulMongo,
  TeamNamespace,
  Velero,
  VeleroLocations,
  assertValid,
  type ManifestObject,
} from '../../constructs/index.js';
import { getJson, kubectl } from './_cluster.js';

function objectsOf(build: (chart: Chart) => void): ManifestObject[] {
  const app = new App();
  build(new Chart(app, 'c'));
  return app.charts.flatMap((chart) => chart.toJson() as ManifestObject[]);
}

/** Server-side dry-run, then apply: Namespaces first (a dry run does not create them), then the rest. */
function applyBoth(objects: readonly ManifestObject[]): void {
  const namespaces = objects.filter((o) => o.kind === 'Namespace');
  for (const batch of [namespaces, objects.filter((o) => o.kind !== 'Namespace')]) {
    if (batch.length === 0) continue;
    const input = batch.map((o) => stringify(o)).join('---\n');
    kubectl(['apply', '--server-side', '--field-manager=k8s-platform-kit', '--dry-run=server', '-f', '-'], { input });
    kubectl(['apply', '--server-side', '--field-manager=k8s-platform-kit', '-f', '-'], { input });
  }
}

const cleanup: string[][] = [];
after(() => {
  for (const args of cleanup.reverse()) kubectl(['delete', ...args, '--ignore-not-found', '--wait=true', '--timeout=120s'], { allowFailure: true });
});

describe('platform constructs on a real API server', () => {
  it('TeamNamespace: accepted; its reaper may delete it and nothing else; a bare pod gets the defaults; a pod over the quota is refused', async () => {
    const objects = objectsOf((chart) => new TeamNamespace(chart, 'team', {
      name: 'team-e2e', team: 'payments', owner: 'payments@example.com', purpose: 'e2e', expires: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10), reaper: {},
      quota: { cpu: { requests: '1' }, memory: { requests: '1Gi', limits: '2Gi' }, pods: 5 },
      access: { edit: [{ group: 'payments-devs' }], view: [{ serviceAccount: { name: 'dashboard', namespace: 'ops' } }] },
    }));
    kubectl(['create', 'namespace', 'k8s-platform-kit-system']);
    cleanup.push(['namespace', 'team-e2e'], ['namespace', 'k8s-platform-kit-system'], ['clusterrole,clusterrolebinding', 'k8s-platform-kit:reap:team-e2e']);
    applyBoth(objects);
    const reaper = 'system:serviceaccount:k8s-platform-kit-system:reap-team-e2e';
    const can = (...args: string[]) => kubectl(['auth', 'can-i', ...args, '--as', reaper], { allowFailure: true }).stdout.trim();
    assert.equal(can('delete', 'namespace/team-e2e'), 'yes');
    assert.equal(can('delete', 'namespace/default'), 'no');

    const pod = (name: string, resources?: Record<string, unknown>) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'team-e2e' },
      spec: {
        securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', ...(resources && { resources }), securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
      },
    });
    kubectl(['apply', '-f', '-'], { input: JSON.stringify(pod('bare')) });
    const bare = getJson<{ spec: { containers: { resources: unknown }[] } }>(['get', 'pod', 'bare', '-n', 'team-e2e']);
    assert.deepEqual(bare.spec.containers[0]?.resources, { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } });

    // More CPU than the quota allows, with its own limits: refused by the quota.
    const greedy = kubectl(['apply', '-f', '-'], { input: JSON.stringify(pod('greedy', { requests: { cpu: '2', memory: '256Mi' }, limits: { cpu: '2', memory: '512Mi' } })), allowFailure: true });
    assert.notEqual(greedy.status, 0);
    assert.match(greedy.stderr, /exceeded quota: team-quota, requested: requests\.cpu=2/);

    // More CPU than the default limit and no limit of its own: the defaulted limit makes it invalid (see the docs).
    const unlimited = kubectl(['apply', '-f', '-'], { input: JSON.stringify(pod('unlimited', { requests: { cpu: '750m', memory: '256Mi' }, limits: { memory: '512Mi' } })), allowFailure: true });
    assert.notEqual(unlimited.status, 0);
    assert.match(unlimited.stderr, /must be less than or equal to cpu limit of 500m/);
  });

  it('ReadOnlyAccess and CiDeployer: accepted, and the deployer may deploy only where it was given', () => {
    kubectl(['create', 'namespace', 'ci-e2e']);
    kubectl(['create', 'namespace', 'apps-e2e']);
    cleanup.push(['namespace', 'ci-e2e'], ['namespace', 'apps-e2e'], ['clusterrole,clusterrolebinding', 'k8s-platform-kit:read-only']);
    applyBoth(objectsOf((chart) => {
      new ReadOnlyAccess(chart, 'joiners', { subjects: [{ group: 'new-joiners' }] });
      new CiDeployer(chart, 'ci', { name: 'deployer', namespace: 'ci-e2e', targetNamespaces: ['apps-e2e'] });
    }));
    const can = (...args: string[]) => kubectl(['auth', 'can-i', ...args], { allowFailure: true }).stdout.trim();
    const sa = 'system:serviceaccount:ci-e2e:deployer';
    assert.equal(can('create', 'deployments', '-n', 'apps-e2e', '--as', sa), 'yes');
    assert.equal(can('create', 'deployments', '-n', 'default', '--as', sa), 'no');
    assert.equal(can('get', 'secrets', '-n', 'apps-e2e', '--as', sa), 'no');
    assert.equal(can('list', 'pods', '-A', '--as', 'someone', '--as-group', 'new-joiners'), 'yes');
    assert.equal(can('get', 'secrets', '-A', '--as', 'someone', '--as-group', 'new-joiners'), 'no');
  });

  it('DiskStorageClass, ExternalService and StatefulMongo: accepted; the EndpointSlice backs the Service', async () => {
    kubectl(['create', 'namespace', 'data-e2e']);
    cleanup.push(['namespace', 'data-e2e'], ['storageclass', 'gp3-e2e']);
    const app = new App();
    const chart = new Chart(app, 'data');
    new DiskStorageClass(chart, 'sc', { name: 'gp3-e2e', cloud: 'aws' });
    new ExternalService(chart, 'legacy', { name: 'legacy-db', namespace: 'data-e2e', addresses: ['10.0.12.5'], ports: [{ port: 5432 }] });
    new StatefulMongo(chart, 'mongo', {
      namespace: 'data-e2e',
      storage: { size: '1Gi', storageClass: 'gp3-e2e' },
      admin: { username: { name: 'mongo-admin', key: 'username' }, password: { name: 'mongo-admin', key: 'password' } },
      keyfile: { name: 'mongo-keyfile', key: 'keyfile' },
      backup: { size: '1Gi', storageClass: 'gp3-e2e' },
    });
    await assertValid(app);
    applyBoth(app.charts.flatMap((c) => c.toJson() as ManifestObject[]));
    const slices = getJson<{ items: { endpoints: { addresses: string[] }[] }[] }>(['get', 'endpointslices', '-n', 'data-e2e', '-l', 'kubernetes.io/service-name=legacy-db']);
    assert.deepEqual(slices.items.map((s) => s.endpoints.flatMap((e) => e.addresses)), [['10.0.12.5']]);
    const sts = getJson<{ spec: { replicas: number } }>(['get', 'statefulset', 'mongo', '-n', 'data-e2e']);
    assert.equal(sts.spec.replicas, 3);
  });

  it('BackupSchedule and Velero\'s locations: accepted by the API server with the pinned Velero CRDs, and valid by the kit\'s own check', async () => {
    const thirdParty = process.env.KIT_THIRD_PARTY ?? join('..', 'shared', 'third-party');
    for (const crd of ['schedules', 'backupstoragelocations', 'volumesnapshotlocations']) {
      kubectl(['apply', '--server-side', '--force-conflicts', '-f', join(thirdParty, 'velero', 'crds', `velero.io_${crd}.yaml`)]);
      kubectl(['wait', '--for=condition=Established', `crd/${crd}.velero.io`, '--timeout=60s']);
    }
    // The Velero release (its chart creates the namespace) in one chart, its locations in the next, as buildApp places them.
    const app = new App();
    const velero = new Velero(new Chart(app, 'addons'), 'Velero', { bucket: 'e2e-backups', region: 'eu-west-1', prefix: 'clusters/e2e' });
    new VeleroLocations(new Chart(app, 'backup-locations'), 'Locations', { velero });
    new BackupSchedule(new Chart(app, 'backups'), 'nightly', { name: 'nightly', includedNamespaces: ['todo'], volumes: 'filesystem' });
    const objects = app.charts.flatMap((chart) => chart.toJson() as ManifestObject[]);
    await assertValid(app);
    kubectl(['create', 'namespace', 'velero']);
    cleanup.push(['namespace', 'velero']);
    applyBoth(objects.filter((o) => o.apiVersion === 'velero.io/v1'));
    const schedule = getJson<{ spec: { template: { ttl: string; defaultVolumesToFsBackup: boolean } } }>(['get', 'schedules.velero.io', 'nightly', '-n', 'velero']);
    assert.equal(schedule.spec.template.ttl, '720h');
    assert.equal(schedule.spec.template.defaultVolumesToFsBackup, true);
    const location = getJson<{ spec: { default: boolean; objectStorage: { bucket: string; prefix: string } } }>(['get', 'backupstoragelocations.velero.io', 'default', '-n', 'velero']);
    assert.deepEqual([location.spec.default, location.spec.objectStorage], [true, { bucket: 'e2e-backups', prefix: 'clusters/e2e' }]);
    const snapshots = getJson<{ spec: { provider: string; config: { region: string } } }>(['get', 'volumesnapshotlocations.velero.io', 'default', '-n', 'velero']);
    assert.deepEqual([snapshots.spec.provider, snapshots.spec.config.region], ['aws', 'eu-west-1']);
  });
});
