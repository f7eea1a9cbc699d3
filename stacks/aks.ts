/**
 * AksCluster: an AKS cluster as an environment's config describes it: a resource group,
 * a virtual network, a ManagedCluster with Entra ID and Azure RBAC (local accounts off),
 * workload identity and the OIDC issuer, a network policy engine, Azure Monitor for
 * containers, an auto-upgrade channel with a maintenance window, and one agent pool
 * resource per user pool. The control plane runs as a user-assigned (or system-assigned)
 * identity with Network Contributor on the node subnet; the identity running `pulumi up`
 * gets an AKS RBAC role and the kubeconfig it deploys with logs in without a person. The
 * Azure Policy and Key Vault secrets provider add-ons, Image Cleaner (and Defender, as an
 * option), control-plane diagnostic settings, Container Insights' data collection rule,
 * container alerts (`_aks-monitoring.ts`) and Velero's storage (`_aks-backups.ts`) come with it.
 */
import * as azure from '@pulumi/azure-native';
import * as pulumi from '@pulumi/pulumi';
import { createHash } from 'node:crypto';
import { aksResourceGroupName, ipv4At, type AzureCluster, type AzureNodePool } from '../constructs/environment/index.js';
import { POOL_LABEL } from './_cluster.js';
import { convertKubeconfig } from './_aks-login.js';
import { AksBackupStorage } from './_aks-backups.js';
import { aksAddonProfiles, aksSecurityProfile, AksMonitoring, systemPoolGuard } from './_aks-monitoring.js';

/** Arguments of {@link AksCluster}. */
export interface AksClusterArgs {
  /** The cluster's settings (`k8s-platform-kit:cluster`), defaults applied. */
  readonly cluster: AzureCluster;
  /** The Azure region every resource is created in. */
  readonly region: string;
  /** The tags of every resource that takes tags (see `environmentTags`). */
  readonly tags: Record<string, string>;
}

/** The built-in role "Azure Kubernetes Service RBAC Cluster Admin". */
export const AKS_RBAC_CLUSTER_ADMIN_ROLE = 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b';
/** The built-in role "Azure Kubernetes Service RBAC Admin". */
export const AKS_RBAC_ADMIN_ROLE = '3498e952-d568-435e-9b2c-8d77e338d7f7';
/** The built-in role "Azure Kubernetes Service RBAC Writer". */
export const AKS_RBAC_WRITER_ROLE = 'a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb';
/** The built-in role "Azure Kubernetes Service Cluster User Role" (listClusterUserCredential). */
export const AKS_CLUSTER_USER_ROLE = '4abbcc35-e782-43d8-92c5-2d3f1bd2253f';
/** The built-in role "Network Contributor". */
export const NETWORK_CONTRIBUTOR_ROLE = '4d97b98b-1d4f-4787-a291-c67834d212e7';
/** The built-in role "AcrPull". */
export const ACR_PULL_ROLE = '7f951dda-4ed3-4680-a7ca-43fe172d538d';

/** The AKS RBAC role of each `cluster.deployer.role`. */
export const DEPLOYER_ROLES: Readonly<Record<AzureCluster['deployer']['role'], string>> = {
  'cluster-admin': AKS_RBAC_CLUSTER_ADMIN_ROLE,
  admin: AKS_RBAC_ADMIN_ROLE,
  writer: AKS_RBAC_WRITER_ROLE,
};

/** The login modes a service principal or managed identity uses (the deployer is then no user). */
const SERVICE_PRINCIPAL_LOGINS: readonly AzureCluster['login']['mode'][] = ['spn', 'msi', 'workloadidentity'];

/** The namespace of the kit's role assignment names (a random v4 UUID, fixed forever: changing it renames every assignment). */
const ROLE_ASSIGNMENT_NAMESPACE = 'a4f3c2d1-6b5e-4c7d-9e8f-0a1b2c3d4e5f';

/**
 * A role assignment's name: the RFC 4122 version-5 UUID of its scope, role definition and
 * principal, so the same grant always has the same name. Re-running after a lost state, or
 * a grant that already exists, then updates that assignment in place instead of failing with
 * RoleAssignmentExists (which a random name does), and any change of the three is a new name,
 * so a replacement never deletes the assignment it just created.
 */
export function roleAssignmentName(scope: string, roleDefinitionId: string, principalId: string): string {
  const namespace = Buffer.from(ROLE_ASSIGNMENT_NAMESPACE.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(namespace).update(`${scope.toLowerCase()}|${roleDefinitionId.toLowerCase()}|${principalId.toLowerCase()}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An AKS cluster, its network, monitoring and node pools. */
export class AksCluster extends pulumi.ComponentResource {
  public readonly resourceGroup: azure.resources.ResourceGroup;
  public readonly subnet: azure.network.Subnet;
  public readonly workspace: azure.operationalinsights.Workspace;
  public readonly cluster: azure.containerservice.ManagedCluster;
  /** The control plane's user-assigned identity; absent with `cluster.identity: system-assigned`. */
  public readonly identity?: azure.managedidentity.UserAssignedIdentity;
  /** Network Contributor on the node subnet for the control plane's identity (the ManagedCluster depends on it when the identity is user-assigned). */
  public readonly networkAssignment: azure.authorization.RoleAssignment;
  /** The roles of the identity running `pulumi up`: the Cluster User Role (key `user`), and its AKS RBAC role on the cluster (key `cluster`) or on each namespace (keyed by namespace). */
  public readonly deployerAssignments: Record<string, azure.authorization.RoleAssignment> = {};
  /** AcrPull on `cluster.registry` for the kubelet identity; absent without a registry. */
  public readonly registryAssignment?: azure.authorization.RoleAssignment;
  /** The principal type of the identity running `pulumi up` (`cluster.deployer.principalType`, resolved). */
  public readonly deployerPrincipalType: 'User' | 'ServicePrincipal';
  /** Control-plane logs, Container Insights' data collection and the container alerts. */
  public readonly monitoring: AksMonitoring;
  /** Velero's storage account and container; absent without `cluster.addons.velero`. */
  public readonly backupStorage?: AksBackupStorage;
  /** The pools created as their own AgentPool resources (every pool but the cluster's primary system pool). */
  public readonly agentPools: Record<string, azure.containerservice.AgentPool> = {};
  /** The name of the system pool created with the cluster. */
  public readonly primaryPool: string;
  /** The Entra ID tenant of the identity running `pulumi up` (the cluster's tenant). */
  public readonly tenantId: pulumi.Output<string>;
  /** The cluster's OIDC issuer, which workload identities' federated credentials trust. */
  public readonly oidcIssuerUrl: pulumi.Output<string>;
  /** A kubeconfig for Entra ID users, logging in through kubelogin with `cluster.login`, as a secret. */
  public readonly kubeconfig: pulumi.Output<string>;

  constructor(name: string, args: AksClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('k8s-platform-kit:azure:AksCluster', name, {}, opts);
    const { cluster: config, region, tags } = args;
    const child = { parent: this };

    // The identity running `pulumi up`, through this component's provider (pinned to
    // cluster.subscriptionId). Nothing is registered unless its subscription is the one
    // configured: the resource group waits for the check, and everything else is in it.
    const client = azure.authorization.getClientConfigOutput(child).apply((caller) => {
      if (caller.subscriptionId !== config.subscriptionId) {
        throw new pulumi.ResourceError(`AksCluster '${name}': k8s-platform-kit:cluster.subscriptionId is '${config.subscriptionId}' but the Azure credentials are for subscription `
          + `'${caller.subscriptionId}'; nothing was deployed: use credentials for '${config.subscriptionId}', or correct the key`, this);
      }
      return caller;
    });
    this.tenantId = client.tenantId;
    const role = (id: string) => `/subscriptions/${config.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${id}`;

    this.resourceGroup = new azure.resources.ResourceGroup(`${name}-rg`, { resourceGroupName: aksResourceGroupName(config), location: region, tags }, {
      parent: this,
      dependsOn: client.apply(() => []),
    });
    const resourceGroupName = this.resourceGroup.name;
    const vnet = new azure.network.VirtualNetwork(`${name}-vnet`, {
      resourceGroupName,
      location: region,
      virtualNetworkName: `vnet-${config.name}`,
      addressSpace: { addressPrefixes: [config.vnetCidr] },
      tags,
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
      tags,
    }, child);

    // A user-assigned identity exists before the cluster, so its grant on the subnet can too:
    // AKS then never runs without the right to join nodes and load balancers to the subnet.
    const networkGrant = (principalId: pulumi.Input<string>, assignmentOpts: pulumi.CustomResourceOptions) =>
      this.roleAssignment(`${name}-network`, this.subnet.id, role(NETWORK_CONTRIBUTOR_ROLE), principalId, 'ServicePrincipal', assignmentOpts);
    let networkAssignment: azure.authorization.RoleAssignment | undefined;
    if (config.identity === 'user-assigned') {
      this.identity = new azure.managedidentity.UserAssignedIdentity(`${name}-identity`, {
        resourceGroupName,
        location: region,
        resourceName: `id-${config.name}`,
        tags,
      }, child);
      networkAssignment = networkGrant(this.identity.principalId, child);
    }

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
      identity: this.identity ? { type: 'UserAssigned', userAssignedIdentities: [this.identity.id] } : { type: 'SystemAssigned' },
      agentPoolProfiles: [{ name: primary.name, ...this.poolSettings(config, primary, tags) }],
      aadProfile: { managed: true, enableAzureRBAC: true, adminGroupObjectIDs: config.adminGroupObjectIds },
      disableLocalAccounts: true,
      oidcIssuerProfile: { enabled: true },
      securityProfile: aksSecurityProfile(config, this.workspace.id),
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
      addonProfiles: aksAddonProfiles(config, this.workspace.id),
      autoUpgradeProfile: { upgradeChannel: config.upgradeChannel, nodeOSUpgradeChannel: 'NodeImage' },
      apiServerAccessProfile: {
        enablePrivateCluster: apiServer.private,
        ...(!apiServer.private && apiServer.authorizedIpRanges.length > 0 && { authorizedIPRanges: apiServer.authorizedIpRanges }),
      },
      tags,
    }, { parent: this, ...systemPoolGuard(primary), ...(networkAssignment && { dependsOn: [networkAssignment] }) });
    this.oidcIssuerUrl = this.cluster.oidcIssuerProfile.apply((profile) => profile?.issuerURL ?? '');
    // A system-assigned identity exists only with the cluster: its grant follows.
    this.networkAssignment = networkAssignment
      ?? networkGrant(this.cluster.identity.apply((identity) => identity?.principalId ?? ''), child);

    this.monitoring = new AksMonitoring(`${name}-monitoring`, {
      clusterName: config.name,
      resourceGroupName,
      location: region,
      clusterId: this.cluster.id,
      workspaceId: this.workspace.id,
      config,
      tags,
    }, child);
    if (config.addons.velero) {
      this.backupStorage = new AksBackupStorage(`${name}-backups`, {
        velero: config.addons.velero,
        resourceGroupName,
        location: region,
        zones: config.zones,
        tags,
      }, child);
    }

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
        ...this.poolSettings(config, pool, tags),
      }, { parent: this, ...(pool.autoscale && { ignoreChanges: ['count'] }) });
    }

    config.adminGroupObjectIds.forEach((groupId, i) => {
      new azure.authorization.RoleAssignment(`${name}-admin-${i}`, {
        principalId: groupId,
        principalType: 'Group',
        roleDefinitionId: role(AKS_RBAC_CLUSTER_ADMIN_ROLE),
        scope: this.cluster.id,
      }, child);
    });

    // The deployer. Azure checks the principal type (the provider would send 'User').
    const deployer = client.objectId;
    this.deployerPrincipalType = config.deployer.principalType ?? (SERVICE_PRINCIPAL_LOGINS.includes(config.login.mode) ? 'ServicePrincipal' : 'User');
    const deployerType = this.deployerPrincipalType;
    this.deployerAssignments.user = this.roleAssignment(`${name}-deployer-user`, this.cluster.id, role(AKS_CLUSTER_USER_ROLE), deployer, deployerType, child);
    const deployerRole = role(DEPLOYER_ROLES[config.deployer.role]);
    if (config.deployer.namespaces === undefined) {
      this.deployerAssignments.cluster = this.roleAssignment(`${name}-deployer`, this.cluster.id, deployerRole, deployer, deployerType, child);
    } else {
      for (const namespace of config.deployer.namespaces) {
        this.deployerAssignments[namespace] = this.roleAssignment(`${name}-deployer-${namespace}`, pulumi.interpolate`${this.cluster.id}/namespaces/${namespace}`, deployerRole, deployer, deployerType, child);
      }
    }

    if (config.registry) {
      const kubelet = this.cluster.identityProfile.apply((profile) => profile?.kubeletidentity?.objectId ?? '');
      // The registry may be in another subscription; the role definition is named in the scope's.
      const registrySubscription = config.registry.id.split('/')[2] ?? config.subscriptionId;
      const acrPull = `/subscriptions/${registrySubscription}/providers/Microsoft.Authorization/roleDefinitions/${ACR_PULL_ROLE}`;
      this.registryAssignment = this.roleAssignment(`${name}-acr-pull`, config.registry.id, acrPull, kubelet, 'ServicePrincipal', child);
    }

    const credentials = azure.containerservice.listManagedClusterUserCredentialsOutput({
      resourceGroupName,
      resourceName: this.cluster.name,
      format: 'exec',
    }, { parent: this, dependsOn: Object.values(this.deployerAssignments) });
    // Fetching the credentials needs the Cluster User Role, using them the deployer's role:
    // both exist before the kubeconfig does.
    this.kubeconfig = pulumi.secret(credentials.kubeconfigs.apply((configs) =>
      convertKubeconfig(Buffer.from(configs[0]?.value ?? '', 'base64').toString('utf8'), config.login)));
    this.registerOutputs({ clusterName: this.cluster.name, kubeconfig: this.kubeconfig });
  }

  /** A role assignment named by {@link roleAssignmentName}. */
  private roleAssignment(
    resourceName: string,
    scope: pulumi.Input<string>,
    roleDefinitionId: string,
    principalId: pulumi.Input<string>,
    principalType: 'ServicePrincipal' | 'User',
    opts: pulumi.CustomResourceOptions,
  ): azure.authorization.RoleAssignment {
    return new azure.authorization.RoleAssignment(resourceName, {
      roleAssignmentName: pulumi.all([scope, principalId]).apply(([s, p]) => roleAssignmentName(s, roleDefinitionId, p)),
      principalId,
      principalType,
      roleDefinitionId,
      scope,
    }, opts);
  }

  /** The settings a pool has whether it is the cluster's profile or its own AgentPool. */
  private poolSettings(config: AzureCluster, pool: AzureNodePool, tags: Record<string, string>) {
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
      tags,
    };
  }
}
