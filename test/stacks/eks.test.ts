/**
 * The EKS environments (staging, prod) built with Pulumi mocks: the network, the hardened
 * control plane, identity, add-ons and node groups, each controller's whole chain (IAM role,
 * policy, Pod Identity association, and the release whose ServiceAccount it binds), Velero's
 * bucket, GPU pools, access entries, and what blue/green pool changes do.
 */
import * as pulumi from '@pulumi/pulumi';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { childrenOf, find, one, ofType, recorded, refOf, reset, settled, TEST_ACCOUNT, TEST_ADDON_VERSION, TEST_CLUSTER_SECURITY_GROUP, valueOf, type Recorded } from './_mocks.js';
import { gitopsOptionsFor } from './_gitops.js';
import { buildApp } from '../../charts/app.js';
import { APPS_SCHEMA, loadEnvironment, type Environment } from '../../charts/environment.js';
import { platformStack, type Platform } from '../../stacks/program.js';
import { EKS_LOG_TYPES, nodeUserData } from '../../stacks/eks.js';
import type { EksCluster } from '../../stacks/eks.js';
import {
  awsLoadBalancerControllerPolicy, clusterAutoscalerPolicy, externalDnsPolicy, veleroPolicy, type PolicyDocument,
} from '../../stacks/_aws-policies.js';
import {
  EKS_MANAGED_ADDONS, parseEnvironment, readStackConfig, type AwsEnvironment, type AwsNodePool,
} from '../../constructs/environment/index.js';
import {
  AwsLoadBalancerController, ClusterAutoscaler, collectObjects, ExternalDns, HelmChart, Velero, type ControllerIdentity, type ManifestObject,
} from '../../constructs/index.js';

async function build(env: Environment): Promise<Platform> {
  reset();
  const platform = await platformStack(env, gitopsOptionsFor(env));
  await settled();
  return platform;
}

const CLUSTER = 'aws:eks/cluster:Cluster';
const NODE_GROUP = 'aws:eks/nodeGroup:NodeGroup';
const ADDON = 'aws:eks/addon:Addon';
const ROLE = 'aws:iam/role:Role';
const ROLE_POLICY = 'aws:iam/rolePolicy:RolePolicy';
const POD_IDENTITY = 'aws:eks/podIdentityAssociation:PodIdentityAssociation';
const ACCESS_ENTRY = 'aws:eks/accessEntry:AccessEntry';
const ACCESS_POLICY = 'aws:eks/accessPolicyAssociation:AccessPolicyAssociation';
const KMS_KEY = 'aws:kms/key:Key';
const BUCKET = 'aws:s3/bucket:Bucket';
const HELM_RELEASE = 'kubernetes:helm.sh/v3:Release';
const K8S_PROVIDER = 'pulumi:providers:kubernetes';
const EKS_COMPONENT = 'k8s-platform-kit:aws:EksCluster';
const NS = 'k8s-platform-kit';
/** prod's zones, each with a node group of every pool. */
const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

/** The role the mocked caller (an assumed-role session of `kit-deployer`) resolves to through `aws.iam.getSessionContext`. */
const DEPLOYER_ARN = `arn:aws:iam::${TEST_ACCOUNT}:role/kit-deployer`;
/** The ARN the mocks give the cluster named `name` (stacks/_aws-policies.ts checks its form). */
const clusterArn = (name: string) => `arn:aws:eks:eu-west-1:${TEST_ACCOUNT}:cluster/${name}`;
/** The ARN the mocks give an IAM role (and every resource without a type of its own) named `name`. */
const mockArn = (name: string) => `arn:aws:mock:::${name}`;

/** A repository environment, checked to be on EKS. */
function awsEnvironment(name: string): AwsEnvironment<Environment['apps']> {
  const env = loadEnvironment(name);
  if (env.cloud !== 'aws') throw new Error(`${name} is expected on AWS`);
  return env;
}

/**
 * A repository environment with its cluster settings edited as a stack file would be, then
 * loaded by the same loader (so the schema's defaults and the rules apply to the edit).
 */
function editedEnvironment(name: string, edit: (cluster: Record<string, any>) => void): AwsEnvironment<Environment['apps']> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const config = structuredClone(readStackConfig(`Pulumi.${name}.yaml`));
  edit(config[`${NS}:cluster`] as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
  const env = parseEnvironment(name, config, { apps: APPS_SCHEMA, source: `Pulumi.${name}.yaml (edited)` });
  if (env.cloud !== 'aws') throw new Error(`${name} is expected on AWS`);
  return env;
}

/** The parsed JSON of a recorded input (an IAM or key policy, an add-on's configuration). */
const json = (record: Recorded, input: string): any => JSON.parse(record.inputs[input]); // eslint-disable-line @typescript-eslint/no-explicit-any

/** A Flux HelmRelease of the App, by chart (exactly one). */
type Release = ManifestObject & { spec: { chart: { spec: { chart: string } }; values: Record<string, any> } }; // eslint-disable-line @typescript-eslint/no-explicit-any
function releaseOf(objects: readonly ManifestObject[], chart: HelmChart): Release {
  const found = objects.filter((o) => o.kind === 'HelmRelease' && (o as Release).spec?.chart?.spec?.chart === chart.name);
  assert.equal(found.length, 1, `one HelmRelease of chart ${chart.name}; found ${found.length}`);
  return found[0] as Release;
}

/** A controller the EKS stack gives an IAM role, and the chart that runs it. */
interface Controller {
  /** The stack's id for it: `<env>-<id>` names its role, policy and association. */
  readonly id: string;
  readonly identity: ControllerIdentity;
  readonly chart: HelmChart;
  /** The ServiceAccount name in the chart's values (each chart has its own key). */
  readonly serviceAccount: (values: Record<string, any>) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const LBC: Controller = {
  id: 'aws-load-balancer-controller', identity: AwsLoadBalancerController.IDENTITY, chart: HelmChart.AWS_LOAD_BALANCER_CONTROLLER,
  serviceAccount: (values) => values.serviceAccount?.create === true && values.serviceAccount.name,
};
const AUTOSCALER: Controller = {
  id: 'cluster-autoscaler', identity: ClusterAutoscaler.IDENTITY, chart: HelmChart.CLUSTER_AUTOSCALER,
  serviceAccount: (values) => values.rbac?.serviceAccount?.create === true && values.rbac.serviceAccount.name,
};
const EXTERNAL_DNS: Controller = {
  id: 'external-dns', identity: ExternalDns.IDENTITY, chart: HelmChart.EXTERNAL_DNS,
  serviceAccount: (values) => values.serviceAccount?.create === true && values.serviceAccount.name,
};
const VELERO: Controller = {
  id: 'velero', identity: Velero.IDENTITY, chart: HelmChart.VELERO,
  serviceAccount: (values) => values.serviceAccount?.server?.create === true && values.serviceAccount.server.name,
};

/**
 * The cloud half of a controller, as registered: a role only EKS Pod Identity can assume, its
 * inline policy (exactly `policy`), and the association of that role with the controller's
 * ServiceAccount, which waits for the Pod Identity agent and for the policy; all three children
 * of the EksCluster component.
 */
function assertControllerIdentity(env: string, clusterName: string, controller: Controller, policy: PolicyDocument): void {
  const name = `${env}-${controller.id}`;
  const role = one(ROLE, name);
  assert.deepEqual(json(role, 'assumeRolePolicy').Statement, [
    { Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] },
  ], `${name}: only EKS Pod Identity assumes the role`);
  const rolePolicy = one(ROLE_POLICY, name);
  assert.equal(rolePolicy.inputs.role, `${name}-id`, `${name}: the policy is the role's (its id)`);
  assert.deepEqual(json(rolePolicy, 'policy'), policy, `${name}: the policy document of stacks/_aws-policies.ts`);
  const association = one(POD_IDENTITY, name);
  assert.deepEqual(
    { clusterName: association.inputs.clusterName, namespace: association.inputs.namespace, serviceAccount: association.inputs.serviceAccount, roleArn: association.inputs.roleArn },
    { clusterName, ...controller.identity, roleArn: mockArn(name) },
    `${name}: the association binds the role to ${controller.identity.namespace}/${controller.identity.serviceAccount}`,
  );
  assert.deepEqual([...association.dependsOn].sort(), [`${ADDON}::${env}-eks-pod-identity-agent`, refOf(rolePolicy)].sort(),
    `${name}: the association waits for the Pod Identity agent and for the policy`);
  for (const r of [role, rolePolicy, association]) assert.equal(r.parent, `${EKS_COMPONENT}::${env}`, `${r.type} ${name} is a child of the EksCluster`);
}

/** The App's release of a controller: in the controller's namespace, creating the ServiceAccount the association names. */
function assertControllerRelease(objects: readonly ManifestObject[], controller: Controller): void {
  const release = releaseOf(objects, controller.chart);
  assert.equal(release.metadata?.namespace, controller.identity.namespace, `${controller.chart.name} is released into ${controller.identity.namespace}`);
  assert.equal(controller.serviceAccount(release.spec.values), controller.identity.serviceAccount,
    `${controller.chart.name} creates the ServiceAccount ${controller.identity.serviceAccount} the Pod Identity association names`);
}

describe('prod (EKS, three zones)', () => {
  let platform: Platform;
  let eks: EksCluster;
  before(async () => {
    platform = await build(loadEnvironment('prod'));
    eks = platform.cluster as EksCluster;
  });

  it('spreads public and private subnets and one NAT gateway per zone over the three zones', () => {
    const subnets = ofType('aws:ec2/subnet:Subnet');
    assert.deepEqual(subnets.map((s) => s.inputs.availabilityZone).sort(), ['eu-west-1a', 'eu-west-1a', 'eu-west-1b', 'eu-west-1b', 'eu-west-1c', 'eu-west-1c']);
    assert.deepEqual(subnets.filter((s) => s.name.includes('private')).map((s) => s.inputs.cidrBlock), ['10.40.0.0/19', '10.40.32.0/19', '10.40.64.0/19']);
    assert.deepEqual(subnets.filter((s) => s.name.includes('public')).map((s) => s.inputs.cidrBlock), ['10.40.224.0/22', '10.40.228.0/22', '10.40.232.0/22']);
    assert.equal(one('aws:ec2/subnet:Subnet', 'prod-private-eu-west-1a').inputs.tags['kubernetes.io/role/internal-elb'], '1');
    assert.equal(one('aws:ec2/subnet:Subnet', 'prod-public-eu-west-1a').inputs.tags['kubernetes.io/role/elb'], '1');
    assert.equal(ofType('aws:ec2/natGateway:NatGateway').length, 3);
    const privateRoutes = ofType('aws:ec2/routeTable:RouteTable').filter((r) => r.name.startsWith('prod-private-'));
    assert.equal(new Set(privateRoutes.map((r) => r.inputs.routes[0].natGatewayId)).size, 3, 'each zone routes through its own NAT gateway');
  });

  it('creates a cluster with a private-only endpoint, KMS-encrypted Secrets and every log type', () => {
    const cluster = one(CLUSTER, 'prod-cluster');
    assert.equal(cluster.inputs.name, 'kit-prod');
    assert.equal(cluster.inputs.version, '1.34');
    assert.equal(cluster.inputs.vpcConfig.endpointPrivateAccess, true);
    assert.equal(cluster.inputs.vpcConfig.endpointPublicAccess, false);
    assert.equal(cluster.inputs.vpcConfig.subnetIds.length, 3);
    assert.deepEqual(cluster.inputs.encryptionConfig.resources, ['secrets']);
    assert.equal(cluster.inputs.encryptionConfig.provider.keyArn, 'arn:aws:kms:eu-west-1:111122223333:key/prod-secrets');
    assert.deepEqual(cluster.inputs.enabledClusterLogTypes, [...EKS_LOG_TYPES]);
    assert.equal(one('aws:kms/key:Key', 'prod-secrets').inputs.enableKeyRotation, true);
    assert.equal(one('aws:cloudwatch/logGroup:LogGroup', 'prod-control-plane').inputs.retentionInDays, 365);
    assert.equal(one('aws:cloudwatch/logGroup:LogGroup', 'prod-control-plane').inputs.name, '/aws/eks/kit-prod/cluster');
  });

  it('registers the OIDC provider for IRSA and the Pod Identity agent', () => {
    const oidc = one('aws:iam/openIdConnectProvider:OpenIdConnectProvider', 'prod-oidc');
    assert.equal(oidc.inputs.url, 'https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF');
    assert.deepEqual(oidc.inputs.clientIdLists, ['sts.amazonaws.com']);
    assert.ok(one(ADDON, 'prod-eks-pod-identity-agent'));
  });

  it('installs the add-ons: VPC CNI with prefix delegation, CoreDNS, kube-proxy, and EBS CSI with its IRSA role', () => {
    assert.deepEqual(ofType(ADDON).map((a) => a.inputs.addonName).sort(), ['aws-ebs-csi-driver', 'coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni']);
    const cni = one(ADDON, 'prod-vpc-cni');
    assert.deepEqual(JSON.parse(cni.inputs.configurationValues).env, { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' });
    assert.equal(cni.inputs.serviceAccountRoleArn, 'arn:aws:mock:::prod-vpc-cni');
    const ebs = one(ADDON, 'prod-aws-ebs-csi-driver');
    assert.equal(ebs.inputs.serviceAccountRoleArn, 'arn:aws:mock:::prod-ebs-csi');
    const trust = JSON.parse(one('aws:iam/role:Role', 'prod-ebs-csi').inputs.assumeRolePolicy);
    assert.deepEqual(trust.Statement[0].Condition.StringEquals, {
      'oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF:sub': 'system:serviceaccount:kube-system:ebs-csi-controller-sa',
      'oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF:aud': 'sts.amazonaws.com',
    });
    assert.equal(one('aws:iam/rolePolicyAttachment:RolePolicyAttachment', 'prod-ebs-csi').inputs.policyArn, 'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy');
  });

  it('creates one managed node group per pool and zone, labelled and tainted from config', () => {
    assert.deepEqual(ofType(NODE_GROUP).map((n) => n.name).sort(), [...ZONES.map((z) => `prod-general-${z}`), ...ZONES.map((z) => `prod-spot-${z}`)]);
    for (const zone of ZONES) {
      const general = one(NODE_GROUP, `prod-general-${zone}`);
      assert.equal(general.inputs.nodeGroupName, undefined, 'a prefix, not a fixed name, so a replacement can be created before the old group is deleted');
      assert.equal(general.inputs.version, '1.34');
      assert.equal(general.inputs.capacityType, 'ON_DEMAND');
      assert.deepEqual(general.inputs.instanceTypes, ['m6i.xlarge']);
      assert.equal(general.inputs.amiType, 'AL2023_x86_64_STANDARD');
      assert.deepEqual(general.inputs.labels, { 'k8s-platform-kit.dev/pool': 'general' }, 'no zone label of its own: the zone groups of a pool stay similar for the autoscaler');
      const spot = one(NODE_GROUP, `prod-spot-${zone}`);
      assert.equal(spot.inputs.capacityType, 'SPOT');
      assert.deepEqual(spot.inputs.taints, [{ key: 'capacity', value: 'spot', effect: 'NO_SCHEDULE' }]);
      assert.deepEqual(spot.inputs.labels, { capacity: 'spot', 'k8s-platform-kit.dev/pool': 'spot' });
    }
  });

  it("puts each zone's node group in that zone's private subnet only", () => {
    for (const pool of ['general', 'spot']) {
      for (const zone of ZONES) assert.deepEqual(one(NODE_GROUP, `prod-${pool}-${zone}`).inputs.subnetIds, [`prod-private-${zone}-id`], `${pool} ${zone}`);
    }
  });

  it("splits each pool's min, desired and max over its zones, earlier zones getting the remainder, every max at least 1", () => {
    const scaling = (pool: string) => ZONES.map((zone) => one(NODE_GROUP, `prod-${pool}-${zone}`).inputs.scalingConfig);
    assert.deepEqual(scaling('general'), [
      { minSize: 2, desiredSize: 2, maxSize: 3 },
      { minSize: 1, desiredSize: 1, maxSize: 3 },
      { minSize: 1, desiredSize: 1, maxSize: 3 },
    ], 'general: 4/4/9 over three zones');
    assert.deepEqual(scaling('spot'), ZONES.map(() => ({ minSize: 0, desiredSize: 0, maxSize: 2 })), 'spot: 0/0/6 over three zones');
  });

  it("keeps one launch template per pool, shared by the pool's zone groups", () => {
    assert.deepEqual(ofType('aws:ec2/launchTemplate:LaunchTemplate').map((t) => t.name).sort(), ['prod-general', 'prod-spot']);
    for (const zone of ZONES) {
      assert.deepEqual(one(NODE_GROUP, `prod-general-${zone}`).inputs.launchTemplate, { id: 'prod-general-id', version: one(NODE_GROUP, 'prod-general-eu-west-1a').inputs.launchTemplate.version });
    }
  });

  it('requires IMDSv2 with hop limit 1, encrypts the root volume and sets max-pods in every launch template', () => {
    for (const template of ofType('aws:ec2/launchTemplate:LaunchTemplate')) {
      assert.deepEqual(template.inputs.metadataOptions, { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 });
      assert.equal(template.inputs.blockDeviceMappings[0].ebs.encrypted, 'true');
      assert.equal(Buffer.from(template.inputs.userData, 'base64').toString(), nodeUserData(110));
    }
    assert.equal(one('aws:ec2/launchTemplate:LaunchTemplate', 'prod-general').inputs.blockDeviceMappings[0].ebs.volumeSize, 100);
    assert.match(nodeUserData(110), /kind: NodeConfig[\s\S]*maxPods: 110/);
  });

  it('parents every cloud resource to the EksCluster component', async () => {
    assert.deepEqual(Object.keys(eks.nodeGroups), ['general', 'spot']);
    assert.deepEqual(Object.keys(eks.nodeGroups.general ?? {}), ZONES);
    const urn = await valueOf(eks.nodeGroups.general!['eu-west-1b']!.urn);
    assert.match(urn, /::k8s-platform-kit:aws:EksCluster\$aws:eks\/nodeGroup:NodeGroup::prod-general-eu-west-1b$/);
    assert.match(await valueOf(eks.cluster.urn), /k8s-platform-kit:aws:EksCluster\$aws:eks\/cluster:Cluster::prod-cluster$/);
  });

  it('outputs the kubeconfig as a secret that authenticates with aws eks get-token', async () => {
    assert.equal(await pulumi.isSecret(eks.kubeconfig), true);
    const kubeconfig = JSON.parse(await valueOf(eks.kubeconfig));
    assert.equal(kubeconfig.clusters[0].cluster.server, 'https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com');
    assert.deepEqual(kubeconfig.users[0].user.exec.args, ['eks', 'get-token', '--cluster-name', 'kit-prod', '--region', 'eu-west-1', '--output', 'json']);
  });

  it('hands the cluster to Flux: the pinned flux2 chart, then the sync of dist/prod/flux (the per-chart Kustomizations)', () => {
    const flux = one('kubernetes:helm.sh/v3:Release', 'prod-gitops-flux');
    assert.equal(flux.inputs.chart, 'flux2');
    assert.equal(flux.inputs.version, '2.18.3');
    assert.equal(flux.inputs.repositoryOpts.repo, 'https://fluxcd-community.github.io/helm-charts');
    const sync = one('kubernetes:yaml/v2:ConfigGroup', 'prod-gitops-sync');
    assert.deepEqual(sync.inputs.objs.map((o: { kind: string }) => o.kind), ['GitRepository', 'Kustomization']);
    assert.equal(sync.inputs.objs[1].spec.path, './dist/prod/flux');
    assert.equal(recorded.filter((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup').length, 1, 'the apps themselves come from Git, not from Pulumi');
  });

  it('names each node group by a prefix (<cluster>-<pool>-<zone letter>-) and replaces its nodes one at a time by default', () => {
    for (const pool of ['general', 'spot']) {
      for (const [zone, letter] of ZONES.map((z) => [z, z.slice(-1)] as const)) {
        const group = one(NODE_GROUP, `prod-${pool}-${zone}`);
        assert.equal(group.inputs.nodeGroupNamePrefix, `kit-prod-${pool}-${letter}-`);
        assert.equal(group.inputs.nodeGroupName, undefined);
        assert.deepEqual(group.inputs.updateConfig, { maxUnavailable: 1 }, `${pool}: the schema's default updateConfig`);
      }
    }
  });

  it('tags every node group for Cluster Autoscaler discovery and leaves its desired size to the autoscaler (ignoreChanges)', () => {
    for (const group of ofType(NODE_GROUP)) {
      assert.deepEqual(group.inputs.tags, { 'k8s.io/cluster-autoscaler/enabled': 'true', 'k8s.io/cluster-autoscaler/kit-prod': 'owned' }, group.name);
      assert.deepEqual(group.ignoreChanges, ['scalingConfig.desiredSize'], group.name);
    }
  });

  it('creates the node groups only after the VPC CNI add-on and the node role\'s policies', () => {
    const attachments = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly'].map((p) => `aws:iam/rolePolicyAttachment:RolePolicyAttachment::prod-node-${p}`);
    for (const group of ofType(NODE_GROUP)) {
      assert.deepEqual([...group.dependsOn].sort(), [`${ADDON}::prod-vpc-cni`, ...attachments].sort(), group.name);
      assert.equal(group.inputs.nodeRoleArn, mockArn('prod-node'));
    }
  });

  it('takes each of the five EKS add-ons at the most recent version EKS lists for the cluster (getAddonVersion), none pinned', () => {
    assert.deepEqual(Object.keys(eks.addons).sort(), [...EKS_MANAGED_ADDONS].sort());
    for (const addon of EKS_MANAGED_ADDONS) {
      const registered = one(ADDON, `prod-${addon}`);
      assert.equal(registered.inputs.addonVersion, TEST_ADDON_VERSION, addon);
      assert.equal(registered.inputs.clusterName, 'kit-prod', addon);
    }
  });

  it('grants cluster-admin by access entry to the deployer (the session\'s role), not by the bootstrap grant, and to no one else unlisted', () => {
    const cluster = one(CLUSTER, 'prod-cluster');
    assert.deepEqual(cluster.inputs.accessConfig, { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false });
    assert.deepEqual(ofType(ACCESS_ENTRY).map((e) => e.name), ['prod-access-deployer']);
    const entry = one(ACCESS_ENTRY, 'prod-access-deployer');
    assert.deepEqual(entry.inputs, { clusterName: 'kit-prod', principalArn: DEPLOYER_ARN });
    const association = one(ACCESS_POLICY, 'prod-access-deployer');
    assert.equal(association.inputs.principalArn, DEPLOYER_ARN);
    assert.equal(association.inputs.policyArn, 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy');
    assert.deepEqual(association.inputs.accessScope, { type: 'cluster' });
    assert.deepEqual(association.dependsOn, [refOf(entry)], 'the association waits for its entry');
  });

  it('sets no public access CIDRs on the private-only endpoint', () => {
    const { vpcConfig } = one(CLUSTER, 'prod-cluster').inputs;
    assert.equal(vpcConfig.endpointPublicAccess, false);
    assert.equal('publicAccessCidrs' in vpcConfig, false, JSON.stringify(vpcConfig));
  });

  it('names the deployer as the Secrets key\'s administrator and the cluster role as its user', () => {
    const policy = json(one(KMS_KEY, 'prod-secrets'), 'policy');
    const statement = (sid: string) => policy.Statement.find((s: { Sid: string }) => s.Sid === sid);
    assert.deepEqual(policy.Statement.map((s: { Sid: string }) => s.Sid), ['KeyAdministrators', 'KeyUsersCluster', 'KeyUseThroughIam']);
    assert.deepEqual(statement('KeyAdministrators').Principal, { AWS: [DEPLOYER_ARN] }, 'prod lists no keyAdminArns');
    assert.ok(statement('KeyAdministrators').Action.includes('kms:ScheduleKeyDeletion'));
    assert.equal(statement('KeyAdministrators').Action.includes('kms:Decrypt'), false, 'administrators do not use the key');
    assert.deepEqual(statement('KeyUsersCluster').Principal, { AWS: [mockArn('prod-cluster')] });
    assert.equal(one(CLUSTER, 'prod-cluster').inputs.roleArn, mockArn('prod-cluster'), 'the key user is the cluster\'s role');
    assert.deepEqual(statement('KeyUsersCluster').Condition, { StringEquals: { 'kms:CallerAccount': TEST_ACCOUNT } });
    assert.deepEqual(statement('KeyUseThroughIam').Principal, { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` });
  });

  it('binds each controller (LBC, Cluster Autoscaler, external-dns, Velero) to its ServiceAccount: role, upstream policy, Pod Identity association, and the release in the GitOps App', () => {
    assert.deepEqual(Object.keys(eks.podIdentities).sort(), ['aws-load-balancer-controller', 'cluster-autoscaler', 'external-dns', 'velero']);
    assertControllerIdentity('prod', 'kit-prod', LBC, awsLoadBalancerControllerPolicy());
    assertControllerIdentity('prod', 'kit-prod', AUTOSCALER, clusterAutoscalerPolicy('kit-prod', clusterArn('kit-prod')));
    assertControllerIdentity('prod', 'kit-prod', EXTERNAL_DNS, externalDnsPolicy('arn:aws:route53:::hostedzone/Z0PRODEXAMPLE0000001'));
    assertControllerIdentity('prod', 'kit-prod', VELERO, veleroPolicy('arn:aws:s3:::acme-kit-prod-backups', `arn:aws:kms:eu-west-1:${TEST_ACCOUNT}:key/prod-backups`));

    // The scoping the documents carry, read back from what was registered.
    const statements = (id: string) => json(one(ROLE_POLICY, `prod-${id}`), 'policy').Statement as { Sid: string; Action: string[]; Resource: string[]; Condition?: unknown }[];
    const change = statements('external-dns').find((s) => s.Action.includes('route53:ChangeResourceRecordSets'));
    assert.deepEqual(change?.Resource, ['arn:aws:route53:::hostedzone/Z0PRODEXAMPLE0000001'], 'record changes only in the configured zone');
    const scale = statements('cluster-autoscaler').find((s) => s.Action.includes('autoscaling:SetDesiredCapacity'));
    assert.deepEqual(scale?.Condition, { StringEquals: { 'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true', 'aws:ResourceTag/k8s.io/cluster-autoscaler/kit-prod': 'owned' } });
    const describeGroups = statements('cluster-autoscaler').find((s) => s.Action.includes('eks:DescribeNodegroup'));
    assert.deepEqual(describeGroups?.Resource, [`arn:aws:eks:eu-west-1:${TEST_ACCOUNT}:nodegroup/kit-prod/*`]);

    // prod is gitops: the releases are not Pulumi resources but part of the App written to Git.
    const objects = collectObjects(buildApp(loadEnvironment('prod')).charts).map((input) => input.object);
    for (const controller of [LBC, AUTOSCALER, EXTERNAL_DNS, VELERO]) assertControllerRelease(objects, controller);
    assert.equal(ofType(HELM_RELEASE).some((r) => r.inputs.chart !== 'flux2'), false, 'only Flux is installed by Pulumi');
  });

  it('keeps Velero\'s backups in a protected, private, KMS-encrypted (own key), versioned, TLS-only bucket that expires them a week after the backup TTL', () => {
    const bucket = one(BUCKET, 'prod-backups');
    assert.equal(bucket.inputs.bucket, 'acme-kit-prod-backups');
    assert.equal(bucket.inputs.forceDestroy, false);
    assert.equal(bucket.protect, true);
    assert.equal(bucket.parent, `${EKS_COMPONENT}::prod`);

    const key = one(KMS_KEY, 'prod-backups');
    const keyArn = `arn:aws:kms:eu-west-1:${TEST_ACCOUNT}:key/prod-backups`;
    assert.equal(key.inputs.enableKeyRotation, true);
    assert.deepEqual(json(key, 'policy').Statement.map((s: { Sid: string }) => s.Sid), ['KeyAdministrators', 'KeyUseThroughIam'], 'a key of its own, not the Secrets key');
    assert.equal(one('aws:kms/alias:Alias', 'prod-backups').inputs.name, 'alias/eks/kit-prod/backups');

    const ofBucket = (type: string) => {
      const r = one(type, 'prod-backups');
      // The bucket's id (under the mocks, `<resource name>-id`; in AWS, the bucket's name).
      assert.equal(r.inputs.bucket, 'prod-backups-id', `${type} is on the backup bucket`);
      return r;
    };
    const block = ofBucket('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock').inputs;
    assert.deepEqual([block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets], [true, true, true, true]);
    assert.deepEqual(ofBucket('aws:s3/bucketOwnershipControls:BucketOwnershipControls').inputs.rule, { objectOwnership: 'BucketOwnerEnforced' });
    assert.deepEqual(ofBucket('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration').inputs.rules, [
      { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: keyArn }, bucketKeyEnabled: true },
    ]);
    const versioning = ofBucket('aws:s3/bucketVersioning:BucketVersioning');
    assert.deepEqual(versioning.inputs.versioningConfiguration, { status: 'Enabled' });
    const lifecycle = ofBucket('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration');
    assert.equal(loadEnvironment('prod').platform?.backups?.retention, '720h');
    assert.equal(lifecycle.inputs.rules.length, 1);
    assert.equal(lifecycle.inputs.rules[0].status, 'Enabled');
    assert.deepEqual(lifecycle.inputs.rules[0].expiration, { days: 37 }, '720h is 30 days, plus a week');
    assert.deepEqual(lifecycle.dependsOn, [refOf(versioning)], 'the lifecycle (with its noncurrent-version rule) waits for versioning');
    const tls = json(ofBucket('aws:s3/bucketPolicy:BucketPolicy'), 'policy');
    assert.deepEqual(tls.Statement, [{
      Sid: 'TlsOnly', Effect: 'Deny', Principal: '*', Action: 's3:*',
      Resource: ['arn:aws:s3:::acme-kit-prod-backups', 'arn:aws:s3:::acme-kit-prod-backups/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }]);
  });

  it('makes the Kubernetes provider (and so every Kubernetes resource) wait for the whole EksCluster component: add-ons, node groups, access entries, Pod Identity', () => {
    const provider = one(K8S_PROVIDER, 'prod-k8s');
    assert.deepEqual(provider.dependsOn, [`${EKS_COMPONENT}::prod`]);
    const children = childrenOf(`${EKS_COMPONENT}::prod`).map(refOf);
    for (const ref of [`${ADDON}::prod-coredns`, `${NODE_GROUP}::prod-general-eu-west-1a`, `${ACCESS_POLICY}::prod-access-deployer`, `${POD_IDENTITY}::prod-velero`]) {
      assert.ok(children.includes(ref), `${ref} is a child of the component the provider waits for`);
    }
    for (const r of recorded.filter((x) => x.type.startsWith('kubernetes:'))) {
      assert.equal(r.provider, refOf(provider), `${r.type}::${r.name} uses the provider`);
    }
  });

  it('outputs the OIDC issuer and provider, the VPC and its subnets, the node role, the cluster security group and the backup bucket', async () => {
    const outputs = platform.outputs.aws;
    assert.ok(outputs, 'an EKS stack has the aws outputs');
    assert.equal(await valueOf(outputs.oidcIssuerUrl), 'https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF');
    assert.equal(await valueOf(outputs.oidcProviderArn), mockArn('prod-oidc'));
    assert.equal(await valueOf(outputs.vpcId), 'prod-vpc-id');
    const zones = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
    assert.deepEqual(await Promise.all(outputs.privateSubnetIds.map(valueOf)), zones.map((z) => `prod-private-${z}-id`));
    assert.deepEqual(await Promise.all(outputs.publicSubnetIds.map(valueOf)), zones.map((z) => `prod-public-${z}-id`));
    assert.equal(await valueOf(outputs.nodeRoleArn), mockArn('prod-node'));
    assert.equal(await valueOf(outputs.clusterSecurityGroupId), TEST_CLUSTER_SECURITY_GROUP);
    assert.equal(await valueOf(outputs.backupBucket!), 'acme-kit-prod-backups');
  });
});

describe('staging (EKS, two zones)', () => {
  let platform: Platform;
  before(async () => {
    platform = await build(loadEnvironment('staging'));
  });

  it('does not pay for a third zone or a NAT gateway per zone', () => {
    assert.equal(ofType('aws:ec2/subnet:Subnet').length, 4);
    assert.equal(ofType('aws:ec2/natGateway:NatGateway').length, 1);
  });

  it('keeps a public endpoint next to the private one, as configured', () => {
    const cluster = one(CLUSTER, 'staging-cluster');
    assert.equal(cluster.inputs.vpcConfig.endpointPublicAccess, true);
    assert.equal(cluster.inputs.vpcConfig.endpointPrivateAccess, true);
    assert.equal(platform.outputs.deployMode, 'gitops');
  });

  it('opens the public endpoint to exactly the CIDRs of Pulumi.staging.yaml', () => {
    const file = readStackConfig('Pulumi.staging.yaml')[`${NS}:cluster`] as { endpoint: { publicCidrs: string[] } };
    assert.deepEqual(file.endpoint.publicCidrs, ['203.0.113.0/24'], 'the stack file\'s own list');
    assert.deepEqual(one(CLUSTER, 'staging-cluster').inputs.vpcConfig.publicAccessCidrs, file.endpoint.publicCidrs);
  });

  it('binds the LBC, the Cluster Autoscaler and external-dns (staging\'s zone) to their ServiceAccounts, and creates no backup bucket nor Velero role', () => {
    const eks = platform.cluster as EksCluster;
    assert.deepEqual(Object.keys(eks.podIdentities).sort(), ['aws-load-balancer-controller', 'cluster-autoscaler', 'external-dns']);
    assertControllerIdentity('staging', 'kit-staging', LBC, awsLoadBalancerControllerPolicy());
    assertControllerIdentity('staging', 'kit-staging', AUTOSCALER, clusterAutoscalerPolicy('kit-staging', clusterArn('kit-staging')));
    assertControllerIdentity('staging', 'kit-staging', EXTERNAL_DNS, externalDnsPolicy('arn:aws:route53:::hostedzone/Z0STAGINGEXAMPLE00001'));
    const objects = collectObjects(buildApp(loadEnvironment('staging')).charts).map((input) => input.object);
    for (const controller of [LBC, AUTOSCALER, EXTERNAL_DNS]) assertControllerRelease(objects, controller);

    assert.deepEqual(ofType(BUCKET), []);
    assert.equal(find(ROLE, 'staging-velero'), undefined);
    assert.equal(find(POD_IDENTITY, 'staging-velero'), undefined);
    assert.equal(find(KMS_KEY, 'staging-backups'), undefined);
    assert.equal(eks.backupBucket, undefined);
    assert.equal(platform.outputs.aws?.backupBucket, undefined);
    assert.equal(objects.some((o) => o.kind === 'HelmRelease' && (o as Release).spec.chart.spec.chart === HelmChart.VELERO.name), false);
  });
});

describe('every EKS environment of the repository', () => {
  for (const name of ['staging', 'prod']) {
    it(`${name}: the VPC CNI enforces NetworkPolicies (enableNetworkPolicy), next to prefix delegation`, async () => {
      const env = awsEnvironment(name);
      assert.equal(env.cluster.addons.networkPolicy, true, `Pulumi.${name}.yaml keeps the default`);
      await build(env);
      assert.deepEqual(json(one(ADDON, `${name}-vpc-cni`), 'configurationValues'), {
        env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' },
        enableNetworkPolicy: 'true',
      });
    });
  }
});

describe('staging in direct mode: pulumi up installs the controllers\' charts itself', () => {
  it('installs each controller\'s chart as a Helm release, through the cluster\'s provider, creating the ServiceAccount its Pod Identity association names', async () => {
    await build({ ...awsEnvironment('staging'), deploy: { mode: 'direct' } });
    for (const controller of [LBC, AUTOSCALER, EXTERNAL_DNS]) {
      const releases = ofType(HELM_RELEASE).filter((r) => r.inputs.chart === controller.chart.name);
      assert.equal(releases.length, 1, `one Helm release of ${controller.chart.name}`);
      const release = releases[0] as Recorded;
      assert.equal(release.inputs.version, controller.chart.version);
      assert.equal(release.inputs.namespace, controller.identity.namespace);
      assert.equal(controller.serviceAccount(release.inputs.values), controller.identity.serviceAccount);
      assert.equal(release.provider, `${K8S_PROVIDER}::staging-k8s`);
      const association = one(POD_IDENTITY, `staging-${controller.id}`);
      assert.deepEqual({ namespace: association.inputs.namespace, serviceAccount: association.inputs.serviceAccount }, { ...controller.identity });
    }
    assert.deepEqual(one(K8S_PROVIDER, 'staging-k8s').dependsOn, [`${EKS_COMPONENT}::staging`]);
  });
});

/** Staging with every EKS option the stack reads set away from its default. */
const STAGING_EDITED_PRINCIPALS = {
  admin: `arn:aws:iam::${TEST_ACCOUNT}:role/platform-admins`,
  viewer: `arn:aws:iam::${TEST_ACCOUNT}:role/qa-readers`,
  editor: `arn:aws:iam::${TEST_ACCOUNT}:user/ci-bot`,
  keyAdmin: `arn:aws:iam::${TEST_ACCOUNT}:role/security-admins`,
} as const;

describe('staging with its EKS options changed (no autoscaler, no LBC, no NetworkPolicy, pinned add-on, access entries, key administrators)', () => {
  let env: AwsEnvironment<Environment['apps']>;
  let eks: EksCluster;
  before(async () => {
    env = editedEnvironment('staging', (cluster) => {
      cluster.addons = {
        ...cluster.addons,
        autoscaler: 'none',
        loadBalancerController: false,
        networkPolicy: false,
        versions: { 'vpc-cni': 'v1.20.4-eksbuild.1', 'coredns': 'latest' },
      };
      cluster.nodePools = [{ name: 'general', instanceTypes: ['m6i.xlarge'], min: 3, desired: 3, max: 3, updateConfig: { maxUnavailablePercentage: 34 } }];
      cluster.adminRoleArns = [STAGING_EDITED_PRINCIPALS.admin];
      cluster.access = [
        { principalArn: STAGING_EDITED_PRINCIPALS.viewer, policy: 'view', namespaces: ['todo', 'journal'] },
        { principalArn: STAGING_EDITED_PRINCIPALS.editor, policy: 'edit' },
      ];
      cluster.keyAdminArns = [STAGING_EDITED_PRINCIPALS.keyAdmin];
      // What the Apps still need, as if from outside the kit (say Calico, and a load balancer controller installed by another team).
      cluster.capabilities = ['network-policy', 'aws-load-balancer-controller'];
    });
    eks = (await build(env)).cluster as EksCluster;
  });

  it('sizes a fixed pool as configured, split over its zones: no Cluster Autoscaler tags, desired size applied (no ignoreChanges), updateConfig as a percentage', () => {
    const sizes = { 'eu-west-1a': 2, 'eu-west-1b': 1 };
    assert.deepEqual(ofType(NODE_GROUP).map((n) => n.name).sort(), ['staging-general-eu-west-1a', 'staging-general-eu-west-1b']);
    for (const [zone, size] of Object.entries(sizes)) {
      const group = one(NODE_GROUP, `staging-general-${zone}`);
      assert.deepEqual(group.inputs.scalingConfig, { minSize: size, desiredSize: size, maxSize: size }, `3/3/3 over two zones: ${zone}`);
      assert.equal(group.inputs.tags, undefined);
      assert.deepEqual(group.ignoreChanges, []);
      assert.deepEqual(group.inputs.updateConfig, { maxUnavailablePercentage: 34 });
      assert.equal(group.inputs.nodeGroupNamePrefix, `kit-staging-general-${zone.slice(-1)}-`);
      assert.deepEqual(group.inputs.subnetIds, [`staging-private-${zone}-id`]);
      assert.ok(group.dependsOn.includes(`${ADDON}::staging-vpc-cni`));
    }
  });

  it('creates no role, policy or Pod Identity association for the Cluster Autoscaler or the LBC, and the App runs neither', () => {
    for (const id of ['cluster-autoscaler', 'aws-load-balancer-controller']) {
      for (const type of [ROLE, ROLE_POLICY, POD_IDENTITY]) assert.equal(find(type, `staging-${id}`), undefined, `${type} staging-${id}`);
    }
    assert.deepEqual(Object.keys(eks.podIdentities), ['external-dns']);
    assertControllerIdentity('staging', 'kit-staging', EXTERNAL_DNS, externalDnsPolicy('arn:aws:route53:::hostedzone/Z0STAGINGEXAMPLE00001'));
    const charts = collectObjects(buildApp(env).charts).map((i) => i.object)
      .filter((o) => o.kind === 'HelmRelease').map((o) => (o as Release).spec.chart.spec.chart);
    assert.equal(charts.includes(HelmChart.CLUSTER_AUTOSCALER.name), false);
    assert.equal(charts.includes(HelmChart.AWS_LOAD_BALANCER_CONTROLLER.name), false);
    assert.ok(charts.includes(HelmChart.EXTERNAL_DNS.name));
  });

  it('leaves the network policy agent off in the VPC CNI with addons.networkPolicy: false', () => {
    assert.deepEqual(json(one(ADDON, 'staging-vpc-cni'), 'configurationValues'), { env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' } });
  });

  it('uses a version pinned in addons.versions as is, and the most recent one for the others (and for latest)', () => {
    assert.equal(one(ADDON, 'staging-vpc-cni').inputs.addonVersion, 'v1.20.4-eksbuild.1');
    for (const addon of EKS_MANAGED_ADDONS.filter((a) => a !== 'vpc-cni')) {
      assert.equal(one(ADDON, `staging-${addon}`).inputs.addonVersion, TEST_ADDON_VERSION, addon);
    }
  });

  it('gives every principal an access entry named by it, with its policy over its scope, each association after its entry', () => {
    assert.deepEqual(ofType(ACCESS_ENTRY).map((e) => e.name).sort(),
      ['staging-access-ci-bot', 'staging-access-deployer', 'staging-access-platform-admins', 'staging-access-qa-readers']);
    const policy = (name: string) => `arn:aws:eks::aws:cluster-access-policy/${name}`;
    const expected: Record<string, [string, string, unknown]> = {
      'deployer': [DEPLOYER_ARN, policy('AmazonEKSClusterAdminPolicy'), { type: 'cluster' }],
      'platform-admins': [STAGING_EDITED_PRINCIPALS.admin, policy('AmazonEKSClusterAdminPolicy'), { type: 'cluster' }],
      'qa-readers': [STAGING_EDITED_PRINCIPALS.viewer, policy('AmazonEKSViewPolicy'), { type: 'namespace', namespaces: ['todo', 'journal'] }],
      'ci-bot': [STAGING_EDITED_PRINCIPALS.editor, policy('AmazonEKSEditPolicy'), { type: 'cluster' }],
    };
    for (const [id, [principalArn, policyArn, accessScope]] of Object.entries(expected)) {
      const entry = one(ACCESS_ENTRY, `staging-access-${id}`);
      assert.deepEqual(entry.inputs, { clusterName: 'kit-staging', principalArn }, id);
      const association = one(ACCESS_POLICY, `staging-access-${id}`);
      assert.deepEqual(
        { clusterName: association.inputs.clusterName, principalArn: association.inputs.principalArn, policyArn: association.inputs.policyArn, accessScope: association.inputs.accessScope },
        { clusterName: 'kit-staging', principalArn, policyArn, accessScope },
        id,
      );
      assert.deepEqual(association.dependsOn, [refOf(entry)], `${id}: the association waits for its entry`);
    }
  });

  it('names the deployer and keyAdminArns as the Secrets key\'s administrators, and the cluster role as its only user', () => {
    const policy = json(one(KMS_KEY, 'staging-secrets'), 'policy');
    const statement = (sid: string) => policy.Statement.find((s: { Sid: string }) => s.Sid === sid);
    assert.deepEqual(statement('KeyAdministrators').Principal, { AWS: [DEPLOYER_ARN, STAGING_EDITED_PRINCIPALS.keyAdmin] });
    assert.deepEqual(statement('KeyUsersCluster').Principal, { AWS: [mockArn('staging-cluster')] });
  });
});

describe('prod with a GPU pool', () => {
  it('runs the GPU pool on the NVIDIA AMI, tainted nvidia.com/gpu=true:NoSchedule and labelled for the device plugin; the other pools stay standard', async () => {
    const env = editedEnvironment('prod', (cluster) => {
      cluster.nodePools = [...cluster.nodePools, { name: 'gpu', instanceTypes: ['g5.xlarge'], min: 0, desired: 0, max: 3 }];
    });
    await build(env);
    for (const zone of ZONES) {
      const gpu = one(NODE_GROUP, `prod-gpu-${zone}`);
      assert.equal(gpu.inputs.amiType, 'AL2023_x86_64_NVIDIA');
      assert.deepEqual(gpu.inputs.taints, [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' }]);
      assert.deepEqual(gpu.inputs.labels, { 'nvidia.com/gpu.present': 'true', 'k8s-platform-kit.dev/pool': 'gpu' });
      assert.deepEqual(gpu.inputs.instanceTypes, ['g5.xlarge']);
      assert.equal(gpu.inputs.nodeGroupNamePrefix, `kit-prod-gpu-${zone.slice(-1)}-`);
      assert.deepEqual(gpu.inputs.scalingConfig, { minSize: 0, desiredSize: 0, maxSize: 1 }, 'max 3 over three zones: 1, 1, 1');
      for (const name of ['prod-general', 'prod-spot']) assert.equal(one(NODE_GROUP, `${name}-${zone}`).inputs.amiType, 'AL2023_x86_64_STANDARD', name);
    }
    const objects = collectObjects(buildApp(env).charts).map((i) => i.object);
    assert.equal(releaseOf(objects, HelmChart.NVIDIA_DEVICE_PLUGIN).spec.values.nodeSelector?.['nvidia.com/gpu.present'], 'true');
  });
});

describe('blue/green node pools (the seed 000 upgrade)', () => {
  it('upgrades the control plane, adds a pool at the new version without touching the old one, then removes the old one', async () => {
    const base = loadEnvironment('prod');
    if (base.cloud !== 'aws') throw new Error('prod is expected on AWS');
    const [blue, spot] = base.cluster.nodePools as [AwsNodePool, AwsNodePool];
    const groupsOf = (...pools: string[]) => pools.flatMap((pool) => ZONES.map((zone) => `prod-${pool}-${zone}`)).sort();
    await build(base);
    const before = Object.fromEntries(ZONES.map((zone) => [zone, one(NODE_GROUP, `prod-general-${zone}`).inputs]));

    const green = { ...blue, name: 'general-135', version: '1.35' };
    const pinnedBlue = { ...blue, version: '1.34' };
    await build({ ...base, cluster: { ...base.cluster, version: '1.35', nodePools: [pinnedBlue, spot, green] } });
    assert.equal(one(CLUSTER, 'prod-cluster').inputs.version, '1.35');
    assert.deepEqual(ofType(NODE_GROUP).map((n) => n.name).sort(), groupsOf('general', 'general-135', 'spot'));
    for (const zone of ZONES) {
      assert.deepEqual(one(NODE_GROUP, `prod-general-${zone}`).inputs, before[zone], `the old pool's ${zone} group keeps its name and inputs`);
      const greenGroup = one(NODE_GROUP, `prod-general-135-${zone}`);
      assert.equal(greenGroup.inputs.version, '1.35');
      assert.equal(greenGroup.inputs.nodeGroupNamePrefix, `kit-prod-general-135-${zone.slice(-1)}-`);
    }
    assert.deepEqual(ofType('aws:ec2/launchTemplate:LaunchTemplate').map((t) => t.name).sort(), ['prod-general', 'prod-general-135', 'prod-spot']);

    await build({ ...base, cluster: { ...base.cluster, version: '1.35', nodePools: [spot, green] } });
    assert.deepEqual(ofType(NODE_GROUP).map((n) => n.name).sort(), groupsOf('general-135', 'spot'));
  });
});
