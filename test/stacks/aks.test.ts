/**
 * The dev environment (AKS) built with Pulumi mocks: network, monitoring, the hardened
 * ManagedCluster, pools, maintenance window, admin RBAC, and the apps deployed directly.
 */
import * as pulumi from '@pulumi/pulumi';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { one, ofType, reset, settled, TEST_KUBECONFIG, valueOf } from './_mocks.js';
import { loadEnvironment } from '../../charts/environment.js';
import { platformStack } from '../../stacks/program.js';
import { AKS_RBAC_CLUSTER_ADMIN_ROLE, type AksCluster } from '../../stacks/aks.js';

const MANAGED_CLUSTER = 'azure-native:containerservice:ManagedCluster';
const AGENT_POOL = 'azure-native:containerservice:AgentPool';

describe('dev (AKS)', () => {
  let aks: AksCluster;
  before(async () => {
    reset();
    aks = (await platformStack(loadEnvironment('dev'))).cluster as AksCluster;
    await settled();
  });

  it('creates the resource group, virtual network, node subnet and Log Analytics workspace in the region', () => {
    assert.deepEqual(one('azure-native:resources:ResourceGroup', 'dev-rg').inputs, {
      resourceGroupName: 'rg-kit-dev', location: 'westeurope', tags: { 'k8s-platform-kit.dev_environment': 'dev', 'k8s-platform-kit.dev_tier': 'dev' },
    });
    assert.deepEqual(one('azure-native:network:VirtualNetwork', 'dev-vnet').inputs.addressSpace, { addressPrefixes: ['10.20.0.0/16'] });
    assert.equal(one('azure-native:network:Subnet', 'dev-nodes').inputs.addressPrefix, '10.20.0.0/20');
    assert.equal(one('azure-native:operationalinsights:Workspace', 'dev-logs').inputs.retentionInDays, 30);
  });

  it('builds a ManagedCluster with Entra ID, Azure RBAC, no local accounts, workload identity, the OIDC issuer and Image Cleaner', () => {
    const cluster = one(MANAGED_CLUSTER, 'dev-cluster').inputs;
    assert.equal(cluster.resourceName, 'kit-dev');
    assert.equal(cluster.kubernetesVersion, '1.34');
    assert.deepEqual(cluster.aadProfile, { managed: true, enableAzureRBAC: true, adminGroupObjectIDs: ['6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f'] });
    assert.equal(cluster.disableLocalAccounts, true);
    assert.deepEqual(cluster.oidcIssuerProfile, { enabled: true });
    assert.deepEqual(cluster.securityProfile, { workloadIdentity: { enabled: true }, imageCleaner: { enabled: true, intervalHours: 168 } });
  });

  it('enables the Azure Policy and Key Vault secrets provider add-ons, and sends control-plane logs and Container Insights to the workspace', () => {
    const cluster = one(MANAGED_CLUSTER, 'dev-cluster').inputs;
    assert.deepEqual(cluster.addonProfiles.azurepolicy, { enabled: true });
    assert.deepEqual(cluster.addonProfiles.azureKeyvaultSecretsProvider, { enabled: true, config: { enableSecretRotation: 'true', rotationPollInterval: '2m' } });
    const diagnostics = one('azure-native:monitor:DiagnosticSetting', 'dev-monitoring-control-plane-logs').inputs;
    const clusterId = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/kit-dev';
    assert.equal(diagnostics.resourceUri, clusterId);
    assert.equal(diagnostics.workspaceId, 'dev-logs-id');
    assert.deepEqual(diagnostics.logs.map((l: { category: string }) => l.category), ['kube-audit-admin', 'guard', 'kube-apiserver']);
    const association = one('azure-native:monitor:DataCollectionRuleAssociation', 'dev-monitoring-container-insights').inputs;
    assert.equal(association.associationName, 'ContainerInsightsExtension');
    assert.equal(association.resourceUri, clusterId);
    assert.deepEqual(ofType('azure-native:monitor:ScheduledQueryRule').map((r) => r.inputs.ruleName).sort(), ['kit-dev-container-restarts', 'kit-dev-oom-killed']);
  });

  it('guards the autoscaled inline system pool\'s count against the next pulumi up', () => {
    assert.deepEqual(one(MANAGED_CLUSTER, 'dev-cluster').ignoreChanges, ['agentPoolProfiles[0].count']);
  });

  it('enables a network policy engine, Azure Monitor for containers and an auto-upgrade channel', () => {
    const cluster = one(MANAGED_CLUSTER, 'dev-cluster').inputs;
    assert.equal(cluster.networkProfile.networkPolicy, 'cilium');
    assert.equal(cluster.networkProfile.networkDataplane, 'cilium');
    assert.equal(cluster.networkProfile.networkPluginMode, 'overlay');
    assert.equal(cluster.networkProfile.dnsServiceIP, '172.16.0.10');
    assert.equal(cluster.addonProfiles.omsagent.enabled, true);
    assert.equal(cluster.addonProfiles.omsagent.config.logAnalyticsWorkspaceResourceID, 'dev-logs-id');
    assert.deepEqual(cluster.autoUpgradeProfile, { upgradeChannel: 'patch', nodeOSUpgradeChannel: 'NodeImage' });
    const windows = ofType('azure-native:containerservice:MaintenanceConfiguration');
    assert.deepEqual(windows.map((w) => w.inputs.configName).sort(), ['aksManagedAutoUpgradeSchedule', 'aksManagedNodeOSUpgradeSchedule']);
    assert.deepEqual(windows[0]!.inputs.maintenanceWindow, {
      schedule: { weekly: { dayOfWeek: 'Sunday', intervalWeeks: 1 } },
      durationHours: 4,
      startTime: '02:00',
      utcOffset: '+00:00',
    });
  });

  it('puts the system pool in the cluster and the user pool in its own AgentPool, without zones in dev', () => {
    const [system] = one(MANAGED_CLUSTER, 'dev-cluster').inputs.agentPoolProfiles;
    assert.equal(system.name, 'system');
    assert.equal(system.mode, 'System');
    assert.equal(system.vmSize, 'Standard_D2s_v5');
    assert.deepEqual(system.nodeTaints, ['CriticalAddonsOnly=true:NoSchedule']);
    assert.equal(system.availabilityZones, undefined);
    assert.deepEqual(ofType(AGENT_POOL).map((p) => p.name), ['dev-apps']);
    const apps = one(AGENT_POOL, 'dev-apps').inputs;
    assert.equal(apps.agentPoolName, 'apps');
    assert.equal(apps.mode, 'User');
    assert.equal(apps.orchestratorVersion, '1.34');
    assert.deepEqual([apps.count, apps.minCount, apps.maxCount, apps.enableAutoScaling], [2, 1, 4, true]);
    assert.equal(apps.maxPods, 110);
    assert.deepEqual(apps.nodeLabels, { workload: 'apps', 'k8s-platform-kit.dev/pool': 'apps' });
    assert.equal(apps.vnetSubnetID, 'dev-nodes-id');
  });

  it('grants the admin group the AKS RBAC Cluster Admin role on the cluster', () => {
    const assignment = one('azure-native:authorization:RoleAssignment', 'dev-admin-0').inputs;
    assert.equal(assignment.principalId, '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f');
    assert.equal(assignment.principalType, 'Group');
    assert.equal(assignment.roleDefinitionId, `/subscriptions/00000000-0000-4000-8000-000000000000/providers/Microsoft.Authorization/roleDefinitions/${AKS_RBAC_CLUSTER_ADMIN_ROLE}`);
  });

  it('outputs the user kubeconfig as a secret', async () => {
    assert.equal(await pulumi.isSecret(aks.kubeconfig), true);
    assert.equal(await valueOf(aks.kubeconfig), TEST_KUBECONFIG);
  });

  it('deploys the validated apps directly, through a Kubernetes provider made from the kubeconfig, without a metrics-server of its own', () => {
    const provider = one('pulumi:providers:kubernetes', 'dev-k8s');
    assert.equal(provider.inputs.kubeconfig.value, TEST_KUBECONFIG, 'the kubeconfig reaches the provider still marked secret');
    const group = one('kubernetes:yaml/v2:ConfigGroup', 'dev-apps');
    const kinds = new Set(group.inputs.objs.map((o: { kind: string }) => o.kind));
    for (const kind of ['Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy', 'Gateway', 'HTTPRoute', 'Certificate', 'PrometheusRule']) assert.ok(kinds.has(kind), kind);
    assert.equal(kinds.has('HelmRelease') || kinds.has('HelmRepository'), false, 'Flux objects become Helm releases');
    const todoapi = group.inputs.objs.find((o: { kind: string; metadata: { name: string } }) => o.kind === 'Deployment' && o.metadata.name === 'todoapi');
    assert.equal(todoapi.spec.replicas, 4);
    assert.equal(todoapi.metadata.namespace, 'todo');
    // The platform's pinned charts are Helm releases (no Flux in a direct environment), after
    // their namespaces; no metrics-server, which AKS runs itself.
    const releases = ofType('kubernetes:helm.sh/v3:Release');
    assert.deepEqual(releases.map((r) => `${r.inputs.namespace}/${r.inputs.chart}@${r.inputs.version}`).sort(), [
      'cert-manager/cert-manager@v1.21.1',
      'envoy-gateway-system/oci://docker.io/envoyproxy/gateway-helm@v1.9.0',
      'monitoring/kube-prometheus-stack@88.5.3',
    ]);
    const namespaces = one('kubernetes:yaml/v2:ConfigGroup', 'dev-apps-namespaces');
    const released = new Set(releases.map((r) => r.inputs.namespace));
    assert.ok([...released].every((ns) => namespaces.inputs.objs.some((o: { metadata: { name: string } }) => o.metadata.name === ns)));
  });
});
