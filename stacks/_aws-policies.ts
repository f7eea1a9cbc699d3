/**
 * Least-privilege IAM policy documents for the EKS add-ons that get their own IAM role
 * (bound through EKS Pod Identity). Each follows its upstream's published policy, pinned to
 * the version the kit deploys, and scopes what upstream leaves on `*` only where upstream
 * says to. The EBS CSI driver and the VPC CNI use AWS managed policies instead.
 *
 * The documents are plain JSON-able objects: `JSON.stringify` them into an IAM policy.
 */
import { AWS_LOAD_BALANCER_CONTROLLER_IAM_POLICY } from '../constructs/imports/aws-load-balancer-controller-iam-policy.js';

export { AWS_LOAD_BALANCER_CONTROLLER_IAM_POLICY, AWS_LOAD_BALANCER_CONTROLLER_IAM_POLICY_SOURCE } from '../constructs/imports/aws-load-balancer-controller-iam-policy.js';

/** A statement's `Condition`: operator → condition key → value(s). */
export type PolicyCondition = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

/** One statement of an IAM policy document (only the elements these policies use). */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: PolicyCondition;
}

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

/** EKS cluster names: 1-100 characters, letters, digits, hyphens and underscores, starting with a letter or digit. */
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
const PARTITION = 'aws(?:-[a-z]+)*';

function fail(policy: string, what: string, got: string, expected: string): never {
  throw new Error(`${policy}: '${what}' must be ${expected}, got '${got}'`);
}

/**
 * The Cluster Autoscaler's policy for this cluster's managed node groups.
 *
 * Follows kubernetes/autoscaler, tag `cluster-autoscaler-chart-9.59.0` (chart 9.59.0, app
 * 1.35.0; the README blob `4fbd462` is the same at `cluster-autoscaler-1.35.0`),
 * `cluster-autoscaler/cloudprovider/aws/README.md`, section "IAM Policy" → "Full Cluster
 * Autoscaler Features Policy (Recommended)" (lines 34-69): its actions, unchanged. Upstream
 * says to scope the second block (`SetDesiredCapacity`, `TerminateInstanceInAutoScalingGroup`)
 * by ASG ARNs or "tag based conditionals"; the condition is the one of the EKS Best Practices
 * Guide (aws/aws-eks-best-practices, `content/cluster-autoscaling/index.md`, "Employ least
 * privileged access to the IAM role"; now https://docs.aws.amazon.com/eks/latest/best-practices/cas.html):
 * `aws:ResourceTag/k8s.io/cluster-autoscaler/enabled: true` and
 * `aws:ResourceTag/k8s.io/cluster-autoscaler/<cluster>: owned`, the auto-discovery tags EKS
 * puts on a managed node group's Auto Scaling group.
 *
 * `eks:DescribeNodegroup` (labels and taints of a managed node group scaled to zero, same
 * README, line 110) is on `*` upstream; it takes a node group ARN
 * (`arn:<partition>:eks:<region>:<account>:nodegroup/<cluster>/<name>/<uuid>`, Service
 * Authorization Reference for Amazon EKS), so it is scoped to this cluster's node groups.
 *
 * @param clusterName the EKS cluster's name (not the Pulumi resource name)
 * @param clusterArn the cluster's ARN, to pin the node groups' partition, region and account;
 *   without it, `eks:DescribeNodegroup` covers the node groups of a cluster of that name in any
 *   region and account of the standard partition (`arn:aws:eks:*:*:nodegroup/<cluster>/*`)
 */
export function clusterAutoscalerPolicy(clusterName: string, clusterArn?: string): PolicyDocument {
  const policy = 'clusterAutoscalerPolicy';
  if (!CLUSTER_NAME.test(clusterName)) fail(policy, 'clusterName', clusterName, 'an EKS cluster name (letters, digits, - and _, at most 100)');
  let nodegroups = `arn:aws:eks:*:*:nodegroup/${clusterName}/*`;
  if (clusterArn !== undefined) {
    const match = new RegExp(`^arn:(${PARTITION}):eks:([a-z0-9-]+):(\\d{12}):cluster/${clusterName}$`).exec(clusterArn);
    if (!match) fail(policy, 'clusterArn', clusterArn, `the ARN of cluster '${clusterName}' (arn:<partition>:eks:<region>:<account>:cluster/${clusterName})`);
    const [, partition, region, account] = match;
    nodegroups = `arn:${partition}:eks:${region}:${account}:nodegroup/${clusterName}/*`;
  }
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Describe',
        Effect: 'Allow',
        Action: [
          'autoscaling:DescribeAutoScalingGroups',
          'autoscaling:DescribeAutoScalingInstances',
          'autoscaling:DescribeLaunchConfigurations',
          'autoscaling:DescribeScalingActivities',
          'ec2:DescribeImages',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplateVersions',
          'ec2:GetInstanceTypesFromInstanceRequirements',
        ],
        Resource: ['*'],
      },
      {
        Sid: 'DescribeClusterNodeGroups',
        Effect: 'Allow',
        Action: ['eks:DescribeNodegroup'],
        Resource: [nodegroups],
      },
      {
        Sid: 'ScaleClusterNodeGroups',
        Effect: 'Allow',
        Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
        Resource: ['*'],
        Condition: {
          StringEquals: {
            'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true',
            [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: 'owned',
          },
        },
      },
    ],
  };
}

/**
 * external-dns's policy, for one Route 53 hosted zone.
 *
 * Follows kubernetes-sigs/external-dns, tag `external-dns-helm-chart-1.21.1` (chart 1.21.1,
 * app 0.21.0; the policy is the same at `v0.21.0`), `docs/tutorials/aws.md`, section "IAM
 * Policy" (lines 5-38): `route53:ChangeResourceRecordSets`, `route53:ListResourceRecordSets`
 * and `route53:ListTagsForResources` on `arn:aws:route53:::hostedzone/*`, `route53:ListHostedZones`
 * on `*`. As its "Further improvements" suggests, the first statement lists the one zone
 * instead of every zone.
 *
 * @param hostedZoneArn the zone's ARN, `arn:aws:route53:::hostedzone/<zone id>`
 */
export function externalDnsPolicy(hostedZoneArn: string): PolicyDocument {
  if (!new RegExp(`^arn:${PARTITION}:route53:::hostedzone/[A-Z0-9]+$`).test(hostedZoneArn)) {
    fail('externalDnsPolicy', 'hostedZoneArn', hostedZoneArn, 'a hosted zone ARN (arn:aws:route53:::hostedzone/<zone id>)');
  }
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ManageZoneRecords',
        Effect: 'Allow',
        Action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'],
        Resource: [hostedZoneArn],
      },
      {
        Sid: 'ListZones',
        Effect: 'Allow',
        Action: ['route53:ListHostedZones'],
        Resource: ['*'],
      },
    ],
  };
}

/**
 * Velero's policy (with velero-plugin-for-aws), for one backup bucket encrypted with a
 * customer managed KMS key.
 *
 * Follows vmware-tanzu/velero-plugin-for-aws, tag `v1.13.2`, `README.md` (blob `e95e347`),
 * section "Set permissions for Velero" (the policy at lines 96-135, the same in both options):
 * the EC2 snapshot actions on `*`, the S3 object actions on `<bucket>/*`, `s3:ListBucket` on
 * the bucket. Unchanged at `v1.14.0-rc.1`, the plugin line for Velero 1.18.
 *
 * Added, for the bucket's key only: `kms:Encrypt`, `kms:Decrypt`, `kms:GenerateDataKey`,
 * `kms:ReEncrypt*` and `kms:DescribeKey`. Upstream only says that a `kmsKeyId` "may require
 * explicitly granting key usage rights" (`backupstoragelocation.md` at the same tag). For EBS
 * snapshots of encrypted volumes upstream documents no KMS permission, so none is added: with
 * a customer managed EBS key, its key policy has to allow Velero's role.
 *
 * @param bucketArn the bucket's ARN, `arn:aws:s3:::<bucket>`
 * @param kmsKeyArn the ARN of the bucket's KMS key, `arn:aws:kms:<region>:<account>:key/<key id>` (not an alias)
 */
export function veleroPolicy(bucketArn: string, kmsKeyArn: string): PolicyDocument {
  const policy = 'veleroPolicy';
  if (!new RegExp(`^arn:${PARTITION}:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`).test(bucketArn)) {
    fail(policy, 'bucketArn', bucketArn, 'an S3 bucket ARN (arn:aws:s3:::<bucket>)');
  }
  if (!new RegExp(`^arn:${PARTITION}:kms:[a-z0-9-]+:\\d{12}:key/[A-Za-z0-9-]+$`).test(kmsKeyArn)) {
    fail(policy, 'kmsKeyArn', kmsKeyArn, 'a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>)');
  }
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'VolumeSnapshots',
        Effect: 'Allow',
        Action: ['ec2:DescribeVolumes', 'ec2:DescribeSnapshots', 'ec2:CreateTags', 'ec2:CreateVolume', 'ec2:CreateSnapshot', 'ec2:DeleteSnapshot'],
        Resource: '*',
      },
      {
        Sid: 'BackupObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:DeleteObject', 's3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        Resource: [`${bucketArn}/*`],
      },
      {
        Sid: 'BackupBucket',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: [bucketArn],
      },
      {
        Sid: 'BackupBucketKey',
        Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:ReEncrypt*', 'kms:DescribeKey'],
        Resource: [kmsKeyArn],
      },
    ],
  };
}

/**
 * The AWS Load Balancer Controller's policy, as upstream publishes it: a copy of
 * {@link AWS_LOAD_BALANCER_CONTROLLER_IAM_POLICY}.
 *
 * kubernetes-sigs/aws-load-balancer-controller, tag `v3.5.0` (chart 3.5.0),
 * `docs/install/iam_policy.json` (blob `761d0e7`, standard partition, 16 statements), pinned
 * in ../shared/third-party/aws-load-balancer-controller/ and generated into
 * constructs/imports/aws-load-balancer-controller-iam-policy.ts by
 * constructs/imports/aws-iam-policies.mjs.
 */
export function awsLoadBalancerControllerPolicy(): PolicyDocument {
  return structuredClone(AWS_LOAD_BALANCER_CONTROLLER_IAM_POLICY);
}
