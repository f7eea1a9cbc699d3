/**
 * The AKS environment's controllers: external-dns and Velero with workload identity (their
 * values, the objects they come with, the identities they ask for), no second
 * metrics-server, the cluster values reaching Flux in GitOps mode, and a test per
 * capability AKS lacks, each naming what provides it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildApp } from '../../charts/app.js';
import { buildBootstrap, gitopsOptionsOf } from '../../charts/bootstrap.js';
import { APPS_SCHEMA, loadEnvironment, type Environment } from '../../charts/environment.js';
import { CAPABILITY_RULE_ID, collectObjects, validateManifests, type ManifestObject } from '../../constructs/index.js';
import { environmentCapabilities, parseEnvironment, readStackConfig } from '../../constructs/environment/index.js';
import { clusterValuesOf, planGitOps, renderApp, renderedObjects } from '../../constructs/gitops/index.js';
import { WorkloadIdentity } from '../../constructs/platform/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Config = Record<string, any>;

const SUB = '00000000-0000-4000-8000-000000000000';

function environment(name: string, edit: (settings: Config) => void): Environment {
  const config = structuredClone(readStackConfig(`Pulumi.${name}.yaml`)) as Config;
  const settings: Config = {};
  for (const [key, value] of Object.entries(config)) settings[key.replace(/^k8s-platform-kit:/, '')] = value;
  edit(settings);
  const namespaced = Object.fromEntries(Object.entries(settings).map(([key, value]) => [`k8s-platform-kit:${key}`, value]));
  return parseEnvironment(name, namespaced, { apps: APPS_SCHEMA, source: `Pulumi.${name}.yaml` });
}

/** dev with Velero (and nightly backups) and external-dns on an Azure DNS zone. */
const withAddons = (edit: (settings: Config) => void = () => {}) => environment('dev', (s) => {
  s.cluster.addons = { velero: { storageAccount: 'kitdevbackups' }, externalDns: { zone: 'dev.platform.acme.dev', resourceGroup: 'rg-dns' } };
  s.cluster.capabilities = [];
  s.platform.backups = { schedule: '0 3 * * *', retention: '168h', namespaces: ['todo'] };
  edit(s);
});

const objectsOf = (env: Environment) => collectObjects(buildApp(env).charts).map((i) => i.object);
const find = (objects: ManifestObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata?.name === name) as any;

describe('dev (AKS) with Velero and external-dns', () => {
  const env = withAddons();
  const app = buildApp(env);
  const objects = collectObjects(app.charts).map((i) => i.object);

  it('Velero: the Azure plugin, a ServiceAccount annotated with its identity\'s client id, the workload identity pod label, no AWS plugin', () => {
    const values = find(objects, 'HelmRelease', 'velero').spec.values;
    assert.deepEqual(values.initContainers.map((c: { image: string }) => c.image), ['docker.io/velero/velero-plugin-for-microsoft-azure:v1.14.2']);
    assert.equal(JSON.stringify(values).includes('velero-plugin-for-aws'), false);
    assert.deepEqual(values.serviceAccount.server.annotations, { 'azure.workload.identity/client-id': '${KIT_IDENTITY_VELERO_VELERO_SERVER_CLIENT_ID}' });
    assert.equal(values.podLabels['azure.workload.identity/use'], 'true');
  });

  it('Velero: the default BackupStorageLocation writes to the blob container through Entra ID, and no VolumeSnapshotLocation', () => {
    const location = find(objects, 'BackupStorageLocation', 'default');
    assert.equal(location.spec.provider, 'azure');
    assert.equal(location.spec.objectStorage.bucket, 'velero');
    assert.deepEqual(location.spec.config, {
      subscriptionId: SUB, resourceGroup: 'rg-kit-dev', storageAccount: 'kitdevbackups',
      storageAccountURI: 'https://kitdevbackups.blob.core.windows.net/', useAAD: 'true',
    });
    assert.equal(objects.some((o) => o.kind === 'VolumeSnapshotLocation'), false);
  });

  it('external-dns: the azure provider on the one zone, azure.json with the tenant placeholder and no secret, the identity\'s client id', () => {
    const values = find(objects, 'HelmRelease', 'external-dns').spec.values;
    assert.equal(values.provider.name, 'azure');
    assert.deepEqual(values.extraArgs, { 'zone-name-filter': 'dev.platform.acme.dev' });
    assert.deepEqual(values.domainFilters, ['dev.platform.acme.dev']);
    assert.deepEqual(values.extraVolumeMounts, [{ mountPath: '/etc/kubernetes', name: 'azure-config', readOnly: true }]);
    assert.deepEqual(values.serviceAccount.annotations, { 'azure.workload.identity/client-id': '${KIT_IDENTITY_EXTERNAL_DNS_EXTERNAL_DNS_CLIENT_ID}' });
    const config = JSON.parse(find(objects, 'ConfigMap', 'external-dns-azure').data['azure.json']);
    assert.deepEqual(config, { tenantId: '${KIT_AZURE_TENANT_ID}', subscriptionId: SUB, resourceGroup: 'rg-dns', useWorkloadIdentityExtension: true });
  });

  it('asks for two identities: Storage Blob Data Contributor on the storage account; DNS Zone Contributor on the zone and Reader on its group', () => {
    const requests = WorkloadIdentity.of(app).map((w) => ({ sa: `${w.request.serviceAccount.namespace}/${w.request.serviceAccount.name}`, roles: w.request.azureRoles }));
    assert.deepEqual(requests, [
      { sa: 'external-dns/external-dns', roles: [
        { roleDefinitionId: 'befefa01-2a29-4197-83a8-272ff33ce314', scope: `/subscriptions/${SUB}/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/dev.platform.acme.dev` },
        { roleDefinitionId: 'acdd72a7-3385-48ef-bd42-f606fba81ae7', scope: `/subscriptions/${SUB}/resourceGroups/rg-dns` },
      ] },
      { sa: 'velero/velero-server', roles: [
        { roleDefinitionId: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe', scope: `/subscriptions/${SUB}/resourceGroups/rg-kit-dev/providers/Microsoft.Storage/storageAccounts/kitdevbackups` },
      ] },
    ]);
  });

  it('every capability its objects need is provided, without declaring dns-automation', async () => {
    const plan = planGitOps(app, gitopsOptionsOf(env));
    const report = await validateManifests(renderedObjects(plan.rendered).map((r) => ({ object: r.object })), { cluster: environmentCapabilities(env, { gitopsOutput: true }) });
    assert.deepEqual(report.errors.filter((f) => f.ruleId === CAPABILITY_RULE_ID).map((f) => `${f.object}: ${f.message}`), []);
  });
});

describe('metrics-server', () => {
  it('dev (AKS) installs none, since AKS runs one; staging (EKS) installs it', () => {
    const releases = (env: Environment) => objectsOf(env).filter((o) => o.kind === 'HelmRelease').map((o) => o.metadata?.name);
    assert.equal(releases(loadEnvironment('dev')).includes('metrics-server'), false);
    assert.equal(releases(loadEnvironment('staging')).includes('metrics-server'), true);
  });
});

describe('cluster values in GitOps mode', () => {
  const env = withAddons((s) => { s.deploy = { mode: 'gitops', url: 'https://github.com/my-org/gitops.git' }; });
  const plan = planGitOps(buildApp(env), gitopsOptionsOf(env));
  const kustomizations = plan.flux.objects.map((o) => o.object).filter((o) => o.kind === 'Kustomization') as any[];

  it('the Kustomization of the chart holding placeholders substitutes each, the others substitute nothing', () => {
    const substituting = kustomizations.filter((k) => k.spec.postBuild);
    assert.deepEqual(substituting.map((k) => k.metadata.name), ['platform-addons']);
    assert.deepEqual(substituting[0].spec.postBuild, { substitute: {
      KIT_AZURE_TENANT_ID: '${KIT_AZURE_TENANT_ID}',
      KIT_IDENTITY_EXTERNAL_DNS_EXTERNAL_DNS_CLIENT_ID: '${KIT_IDENTITY_EXTERNAL_DNS_EXTERNAL_DNS_CLIENT_ID}',
      KIT_IDENTITY_VELERO_VELERO_SERVER_CLIENT_ID: '${KIT_IDENTITY_VELERO_VELERO_SERVER_CLIENT_ID}',
    } });
  });

  it('clusterValuesOf lists them, and the bootstrap sync carries them for pulumi up to fill in', () => {
    const values = clusterValuesOf(plan);
    assert.deepEqual(values, ['KIT_AZURE_TENANT_ID', 'KIT_IDENTITY_EXTERNAL_DNS_EXTERNAL_DNS_CLIENT_ID', 'KIT_IDENTITY_VELERO_VELERO_SERVER_CLIENT_ID']);
    const sync = renderedObjects(renderApp(buildBootstrap(env, {}, values))).map((r) => r.object).find((o) => o.kind === 'Kustomization') as any;
    assert.deepEqual(Object.keys(sync.spec.postBuild.substitute), values);
    assert.equal(sync.spec.postBuild.substitute.KIT_AZURE_TENANT_ID, '${KIT_AZURE_TENANT_ID}');
  });
});

describe('capabilities AKS lacks', () => {
  async function unmet(env: Environment, extra: ManifestObject[] = []): Promise<string[]> {
    const objects = [...collectObjects(buildApp(env).charts), ...extra.map((object) => ({ object }))];
    const report = await validateManifests(objects, { cluster: environmentCapabilities(env, { gitopsOutput: true }) });
    return report.errors.filter((f) => f.ruleId === CAPABILITY_RULE_ID).map((f) => `${f.object}: ${f.fix}`);
  }

  it('velero: backups without cluster.addons.velero name the storage account key', async () => {
    const env = withAddons((s) => { delete s.cluster.addons.velero; });
    assert.deepEqual(await unmet(env), [
      'Schedule/velero/nightly: set k8s-platform-kit:cluster.addons.velero.storageAccount (the stack creates the storage account) in Pulumi.dev.yaml',
    ]);
  });

  it('aws-load-balancer-controller: an NLB Service on AKS is told to drop the AWS annotations', async () => {
    const service: ManifestObject = {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'edge', namespace: 'todo', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' } },
      spec: { type: 'LoadBalancer', selector: { app: 'edge' }, ports: [{ port: 443, targetPort: 8443 }] },
    };
    assert.deepEqual(await unmet(loadEnvironment('dev'), [service]), [
      'Service/todo/edge: nothing on AKS: its load balancer is the cloud provider\'s own (type LoadBalancer Services); drop the AWS annotations',
    ]);
  });

  it('nvidia-gpu: a GPU Job on AKS is told the stack sets up no GPU pools', async () => {
    const job: ManifestObject = {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'train', namespace: 'ml' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'train', image: 'ghcr.io/acme/train:1.0.0', resources: { limits: { 'nvidia.com/gpu': '1' } } }] } } },
    };
    assert.deepEqual(await unmet(loadEnvironment('dev'), [job]), [
      'Job/ml/train: AKS GPU pools are not set up by this stack (no NVIDIA device plugin); or, if the cluster has it from outside the kit, add nvidia-gpu to k8s-platform-kit:cluster.capabilities',
    ]);
  });
});
