/**
 * EksCluster: an EKS cluster as an environment's config describes it, with what production
 * needs around it: a VPC over the configured zones, secrets encrypted with a KMS key,
 * every control-plane log type, IRSA and Pod Identity, managed node groups that require
 * IMDSv2, and the add-ons (VPC CNI with prefix delegation, CoreDNS, kube-proxy, EBS CSI).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { isArmInstanceType, machineTypeOf, subnetCidr, type AwsCluster, type AwsNodePool } from '../constructs/environment/index.js';
import { kubeconfigFor, POOL_LABEL } from './_cluster.js';

/** Arguments of {@link EksCluster}. */
export interface EksClusterArgs {
  readonly cluster: AwsCluster;
  readonly region: string;
}

/** Every control-plane log type EKS has; all are enabled. */
export const EKS_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

const TAINT_EFFECTS = { NoSchedule: 'NO_SCHEDULE', NoExecute: 'NO_EXECUTE', PreferNoSchedule: 'PREFER_NO_SCHEDULE' } as const;

/** An EKS cluster, its network, identity and node groups. */
export class EksCluster extends pulumi.ComponentResource {
  public readonly vpc: aws.ec2.Vpc;
  public readonly publicSubnets: Record<string, aws.ec2.Subnet> = {};
  public readonly privateSubnets: Record<string, aws.ec2.Subnet> = {};
  public readonly secretsKey: aws.kms.Key;
  public readonly cluster: aws.eks.Cluster;
  public readonly oidcProvider: aws.iam.OpenIdConnectProvider;
  public readonly nodeGroups: Record<string, aws.eks.NodeGroup> = {};
  public readonly addons: Record<string, aws.eks.Addon> = {};
  /** A kubeconfig that authenticates with `aws eks get-token`, as a secret. */
  public readonly kubeconfig: pulumi.Output<string>;

  constructor(name: string, args: EksClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('k8s-platform-kit:aws:EksCluster', name, {}, opts);
    const { cluster: config, region } = args;
    const child = { parent: this };
    const clusterName = config.name;
    const partition = aws.getPartitionOutput({}, child).partition;
    const managedPolicy = (policy: string) => pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}`;

    // Network: a public and a private subnet per zone; nodes live in the private ones.
    this.vpc = new aws.ec2.Vpc(`${name}-vpc`, {
      cidrBlock: config.vpcCidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: clusterName },
    }, child);
    const gateway = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: this.vpc.id, tags: { Name: clusterName } }, child);
    const publicRoutes = new aws.ec2.RouteTable(`${name}-public`, {
      vpcId: this.vpc.id,
      routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: gateway.id }],
      tags: { Name: `${clusterName}-public` },
    }, child);
    const clusterTag = `kubernetes.io/cluster/${clusterName}`;
    const natGateways: aws.ec2.NatGateway[] = [];
    config.zones.forEach((zone, i) => {
      const publicSubnet = new aws.ec2.Subnet(`${name}-public-${zone}`, {
        vpcId: this.vpc.id,
        availabilityZone: zone,
        cidrBlock: subnetCidr(config.vpcCidr, 6, 56 + i),
        mapPublicIpOnLaunch: false,
        tags: { Name: `${clusterName}-public-${zone}`, 'kubernetes.io/role/elb': '1', [clusterTag]: 'shared' },
      }, child);
      new aws.ec2.RouteTableAssociation(`${name}-public-${zone}`, { subnetId: publicSubnet.id, routeTableId: publicRoutes.id }, child);
      this.publicSubnets[zone] = publicSubnet;
      if (config.natGateways === 'per-zone' || i === 0) {
        const ip = new aws.ec2.Eip(`${name}-nat-${zone}`, { domain: 'vpc', tags: { Name: `${clusterName}-nat-${zone}` } }, child);
        natGateways.push(new aws.ec2.NatGateway(`${name}-nat-${zone}`, {
          subnetId: publicSubnet.id,
          allocationId: ip.id,
          tags: { Name: `${clusterName}-${zone}` },
        }, { parent: this, dependsOn: [gateway] }));
      }
      const nat = natGateways[natGateways.length - 1] as aws.ec2.NatGateway;
      const privateSubnet = new aws.ec2.Subnet(`${name}-private-${zone}`, {
        vpcId: this.vpc.id,
        availabilityZone: zone,
        cidrBlock: subnetCidr(config.vpcCidr, 3, i),
        tags: { Name: `${clusterName}-private-${zone}`, 'kubernetes.io/role/internal-elb': '1', [clusterTag]: 'shared' },
      }, child);
      const privateRoutes = new aws.ec2.RouteTable(`${name}-private-${zone}`, {
        vpcId: this.vpc.id,
        routes: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }],
        tags: { Name: `${clusterName}-private-${zone}` },
      }, child);
      new aws.ec2.RouteTableAssociation(`${name}-private-${zone}`, { subnetId: privateSubnet.id, routeTableId: privateRoutes.id }, child);
      this.privateSubnets[zone] = privateSubnet;
    });

    // The control plane: its role, an encryption key for Secrets, and its log group.
    const clusterRole = new aws.iam.Role(`${name}-cluster`, {
      assumeRolePolicy: servicePrincipalPolicy('eks.amazonaws.com'),
    }, child);
    const clusterPolicy = new aws.iam.RolePolicyAttachment(`${name}-cluster`, {
      role: clusterRole.name,
      policyArn: managedPolicy('AmazonEKSClusterPolicy'),
    }, child);
    this.secretsKey = new aws.kms.Key(`${name}-secrets`, {
      description: `Encrypts Kubernetes Secrets of EKS cluster ${clusterName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    }, child);
    new aws.kms.Alias(`${name}-secrets`, { name: `alias/eks/${clusterName}/secrets`, targetKeyId: this.secretsKey.keyId }, child);
    const logGroup = new aws.cloudwatch.LogGroup(`${name}-control-plane`, {
      name: `/aws/eks/${clusterName}/cluster`,
      retentionInDays: config.logRetentionDays,
    }, child);

    const { endpoint } = config;
    this.cluster = new aws.eks.Cluster(`${name}-cluster`, {
      name: clusterName,
      version: config.version,
      roleArn: clusterRole.arn,
      vpcConfig: {
        subnetIds: Object.values(this.privateSubnets).map((s) => s.id),
        endpointPrivateAccess: endpoint.private,
        endpointPublicAccess: endpoint.public,
        ...(endpoint.public && endpoint.publicCidrs.length > 0 && { publicAccessCidrs: endpoint.publicCidrs }),
      },
      encryptionConfig: { provider: { keyArn: this.secretsKey.arn }, resources: ['secrets'] },
      enabledClusterLogTypes: [...EKS_LOG_TYPES],
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
      upgradePolicy: { supportType: 'STANDARD' },
    }, { parent: this, dependsOn: [clusterPolicy, logGroup] });

    // Identity for workloads: the OIDC provider (IRSA) and the Pod Identity agent.
    const issuer = this.cluster.identities.apply((ids) => ids[0]?.oidcs?.[0]?.issuer ?? '');
    this.oidcProvider = new aws.iam.OpenIdConnectProvider(`${name}-oidc`, {
      url: issuer,
      clientIdLists: ['sts.amazonaws.com'],
    }, child);
    const irsaRole = (role: string, namespace: string, serviceAccount: string, policy: string) => {
      const issuerHost = issuer.apply((url) => url.replace(/^https:\/\//, ''));
      const trust = pulumi.all([this.oidcProvider.arn, issuerHost]).apply(([arn, host]) => JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { Federated: arn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${host}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`, [`${host}:aud`]: 'sts.amazonaws.com' } },
        }],
      }));
      const iamRole = new aws.iam.Role(`${name}-${role}`, { assumeRolePolicy: trust }, child);
      new aws.iam.RolePolicyAttachment(`${name}-${role}`, { role: iamRole.name, policyArn: managedPolicy(policy) }, child);
      return iamRole;
    };

    const addon = (addonName: string, extra: Partial<aws.eks.AddonArgs> = {}, dependsOn: pulumi.Resource[] = []) => {
      this.addons[addonName] = new aws.eks.Addon(`${name}-${addonName}`, {
        clusterName: this.cluster.name,
        addonName,
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'OVERWRITE',
        ...extra,
      }, { parent: this, dependsOn });
      return this.addons[addonName];
    };
    // Prefix delegation gives each ENI slot a /28 of addresses, so max-pods is set by the
    // kubelet (110 here) rather than by the instance's ENI limits.
    const vpcCni = addon('vpc-cni', {
      serviceAccountRoleArn: irsaRole('vpc-cni', 'kube-system', 'aws-node', 'AmazonEKS_CNI_Policy').arn,
      configurationValues: JSON.stringify({ env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' } }),
    });
    addon('eks-pod-identity-agent');
    addon('kube-proxy');

    // Node groups, one per pool, each from its own launch template.
    const nodeRole = new aws.iam.Role(`${name}-node`, { assumeRolePolicy: servicePrincipalPolicy('ec2.amazonaws.com') }, child);
    const nodePolicies = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly'].map((policy) =>
      new aws.iam.RolePolicyAttachment(`${name}-node-${policy}`, { role: nodeRole.name, policyArn: managedPolicy(policy) }, child));
    for (const pool of config.nodePools) {
      this.nodeGroups[pool.name] = this.nodeGroup(name, clusterName, config, pool, nodeRole, [vpcCni, ...nodePolicies]);
    }
    const nodes = Object.values(this.nodeGroups);
    addon('coredns', {}, nodes);
    addon('aws-ebs-csi-driver', {
      serviceAccountRoleArn: irsaRole('ebs-csi', 'kube-system', 'ebs-csi-controller-sa', 'service-role/AmazonEBSCSIDriverPolicy').arn,
    }, nodes);

    config.adminRoleArns.forEach((principalArn, i) => {
      const entry = new aws.eks.AccessEntry(`${name}-admin-${i}`, { clusterName: this.cluster.name, principalArn }, child);
      new aws.eks.AccessPolicyAssociation(`${name}-admin-${i}`, {
        clusterName: this.cluster.name,
        principalArn,
        policyArn: pulumi.interpolate`arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
        accessScope: { type: 'cluster' },
      }, { parent: this, dependsOn: [entry] });
    });

    this.kubeconfig = pulumi.secret(
      pulumi.all([this.cluster.name, this.cluster.endpoint, this.cluster.certificateAuthority]).apply(([nameOut, server, ca]) =>
        kubeconfigFor(nameOut, server, ca.data ?? '', {
          command: 'aws',
          args: ['eks', 'get-token', '--cluster-name', nameOut, '--region', region, '--output', 'json'],
        })),
    );
    this.registerOutputs({ clusterName: this.cluster.name, kubeconfig: this.kubeconfig });
  }

  private nodeGroup(
    name: string,
    clusterName: string,
    config: AwsCluster,
    pool: AwsNodePool,
    nodeRole: aws.iam.Role,
    dependsOn: pulumi.Resource[],
  ): aws.eks.NodeGroup {
    const id = `${name}-${pool.name}`;
    const template = new aws.ec2.LaunchTemplate(id, {
      description: `Nodes of pool ${pool.name} in EKS cluster ${clusterName}`,
      updateDefaultVersion: true,
      // IMDSv2 only, and a hop limit of 1 so pods cannot reach the node's credentials.
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [{
        deviceName: '/dev/xvda',
        ebs: { volumeSize: pool.diskSizeGiB, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' },
      }],
      userData: Buffer.from(nodeUserData(pool.maxPods)).toString('base64'),
      tagSpecifications: [{ resourceType: 'instance', tags: { Name: `${clusterName}-${pool.name}` } }],
    }, { parent: this });
    const zones = pool.zones ?? config.zones;
    return new aws.eks.NodeGroup(id, {
      clusterName: this.cluster.name,
      nodeGroupName: `${clusterName}-${pool.name}`,
      version: pool.version ?? config.version,
      nodeRoleArn: nodeRole.arn,
      subnetIds: zones.map((zone) => (this.privateSubnets[zone] as aws.ec2.Subnet).id),
      instanceTypes: pool.instanceTypes,
      amiType: isArmInstanceType(machineTypeOf(pool)) ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD',
      capacityType: pool.capacity === 'spot' ? 'SPOT' : 'ON_DEMAND',
      scalingConfig: { minSize: pool.min, desiredSize: pool.desired, maxSize: pool.max },
      updateConfig: { maxUnavailable: 1 },
      labels: { ...pool.labels, [POOL_LABEL]: pool.name },
      taints: pool.taints.map((t) => ({ key: t.key, ...(t.value !== undefined && { value: t.value }), effect: TAINT_EFFECTS[t.effect] })),
      launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
    }, {
      parent: this,
      dependsOn,
      // The cluster autoscaler owns the current size between min and max.
      ignoreChanges: ['scalingConfig.desiredSize'],
    });
  }
}

/** AL2023 user data (nodeadm) that sets the kubelet's max-pods, merged by EKS with its own. */
export function nodeUserData(maxPods: number): string {
  return [
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="//"',
    '',
    '--//',
    'Content-Type: application/node.eks.aws',
    '',
    'apiVersion: node.eks.aws/v1alpha1',
    'kind: NodeConfig',
    'spec:',
    '  kubelet:',
    '    config:',
    `      maxPods: ${maxPods}`,
    '--//--',
    '',
  ].join('\n');
}

function servicePrincipalPolicy(service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
  });
}
