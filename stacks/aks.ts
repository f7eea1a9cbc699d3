/**
 * AksCluster: an AKS cluster as an environment's config describes it: a resource group,
 * a virtual network, a ManagedCluster with Entra ID and Azure RBAC (local accounts off),
 * workload identity and the OIDC issuer, a network policy engine, Azure Monitor for
 * containers, an auto-upgrade channel with a maintenance window, and one agent pool
 * resource per user pool.
 */
import * as azure from '@pulumi/azure-native';
import * as pulumi from '@pulumi/pulumi';
import { ipv4At, type AzureCluster, type AzureNodePool } from '../constructs/environment/index.js';
import { POOL_LABEL } from './_cluster.js';

/** Arguments of {@link AksCluster}. */
export interface AksClusterArgs {
  readonly cluster: AzureCluster;
  readonly region: string;
}

/** The built-in role "Azure Kubernetes Service RBAC Cluster Admin". */
export const AKS_RBAC_CLUSTER_ADMIN_ROLE = 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b';

/** An AKS cluster, its network, monitoring and node pools. */
export class AksCluster extends pulumi.ComponentResource {
  public readonly resourceGroup: azure.resources.ResourceGroup;
  public readonly subnet: azure.network.Subnet;
  public readonly workspace: azure.operationalinsights.Workspace;
  public readonly cluster: azure.containerservice.ManagedCluster;
  /** The pools created as their own AgentPool resources (every pool but the cluster's primary system pool). */
  public readonly agentPools: Record<string, azure.containerservice.AgentPool> = {};
  /** The name of the system pool created with the cluster. */
  public readonly primaryPool: string;
  /** A kubeconfig for Entra ID users (through kubelogin), as a secret. */
  public readonly kubeconfig: pulumi.Output<string>;

  constructor(name: string, args: AksClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('k8s-platform-kit:azure:AksCluster', name, {}, opts);
    const { cluster: config, region } = args;
    const child = { parent: this };

    this.resourceGroup = new azure.resources.ResourceGroup(`${name}-rg`, { resourceGroupName: `rg-${config.name}`, location: region }, child);
    const resourceGroupName = this.resourceGroup.name;
    const vnet = new azure.network.VirtualNetwork(`${name}-vnet`, {
      resourceGroupName,
      location: region,
      virtualNetworkName: `vnet-${config.name}`,
      addressSpace: { addressPrefixes: [config.vnetCidr] },
    }, { parent: this, ignoreChanges: ['subnets'] });
    this.subnet = new azure.network.Subnet(`${name}-nodes`, {
      resourceGroupName,
      virtualNetworkName: vnet.name,
      subnetName: 'nodes',
      addressPrefix: config.subnetCidr,
    }, child);
    this.workspace = new azure.operationalinsights.Workspace(`${name}-logs`, {
      resourceGroupName,
      location: region,
      workspaceName: `log-${config.name}`,
      sku: { name: 'PerGB2018' },
      retentionInDays: config.logRetentionDays,
    }, child);

    const primary = config.nodePools.find((pool) => pool.mode === 'system') as AzureNodePool;
    this.primaryPool = primary.name;
    const { apiServer } = config;
    this.cluster = new azure.containerservice.ManagedCluster(`${name}-cluster`, {
      resourceGroupName,
      location: region,
      resourceName: config.name,
      dnsPrefix: config.name,
      kubernetesVersion: config.version,
      sku: { name: 'Base', tier: config.tier },
      identity: { type: 'SystemAssigned' },
      agentPoolProfiles: [{ name: primary.name, ...this.poolSettings(config, primary) }],
      aadProfile: { managed: true, enableAzureRBAC: true, adminGroupObjectIDs: config.adminGroupObjectIds },
      disableLocalAccounts: true,
      oidcIssuerProfile: { enabled: true },
      securityProfile: { workloadIdentity: { enabled: true } },
      networkProfile: {
        networkPlugin: 'azure',
        networkPluginMode: 'overlay',
        networkPolicy: config.networkPolicy,
        networkDataplane: config.networkPolicy === 'cilium' ? 'cilium' : 'azure',
        podCidr: config.podCidr,
        serviceCidr: config.serviceCidr,
        // The tenth address of the service range, where AKS puts CoreDNS by convention.
        dnsServiceIP: ipv4At(config.serviceCidr, 10),
        loadBalancerSku: 'standard',
        outboundType: 'loadBalancer',
      },
      addonProfiles: {
        // Azure Monitor for containers.
        omsagent: { enabled: true, config: { logAnalyticsWorkspaceResourceID: this.workspace.id, useAADAuth: 'true' } },
      },
      autoUpgradeProfile: { upgradeChannel: config.upgradeChannel, nodeOSUpgradeChannel: 'NodeImage' },
      apiServerAccessProfile: {
        enablePrivateCluster: apiServer.private,
        ...(!apiServer.private && apiServer.authorizedIpRanges.length > 0 && { authorizedIPRanges: apiServer.authorizedIpRanges }),
      },
    }, child);

    const window = config.maintenanceWindow;
    for (const configName of ['aksManagedAutoUpgradeSchedule', 'aksManagedNodeOSUpgradeSchedule']) {
      new azure.containerservice.MaintenanceConfiguration(`${name}-${configName}`, {
        resourceGroupName,
        resourceName: this.cluster.name,
        configName,
        maintenanceWindow: {
          schedule: { weekly: { dayOfWeek: window.day, intervalWeeks: 1 } },
          durationHours: window.durationHours,
          startTime: `${String(window.startHour).padStart(2, '0')}:00`,
          utcOffset: '+00:00',
        },
      }, child);
    }

    // Every other pool is its own resource, named by its pool: adding or removing one
    // leaves the others untouched (the blue/green node-pool upgrade relies on it).
    for (const pool of config.nodePools) {
      if (pool === primary) continue;
      this.agentPools[pool.name] = new azure.containerservice.AgentPool(`${name}-${pool.name}`, {
        resourceGroupName,
        resourceName: this.cluster.name,
        agentPoolName: pool.name,
        ...this.poolSettings(config, pool),
      }, { parent: this, ...(pool.autoscale && { ignoreChanges: ['count'] }) });
    }

    const subscriptionId = this.cluster.id.apply((id) => id.split('/')[2] ?? '');
    config.adminGroupObjectIds.forEach((groupId, i) => {
      new azure.authorization.RoleAssignment(`${name}-admin-${i}`, {
        principalId: groupId,
        principalType: 'Group',
        roleDefinitionId: pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${AKS_RBAC_CLUSTER_ADMIN_ROLE}`,
        scope: this.cluster.id,
      }, child);
    });

    const credentials = azure.containerservice.listManagedClusterUserCredentialsOutput({
      resourceGroupName,
      resourceName: this.cluster.name,
      format: 'exec',
    }, child);
    this.kubeconfig = pulumi.secret(credentials.kubeconfigs.apply((configs) =>
      Buffer.from(configs[0]?.value ?? '', 'base64').toString('utf8')));
    this.registerOutputs({ clusterName: this.cluster.name, kubeconfig: this.kubeconfig });
  }

  /** The settings a pool has whether it is the cluster's profile or its own AgentPool. */
  private poolSettings(config: AzureCluster, pool: AzureNodePool) {
    const zones = pool.zones ?? config.zones;
    return {
      mode: pool.mode === 'system' ? 'System' : 'User',
      type: 'VirtualMachineScaleSets',
      osType: 'Linux',
      osSKU: 'AzureLinux',
      vmSize: pool.vmSize,
      orchestratorVersion: pool.version ?? config.version,
      count: pool.desired,
      enableAutoScaling: pool.autoscale,
      ...(pool.autoscale && { minCount: pool.min, maxCount: pool.max }),
      maxPods: pool.maxPods,
      osDiskSizeGB: pool.osDiskSizeGiB,
      vnetSubnetID: this.subnet.id,
      ...(zones.length > 0 && { availabilityZones: [...zones] }),
      nodeLabels: { ...pool.labels, [POOL_LABEL]: pool.name },
      nodeTaints: pool.taints.map((t) => `${t.key}${t.value === undefined ? '' : `=${t.value}`}:${t.effect}`),
      upgradeSettings: { maxSurge: '33%' },
    };
  }
}
