/**
 * Unattended deploys (AKS, and the account pin on EKS), built with Pulumi mocks: the
 * deployer's AKS RBAC roles, the control plane and kubelet identities and their grants, the
 * kubeconfig converted for a non-interactive kubelogin login, the subscription and account
 * pins, tags, and each bad input's message.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { azureMock, mockPrincipalId, one, ofType, recorded, refOf, reset, settled, TEST_AZURE_CALLER, TEST_KUBECONFIG } from './_mocks.js';
import { APPS_SCHEMA, loadEnvironment, type Environment } from '../../charts/environment.js';
import { environmentTags, parseEnvironment, readStackConfig } from '../../constructs/environment/index.js';
import { platformStack } from '../../stacks/program.js';
import { gitopsOptionsFor } from './_gitops.js';
import {
  ACR_PULL_ROLE, AKS_CLUSTER_USER_ROLE, AKS_RBAC_CLUSTER_ADMIN_ROLE, AKS_RBAC_WRITER_ROLE, NETWORK_CONTRIBUTOR_ROLE, roleAssignmentName,
} from '../../stacks/aks.js';
import { AKS_SERVER_ID, assertUnattendedLogin, convertKubeconfig } from '../../stacks/_aks-login.js';

const NS = 'k8s-platform-kit';
const SUBSCRIPTION = '00000000-0000-4000-8000-000000000000';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const ASSIGNMENT = 'azure-native:authorization:RoleAssignment';
const MANAGED_CLUSTER = 'azure-native:containerservice:ManagedCluster';
const IDENTITY = 'azure-native:managedidentity:UserAssignedIdentity';
/** The id the mocks give the dev cluster. */
const CLUSTER_ID = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/kit-dev';
const REGISTRY_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-shared/providers/Microsoft.ContainerRegistry/registries/acmeshared`;
const roleId = (id: string) => `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${id}`;

/** What `listManagedClusterUserCredentials` (format exec) returns for an Entra ID cluster, as AKS writes it. */
const AKS_EXEC_KUBECONFIG = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t
    server: https://kit-dev-dns-1a2b3c4d.hcp.westeurope.azmk8s.io:443
  name: kit-dev
contexts:
- context:
    cluster: kit-dev
    user: clusterUser_rg-kit-dev_kit-dev
  name: kit-dev
current-context: kit-dev
kind: Config
preferences: {}
users:
- name: clusterUser_rg-kit-dev_kit-dev
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args:
      - get-token
      - --environment
      - AzurePublicCloud
      - --server-id
      - ${AKS_SERVER_ID}
      - --client-id
      - 80faf920-1908-4b52-b5ef-a8e7bedfc67a
      - --tenant-id
      - ${TENANT}
      - --login
      - devicecode
      command: kubelogin
      env: null
      installHint: |2

        kubelogin is not installed which is required to connect to AAD enabled cluster.

        To learn more, please go to https://aka.ms/aks/kubelogin
      provideClusterInfo: false
`;

interface Exec { apiVersion: string; command: string; args: string[]; installHint?: string; interactiveMode: string; env?: unknown }
/** The exec section of a kubeconfig's only user. */
function execOf(kubeconfig: string): Exec {
  const users = (parse(kubeconfig) as { users: { user: { exec: Exec } }[] }).users;
  assert.equal(users.length, 1);
  return users[0]!.user.exec;
}

/** Pulumi.<name>.yaml's settings with the cluster edited, loaded by the same loader. */
function edited(name: string, edit: (cluster: Record<string, any>) => void): Environment { // eslint-disable-line @typescript-eslint/no-explicit-any
  const config = structuredClone(readStackConfig(`Pulumi.${name}.yaml`));
  edit(config[`${NS}:cluster`] as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
  return parseEnvironment(name, config, { apps: APPS_SCHEMA, source: `Pulumi.${name}.yaml (edited)` });
}

/** The `key: message` line of the one problem an edit causes. */
function problemOf(name: string, edit: (cluster: Record<string, any>) => void): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    edited(name, edit);
  } catch (error) {
    const [first, line, ...rest] = (error as Error).message.split('\n');
    assert.equal(first, `Pulumi.${name}.yaml (edited): 1 configuration problem:`, (error as Error).message);
    assert.deepEqual(rest, []);
    return (line ?? '').trim();
  }
  return assert.fail('expected a configuration problem');
}

async function build(env: Environment) {
  reset();
  const platform = await platformStack(env, gitopsOptionsFor(env));
  await settled();
  return platform;
}

/** The exec section the Kubernetes provider's kubeconfig gives the cluster user. */
function providerExec(): Exec {
  return execOf(one('pulumi:providers:kubernetes', 'dev-k8s').inputs.kubeconfig.value as string);
}

describe('convertKubeconfig (kubelogin convert-kubeconfig -l <mode>)', () => {
  const hint = '\nkubelogin is not installed which is required to connect to AAD enabled cluster.\n\nTo learn more, please go to https://aka.ms/aks/kubelogin\n';
  const base = ['get-token', '--server-id', AKS_SERVER_ID];
  const convert = (mode: 'azurecli' | 'workloadidentity' | 'spn' | 'msi' | 'devicecode', clientId?: string) =>
    execOf(convertKubeconfig(AKS_EXEC_KUBECONFIG, { mode, ...(clientId !== undefined && { clientId }) }));

  it('azurecli: only the server id, the tenant left to the CLI login, never interactive', () => {
    assert.deepEqual(convert('azurecli'), {
      apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'kubelogin', args: ['get-token', '--login', 'azurecli', '--server-id', AKS_SERVER_ID], installHint: hint, interactiveMode: 'Never',
    });
  });

  it('workloadidentity: only the server id (client, tenant and token file come from AZURE_* variables), never interactive', () => {
    const exec = convert('workloadidentity');
    assert.deepEqual(exec.args, ['get-token', '--login', 'workloadidentity', '--server-id', AKS_SERVER_ID]);
    assert.equal(exec.interactiveMode, 'Never');
  });

  it('spn: the configured client id, the tenant and cloud of the original args, no secret in the kubeconfig', () => {
    const exec = convert('spn', '5d1b7c9e-2f3a-4b6c-8d7e-9f0a1b2c3d4e');
    assert.deepEqual(exec.args, ['get-token', '--login', 'spn', '--server-id', AKS_SERVER_ID, '--client-id', '5d1b7c9e-2f3a-4b6c-8d7e-9f0a1b2c3d4e', '--tenant-id', TENANT, '--environment', 'AzurePublicCloud']);
    assert.equal(exec.interactiveMode, 'Never');
    assert.equal(exec.args.includes('--client-secret'), false);
  });

  it('spn without clientId keeps the kubeconfig\'s client id (AZURE_CLIENT_ID overrides it when kubelogin runs)', () => {
    assert.deepEqual(convert('spn').args.slice(5, 7), ['--client-id', '80faf920-1908-4b52-b5ef-a8e7bedfc67a']);
  });

  it('msi: a user-assigned identity by client id, or the system-assigned one without', () => {
    assert.deepEqual(convert('msi', '5d1b7c9e-2f3a-4b6c-8d7e-9f0a1b2c3d4e').args, ['get-token', '--login', 'msi', '--server-id', AKS_SERVER_ID, '--client-id', '5d1b7c9e-2f3a-4b6c-8d7e-9f0a1b2c3d4e']);
    assert.deepEqual(convert('msi').args, ['get-token', '--login', 'msi', '--server-id', AKS_SERVER_ID]);
    assert.equal(convert('msi').interactiveMode, 'Never');
  });

  it('devicecode: the AKS client id, tenant and cloud, and interactive when a terminal is there', () => {
    const exec = convert('devicecode');
    assert.deepEqual(exec.args, ['get-token', '--login', 'devicecode', '--server-id', AKS_SERVER_ID, '--client-id', '80faf920-1908-4b52-b5ef-a8e7bedfc67a', '--tenant-id', TENANT, '--environment', 'AzurePublicCloud']);
    assert.equal(exec.interactiveMode, 'IfAvailable');
  });

  it('keeps the clusters, contexts and current context, and drops nothing else of the user', () => {
    const before = parse(AKS_EXEC_KUBECONFIG) as Record<string, unknown>;
    const after = parse(convertKubeconfig(AKS_EXEC_KUBECONFIG, { mode: 'azurecli' })) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const key of ['clusters', 'contexts', 'current-context', 'kind', 'apiVersion']) assert.deepEqual(after[key], before[key], key);
    assert.equal(after.users[0].name, 'clusterUser_rg-kit-dev_kit-dev');
    assert.deepEqual(base.every((a) => after.users[0].user.exec.args.includes(a)), true);
  });

  it('returns a kubeconfig without a kubelogin user unchanged', () => {
    assert.equal(convertKubeconfig(TEST_KUBECONFIG, { mode: 'spn' }), TEST_KUBECONFIG);
    const token = 'apiVersion: v1\nkind: Config\nusers:\n  - name: ci\n    user:\n      token: abc\n';
    assert.equal(convertKubeconfig(token, { mode: 'azurecli' }), token);
  });

  it('throws if the spn login needs a tenant the kubeconfig does not have', () => {
    const noTenant = AKS_EXEC_KUBECONFIG.replace(`      - --tenant-id\n      - ${TENANT}\n`, '');
    assert.throws(() => convertKubeconfig(noTenant, { mode: 'spn' }), {
      message: "the AKS kubeconfig's user 'clusterUser_rg-kit-dev_kit-dev' has no --tenant-id in its kubelogin args, and the 'spn' login needs it "
        + `(["get-token","--environment","AzurePublicCloud","--server-id","${AKS_SERVER_ID}","--client-id","80faf920-1908-4b52-b5ef-a8e7bedfc67a","--login","devicecode"])`,
    });
  });
});

describe('assertUnattendedLogin', () => {
  it('throws if the login is devicecode and CI=true, naming the key, the value and the non-interactive modes', () => {
    assert.throws(() => assertUnattendedLogin('devicecode', { CI: 'true' }), {
      message: "k8s-platform-kit:cluster.login.mode is 'devicecode', an interactive login, but CI=true: no one can answer its prompt in a pipeline, "
        + "so the deploy would hang; set it to one of 'azurecli', 'workloadidentity', 'spn', 'msi'",
    });
  });

  it('lets devicecode run outside CI, and every non-interactive mode in CI', () => {
    assertUnattendedLogin('devicecode', {});
    assertUnattendedLogin('devicecode', { CI: 'false' });
    for (const mode of ['azurecli', 'workloadidentity', 'spn', 'msi'] as const) assertUnattendedLogin(mode, { CI: 'true' });
  });
});

describe('roleAssignmentName', () => {
  it('is a version-5 UUID of scope, role and principal: the same grant always gets the same name, another grant another', () => {
    const name = roleAssignmentName(CLUSTER_ID, roleId(AKS_CLUSTER_USER_ROLE), TEST_AZURE_CALLER.objectId);
    assert.match(name, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(roleAssignmentName(CLUSTER_ID.toUpperCase(), roleId(AKS_CLUSTER_USER_ROLE), TEST_AZURE_CALLER.objectId), name, 'ARM ids are case-insensitive');
    assert.notEqual(roleAssignmentName(CLUSTER_ID, roleId(AKS_RBAC_CLUSTER_ADMIN_ROLE), TEST_AZURE_CALLER.objectId), name);
    assert.notEqual(roleAssignmentName(`${CLUSTER_ID}/namespaces/todo`, roleId(AKS_CLUSTER_USER_ROLE), TEST_AZURE_CALLER.objectId), name);
  });
});

describe('dev (AKS) defaults: user-assigned identity, deployer cluster-admin, azurecli login', () => {
  before(async () => {
    azureMock.userKubeconfig = AKS_EXEC_KUBECONFIG;
    await build(loadEnvironment('dev'));
  });
  after(() => {
    azureMock.userKubeconfig = TEST_KUBECONFIG;
  });

  it('pins the Azure provider to cluster.subscriptionId', () => {
    assert.equal(one('pulumi:providers:azure-native', 'dev-azure').inputs.subscriptionId, SUBSCRIPTION);
  });

  it('runs the control plane as the user-assigned identity id-kit-dev', () => {
    assert.deepEqual(one(IDENTITY, 'dev-identity').inputs, {
      resourceGroupName: 'rg-kit-dev', location: 'westeurope', resourceName: 'id-kit-dev', tags: environmentTags('azure', 'dev', 'dev'),
    });
    assert.deepEqual(one(MANAGED_CLUSTER, 'dev-cluster').inputs.identity, { type: 'UserAssigned', userAssignedIdentities: ['dev-identity-id'] });
  });

  it('grants the identity Network Contributor on the node subnet, and creates the ManagedCluster only after that grant', () => {
    const network = one(ASSIGNMENT, 'dev-network');
    assert.deepEqual(network.inputs, {
      roleAssignmentName: roleAssignmentName('dev-nodes-id', roleId(NETWORK_CONTRIBUTOR_ROLE), mockPrincipalId('dev-identity')),
      principalId: mockPrincipalId('dev-identity'),
      principalType: 'ServicePrincipal',
      roleDefinitionId: roleId(NETWORK_CONTRIBUTOR_ROLE),
      scope: 'dev-nodes-id',
    });
    assert.deepEqual(one(MANAGED_CLUSTER, 'dev-cluster').dependsOn, [refOf(network)]);
  });

  it('grants the identity running pulumi up (a User with azurecli) the Cluster User Role and AKS RBAC Cluster Admin on the cluster, under deterministic names', () => {
    const user = one(ASSIGNMENT, 'dev-deployer-user').inputs;
    assert.deepEqual(user, {
      roleAssignmentName: roleAssignmentName(CLUSTER_ID, roleId(AKS_CLUSTER_USER_ROLE), TEST_AZURE_CALLER.objectId),
      principalId: TEST_AZURE_CALLER.objectId,
      principalType: 'User',
      roleDefinitionId: roleId(AKS_CLUSTER_USER_ROLE),
      scope: CLUSTER_ID,
    });
    const admin = one(ASSIGNMENT, 'dev-deployer').inputs;
    assert.deepEqual([admin.principalId, admin.principalType, admin.roleDefinitionId, admin.scope], [TEST_AZURE_CALLER.objectId, 'User', roleId(AKS_RBAC_CLUSTER_ADMIN_ROLE), CLUSTER_ID]);
    assert.equal(admin.roleAssignmentName, roleAssignmentName(CLUSTER_ID, roleId(AKS_RBAC_CLUSTER_ADMIN_ROLE), TEST_AZURE_CALLER.objectId));
    assert.equal(ofType(ASSIGNMENT).some((a) => a.name === 'dev-acr-pull'), false, 'no registry, no AcrPull');
  });

  it('hands the Kubernetes provider a kubeconfig that logs in with azurecli and never prompts', () => {
    assert.deepEqual(providerExec().args, ['get-token', '--login', 'azurecli', '--server-id', AKS_SERVER_ID]);
    assert.equal(providerExec().interactiveMode, 'Never');
  });

  it('tags every Azure resource that takes tags with the kit\'s environment and tier', () => {
    const tags = { 'k8s-platform-kit.dev_environment': 'dev', 'k8s-platform-kit.dev_tier': 'dev' };
    for (const [type, name] of [
      ['azure-native:resources:ResourceGroup', 'dev-rg'], ['azure-native:network:VirtualNetwork', 'dev-vnet'], ['azure-native:operationalinsights:Workspace', 'dev-logs'],
      [MANAGED_CLUSTER, 'dev-cluster'], ['azure-native:containerservice:AgentPool', 'dev-apps'], [IDENTITY, 'dev-identity'],
    ] as const) assert.deepEqual(one(type, name).inputs.tags, tags, `${type} ${name}`);
    assert.deepEqual(one(MANAGED_CLUSTER, 'dev-cluster').inputs.agentPoolProfiles[0].tags, tags, 'the system pool');
  });
});

describe('dev (AKS) variants', () => {
  after(() => {
    azureMock.userKubeconfig = TEST_KUBECONFIG;
  });

  it('system-assigned: no identity resource, and the Network Contributor grant follows the cluster, for the cluster\'s own principal', async () => {
    await build(edited('dev', (c) => { c.identity = 'system-assigned'; }));
    assert.equal(ofType(IDENTITY).length, 0);
    const cluster = one(MANAGED_CLUSTER, 'dev-cluster');
    assert.deepEqual(cluster.inputs.identity, { type: 'SystemAssigned' });
    assert.deepEqual(cluster.dependsOn, []);
    const network = one(ASSIGNMENT, 'dev-network').inputs;
    assert.deepEqual([network.principalId, network.principalType, network.scope, network.roleDefinitionId], [mockPrincipalId('dev-cluster'), 'ServicePrincipal', 'dev-nodes-id', roleId(NETWORK_CONTRIBUTOR_ROLE)]);
  });

  it('writer in two namespaces: one namespace-scoped AKS RBAC Writer assignment each, none on the whole cluster', async () => {
    await build(edited('dev', (c) => { c.deployer = { role: 'writer', namespaces: ['todo', 'fleetman'] }; }));
    assert.equal(ofType(ASSIGNMENT).some((a) => a.name === 'dev-deployer'), false);
    for (const namespace of ['todo', 'fleetman']) {
      const assignment = one(ASSIGNMENT, `dev-deployer-${namespace}`).inputs;
      const scope = `${CLUSTER_ID}/namespaces/${namespace}`;
      assert.deepEqual([assignment.scope, assignment.roleDefinitionId, assignment.principalId], [scope, roleId(AKS_RBAC_WRITER_ROLE), TEST_AZURE_CALLER.objectId]);
      assert.equal(assignment.roleAssignmentName, roleAssignmentName(scope, roleId(AKS_RBAC_WRITER_ROLE), TEST_AZURE_CALLER.objectId));
    }
    assert.equal(one(ASSIGNMENT, 'dev-deployer-user').inputs.scope, CLUSTER_ID, 'the credentials are the cluster\'s');
  });

  it('registry: AcrPull on the registry for the kubelet identity, the role named in the registry\'s subscription', async () => {
    const shared = '6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
    const registry = REGISTRY_ID.replace(SUBSCRIPTION, shared);
    await build(edited('dev', (c) => { c.registry = { id: registry }; }));
    const pull = one(ASSIGNMENT, 'dev-acr-pull').inputs;
    const acrPull = `/subscriptions/${shared}/providers/Microsoft.Authorization/roleDefinitions/${ACR_PULL_ROLE}`;
    assert.deepEqual([pull.scope, pull.roleDefinitionId, pull.principalId, pull.principalType], [registry, acrPull, mockPrincipalId('dev-cluster-kubelet'), 'ServicePrincipal']);
  });

  it('login spn with a client id: the provider\'s kubelogin args carry it and the tenant, never a secret', async () => {
    azureMock.userKubeconfig = AKS_EXEC_KUBECONFIG;
    await build(edited('dev', (c) => { c.login = { mode: 'spn', clientId: '5d1b7c9e-2f3a-4b6c-8d7e-9f0a1b2c3d4e' }; }));
    assert.deepEqual(providerExec().args, ['get-token', '--login', 'spn', '--server-id', AKS_SERVER_ID, '--client-id', '5d1b7c9e-2f3a-4b6c-8d7e-9f0a1b2c3d4e', '--tenant-id', TENANT, '--environment', 'AzurePublicCloud']);
    assert.equal(providerExec().interactiveMode, 'Never');
    assert.equal(one(ASSIGNMENT, 'dev-deployer').inputs.principalType, 'ServicePrincipal', 'a service principal deploys');
  });

  it('deployer.principalType overrides the type the login mode implies', async () => {
    await build(edited('dev', (c) => { c.deployer = { principalType: 'ServicePrincipal' }; }));
    assert.deepEqual(['dev-deployer', 'dev-deployer-user'].map((n) => one(ASSIGNMENT, n).inputs.principalType), ['ServicePrincipal', 'ServicePrincipal']);
  });

  it('login workloadidentity: the provider\'s kubelogin args are the mode and the server id', async () => {
    azureMock.userKubeconfig = AKS_EXEC_KUBECONFIG;
    await build(edited('dev', (c) => { c.login = { mode: 'workloadidentity' }; }));
    assert.deepEqual(providerExec().args, ['get-token', '--login', 'workloadidentity', '--server-id', AKS_SERVER_ID]);
  });

  it('cluster.tags are merged over the kit\'s on every resource, and may override one of its keys', async () => {
    await build(edited('dev', (c) => { c.tags = { costCenter: 'cc-1234', 'k8s-platform-kit.dev_tier': 'sandbox' }; }));
    const tags = { 'k8s-platform-kit.dev_environment': 'dev', 'k8s-platform-kit.dev_tier': 'sandbox', costCenter: 'cc-1234' };
    assert.deepEqual(one('azure-native:resources:ResourceGroup', 'dev-rg').inputs.tags, tags);
    assert.deepEqual(one(MANAGED_CLUSTER, 'dev-cluster').inputs.tags, tags);
  });

  it('throws if the login is devicecode under CI=true, before any resource is registered', async () => {
    const env = edited('dev', (c) => { c.login = { mode: 'devicecode' }; });
    const ci = process.env.CI;
    process.env.CI = 'true';
    reset();
    try {
      await assert.rejects(platformStack(env), {
        message: "k8s-platform-kit:cluster.login.mode is 'devicecode', an interactive login, but CI=true: no one can answer its prompt in a pipeline, "
          + "so the deploy would hang; set it to one of 'azurecli', 'workloadidentity', 'spn', 'msi'",
      });
      await settled();
      assert.deepEqual(recorded.map(refOf), []);
    } finally {
      if (ci === undefined) delete process.env.CI;
      else process.env.CI = ci;
    }
  });

  it('fails, with no Azure resource registered, when the credentials resolve to another subscription', () => {
    // In a child process: the failure is the program's unhandled rejection, as under `pulumi up`.
    const script = `
      const mocks = await import('./test/stacks/_mocks.ts');
      const { loadEnvironment } = await import('./charts/environment.ts');
      const { platformStack } = await import('./stacks/program.ts');
      mocks.azureMock.caller.subscriptionId = '11111111-2222-4333-8444-555555555555';
      process.on('unhandledRejection', (error) => {
        const azure = mocks.recorded.filter((r) => r.type.startsWith('azure-native:')).map((r) => r.type);
        console.log(JSON.stringify({ message: error.message, azure }));
        process.exit(1);
      });
      await platformStack(loadEnvironment('dev'));
      await mocks.settled();`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, CI: '' } });
    assert.equal(run.status, 1, run.stderr);
    const { message, azure } = JSON.parse(run.stdout.trim().split('\n').pop()!) as { message: string; azure: string[] };
    assert.match(message, /AksCluster 'dev': k8s-platform-kit:cluster\.subscriptionId is '00000000-0000-4000-8000-000000000000' but the Azure credentials are for subscription '11111111-2222-4333-8444-555555555555'; nothing was deployed: use credentials for '00000000-0000-4000-8000-000000000000', or correct the key$/);
    assert.deepEqual(azure, [], 'no Azure resource reached the engine');
  });
});

describe('staging (EKS): the account pin and tags', () => {
  before(async () => {
    await build(edited('staging', (c) => { c.tags = { costCenter: 'cc-1234' }; }));
  });

  it('passes allowedAccountIds to the AWS provider, and the merged tags as its default tags', () => {
    const provider = one('pulumi:providers:aws', 'staging-aws').inputs;
    assert.deepEqual(JSON.parse(provider.allowedAccountIds), ['111122223333']);
    assert.deepEqual(JSON.parse(provider.defaultTags).tags, { 'k8s-platform-kit.dev/environment': 'staging', 'k8s-platform-kit.dev/tier': 'staging', costCenter: 'cc-1234' });
  });
});

describe('bad input', () => {
  const key = (k: string) => `${NS}:cluster.${k}`;

  it('fails if login.mode is not a kubelogin mode, listing the modes', () => {
    assert.equal(problemOf('dev', (c) => { c.login = { mode: 'browser' }; }),
      `${key('login.mode')}: got 'browser'; expected one of 'azurecli', 'workloadidentity', 'spn', 'msi', 'devicecode'`);
  });

  it('fails if subscriptionId is not a UUID, or missing', () => {
    assert.equal(problemOf('dev', (c) => { c.subscriptionId = 'my-subscription'; }),
      `${key('subscriptionId')}: got 'my-subscription'; expected an Azure subscription id (a UUID such as '00000000-0000-4000-8000-000000000000')`);
    assert.equal(problemOf('dev', (c) => { delete c.subscriptionId; }),
      `${key('subscriptionId')}: is missing; expected an Azure subscription id (a UUID such as '00000000-0000-4000-8000-000000000000')`);
  });

  it('fails if an allowed account id is not 12 digits', () => {
    assert.equal(problemOf('staging', (c) => { c.allowedAccountIds = ['1111-2222-3333']; }),
      `${key('allowedAccountIds[0]')}: got '1111-2222-3333'; expected a 12-digit AWS account id such as '111122223333'`);
  });

  it('fails if a staging or prod stack has no allowedAccountIds', () => {
    for (const name of ['staging', 'prod']) {
      assert.equal(problemOf(name, (c) => { delete c.allowedAccountIds; }),
        `${key('allowedAccountIds')}: is missing; a ${name} stack must list the AWS accounts it may deploy to, so that credentials for any other account fail before a change`);
    }
  });

  it('fails if registry.id is not an ACR resource id, naming the expected shape', () => {
    assert.equal(problemOf('dev', (c) => { c.registry = { id: 'acmeshared.azurecr.io' }; }),
      `${key('registry.id')}: got 'acmeshared.azurecr.io'; expected an Azure Container Registry resource id: /subscriptions/<uuid>/resourceGroups/<rg>/providers/Microsoft.ContainerRegistry/registries/<name>`);
  });

  it('fails if identity or deployer.role is not one of its values', () => {
    assert.equal(problemOf('dev', (c) => { c.identity = 'none'; }), `${key('identity')}: got 'none'; expected one of 'user-assigned', 'system-assigned'`);
    assert.equal(problemOf('dev', (c) => { c.deployer = { role: 'owner' }; }), `${key('deployer.role')}: got 'owner'; expected one of 'cluster-admin', 'admin', 'writer'`);
  });

  it('fails if the cluster-admin deployer lists namespaces', () => {
    assert.equal(problemOf('dev', (c) => { c.deployer = { namespaces: ['todo'] }; }),
      `${key('deployer.namespaces')}: is ["todo"]; cluster-admin is cluster-wide: use role admin or writer for a namespaced deployer, or leave namespaces out`);
  });

  it('fails if login.clientId is set for a mode that takes none', () => {
    assert.equal(problemOf('dev', (c) => { c.login = { mode: 'azurecli', clientId: '5d1b7c9e-2f3a-4b6c-8d7e-9f0a1b2c3d4e' }; }),
      `${key('login.clientId')}: is set but mode is 'azurecli'; only the spn and msi logins take a client id`);
  });

  it('fails if a tag breaks its cloud\'s rules: an Azure name with /, an AWS key over 128 characters or starting with aws:, a value over 256', () => {
    assert.equal(problemOf('dev', (c) => { c.tags = { 'team/owner': 'payments' }; }),
      `${key('tags["team/owner"]')}: the tag name 'team/owner' contains '/'; Azure tag names may not contain < > % & \\ ? /`);
    const long = 'k'.repeat(129);
    assert.equal(problemOf('staging', (c) => { c.tags = { [long]: 'x' }; }), `${key(`tags.${long}`)}: the tag name is 129 characters; AWS takes 1 to 128`);
    assert.equal(problemOf('staging', (c) => { c.tags = { 'aws:owner': 'x' }; }), `${key('tags["aws:owner"]')}: the tag key 'aws:owner' starts with 'aws:', a prefix AWS reserves for its own tags`);
    assert.equal(problemOf('dev', (c) => { c.tags = { owner: 'v'.repeat(257) }; }), `${key('tags.owner')}: the tag value is 257 characters; Azure takes at most 256`);
  });
});
