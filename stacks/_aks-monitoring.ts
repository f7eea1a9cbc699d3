/**
 * What makes an AKS cluster observable and hardened beyond its network: the add-on and
 * security profiles the ManagedCluster is created with, a guard for its inline system pool,
 * and `AksMonitoring`, the Azure Monitor resources around the cluster (control-plane logs,
 * Container Insights data collection, container alerts and their action group).
 */
import * as azure from '@pulumi/azure-native';
import * as pulumi from '@pulumi/pulumi';
import type { AzureCluster, AzureNodePool } from '../constructs/environment/index.js';

type AddonProfile = azure.types.input.containerservice.ManagedClusterAddonProfileArgs;
type SecurityProfile = azure.types.input.containerservice.ManagedClusterSecurityProfileArgs;

/** One AKS control-plane log category (`cluster.extraLogCategories[]`). */
export type AksLogCategory = AzureCluster['extraLogCategories'][number];

/**
 * The control-plane log categories always sent: API server changes (the audit log without
 * get and list), Entra ID and Azure RBAC decisions, and the API server's own log.
 */
export const BASE_LOG_CATEGORIES: readonly AksLogCategory[] = ['kube-audit-admin', 'guard', 'kube-apiserver'];

/** The log categories the cluster's diagnostic setting sends: the base ones, then `cluster.extraLogCategories`, each once. */
export function controlPlaneLogCategories(config: AzureCluster): AksLogCategory[] {
  return [...new Set([...BASE_LOG_CATEGORIES, ...config.extraLogCategories])];
}

/**
 * The ManagedCluster's `addonProfiles`: Azure Monitor for containers (the agent
 * authenticating with its managed identity, its data shaped by the data collection rule of
 * {@link AksMonitoring}), the Azure Policy add-on (`cluster.security.azurePolicy`), and the
 * Key Vault secrets provider with secret rotation every `cluster.security.keyVaultRotationPollInterval`.
 * @see https://learn.microsoft.com/azure/aks/csi-secrets-store-configuration-options
 */
export function aksAddonProfiles(config: AzureCluster, workspaceId: pulumi.Input<string>): Record<string, AddonProfile> {
  return {
    omsagent: { enabled: true, config: { logAnalyticsWorkspaceResourceID: workspaceId, useAADAuth: 'true' } },
    azurepolicy: { enabled: config.security.azurePolicy },
    azureKeyvaultSecretsProvider: {
      enabled: true,
      config: { enableSecretRotation: 'true', rotationPollInterval: config.security.keyVaultRotationPollInterval },
    },
  };
}

/**
 * The ManagedCluster's `securityProfile`: workload identity, Image Cleaner every
 * `cluster.security.imageCleanerIntervalHours`, and, when `cluster.security.defender` is on,
 * the Defender for Containers sensor reporting to the workspace. When it is off the profile
 * has no `defender` key at all, so a subscription's Defender plan (or its policy) may still
 * turn the sensor on without every `pulumi up` turning it off again.
 */
export function aksSecurityProfile(config: AzureCluster, workspaceId: pulumi.Input<string>): SecurityProfile {
  return {
    workloadIdentity: { enabled: true },
    imageCleaner: { enabled: true, intervalHours: config.security.imageCleanerIntervalHours },
    ...(config.security.defender && {
      defender: { logAnalyticsWorkspaceResourceId: workspaceId, securityMonitoring: { enabled: true } },
    }),
  };
}

/**
 * The pool settings AKS fixes when a pool is created, as the kit's config names them, with
 * the API field each becomes. Changing one on the inline system pool does not replace the
 * cluster (azure-native sends agent pool profile changes as an update since v2, see
 * pulumi/pulumi-azure-native#2774): AKS refuses the update, e.g. "PropertyChangeNotAllowed:
 * Changing property 'agentPoolProfile.vmSize' is not allowed" (VM size changes need an API
 * version from 2026-01-02-preview on, and azure-native 3.28.0 uses 2025-09-01). The way to
 * change them is a new system pool as its own entry in `cluster.nodePools`, then removing the
 * old one (docs/stacks.md, blue/green pools).
 * @see https://learn.microsoft.com/azure/aks/manage-node-pools#limitations
 */
export const POOL_FIELDS_FIXED_AT_CREATION = [
  { field: 'name', apiField: 'name' },
  { field: 'vmSize', apiField: 'vmSize' },
  { field: 'osDiskSizeGiB', apiField: 'osDiskSizeGB' },
  { field: 'maxPods', apiField: 'maxPods' },
  { field: 'zones', apiField: 'availabilityZones' },
] as const;

/** A pool's fixed settings, its zones resolved (the pool's own, else the cluster's). */
export type PoolShape = Pick<AzureNodePool, 'name' | 'vmSize' | 'osDiskSizeGiB' | 'maxPods'> & { readonly zones: readonly string[] };

/** The fields of {@link POOL_FIELDS_FIXED_AT_CREATION} that differ between two versions of a pool, in that order. */
export function fixedPoolFieldChanges(before: PoolShape, after: PoolShape): (typeof POOL_FIELDS_FIXED_AT_CREATION)[number]['field'][] {
  return POOL_FIELDS_FIXED_AT_CREATION
    .filter(({ field }) => (field === 'zones'
      ? [...before.zones].sort().join(',') !== [...after.zones].sort().join(',')
      : before[field] !== after[field]))
    .map(({ field }) => field);
}

/**
 * Resource options for the ManagedCluster whose `agentPoolProfiles[0]` is `primaryPool`.
 * Every other pool is an AgentPool that ignores `count` when autoscaled; the inline pool
 * needs the same, or each `pulumi up` after the autoscaler moved it sends the configured
 * `desired` back, scaling the pool against the autoscaler (and an update of an inline
 * profile puts every pool of the cluster in the Scaling state, pulumi/pulumi-azure-native#4264).
 * Fields AKS fixes at creation are not guarded here: AKS itself refuses them (see
 * {@link POOL_FIELDS_FIXED_AT_CREATION}).
 */
export function systemPoolGuard(primaryPool: AzureNodePool): pulumi.CustomResourceOptions {
  return primaryPool.autoscale ? { ignoreChanges: ['agentPoolProfiles[0].count'] } : {};
}

/** How the container alerts evaluate, and what each counts. */
export const ALERT_SETTINGS = {
  /** How often each rule runs its query. */
  evaluationFrequency: 'PT5M',
  /** The span each query looks at. */
  windowSize: 'PT15M',
  /** Restarts of one container within the window that fire the restart alert (a crash loop restarts about six times in 15 minutes). */
  restartsPerWindow: 3,
} as const;

/**
 * The query of the restart alert: one row per container of this cluster whose restart count
 * rose by at least `restartsPerWindow` within the window (Container Insights reports every
 * container's count each collection interval).
 * @see https://learn.microsoft.com/azure/azure-monitor/reference/tables/kubepodinventory
 */
export function containerRestartsQuery(clusterId: string): string {
  return [
    'KubePodInventory',
    `| where ClusterId =~ '${clusterId}'`,
    '| where isnotempty(ContainerName)',
    '| summarize Restarts = max(ContainerRestartCount) - min(ContainerRestartCount) by Namespace, PodName = Name, ContainerName',
    `| where Restarts >= ${ALERT_SETTINGS.restartsPerWindow}`,
  ].join('\n');
}

/**
 * The query of the OOM alert: one row per container of this cluster that was OOM-killed
 * within the window. A restarted container carries the kill in ContainerLastStatus (a JSON
 * object: lastState, reason, startedAt, finishedAt), reported again every interval, hence the
 * `finishedAt` bound; one that stays terminated (a Job's) carries it in ContainerStatusReason.
 */
export function oomKilledQuery(clusterId: string): string {
  return [
    'KubePodInventory',
    `| where ClusterId =~ '${clusterId}'`,
    '| extend LastStatus = parse_json(ContainerLastStatus)',
    `| where (tostring(LastStatus.reason) == 'OOMKilled' and todatetime(LastStatus.finishedAt) > ago(15m)) or ContainerStatusReason == 'OOMKilled'`,
    '| summarize by Namespace, PodName = Name, ContainerName',
  ].join('\n');
}

/**
 * The name of the Container Insights data collection rule, `MSCI-<region>-<cluster>` as the
 * portal and `az aks enable-addons` name it, cut to the 64 characters Azure allows.
 */
export function containerInsightsRuleName(region: string, clusterName: string): string {
  return `MSCI-${region}-${clusterName}`.slice(0, 64).replace(/-+$/, '');
}

/** Arguments of {@link AksMonitoring}. */
export interface AksMonitoringArgs {
  /** The cluster's name (`cluster.name`): resource names and the action group's default short name derive from it. */
  readonly clusterName: string;
  readonly resourceGroupName: pulumi.Input<string>;
  /** The Azure region of the data collection rule and the alert rules. */
  readonly location: string;
  /** The ManagedCluster's resource id: the diagnostic setting's and the association's scope, and the alerts' filter. */
  readonly clusterId: pulumi.Input<string>;
  /** The Log Analytics workspace's resource id: where logs go and what the alerts query. */
  readonly workspaceId: pulumi.Input<string>;
  /** The cluster's settings, defaults applied. */
  readonly config: AzureCluster;
  /** The tags of every resource that takes tags. */
  readonly tags: Record<string, string>;
}

/** The container alert rules {@link AksMonitoring} creates. */
export type AksAlertRule = 'containerRestarts' | 'oomKilled';

/**
 * The Azure Monitor resources of an AKS cluster: its control-plane logs in the workspace,
 * Container Insights' data collection rule and its association with the cluster, and alert
 * rules on restarting and OOM-killed containers, notifying `cluster.alerts`' receivers.
 */
export class AksMonitoring extends pulumi.ComponentResource {
  /** The categories the diagnostic setting sends. */
  public readonly logCategories: readonly AksLogCategory[];
  public readonly diagnosticSetting: azure.monitor.DiagnosticSetting;
  public readonly dataCollectionRule: azure.monitor.DataCollectionRule;
  public readonly dataCollectionRuleAssociation: azure.monitor.DataCollectionRuleAssociation;
  /** `undefined` when `cluster.alerts` has no receivers. */
  public readonly actionGroup: azure.monitor.ActionGroup | undefined;
  public readonly alertRules: Readonly<Record<AksAlertRule, azure.monitor.ScheduledQueryRule>>;

  constructor(name: string, args: AksMonitoringArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('k8s-platform-kit:azure:AksMonitoring', name, {}, opts);
    const { clusterName, resourceGroupName, location, clusterId, workspaceId, config, tags } = args;
    const child = { parent: this };

    // Retention: diagnostic settings' own retention policies only ever applied to storage
    // accounts, and Azure retired them (no new ones since March 2023, none applied since
    // September 2025). Logs sent to a workspace are kept as long as the workspace's
    // retention, `cluster.logRetentionDays`, so no retentionPolicy is set here.
    // https://learn.microsoft.com/azure/azure-monitor/essentials/migrate-to-azure-storage-lifecycle-policy
    this.logCategories = controlPlaneLogCategories(config);
    this.diagnosticSetting = new azure.monitor.DiagnosticSetting(`${name}-control-plane-logs`, {
      name: 'control-plane-logs',
      resourceUri: clusterId,
      workspaceId,
      // Resource-specific tables (AKSAudit, AKSAuditAdmin, AKSControlPlane), not AzureDiagnostics.
      logAnalyticsDestinationType: 'Dedicated',
      logs: this.logCategories.map((category) => ({ category, enabled: true })),
    }, child);

    // Container Insights: with `useAADAuth` the agent collects what this rule says, and
    // only once the rule is associated with the cluster under the name the agent looks for.
    const destination = 'ciworkspace';
    const streams = ['Microsoft-ContainerInsights-Group-Default'];
    this.dataCollectionRule = new azure.monitor.DataCollectionRule(`${name}-container-insights`, {
      resourceGroupName,
      location,
      dataCollectionRuleName: containerInsightsRuleName(location, clusterName),
      kind: 'Linux',
      description: `Container Insights data collection for the AKS cluster ${clusterName}.`,
      dataSources: {
        extensions: [{
          name: 'ContainerInsightsExtension',
          extensionName: 'ContainerInsights',
          streams,
          extensionSettings: {
            dataCollectionSettings: { interval: '1m', namespaceFilteringMode: 'Off', enableContainerLogV2: true },
          },
        }],
      },
      destinations: { logAnalytics: [{ name: destination, workspaceResourceId: workspaceId }] },
      dataFlows: [{ streams, destinations: [destination] }],
      tags,
    }, child);
    this.dataCollectionRuleAssociation = new azure.monitor.DataCollectionRuleAssociation(`${name}-container-insights`, {
      associationName: 'ContainerInsightsExtension',
      resourceUri: clusterId,
      dataCollectionRuleId: this.dataCollectionRule.id,
      description: 'Association of data collection rule. Deleting this association will break the data collection for this AKS Cluster.',
    }, child);

    const alerts = config.alerts;
    const receivers = (alerts?.email.length ?? 0) + (alerts?.webhook.length ?? 0);
    this.actionGroup = alerts && receivers > 0
      ? new azure.monitor.ActionGroup(`${name}-alerts`, {
        resourceGroupName,
        actionGroupName: `ag-${clusterName}`,
        location: 'Global',
        groupShortName: alerts.groupShortName ?? clusterName.slice(0, 12),
        enabled: true,
        emailReceivers: alerts.email.map((r) => ({ name: r.name, emailAddress: r.address, useCommonAlertSchema: true })),
        webhookReceivers: alerts.webhook.map((r) => ({ name: r.name, serviceUri: this.webhookUri(r.secretKey), useCommonAlertSchema: true })),
        tags,
      }, child)
      : undefined;

    const rule = (suffix: string, displayName: string, description: string, query: (clusterId: string) => string) =>
      new azure.monitor.ScheduledQueryRule(`${name}-${suffix}`, {
        resourceGroupName,
        location,
        ruleName: `${clusterName}-${suffix}`,
        displayName,
        description,
        kind: 'LogAlert',
        enabled: true,
        severity: alerts?.severity ?? 2,
        scopes: [workspaceId],
        evaluationFrequency: ALERT_SETTINGS.evaluationFrequency,
        windowSize: ALERT_SETTINGS.windowSize,
        criteria: {
          allOf: [{
            query: pulumi.output(clusterId).apply(query),
            timeAggregation: 'Count',
            operator: 'GreaterThan',
            threshold: 0,
            dimensions: [{ name: 'Namespace', operator: 'Include', values: ['*'] }],
            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
          }],
        },
        autoMitigate: true,
        // KubePodInventory exists in a new workspace only after the agent's first upload;
        // validating the query before that fails the rule's creation.
        skipQueryValidation: true,
        ...(this.actionGroup && { actions: { actionGroups: [this.actionGroup.id] } }),
        tags,
      }, { parent: this, dependsOn: [this.dataCollectionRuleAssociation] });
    this.alertRules = {
      containerRestarts: rule('container-restarts', `${clusterName}: containers restarting`,
        `A container of ${clusterName} restarted ${ALERT_SETTINGS.restartsPerWindow} or more times in 15 minutes.`, containerRestartsQuery),
      oomKilled: rule('oom-killed', `${clusterName}: containers OOM-killed`,
        `A container of ${clusterName} was killed for exceeding its memory limit in the last 15 minutes.`, oomKilledQuery),
    };

    this.registerOutputs({
      diagnosticSettingId: this.diagnosticSetting.id,
      dataCollectionRuleId: this.dataCollectionRule.id,
      actionGroupId: this.actionGroup?.id,
    });
  }

  /** A webhook's URL, from the stack's secret config key `key`, kept secret; refused unless https. */
  private webhookUri(key: string): pulumi.Output<string> {
    return new pulumi.Config().requireSecret(key).apply((uri) => {
      if (!uri.startsWith('https://')) {
        throw new pulumi.ResourceError(`AksMonitoring: the webhook URL in the secret config key '${key}' must start with https://`, this);
      }
      return uri;
    });
  }
}
