/**
 * Workload identity and cluster values through the program, under mocks: the AKS bindings
 * (managed identity, federated credential on the cluster's issuer, roles), Velero's storage
 * account, the client ids and tenant filled into what is applied (direct), handed to Flux
 * (GitOps, the chart or the AKS extension), the stand-ins of local mode, and EKS.
 */
import * as pulumi from '@pulumi/pulumi';
import { ApiObject, App, Chart } from 'cdk8s';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { one, ofType, recorded, refOf, reset, settled, TEST_AKS_ISSUER, TEST_AZURE_CALLER, valueOf } from './_mocks.js';
import { gitopsOptionsFor } from './_gitops.js';
import { APPS_SCHEMA, loadEnvironment, type Environment } from '../../charts/environment.js';
import { parseEnvironment, readStackConfig } from '../../constructs/environment/index.js';
import { LOCAL_CLUSTER_VALUE, platformStack, type Platform } from '../../stacks/program.js';
import { localTargetOf } from '../../stacks/local.js';
import { AppDeployment } from '../../stacks/deploy.js';
import { AZURE_TENANT_ID, clusterValue } from '../../constructs/index.js';
import { renderApp, renderedObjects, validateRender } from '../../constructs/gitops/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const NS = 'k8s-platform-kit';
const STORAGE_BLOB_DATA_CONTRIBUTOR = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe';

/** dev with Velero's storage account and nightly backups of `todo`, `edit` applied. */
function devWithVelero(edit: (config: Record<string, any>) => void = () => {}): Environment {
  const config = structuredClone(readStackConfig('Pulumi.dev.yaml')) as Record<string, any>;
  config[`${NS}:cluster`].addons = { velero: { storageAccount: 'kitdevbackups' } };
  config[`${NS}:platform`].backups = { schedule: '0 3 * * *', retention: '168h', namespaces: ['todo'] };
  edit(config);
  return parseEnvironment('dev', config, { apps: APPS_SCHEMA, source: 'Pulumi.dev.yaml' });
}

async function build(env: Environment, options: Parameters<typeof platformStack>[1] = gitopsOptionsFor(env)): Promise<Platform> {
  reset();
  const platform = await platformStack(env, options);
  await settled();
  return platform;
}

const text = (value: unknown) => JSON.stringify(value);

describe('dev (AKS, direct) with Velero', () => {
  let platform: Platform;
  const ready = build(devWithVelero()).then((p) => { platform = p; });

  it('creates Velero\'s storage account: no shared keys, no public blobs, TLS 1.2, HTTPS only, protected, soft delete of 14 days', async () => {
    await ready;
    const account = one('azure-native:storage:StorageAccount', 'dev-backups-account');
    assert.equal(account.inputs.accountName, 'kitdevbackups');
    assert.equal(account.inputs.kind, 'StorageV2');
    assert.deepEqual(account.inputs.sku, { name: 'Standard_LRS' }, 'dev spans no zones');
    for (const [key, value] of Object.entries({ allowBlobPublicAccess: false, allowSharedKeyAccess: false, minimumTlsVersion: 'TLS1_2', enableHttpsTrafficOnly: true })) {
      assert.equal(account.inputs[key], value, key);
    }
    assert.equal(account.protect, true);
    assert.equal(account.inputs.tags['k8s-platform-kit.dev_environment'], 'dev');
    const service = one('azure-native:storage:BlobServiceProperties', 'dev-backups-blob-service').inputs;
    assert.deepEqual(service.deleteRetentionPolicy, { enabled: true, days: 14 });
    assert.deepEqual(service.containerDeleteRetentionPolicy, { enabled: true, days: 14 });
    const container = one('azure-native:storage:BlobContainer', 'dev-backups-container');
    assert.deepEqual([container.inputs.containerName, container.inputs.publicAccess, container.protect], ['velero', 'None', true]);
  });

  it('binds velero/velero-server: a managed identity, a federated credential on the cluster\'s issuer, Storage Blob Data Contributor on the account', async () => {
    await ready;
    const identity = one('azure-native:managedidentity:UserAssignedIdentity', 'dev-identities-velero-velero-server');
    assert.equal(identity.inputs.resourceName, 'id-kit-dev-velero-velero-server');
    const credential = ofType('azure-native:managedidentity:FederatedIdentityCredential')[0]!.inputs;
    assert.equal(credential.issuer, `${TEST_AKS_ISSUER}kit-dev/`);
    assert.equal(credential.subject, 'system:serviceaccount:velero:velero-server');
    assert.deepEqual(credential.audiences, ['api://AzureADTokenExchange']);
    const grant = ofType('azure-native:authorization:RoleAssignment').find((r) => r.parent === refOf({ type: 'k8s-platform-kit:cloud:WorkloadIdentityBindings', name: 'dev-identities' }));
    assert.equal(grant?.inputs.roleDefinitionId, `/subscriptions/${TEST_AZURE_CALLER.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${STORAGE_BLOB_DATA_CONTRIBUTOR}`);
    assert.equal(grant?.inputs.scope, `/subscriptions/${TEST_AZURE_CALLER.subscriptionId}/resourceGroups/rg-kit-dev/providers/Microsoft.Storage/storageAccounts/kitdevbackups`);
    assert.equal(grant?.inputs.principalType, 'ServicePrincipal');
    const bindings = one('k8s-platform-kit:cloud:WorkloadIdentityBindings', 'dev-identities');
    assert.equal(bindings.parent, refOf({ type: 'k8s-platform-kit:azure:AksCluster', name: 'dev' }));
    assert.deepEqual(bindings.dependsOn, [refOf({ type: 'k8s-platform-kit:azure:AksBackupStorage', name: 'dev-backups' })], 'the role waits for the account it is scoped to');
  });

  it('applies Velero with the identity\'s real client id, and no placeholder reaches the cluster', async () => {
    await ready;
    const release = ofType('kubernetes:helm.sh/v3:Release').find((r) => r.inputs.name === 'velero');
    assert.equal(release?.inputs.values.serviceAccount.server.annotations['azure.workload.identity/client-id'], 'dev-identities-velero-velero-server-client');
    const applied = text([...ofType('kubernetes:helm.sh/v3:Release').map((r) => r.inputs), ...ofType('kubernetes:yaml/v2:ConfigGroup').map((g) => g.inputs)]);
    assert.equal(applied.includes('${KIT_'), false);
  });

  it('outputs what a second stack binds its own workloads with', async () => {
    await ready;
    const { outputs } = platform;
    assert.equal(await valueOf(outputs.workloadIdentities['velero/velero-server']!.clientId!), 'dev-identities-velero-velero-server-client');
    assert.equal(await valueOf(outputs.azure!.tenantId), TEST_AZURE_CALLER.tenantId);
    assert.equal(await valueOf(outputs.azure!.resourceGroup), 'rg-kit-dev');
    assert.equal(await valueOf(outputs.azure!.oidcIssuerUrl), `${TEST_AKS_ISSUER}kit-dev/`);
    assert.equal(await valueOf(outputs.azure!.backupStorageAccount!), 'kitdevbackups');
  });
});

describe('dev (AKS) in GitOps mode', () => {
  const gitops = (bootstrap: 'flux-chart' | 'aks-extension') => devWithVelero((c) => {
    c[`${NS}:deploy`] = { mode: 'gitops', url: 'https://github.com/my-org/gitops.git', bootstrap };
    c[`${NS}:cluster`].addons.externalDns = { zone: 'dev.platform.acme.dev', resourceGroup: 'rg-dns' };
  });

  it('aks-extension: Flux through ARM, no Kubernetes provider, the sync substituting the real client ids and tenant', async () => {
    const platform = await build(gitops('aks-extension'));
    assert.equal(platform.kubernetes, undefined);
    assert.deepEqual(ofType('pulumi:providers:kubernetes'), []);
    const extension = one('azure-native:kubernetesconfiguration:Extension', 'dev-flux-extension');
    assert.equal(extension.provider, 'pulumi:providers:azure-native::dev-azure');
    const configuration = one('azure-native:kubernetesconfiguration:FluxConfiguration', 'dev-flux-configuration').inputs;
    assert.equal(configuration.gitRepository.url, 'https://github.com/my-org/gitops.git');
    assert.deepEqual(configuration.kustomizations.flux.postBuild.substitute, {
      KIT_AZURE_TENANT_ID: TEST_AZURE_CALLER.tenantId,
      KIT_IDENTITY_EXTERNAL_DNS_EXTERNAL_DNS_CLIENT_ID: 'dev-identities-external-dns-external-dns-client',
      KIT_IDENTITY_VELERO_VELERO_SERVER_CLIENT_ID: 'dev-identities-velero-velero-server-client',
    });
    assert.deepEqual(one('k8s-platform-kit:azure:AksFluxExtension', 'dev-flux').dependsOn.slice(0, 1), ['azure-native:containerservice:ManagedCluster::dev-cluster']);
  });

  it('flux-chart: Flux from its chart through the Kubernetes API, the sync Kustomization substituting the same values', async () => {
    await build(gitops('flux-chart'));
    assert.equal(ofType('pulumi:providers:kubernetes').length, 1);
    const sync = one('kubernetes:yaml/v2:ConfigGroup', 'dev-gitops-sync').inputs.objs.find((o: { kind: string }) => o.kind === 'Kustomization');
    assert.deepEqual(sync.spec.postBuild.substitute, {
      KIT_AZURE_TENANT_ID: TEST_AZURE_CALLER.tenantId,
      KIT_IDENTITY_EXTERNAL_DNS_EXTERNAL_DNS_CLIENT_ID: 'dev-identities-external-dns-external-dns-client',
      KIT_IDENTITY_VELERO_VELERO_SERVER_CLIENT_ID: 'dev-identities-velero-velero-server-client',
    });
  });
});

describe('local mode', () => {
  it('creates no cloud identity and gives every cluster value the all-zero stand-in', async () => {
    const local = localTargetOf('/tmp/e2e/kubeconfig', stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'e2e',
      clusters: [{ name: 'e2e', cluster: { server: 'https://127.0.0.1:36400' } }],
      users: [{ name: 'admin', user: { token: 'x' } }],
      contexts: [{ name: 'e2e', context: { cluster: 'e2e', user: 'admin' } }],
    }));
    await build(devWithVelero(), { local });
    assert.deepEqual(recorded.filter((r) => r.type.startsWith('azure-native:')), []);
    const objects = text(ofType('kubernetes:yaml/v2:ConfigGroup').map((g) => g.inputs));
    assert.equal(objects.includes('${KIT_'), false);
    assert.equal(LOCAL_CLUSTER_VALUE, '00000000-0000-0000-0000-000000000000');
  });
});

describe('staging (EKS)', () => {
  it('registers the bindings component with no binding (the EKS controllers bind through stacks/eks.ts), and outputs none', async () => {
    const platform = await build(loadEnvironment('staging'));
    assert.equal(one('k8s-platform-kit:cloud:WorkloadIdentityBindings', 'staging-identities').parent, 'k8s-platform-kit:aws:EksCluster::staging');
    assert.deepEqual(platform.outputs.workloadIdentities, {});
    assert.equal(platform.outputs.azure, undefined);
  });
});

describe('AppDeployment with cluster values', () => {
  async function tenantConfigMap() {
    const app = new App();
    const chart = new Chart(app, 'azure');
    new ApiObject(chart, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'azure', namespace: 'default' }, data: { tenant: clusterValue(AZURE_TENANT_ID) } });
    return validateRender(renderedObjects(renderApp(app)));
  }

  it('applies the objects with each placeholder replaced by its value', async () => {
    reset();
    const deployment = new AppDeployment('azure', { render: await tenantConfigMap(), clusterValues: { [AZURE_TENANT_ID]: pulumi.output('tenant-1') } });
    await settled();
    const objs = one('kubernetes:yaml/v2:ConfigGroup', 'azure').inputs.objs as { data: { tenant: string } }[];
    assert.equal(objs[0]?.data.tenant, 'tenant-1');
    assert.equal((deployment.objects[0] as { data?: { tenant?: string } } | undefined)?.data?.tenant, '${KIT_AZURE_TENANT_ID}', 'the validated objects themselves are not changed');
  });

  it('throws before registering anything when a placeholder has no value, naming it and what was given', async () => {
    reset();
    const render = await tenantConfigMap();
    assert.throws(() => new AppDeployment('azure', { render, clusterValues: { KIT_OTHER: 'x' } }), {
      message: "AppDeployment 'azure': the objects hold the cluster values KIT_AZURE_TENANT_ID, which clusterValues does not give (it gives: KIT_OTHER)",
    });
    await settled();
    assert.deepEqual(recorded.filter((r) => r.custom), []);
  });
});
