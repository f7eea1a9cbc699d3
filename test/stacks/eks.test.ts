/**
 * The EKS environments (staging, prod) built with Pulumi mocks: the network, the hardened
 * control plane, identity, add-ons and node groups, each controller's whole chain (IAM role,
 * policy, Pod Identity association, and the release whose ServiceAccount it binds), Velero's
 * bucket, GPU pools, access entries, and what blue/green pool changes do.
 */
import * as pulumi from '@pulumi/pulumi';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { childrenOf, find, one, ofType, recorded, refOf, reset, settled, TEST_ACCOUNT, TEST_ADDON_VERSION, valueOf, type Recorded } from './_mocks.js';
import { buildApp } from '../../charts/app.js';
import { APPS_SCHEMA, loadEnvironment, type Environment } from '../../charts/environment.js';
import { platformStack, type Platform } from '../../stacks/program.js';
import { EKS_LOG_TYPES, nodeUserData } from '../../stacks/eks.js';
import type { EksCluster } from '../../stacks/eks.js';
import {
  awsLoadBalancerControllerPolicy, clusterAutoscalerPolicy, externalDnsPolicy, veleroPolicy, type PolicyDocument,
} from '../../stacks/_aws-policies.js';
import {
  EKS_MANAGED_ADDONS, parseEnvironment, readStackConfig, type AwsCluster, type AwsEnvironment, type AwsNodePool,
} from '../../constructs/environment/index.js';
import {
  AwsLoadBalancerController, ClusterAutoscaler, collectObjects, ExternalDns, HelmChart, Velero, type ControllerIdentity, type ManifestObject,
} from '../../constructs/index.js';

async function build(env: Environment): Promise<Platform> {
  reset();
  const platform = await platformStack(env);
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

  it('creates one managed node group per pool, sized, labelled and tainted from config', () => {
    assert.deepEqual(ofType(NODE_GROUP).map((n) => n.name).sort(), ['prod-general', 'prod-spot']);
    const general = one(NODE_GROUP, 'prod-general');
    assert.equal(general.inputs.nodeGroupNamePrefix, 'kit-prod-general-');
    assert.equal(general.inputs.nodeGroupName, undefined, 'a prefix, not a fixed name, so a replacement can be created before the old group is deleted');
    assert.equal(general.inputs.version, '1.34');
    assert.equal(general.inputs.capacityType, 'ON_DEMAND');
    assert.deepEqual(general.inputs.scalingConfig, { minSize: 3, desiredSize: 4, maxSize: 9 });
    assert.deepEqual(general.inputs.instanceTypes, ['m6i.xlarge']);
    assert.equal(general.inputs.amiType, 'AL2023_x86_64_STANDARD');
    assert.equal(general.inputs.subnetIds.length, 3);
    const spot = one(NODE_GROUP, 'prod-spot');
    assert.equal(spot.inputs.capacityType, 'SPOT');
    assert.deepEqual(spot.inputs.taints, [{ key: 'capacity', value: 'spot', effect: 'NO_SCHEDULE' }]);
    assert.deepEqual(spot.inputs.labels, { capacity: 'spot', 'k8s-platform-kit.dev/pool': 'spot' });
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
    const urn = await valueOf(eks.nodeGroups.general!.urn);
    assert.match(urn, /::k8s-platform-kit:aws:EksCluster\$aws:eks\/nodeGroup:NodeGroup::prod-general$/);
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
});

describe('blue/green node pools (the seed 000 upgrade)', () => {
  it('upgrades the control plane, adds a pool at the new version without touching the old one, then removes the old one', async () => {
    const base = loadEnvironment('prod');
    if (base.cloud !== 'aws') throw new Error('prod is expected on AWS');
    const [blue, spot] = base.cluster.nodePools as [AwsNodePool, AwsNodePool];
    await build(base);
    const before = one(NODE_GROUP, 'prod-general');

    const green = { ...blue, name: 'general-135', version: '1.35' };
    const pinnedBlue = { ...blue, version: '1.34' };
    await build({ ...base, cluster: { ...base.cluster, version: '1.35', nodePools: [pinnedBlue, spot, green] } });
    assert.equal(one(CLUSTER, 'prod-cluster').inputs.version, '1.35');
    assert.deepEqual(ofType(NODE_GROUP).map((n) => n.name).sort(), ['prod-general', 'prod-general-135', 'prod-spot']);
    assert.deepEqual(one(NODE_GROUP, 'prod-general').inputs, before.inputs, 'the old pool keeps its name and inputs');
    assert.equal(one(NODE_GROUP, 'prod-general-135').inputs.version, '1.35');

    await build({ ...base, cluster: { ...base.cluster, version: '1.35', nodePools: [spot, green] } });
    assert.deepEqual(ofType(NODE_GROUP).map((n) => n.name).sort(), ['prod-general-135', 'prod-spot']);
  });
});
