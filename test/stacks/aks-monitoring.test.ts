/**
 * AKS monitoring and hardening (stacks/_aks-monitoring.ts): the add-on and security profiles
 * for default and non-default config, the inline system pool's guard, the AksMonitoring
 * component under Pulumi mocks (diagnostic setting, Container Insights rule and association,
 * action group, alert rules, tags), and the schema's errors for the new keys.
 */
import * as pulumi from '@pulumi/pulumi';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { childrenOf, one, ofType, reset, settled } from './_mocks.js';
import { APPS_SCHEMA, loadEnvironment } from '../../charts/environment.js';
import { EnvironmentConfigError, parseEnvironment, readStackConfig, type AzureCluster } from '../../constructs/environment/index.js';
import {
  aksAddonProfiles,
  AksMonitoring,
  aksSecurityProfile,
  containerInsightsRuleName,
  containerRestartsQuery,
  fixedPoolFieldChanges,
  oomKilledQuery,
  systemPoolGuard,
} from '../../stacks/_aks-monitoring.js';

const NS = 'k8s-platform-kit';
const CLUSTER_ID = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-kit-dev/providers/Microsoft.ContainerService/managedClusters/kit-dev';
const WORKSPACE_ID = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-kit-dev/providers/Microsoft.OperationalInsights/workspaces/log-kit-dev';
const TAGS = { environment: 'dev', team: 'platform' };
const WEBHOOK_URL = 'https://hooks.example.com/services/T000/B000/secret';
/** How the engine is handed a secret value: `{ [SECRET_SIG]: SECRET_VALUE, value }`. */
const SECRET_SIG = '4dabf18193072939515e22adb298388d';
const SECRET_VALUE = '1b47061264138c4ac30d75fd1eb44270';

/** The dev stack file's config with `cluster` edited. */
function devWith(edit: (cluster: Record<string, any>) => void): Record<string, unknown> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const config = structuredClone(readStackConfig('Pulumi.dev.yaml'));
  edit(config[`${NS}:cluster`] as Record<string, unknown>);
  return config;
}

function azureCluster(config: Record<string, unknown>): AzureCluster {
  const env = parseEnvironment('dev', config, { apps: APPS_SCHEMA, source: 'Pulumi.dev.yaml (edited)' });
  if (env.cloud !== 'azure') assert.fail('dev is on Azure');
  return env.cluster;
}

/** The problems parseEnvironment reports for `config`, as `key: message` lines. */
function problems(config: Record<string, unknown>): string[] {
  try {
    parseEnvironment('dev', config, { apps: APPS_SCHEMA, source: 'Pulumi.dev.yaml' });
  } catch (error) {
    assert.ok(error instanceof EnvironmentConfigError, String(error));
    return error.message.split('\n').slice(1).map((line) => line.trim());
  }
  assert.fail('expected configuration problems');
}

function devCluster(): AzureCluster {
  const env = loadEnvironment('dev');
  if (env.cloud !== 'azure') assert.fail('dev is on Azure');
  return env.cluster;
}

/** Every non-default setting of the new keys. */
const customized = () => azureCluster(devWith((cluster) => {
  cluster.security = { azurePolicy: false, defender: true, imageCleanerIntervalHours: 48, keyVaultRotationPollInterval: '30s' };
  cluster.extraLogCategories = ['kube-audit', 'guard', 'cluster-autoscaler'];
  cluster.alerts = {
    groupShortName: 'kitdevops',
    severity: 1,
    email: [{ name: 'platform team', address: 'platform-team@acme.dev' }],
    webhook: [{ name: 'oncall', secretKey: 'alertWebhookUrl' }],
  };
}));

async function monitoring(config: AzureCluster): Promise<AksMonitoring> {
  reset();
  const component = new AksMonitoring('dev', {
    clusterName: config.name,
    resourceGroupName: 'rg-kit-dev',
    location: 'westeurope',
    clusterId: CLUSTER_ID,
    workspaceId: WORKSPACE_ID,
    config,
    tags: TAGS,
  });
  await settled();
  return component;
}

describe('aksAddonProfiles', () => {
  it('defaults: enables Azure Monitor with managed-identity auth, Azure Policy, and the Key Vault secrets provider rotating every 2m', () => {
    assert.deepEqual(aksAddonProfiles(devCluster(), WORKSPACE_ID), {
      omsagent: { enabled: true, config: { logAnalyticsWorkspaceResourceID: WORKSPACE_ID, useAADAuth: 'true' } },
      azurepolicy: { enabled: true },
      azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true', rotationPollInterval: '2m' } },
    });
  });

  it('turns Azure Policy off and takes the rotation interval from cluster.security', () => {
    const profiles = aksAddonProfiles(customized(), WORKSPACE_ID);
    assert.deepEqual(profiles.azurepolicy, { enabled: false });
    assert.deepEqual(profiles.azureKeyvaultSecretsProvider?.config, { enableSecretRotation: 'true', rotationPollInterval: '30s' });
  });
});

describe('aksSecurityProfile', () => {
  it('defaults: workload identity and Image Cleaner every 168 hours, and no defender key at all', () => {
    const profile = aksSecurityProfile(devCluster(), WORKSPACE_ID);
    assert.deepEqual(profile, { workloadIdentity: { enabled: true }, imageCleaner: { enabled: true, intervalHours: 168 } });
    assert.equal('defender' in profile, false);
  });

  it('with defender on, sends the Defender sensor to the workspace, and takes the Image Cleaner interval from config', () => {
    assert.deepEqual(aksSecurityProfile(customized(), WORKSPACE_ID), {
      workloadIdentity: { enabled: true },
      imageCleaner: { enabled: true, intervalHours: 48 },
      defender: { logAnalyticsWorkspaceResourceId: WORKSPACE_ID, securityMonitoring: { enabled: true } },
    });
  });
});

describe('the inline system pool', () => {
  it('an autoscaled system pool ignores agentPoolProfiles[0].count; a fixed one is guarded by nothing', () => {
    const system = devCluster().nodePools.find((p) => p.mode === 'system');
    assert.ok(system?.autoscale);
    assert.deepEqual(systemPoolGuard(system), { ignoreChanges: ['agentPoolProfiles[0].count'] });
    assert.deepEqual(systemPoolGuard({ ...system, autoscale: false }), {});
  });

  it('fixedPoolFieldChanges lists vmSize, osDiskSizeGiB, maxPods and zones when they change, ignoring zone order and other fields', () => {
    const pool = { name: 'system', vmSize: 'Standard_D2s_v5', osDiskSizeGiB: 128, maxPods: 110, zones: ['1', '2'] };
    assert.deepEqual(fixedPoolFieldChanges(pool, { ...pool, zones: ['2', '1'] }), []);
    assert.deepEqual(fixedPoolFieldChanges(pool, { ...pool, vmSize: 'Standard_D4s_v5', osDiskSizeGiB: 256, maxPods: 60, zones: ['1'] }),
      ['vmSize', 'osDiskSizeGiB', 'maxPods', 'zones']);
    assert.deepEqual(fixedPoolFieldChanges(pool, { ...pool, name: 'system2' }), ['name']);
  });
});

describe('AksMonitoring with the dev defaults', () => {
  let component: AksMonitoring;
  before(async () => {
    component = await monitoring(devCluster());
  });

  it('sends kube-audit-admin, guard and kube-apiserver to the workspace in resource-specific tables, with no retention policy', () => {
    const setting = one('azure-native:monitor:DiagnosticSetting', 'dev-control-plane-logs').inputs;
    assert.equal(setting.resourceUri, CLUSTER_ID);
    assert.equal(setting.workspaceId, WORKSPACE_ID);
    assert.equal(setting.logAnalyticsDestinationType, 'Dedicated');
    assert.deepEqual(setting.logs, [
      { category: 'kube-audit-admin', enabled: true },
      { category: 'guard', enabled: true },
      { category: 'kube-apiserver', enabled: true },
    ]);
    assert.equal(setting.metrics, undefined);
  });

  it('creates the Container Insights rule (Linux, default stream group, 1m, no namespace filter, ContainerLogV2) flowing to the workspace', () => {
    const rule = one('azure-native:monitor:DataCollectionRule', 'dev-container-insights').inputs;
    assert.equal(rule.dataCollectionRuleName, 'MSCI-westeurope-kit-dev');
    assert.equal(rule.kind, 'Linux');
    assert.equal(rule.location, 'westeurope');
    assert.deepEqual(rule.dataSources.extensions, [{
      name: 'ContainerInsightsExtension',
      extensionName: 'ContainerInsights',
      streams: ['Microsoft-ContainerInsights-Group-Default'],
      extensionSettings: { dataCollectionSettings: { interval: '1m', namespaceFilteringMode: 'Off', enableContainerLogV2: true } },
    }]);
    assert.deepEqual(rule.destinations, { logAnalytics: [{ name: 'ciworkspace', workspaceResourceId: WORKSPACE_ID }] });
    assert.deepEqual(rule.dataFlows, [{ streams: ['Microsoft-ContainerInsights-Group-Default'], destinations: ['ciworkspace'] }]);
  });

  it('associates the rule with the cluster as ContainerInsightsExtension', () => {
    const association = one('azure-native:monitor:DataCollectionRuleAssociation', 'dev-container-insights').inputs;
    assert.equal(association.associationName, 'ContainerInsightsExtension');
    assert.equal(association.resourceUri, CLUSTER_ID);
    assert.equal(association.dataCollectionRuleId, 'dev-container-insights-id');
  });

  it('without cluster.alerts: no action group, and both alert rules still evaluate, with no actions', () => {
    assert.equal(component.actionGroup, undefined);
    assert.deepEqual(ofType('azure-native:monitor:ActionGroup'), []);
    const rules = ofType('azure-native:monitor:ScheduledQueryRule');
    assert.deepEqual(rules.map((r) => r.name), ['dev-container-restarts', 'dev-oom-killed']);
    for (const rule of rules) {
      assert.equal(rule.inputs.actions, undefined, rule.name);
      assert.equal(rule.inputs.severity, 2, rule.name);
    }
  });

  it('the restart rule counts, every 5 minutes over 15, containers of this cluster whose restarts rose by 3 or more, per namespace', () => {
    const rule = one('azure-native:monitor:ScheduledQueryRule', 'dev-container-restarts');
    assert.deepEqual(rule.inputs.scopes, [WORKSPACE_ID]);
    assert.equal(rule.inputs.kind, 'LogAlert');
    assert.deepEqual([rule.inputs.evaluationFrequency, rule.inputs.windowSize], ['PT5M', 'PT15M']);
    const [condition] = rule.inputs.criteria.allOf;
    assert.equal(condition.query, containerRestartsQuery(CLUSTER_ID));
    assert.match(condition.query, /^KubePodInventory\n\| where ClusterId =~ '\/subscriptions\/.+\/managedClusters\/kit-dev'\n/);
    assert.match(condition.query, /Restarts = max\(ContainerRestartCount\) - min\(ContainerRestartCount\)/);
    assert.match(condition.query, /\| where Restarts >= 3$/);
    assert.deepEqual([condition.timeAggregation, condition.operator, condition.threshold], ['Count', 'GreaterThan', 0]);
    assert.deepEqual(condition.dimensions, [{ name: 'Namespace', operator: 'Include', values: ['*'] }]);
    assert.equal(rule.inputs.autoMitigate, true);
    assert.equal(rule.inputs.skipQueryValidation, true);
    assert.deepEqual(rule.dependsOn, ['azure-native:monitor:DataCollectionRuleAssociation::dev-container-insights']);
  });

  it('the OOM rule counts containers of this cluster OOM-killed in the window, from ContainerLastStatus or ContainerStatusReason', () => {
    const rule = one('azure-native:monitor:ScheduledQueryRule', 'dev-oom-killed');
    assert.deepEqual(rule.inputs.scopes, [WORKSPACE_ID]);
    const [condition] = rule.inputs.criteria.allOf;
    assert.equal(condition.query, oomKilledQuery(CLUSTER_ID));
    assert.match(condition.query, /where ClusterId =~ '.+\/managedClusters\/kit-dev'/);
    assert.match(condition.query, /tostring\(LastStatus\.reason\) == 'OOMKilled' and todatetime\(LastStatus\.finishedAt\) > ago\(15m\)/);
    assert.match(condition.query, /or ContainerStatusReason == 'OOMKilled'/);
    assert.deepEqual([condition.timeAggregation, condition.operator, condition.threshold], ['Count', 'GreaterThan', 0]);
  });

  it('tags every resource that takes tags, and parents every resource to the component', () => {
    for (const type of ['DataCollectionRule', 'ScheduledQueryRule']) {
      for (const resource of ofType(`azure-native:monitor:${type}`)) assert.deepEqual(resource.inputs.tags, TAGS, resource.name);
    }
    assert.equal(childrenOf('k8s-platform-kit:azure:AksMonitoring::dev').length, 5);
  });
});

describe('AksMonitoring with every setting changed', () => {
  before(async () => {
    pulumi.runtime.setConfig(`${NS}:alertWebhookUrl`, WEBHOOK_URL);
    await monitoring(customized());
  });

  it('adds the extra log categories after the base ones, each once', () => {
    assert.deepEqual(one('azure-native:monitor:DiagnosticSetting', 'dev-control-plane-logs').inputs.logs.map((l: { category: string }) => l.category),
      ['kube-audit-admin', 'guard', 'kube-apiserver', 'kube-audit', 'cluster-autoscaler']);
  });

  it('creates a Global action group with the email receiver and the webhook read, still secret, from its secret config key', () => {
    const group = one('azure-native:monitor:ActionGroup', 'dev-alerts').inputs;
    assert.equal(group.location, 'Global');
    assert.equal(group.groupShortName, 'kitdevops');
    assert.equal(group.actionGroupName, 'ag-kit-dev');
    assert.deepEqual(group.emailReceivers, [{ name: 'platform team', emailAddress: 'platform-team@acme.dev', useCommonAlertSchema: true }]);
    // A secret inside a property makes the whole property secret: the engine gets the receivers wrapped.
    assert.equal(group.webhookReceivers[SECRET_SIG], SECRET_VALUE, 'the webhook receivers reach the engine marked secret');
    assert.deepEqual(group.webhookReceivers.value, [{ name: 'oncall', serviceUri: WEBHOOK_URL, useCommonAlertSchema: true }]);
    assert.deepEqual(group.tags, TAGS);
  });

  it('points both alert rules at the action group with the configured severity', () => {
    for (const rule of ofType('azure-native:monitor:ScheduledQueryRule')) {
      assert.deepEqual(rule.inputs.actions, { actionGroups: ['dev-alerts-id'] }, rule.name);
      assert.equal(rule.inputs.severity, 1, rule.name);
    }
  });
});

describe('containerInsightsRuleName', () => {
  it('is MSCI-<region>-<cluster>, cut to 64 characters without a trailing dash', () => {
    assert.equal(containerInsightsRuleName('westeurope', 'kit-dev'), 'MSCI-westeurope-kit-dev');
    assert.equal(containerInsightsRuleName('southeastasia', 'a'.repeat(50)), `MSCI-southeastasia-${'a'.repeat(45)}`);
    assert.equal(containerInsightsRuleName('southeastasia', `${'a'.repeat(44)}-${'b'.repeat(18)}`), `MSCI-southeastasia-${'a'.repeat(44)}`);
  });
});

describe('the schema of the new keys', () => {
  it('defaults: no extra log categories, Azure Policy on, Defender off, Image Cleaner 168h, rotation 2m, no alerts', () => {
    const cluster = devCluster();
    assert.deepEqual(cluster.extraLogCategories, []);
    assert.deepEqual(cluster.security, { azurePolicy: true, defender: false, imageCleanerIntervalHours: 168, keyVaultRotationPollInterval: '2m' });
    assert.equal(cluster.alerts, undefined);
  });

  it('alerts default to severity 2 and no receivers', () => {
    assert.deepEqual(azureCluster(devWith((c) => { c.alerts = {}; })).alerts, { severity: 2, email: [], webhook: [] });
  });

  it('fails on an unknown log category, naming the ones AKS has', () => {
    assert.deepEqual(problems(devWith((c) => { c.extraLogCategories = ['kube-audit', 'etcd']; })), [
      `${NS}:cluster.extraLogCategories[1]: got 'etcd'; expected an AKS control-plane log category: kube-apiserver, kube-audit, kube-audit-admin, kube-controller-manager, kube-scheduler, cluster-autoscaler, cloud-controller-manager, guard, csi-azuredisk-controller, csi-azurefile-controller, csi-snapshot-controller`,
    ]);
  });

  it('fails on an Image Cleaner interval outside 24 to 2160 hours', () => {
    for (const hours of [12, 2161]) {
      assert.deepEqual(problems(devWith((c) => { c.security = { imageCleanerIntervalHours: hours }; })), [
        `${NS}:cluster.security.imageCleanerIntervalHours: got ${hours}; expected 24 to 2160 hours (AKS allows one day to three months)`,
      ]);
    }
  });

  it('fails on a rotation poll interval that is not a duration', () => {
    assert.deepEqual(problems(devWith((c) => { c.security = { keyVaultRotationPollInterval: '2 minutes' }; })), [
      `${NS}:cluster.security.keyVaultRotationPollInterval: got '2 minutes'; expected a duration such as '2m' (a whole number and s, m or h)`,
    ]);
  });

  it('fails on an action group short name over 12 characters', () => {
    assert.deepEqual(problems(devWith((c) => { c.alerts = { groupShortName: 'platform-alerts' }; })), [
      `${NS}:cluster.alerts.groupShortName: got 'platform-alerts'; expected at most 12 characters (Azure Monitor's limit for an action group's short name)`,
    ]);
  });

  it('fails on a severity outside 0 to 4, a bad email address, a webhook URL written in the file, and duplicate receiver names', () => {
    assert.deepEqual(problems(devWith((c) => { c.alerts = { severity: 5 }; })), [`${NS}:cluster.alerts.severity: got 5; expected a severity from 0 to 4`]);
    assert.deepEqual(problems(devWith((c) => { c.alerts = { email: [{ name: 'team', address: 'not-an-address' }] }; })),
      [`${NS}:cluster.alerts.email[0].address: got 'not-an-address'; expected an email address`]);
    assert.deepEqual(problems(devWith((c) => { c.alerts = { webhook: [{ name: 'oncall', uri: WEBHOOK_URL }] }; })), [
      `${NS}:cluster.alerts.webhook[0].secretKey: is missing; expected a string`,
      `${NS}:cluster.alerts.webhook[0].uri: unknown key; expected one of name, secretKey`,
    ]);
    assert.deepEqual(problems(devWith((c) => {
      c.alerts = { email: [{ name: 'team', address: 'team@acme.dev' }], webhook: [{ name: 'team', secretKey: 'hook' }] };
    })), [`${NS}:cluster.alerts.webhook[0].name: got 'team'; expected a name no other receiver has (email[0] is also named so; Azure Monitor requires unique receiver names)`]);
  });
});
