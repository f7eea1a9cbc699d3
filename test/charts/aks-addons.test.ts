/**
 * The AKS environment's controllers: external-dns and Velero with workload identity (their
 * values, the objects they come with, the identities they ask for), no second
 * metrics-server, the cluster values reaching Flux in GitOps mode (per-chart Kustomizations
 * and the bootstrap sync), and a test per capability AKS lacks, each naming what provides it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildApp } from '../../charts/app.js';
import { buildBootstrap, gitopsOptionsOf } from '../../charts/bootstrap.js';
import { APPS_SCHEMA, loadEnvironment, type Environment } from '../../charts/environment.js';
import { CAPABILITY_RULE_ID, collectObjects, validateManifests, type ManifestObject } from '../../constructs/index.js';
import { environmentCapabilities, parseEnvironment, readStackConfig } from '../../constructs/environment/index.js';
import { clusterValuesOf, planGitOps, renderApp, renderedObjects, validationInputsOf } from '../../constructs/gitops/index.js';
import { WorkloadIdentity } from '../../constructs/platform/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Config = Record<string, any>;

/** dev's subscription (Pulumi.dev.yaml). */
const SUB = '00000000-0000-4000-8000-000000000000';
const TENANT = '${KIT_AZURE_TENANT_ID}';
const VELERO_CLIENT_ID = '${KIT_IDENTITY_VELERO_VELERO_SERVER_CLIENT_ID}';
const EXTERNAL_DNS_CLIENT_ID = '${KIT_IDENTITY_EXTERNAL_DNS_EXTERNAL_DNS_CLIENT_ID}';
const CLUSTER_VALUES = ['KIT_AZURE_TENANT_ID', 'KIT_IDENTITY_EXTERNAL_DNS_EXTERNAL_DNS_CLIENT_ID', 'KIT_IDENTITY_VELERO_VELERO_SERVER_CLIENT_ID'];

function environment(name: string, edit: (settings: Config) => void): Environment {
  const config = structuredClone(readStackConfig(`Pulumi.${name}.yaml`)) as Config;
  const settings: Config = {};
  for (const [key, value] of Object.entries(config)) settings[key.replace(/^k8s-platform-kit:/, '')] = value;
  edit(settings);
  const namespaced = Object.fromEntries(Object.entries(settings).map(([key, value]) => [`k8s-platform-kit:${key}`, value]));
  return parseEnvironment(name, namespaced, { apps: APPS_SCHEMA, source: `Pulumi.${name}.yaml` });
}

/** dev with Velero (and nightly backups of todo) and external-dns on an Azure DNS zone; dns-automation no longer declared. */
const withAddons = (edit: (settings: Config) => void = () => {}) => environment('dev', (s) => {
  s.cluster.addons = { velero: { storageAccount: 'kitdevbackups' }, externalDns: { zone: 'dev.platform.acme.dev', resourceGroup: 'rg-dns' } };
  s.cluster.capabilities = [];
  s.platform.backups = { schedule: '0 3 * * *', retention: '168h', namespaces: ['todo'] };
  edit(s);
});

const objectsOf = (env: Environment) => collectObjects(buildApp(env).charts).map((i) => i.object);
const find = (objects: ManifestObject[], kind: string, name: string) => {
  const found = objects.filter((o) => o.kind === kind && o.metadata?.name === name);
  assert.equal(found.length, 1, `one ${kind} ${name}`);
  return found[0] as any;
};

describe('dev (AKS) with Velero and external-dns', () => {
  const env = withAddons();
  const app = buildApp(env);
  const objects = collectObjects(app.charts).map((i) => i.object);

  it('Velero: the Azure plugin init container v1.14.2, no AWS plugin, the client-id placeholder on its ServiceAccount and the workload identity pod label', () => {
    const release = find(objects, 'HelmRelease', 'velero');
    assert.equal(release.metadata.namespace, 'velero');
    const values = release.spec.values;
    assert.deepEqual(values.initContainers.map((c: { name: string; image: string }) => [c.name, c.image]), [
      ['velero-plugin-for-microsoft-azure', 'docker.io/velero/velero-plugin-for-microsoft-azure:v1.14.2'],
    ]);
    assert.equal(JSON.stringify(values).includes('velero-plugin-for-aws'), false);
    assert.deepEqual(values.serviceAccount.server, { create: true, name: 'velero-server', annotations: { 'azure.workload.identity/client-id': VELERO_CLIENT_ID } });
    assert.deepEqual(values.podLabels, { 'azure.workload.identity/use': 'true' });
    assert.deepEqual(values.credentials, { useSecret: false });
    assert.equal(values.snapshotsEnabled, false);
  });

  it('Velero: the default BackupStorageLocation is provider azure on the container, config resourceGroup rg-kit-dev, storage account, subscription, useAAD and URI; no VolumeSnapshotLocation', () => {
    const location = find(objects, 'BackupStorageLocation', 'default');
    assert.equal(location.metadata.namespace, 'velero');
    assert.equal(location.spec.provider, 'azure');
    assert.equal(location.spec.objectStorage.bucket, 'velero');
    assert.deepEqual(location.spec.config, {
      subscriptionId: SUB, resourceGroup: 'rg-kit-dev', storageAccount: 'kitdevbackups',
      storageAccountURI: 'https://kitdevbackups.blob.core.windows.net/', useAAD: 'true',
    });
    assert.equal(objects.some((o) => o.kind === 'VolumeSnapshotLocation'), false);
  });

  it('Velero: platform.backups renders the nightly Schedule of todo', () => {
    const schedule = find(objects, 'Schedule', 'nightly');
    assert.equal(schedule.metadata.namespace, 'velero');
    assert.equal(schedule.spec.schedule, '0 3 * * *');
    assert.deepEqual(schedule.spec.template.includedNamespaces, ['todo']);
  });

  it('external-dns: provider azure, the zone filter and domain filter, the azure.json mount, the client-id placeholder and pod label', () => {
    const release = find(objects, 'HelmRelease', 'external-dns');
    assert.equal(release.metadata.namespace, 'external-dns');
    const values = release.spec.values;
    assert.deepEqual(values.provider, { name: 'azure' });
    assert.deepEqual(values.extraArgs, { 'zone-name-filter': 'dev.platform.acme.dev' });
    assert.deepEqual(values.domainFilters, ['dev.platform.acme.dev']);
    assert.deepEqual(values.extraVolumes, [{ name: 'azure-config', configMap: { name: 'external-dns-azure' } }]);
    assert.deepEqual(values.extraVolumeMounts, [{ mountPath: '/etc/kubernetes', name: 'azure-config', readOnly: true }]);
    assert.deepEqual(values.serviceAccount, { create: true, name: 'external-dns', annotations: { 'azure.workload.identity/client-id': EXTERNAL_DNS_CLIENT_ID } });
    assert.deepEqual(values.podLabels, { 'azure.workload.identity/use': 'true' });
    assert.equal(values.txtOwnerId, 'kit-dev');
    assert.equal(JSON.stringify(values).includes('zone-id-filter'), false);
  });

  it('external-dns: the external-dns-azure ConfigMap\'s azure.json holds the tenant placeholder, subscription, DNS resource group and workload identity, no secret', () => {
    const configMap = find(objects, 'ConfigMap', 'external-dns-azure');
    assert.equal(configMap.metadata.namespace, 'external-dns');
    assert.deepEqual(Object.keys(configMap.data), ['azure.json']);
    assert.deepEqual(JSON.parse(configMap.data['azure.json']), { tenantId: TENANT, subscriptionId: SUB, resourceGroup: 'rg-dns', useWorkloadIdentityExtension: true });
  });

  it('WorkloadIdentity.of(app): DNS Zone Contributor on the zone and Reader on its group for external-dns; Storage Blob Data Contributor on the storage account for Velero', () => {
    const requests = WorkloadIdentity.of(app).map(({ request: r }) => ({
      cloud: r.cloud, sa: `${r.serviceAccount.namespace}/${r.serviceAccount.name}`, createdBy: r.createdBy?.node.path, roles: r.azureRoles, clientIdValue: r.clientIdValue, awsPolicy: r.awsPolicy,
    }));
    assert.deepEqual(requests, [
      {
        cloud: 'azure', sa: 'external-dns/external-dns', createdBy: 'addons/ExternalDns/Release', clientIdValue: 'KIT_IDENTITY_EXTERNAL_DNS_EXTERNAL_DNS_CLIENT_ID', awsPolicy: undefined,
        roles: [
          { roleDefinitionId: 'befefa01-2a29-4197-83a8-272ff33ce314', scope: `/subscriptions/${SUB}/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/dev.platform.acme.dev` },
          { roleDefinitionId: 'acdd72a7-3385-48ef-bd42-f606fba81ae7', scope: `/subscriptions/${SUB}/resourceGroups/rg-dns` },
        ],
      },
      {
        cloud: 'azure', sa: 'velero/velero-server', createdBy: 'addons/Velero/Release', clientIdValue: 'KIT_IDENTITY_VELERO_VELERO_SERVER_CLIENT_ID', awsPolicy: undefined,
        roles: [
          { roleDefinitionId: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe', scope: `/subscriptions/${SUB}/resourceGroups/rg-kit-dev/providers/Microsoft.Storage/storageAccounts/kitdevbackups` },
        ],
      },
    ]);
  });

  it('every capability its objects need is provided, without declaring dns-automation', async () => {
    const plan = planGitOps(app, gitopsOptionsOf(env));
    const report = await validateManifests(validationInputsOf(plan), { cluster: environmentCapabilities(env, { gitopsOutput: true }) });
    assert.deepEqual(report.errors.filter((f) => f.ruleId === CAPABILITY_RULE_ID).map((f) => `${f.object}: ${f.message}`), []);
  });
});

describe('metrics-server', () => {
  const releases = (env: Environment) => objectsOf(env).filter((o) => o.kind === 'HelmRelease').map((o) => o.metadata?.name);

  it('dev (AKS) installs no metrics-server HelmRelease, with or without the add-ons (AKS runs one); staging (EKS) installs it', () => {
    assert.equal(releases(loadEnvironment('dev')).includes('metrics-server'), false);
    assert.equal(releases(withAddons()).includes('metrics-server'), false);
    assert.equal(releases(loadEnvironment('staging')).includes('metrics-server'), true);
  });
});

describe('cluster values in GitOps mode', () => {
  const env = withAddons((s) => { s.deploy = { mode: 'gitops', url: 'https://github.com/my-org/gitops.git' }; });
  const plan = planGitOps(buildApp(env), gitopsOptionsOf(env));
  const kustomizations = plan.flux.objects.map((o) => o.object).filter((o) => o.kind === 'Kustomization') as any[];

  it('the Kustomization of the chart holding the placeholders (platform-addons) substitutes each KIT_ name with ${KIT_…}; every other has no postBuild', () => {
    assert.ok(kustomizations.length > 1, 'a Kustomization per chart');
    const substituting = kustomizations.filter((k) => k.spec.postBuild !== undefined);
    assert.deepEqual(substituting.map((k) => k.metadata.name), ['platform-addons']);
    assert.deepEqual(substituting[0].spec.postBuild, {
      substitute: Object.fromEntries(CLUSTER_VALUES.map((name) => [name, `\${${name}}`])),
    });
    for (const k of kustomizations.filter((x) => x.metadata.name !== 'platform-addons')) assert.equal('postBuild' in k.spec, false, k.metadata.name);
  });

  it('clusterValuesOf(plan) lists the KIT_ names, sorted', () => {
    assert.deepEqual(clusterValuesOf(plan), CLUSTER_VALUES);
  });

  it('buildBootstrap(env, {}, clusterValuesOf(plan)) puts them into the root sync Kustomization\'s postBuild.substitute, for pulumi up to fill in', () => {
    const objects = renderedObjects(renderApp(buildBootstrap(env, {}, clusterValuesOf(plan)))).map((r) => r.object) as any[];
    const syncs = objects.filter((o) => o.kind === 'Kustomization');
    assert.equal(syncs.length, 1);
    assert.equal(syncs[0].spec.path.endsWith('/flux'), true, syncs[0].spec.path);
    assert.deepEqual(syncs[0].spec.postBuild, { substitute: Object.fromEntries(CLUSTER_VALUES.map((name) => [name, `\${${name}}`])) });
  });

  it('a bootstrap with no cluster values has no postBuild', () => {
    const sync = renderedObjects(renderApp(buildBootstrap(env))).map((r) => r.object).find((o) => o.kind === 'Kustomization') as any;
    assert.equal('postBuild' in sync.spec, false);
  });
});

describe('capabilities AKS lacks', () => {
  /** `Kind/namespace/name: capability: fix` of every capability error in the environment's GitOps output and `extra`. */
  async function unmet(env: Environment, extra: ManifestObject[] = []): Promise<string[]> {
    const plan = planGitOps(buildApp(env), gitopsOptionsOf(env));
    const inputs = [...validationInputsOf(plan), ...extra.map((object) => ({ object }))];
    const report = await validateManifests(inputs, { cluster: environmentCapabilities(env, { gitopsOutput: true }) });
    return report.errors.filter((f) => f.ruleId === CAPABILITY_RULE_ID).map((f) => `${f.object}: ${f.message.split(' ')[1]}: ${f.fix}`);
  }

  it('velero: a backup Schedule with no cluster.addons.velero on AKS names cluster.addons.velero.storageAccount', async () => {
    const env = withAddons((s) => { delete s.cluster.addons.velero; });
    assert.deepEqual(await unmet(env), [
      'Schedule/velero/nightly: velero: set k8s-platform-kit:cluster.addons.velero.storageAccount (the stack creates the storage account) in Pulumi.dev.yaml',
    ]);
  });

  it('aws-load-balancer-controller: a Service with AWS load balancer annotations on AKS is told to drop them', async () => {
    const service: ManifestObject = {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'edge', namespace: 'todo', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' } },
      spec: { type: 'LoadBalancer', selector: { app: 'edge' }, ports: [{ port: 443, targetPort: 8443 }] },
    };
    assert.deepEqual(await unmet(loadEnvironment('dev'), [service]), [
      'Service/todo/edge: aws-load-balancer-controller: nothing on AKS: its load balancer is the cloud provider\'s own (type LoadBalancer Services); drop the AWS annotations',
    ]);
  });

  it('nvidia-gpu: a Job requesting nvidia.com/gpu on AKS is told the stack sets up no GPU pools, or to declare the capability', async () => {
    const job: ManifestObject = {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'train', namespace: 'ml' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'train', image: 'ghcr.io/acme/train:1.0.0', resources: { limits: { 'nvidia.com/gpu': '1' } } }] } } },
    };
    assert.deepEqual(await unmet(loadEnvironment('dev'), [job]), [
      'Job/ml/train: nvidia-gpu: AKS GPU pools are not set up by this stack (no NVIDIA device plugin); or, if the cluster has it from outside the kit, add nvidia-gpu to k8s-platform-kit:cluster.capabilities',
    ]);
  });
});
