/**
 * EksCluster: an EKS cluster as an environment's config describes it, with what production
 * needs around it: a VPC over the configured zones, secrets encrypted with a KMS key whose
 * policy names its administrators, every control-plane log type, IRSA and Pod Identity,
 * managed node groups (one per pool and zone) that require IMDSv2 and can be replaced, the EKS add-ons at versions
 * that follow the control plane (VPC CNI with prefix delegation and NetworkPolicy
 * enforcement, CoreDNS, kube-proxy, EBS CSI, the Pod Identity agent), access entries per
 * principal, and the cloud half of the controllers the platform installs (docs/stacks.md):
 * an IAM role with upstream's policy for each, bound by Pod Identity to the ServiceAccount
 * its chart creates, and Velero's bucket.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import {
  accessEntryName, DEPLOYER_ACCESS_ENTRY, nodeGroupPrefix, poolGpus, poolIsArm, poolLabels, poolTaints, subnetCidr, zoneGroups, type AwsCluster, type AwsNodePool, type EksManagedAddon,
} from '../constructs/environment/index.js';
import { AwsLoadBalancerController, BACKUP_SCHEDULE_DEFAULTS, ClusterAutoscaler, ExternalDns, Velero, goDurationSeconds } from '../constructs/index.js';
import { awsLoadBalancerControllerPolicy, clusterAutoscalerPolicy, externalDnsPolicy, veleroPolicy } from './_aws-policies.js';
import { kubeconfigFor, POOL_LABEL } from './_cluster.js';
import { awsPodIdentity } from './workload-identity.js';

/** Arguments of {@link EksCluster}. */
export interface EksClusterArgs {
  readonly cluster: AwsCluster;
  readonly region: string;
  /**
   * How long Velero keeps each backup (a Go duration such as `720h`): the backup bucket's
   * lifecycle expires objects a week after it, so it never removes a backup Velero still keeps.
   * @default '720h' (BackupSchedule's retention, BACKUP_SCHEDULE_DEFAULTS.retention: Velero's default TTL)
   */
  readonly backupRetention?: string;
}

/** An EKS access policy of the stack file, as the EKS access policy it names. */
const ACCESS_POLICIES = {
  'cluster-admin': 'AmazonEKSClusterAdminPolicy',
  'admin': 'AmazonEKSAdminPolicy',
  'edit': 'AmazonEKSEditPolicy',
  'view': 'AmazonEKSViewPolicy',
} as const;

/**
 * Whole days a backup retention (a Go duration, as BackupSchedule checks it) covers, rounded
 * up: `720h` is 30, `36h` is 2.
 */
export function retentionDays(retention: string): number {
  const seconds = goDurationSeconds(retention);
  if (!(seconds > 0)) throw new Error(`backupRetention (${JSON.stringify(retention)}) is not a Go duration of hours, minutes and seconds; expected e.g. '720h'`);
  return Math.ceil(seconds / 86_400);
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
  /** The OIDC issuer URL of the cluster (for IRSA trust policies outside the kit). */
  public readonly oidcIssuer: pulumi.Output<string>;
  public readonly nodeRole: aws.iam.Role;
  /**
   * The managed node groups by pool and zone (`nodeGroups.general['eu-west-1a']`): one per
   * zone of each pool, so the Cluster Autoscaler can add a node in the zone a pod needs.
   */
  public readonly nodeGroups: Record<string, Record<string, aws.eks.NodeGroup>> = {};
  public readonly addons: Record<string, aws.eks.Addon> = {};
  /** The controllers' Pod Identity associations, by controller (`aws-load-balancer-controller`, …). */
  public readonly podIdentities: Record<string, aws.eks.PodIdentityAssociation> = {};
  /** The EKS Pod Identity agent add-on: every Pod Identity association waits for it. */
  public readonly podIdentityAgent: aws.eks.Addon;
  /** Velero's bucket, when `addons.velero` is set. */
  public readonly backupBucket?: aws.s3.Bucket;
  /** The principal running `pulumi up` (an assumed role's role ARN), granted cluster-admin and key administration. */
  public readonly deployerArn: pulumi.Output<string>;
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
    // Who runs `pulumi up`: an assumed role's session ARN resolved to the role itself.
    const caller = aws.getCallerIdentityOutput({}, child);
    this.deployerArn = aws.iam.getSessionContextOutput({ arn: caller.arn }, child).issuerArn;
    const accountId = caller.accountId;
    const keyPolicy = (purpose: string, users: pulumi.Input<string>[]) =>
      pulumi.all([partition, accountId, this.deployerArn, pulumi.all(users)]).apply(([part, account, deployer, userArns]) => JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'KeyAdministrators',
            Effect: 'Allow',
            Principal: { AWS: [...new Set([deployer, ...config.keyAdminArns])] },
            Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*',
              'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:RotateKeyOnDemand'],
            Resource: '*',
          },
          ...(userArns.length > 0 ? [{
            Sid: `KeyUsers${purpose}`,
            Effect: 'Allow',
            Principal: { AWS: userArns },
            Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey', 'kms:CreateGrant'],
            Resource: '*',
            Condition: { StringEquals: { 'kms:CallerAccount': account } },
          }] : []),
          // Key use through IAM policies (Velero's role, the EBS CSI driver) stays possible
          // within the account; administration stays with the named administrators.
          {
            Sid: 'KeyUseThroughIam',
            Effect: 'Allow',
            Principal: { AWS: `arn:${part}:iam::${account}:root` },
            Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
            Resource: '*',
          },
        ],
      }));
    this.secretsKey = new aws.kms.Key(`${name}-secrets`, {
      description: `Encrypts Kubernetes Secrets of EKS cluster ${clusterName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: keyPolicy('Cluster', [clusterRole.arn]),
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
        // Always written out: an endpoint without publicAccessCidrs is open to 0.0.0.0/0.
        ...(endpoint.public && { publicAccessCidrs: endpoint.publicCidrs }),
      },
      encryptionConfig: { provider: { keyArn: this.secretsKey.arn }, resources: ['secrets'] },
      enabledClusterLogTypes: [...EKS_LOG_TYPES],
      // The creator gets a managed access entry below, like every other principal, instead of
      // the one-time bootstrap grant (which cannot be changed or seen as a resource).
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      upgradePolicy: { supportType: 'STANDARD' },
    }, {
      parent: this,
      dependsOn: [clusterPolicy, logGroup],
      // EKS can set the bootstrap grant only at creation; a change would replace the cluster
      // (one created by an earlier kit version has it on: docs/stacks.md).
      ignoreChanges: ['accessConfig.bootstrapClusterCreatorAdminPermissions'],
    });

    // Identity for workloads: the OIDC provider (IRSA) and the Pod Identity agent.
    const issuer = this.cluster.identities.apply((ids) => ids[0]?.oidcs?.[0]?.issuer ?? '');
    this.oidcIssuer = issuer;
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
      const attachment = new aws.iam.RolePolicyAttachment(`${name}-${role}`, { role: iamRole.name, policyArn: managedPolicy(policy) }, child);
      return { role: iamRole, attachment };
    };

    // Each add-on at the version EKS lists for the control plane's version (the newest, or the
    // one pinned in config): a control-plane upgrade moves them with it.
    const addon = (addonName: EksManagedAddon, extra: Partial<aws.eks.AddonArgs> = {}, dependsOn: pulumi.Resource[] = []) => {
      const pinned = config.addons.versions[addonName];
      const addonVersion = pinned !== undefined && pinned !== 'latest'
        ? pinned
        : aws.eks.getAddonVersionOutput({ addonName, kubernetesVersion: this.cluster.version, mostRecent: true }, child).version;
      this.addons[addonName] = new aws.eks.Addon(`${name}-${addonName}`, {
        clusterName: this.cluster.name,
        addonName,
        addonVersion,
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'OVERWRITE',
        ...extra,
      }, { parent: this, dependsOn });
      return this.addons[addonName];
    };
    // Prefix delegation gives each ENI slot a /28 of addresses, so max-pods is set by the
    // kubelet (110 here) rather than by the instance's ENI limits. The network policy agent
    // enforces NetworkPolicies (without it every NetworkPolicy is a no-op).
    // Each add-on with an IRSA role waits for the role's policy, so its pods start with their permissions.
    const cniRole = irsaRole('vpc-cni', 'kube-system', 'aws-node', 'AmazonEKS_CNI_Policy');
    const vpcCni = addon('vpc-cni', {
      serviceAccountRoleArn: cniRole.role.arn,
      configurationValues: JSON.stringify(vpcCniConfiguration(config)),
    }, [cniRole.attachment]);
    const podIdentityAgent = addon('eks-pod-identity-agent');
    addon('kube-proxy');

    // Node groups, one per pool and zone, each pool's from its own launch template.
    const nodeRole = new aws.iam.Role(`${name}-node`, { assumeRolePolicy: servicePrincipalPolicy('ec2.amazonaws.com') }, child);
    this.nodeRole = nodeRole;
    const nodePolicies = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly'].map((policy) =>
      new aws.iam.RolePolicyAttachment(`${name}-node-${policy}`, { role: nodeRole.name, policyArn: managedPolicy(policy) }, child));
    for (const pool of config.nodePools) {
      this.nodeGroups[pool.name] = this.poolNodeGroups(name, clusterName, config, pool, nodeRole, [vpcCni, ...nodePolicies]);
    }
    const nodes = Object.values(this.nodeGroups).flatMap((groups) => Object.values(groups));
    addon('coredns', {}, nodes);
    const ebsRole = irsaRole('ebs-csi', 'kube-system', 'ebs-csi-controller-sa', 'service-role/AmazonEBSCSIDriverPolicy');
    addon('aws-ebs-csi-driver', { serviceAccountRoleArn: ebsRole.role.arn }, [...nodes, ebsRole.attachment]);

    // Access entries, one per principal and named by it, so reordering the list changes nothing.
    const grant = (id: string, principalArn: pulumi.Input<string>, policy: keyof typeof ACCESS_POLICIES, namespaces?: readonly string[]) => {
      const entry = new aws.eks.AccessEntry(`${name}-access-${id}`, { clusterName: this.cluster.name, principalArn }, child);
      new aws.eks.AccessPolicyAssociation(`${name}-access-${id}`, {
        clusterName: this.cluster.name,
        principalArn,
        policyArn: pulumi.interpolate`arn:${partition}:eks::aws:cluster-access-policy/${ACCESS_POLICIES[policy]}`,
        accessScope: namespaces ? { type: 'namespace', namespaces: [...namespaces] } : { type: 'cluster' },
      }, { parent: this, dependsOn: [entry] });
    };
    grant(DEPLOYER_ACCESS_ENTRY, this.deployerArn, 'cluster-admin');
    for (const principalArn of config.adminRoleArns) grant(accessEntryName(principalArn), principalArn, 'cluster-admin');
    for (const entry of config.access) grant(accessEntryName(entry.principalArn), entry.principalArn, entry.policy, entry.namespaces);

    // The controllers the platform installs: a role each with upstream's policy, bound by
    // Pod Identity to the ServiceAccount its chart creates.
    this.podIdentityAgent = podIdentityAgent;
    const controller = (id: string, identity: { readonly namespace: string; readonly serviceAccount: string }, policy: pulumi.Input<string>) => {
      this.podIdentities[id] = awsPodIdentity(`${name}-${id}`, {
        clusterName: this.cluster.name,
        namespace: identity.namespace,
        serviceAccount: identity.serviceAccount,
        policy,
        description: `${id} of EKS cluster ${clusterName}`,
        dependsOn: [podIdentityAgent],
      }, this).association;
    };
    const { addons } = config;
    if (addons.loadBalancerController) {
      controller('aws-load-balancer-controller', AwsLoadBalancerController.IDENTITY, JSON.stringify(awsLoadBalancerControllerPolicy()));
    }
    if (addons.autoscaler === 'cluster-autoscaler') {
      controller('cluster-autoscaler', ClusterAutoscaler.IDENTITY, this.cluster.arn.apply((arn) => JSON.stringify(clusterAutoscalerPolicy(clusterName, arn))));
    }
    if (addons.externalDns) {
      const zoneArn = pulumi.interpolate`arn:${partition}:route53:::hostedzone/${addons.externalDns.hostedZoneId}`;
      controller('external-dns', ExternalDns.IDENTITY, zoneArn.apply((arn) => JSON.stringify(externalDnsPolicy(arn))));
    }
    if (addons.velero) {
      const bucket = this.backupStorage(name, clusterName, addons.velero.bucket, args.backupRetention ?? BACKUP_SCHEDULE_DEFAULTS.retention, keyPolicy);
      this.backupBucket = bucket.bucket;
      controller('velero', Velero.IDENTITY, pulumi.all([bucket.bucket.arn, bucket.key.arn]).apply(([bucketArn, keyArn]) => JSON.stringify(veleroPolicy(bucketArn, keyArn))));
    }

    this.kubeconfig = pulumi.secret(
      pulumi.all([this.cluster.name, this.cluster.endpoint, this.cluster.certificateAuthority]).apply(([nameOut, server, ca]) =>
        kubeconfigFor(nameOut, server, ca.data ?? '', {
          command: 'aws',
          args: ['eks', 'get-token', '--cluster-name', nameOut, '--region', region, '--output', 'json'],
        })),
    );
    this.registerOutputs({ clusterName: this.cluster.name, kubeconfig: this.kubeconfig });
  }

  /** Velero's bucket: KMS-encrypted with a key of its own, versioned, private, TLS only, expiring a week after the backup TTL. */
  private backupStorage(
    name: string,
    clusterName: string,
    bucketName: string,
    retention: string,
    keyPolicy: (purpose: string, users: pulumi.Input<string>[]) => pulumi.Output<string>,
  ): { bucket: aws.s3.Bucket; key: aws.kms.Key } {
    const child = { parent: this };
    const key = new aws.kms.Key(`${name}-backups`, {
      description: `Encrypts the Velero backups of EKS cluster ${clusterName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: keyPolicy('Backups', []),
    }, child);
    new aws.kms.Alias(`${name}-backups`, { name: `alias/eks/${clusterName}/backups`, targetKeyId: key.keyId }, child);
    // Backups outlive a mistaken `pulumi destroy`: the bucket is protected and never force-emptied.
    const bucket = new aws.s3.Bucket(`${name}-backups`, { bucket: bucketName, forceDestroy: false }, { parent: this, protect: true });
    new aws.s3.BucketPublicAccessBlock(`${name}-backups`, {
      bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    }, child);
    new aws.s3.BucketOwnershipControls(`${name}-backups`, { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } }, child);
    new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-backups`, {
      bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
    }, child);
    const versioning = new aws.s3.BucketVersioning(`${name}-backups`, { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } }, child);
    const days = retentionDays(retention);
    new aws.s3.BucketLifecycleConfiguration(`${name}-backups`, {
      bucket: bucket.id,
      rules: [{
        id: 'backup-retention',
        status: 'Enabled',
        filter: {},
        // Velero deletes a backup at its TTL; this only catches what it missed.
        expiration: { days: days + 7 },
        noncurrentVersionExpiration: { noncurrentDays: 7 },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      }],
    }, { parent: this, dependsOn: [versioning] });
    new aws.s3.BucketPolicy(`${name}-backups`, {
      bucket: bucket.id,
      policy: bucket.arn.apply((arn) => JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Sid: 'TlsOnly', Effect: 'Deny', Principal: '*', Action: 's3:*',
          Resource: [arn, `${arn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }],
      })),
    }, child);
    return { bucket, key };
  }

  /**
   * A pool's node groups, one per zone (`<name>-<pool>-<zone>`), each in its zone's private
   * subnet with its share of the pool's min, desired and max (zoneGroups), all from one
   * launch template. With one Auto Scaling group over several zones the group, not the
   * Cluster Autoscaler, picks the zone of a new node; a pod that needs one zone (a zonal EBS
   * volume, a zone spread) could stay Pending while the pool grows elsewhere.
   */
  private poolNodeGroups(
    name: string,
    clusterName: string,
    config: AwsCluster,
    pool: AwsNodePool,
    nodeRole: aws.iam.Role,
    dependsOn: pulumi.Resource[],
  ): Record<string, aws.eks.NodeGroup> {
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
    const autoscaled = config.addons.autoscaler === 'cluster-autoscaler';
    const groups: Record<string, aws.eks.NodeGroup> = {};
    for (const group of zoneGroups(pool, config)) {
      groups[group.zone] = new aws.eks.NodeGroup(`${id}-${group.zone}`, {
        clusterName: this.cluster.name,
        // A prefix, not a name: changes EKS can only make by replacement (instance types, AMI,
        // capacity type, subnets) create the new group before deleting the old one.
        nodeGroupNamePrefix: nodeGroupPrefix(clusterName, pool.name, group.suffix),
        version: pool.version ?? config.version,
        nodeRoleArn: nodeRole.arn,
        subnetIds: [(this.privateSubnets[group.zone] as aws.ec2.Subnet).id],
        instanceTypes: pool.instanceTypes,
        amiType: amiTypeOf(pool, config),
        capacityType: pool.capacity === 'spot' ? 'SPOT' : 'ON_DEMAND',
        scalingConfig: { minSize: group.min, desiredSize: group.desired, maxSize: group.max },
        updateConfig: { ...pool.updateConfig },
        labels: { ...poolLabels(pool, config), [POOL_LABEL]: pool.name },
        taints: poolTaints(pool, config).map((t) => ({ key: t.key, ...(t.value !== undefined && { value: t.value }), effect: TAINT_EFFECTS[t.effect] })),
        launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
        // The Cluster Autoscaler finds its groups by these tags (EKS also puts them on the group's
        // Auto Scaling group), and reads labels and taints from the group to scale up from zero;
        // it balances a pool's zone groups (balance-similar-node-groups) as they differ only by zone.
        ...(autoscaled && { tags: { 'k8s.io/cluster-autoscaler/enabled': 'true', [`k8s.io/cluster-autoscaler/${clusterName}`]: 'owned' } }),
      }, {
        parent: this,
        dependsOn,
        // The Cluster Autoscaler owns the current size between min and max; without one,
        // `desired` is the pool's size and a change to it is applied.
        ...(autoscaled && { ignoreChanges: ['scalingConfig.desiredSize'] }),
      });
    }
    return groups;
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

/** The AMI type of a pool's nodes: AL2023, for arm64 or x86_64, with the NVIDIA drivers on GPU types. */
export function amiTypeOf(pool: AwsNodePool, cluster: AwsCluster): string {
  const arch = poolIsArm(pool, cluster) ? 'ARM_64' : 'x86_64';
  return `AL2023_${arch}_${poolGpus(pool, cluster) > 0 ? 'NVIDIA' : 'STANDARD'}`;
}

/** The VPC CNI add-on's configuration: prefix delegation, and the network policy agent when NetworkPolicies are enforced. */
export function vpcCniConfiguration(config: AwsCluster): Record<string, unknown> {
  return {
    env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' },
    ...(config.addons.networkPolicy && { enableNetworkPolicy: 'true' }),
  };
}

function servicePrincipalPolicy(service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
  });
}
