/**
 * The schema of an environment's configuration: the keys of `Pulumi.<env>.yaml` under the
 * `k8s-platform-kit:` namespace. Shapes only; rules that relate one key to another
 * (min <= desired <= max, version skew, production hardening) are in `rules.ts`.
 */
import { z } from 'zod';
import { dns1123LabelProblem, labelValueProblem, qualifiedNameProblem } from '../core/names.js';
import { AWS_REGION, route53ZoneIdProblem, s3BucketNameProblem } from '../core/aws-names.js';
import { CAPABILITY_NAMES, type Capability } from '../core/capabilities.js';
import { platformSettings } from './platform.js';
import { declaredMachineTypes, INSTANCE_TYPE_NAME, VM_SIZE_NAME } from './machine-types.js';
import { strictObject } from './_strict.js';
import { parseKubernetesVersion } from './versions.js';

export { strictObject } from './_strict.js';

const count = z.int().min(0, { error: 'expected a whole number >= 0' });

/** "1.34": the form both EKS and AKS take for a control plane or a node pool. */
const minorVersion = z.string().regex(/^1\.\d{2}$/, { error: "expected a Kubernetes minor version such as '1.34'" });
/** AKS also takes a patch: "1.34.2". */
const aksVersion = z
  .string()
  .regex(/^1\.\d{2}(\.\d+)?$/, { error: "expected a Kubernetes version such as '1.34' or '1.34.2'" })
  .refine((v) => parseKubernetesVersion(v) !== undefined);

const externalCapabilities = z.array(z.enum(CAPABILITY_NAMES as [Capability, ...Capability[]], { error: `expected a capability: ${CAPABILITY_NAMES.join(', ')}` })).default([]);

const cidr = z.cidrv4({ error: "expected an IPv4 CIDR such as '10.0.0.0/16'" });

/** Node labels: each key a qualified name, each value a label value. */
const labels = z
  .record(z.string(), z.string({ error: 'expected a string label value' }))
  .superRefine((value, ctx) => {
    for (const [key, labelValue] of Object.entries(value)) {
      const keyProblem = qualifiedNameProblem(key);
      if (keyProblem) ctx.addIssue({ code: 'custom', path: [key], input: key, message: `label key ${keyProblem}` });
      const valueProblem = labelValueProblem(labelValue);
      if (valueProblem) ctx.addIssue({ code: 'custom', path: [key], input: labelValue, message: `label value ${valueProblem}` });
    }
  });

/** The label the stacks put on every node: the name of its pool. */
export const POOL_LABEL = 'k8s-platform-kit.dev/pool';

/** The effects a taint may have. */
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

const taint = strictObject({
  key: z.string().refine((k) => qualifiedNameProblem(k) === undefined, { error: 'expected a qualified name such as dedicated or example.com/gpu' }),
  value: z.string().refine((v) => labelValueProblem(v) === undefined, { error: 'expected a label value' }).optional(),
  effect: z.enum(TAINT_EFFECTS),
});

/** Settings every node pool has, whatever the cloud. */
const poolCommon = {
  /** Nodes kept when the pool scales in. */
  min: count,
  /** Nodes the pool starts with. */
  desired: count,
  /** Nodes the pool may scale out to. */
  max: z.int().min(1, { error: 'expected a whole number >= 1' }),
  /** Pods per node (the kubelet's max-pods). 110 is what prefix delegation (EKS) and Azure CNI overlay support for small nodes. */
  maxPods: z.int().min(10, { error: 'expected at least 10 pods per node' }).max(250, { error: 'expected at most 250 pods per node' }).default(110),
  /** The zones the pool's nodes run in; all of the cluster's zones when omitted. */
  zones: z.array(z.string()).min(1, { error: 'expected at least one zone' }).optional(),
  labels: labels.default({}),
  taints: z.array(taint).default([]),
};

const AWS_POOL_NAME = /^[a-z][a-z0-9-]{0,23}$/;

/** An EKS managed node group. */
export const awsNodePool = strictObject({
  name: z.string().regex(AWS_POOL_NAME, { error: 'expected a pool name of lower case letters, digits and -, starting with a letter, at most 24 characters' }),
  /** The kubelet version; the control plane's when omitted. */
  version: minorVersion.optional(),
  /** EC2 instance types, most preferred first (several help spot capacity). */
  instanceTypes: z.array(z.string().regex(INSTANCE_TYPE_NAME, { error: "expected an EC2 instance type such as 'm6i.large'" })).min(1, { error: 'expected at least one instance type' }),
  capacity: z.enum(['on-demand', 'spot']).default('on-demand'),
  /** Root volume size (gp3, encrypted). */
  diskSizeGiB: z.int().min(20, { error: 'expected at least 20 GiB' }).max(16384, { error: 'expected at most 16384 GiB' }).default(50),
  /**
   * How many nodes a rolling node-group update (a new AMI, launch template or Kubernetes
   * version) replaces at a time: a count, or a percentage of the pool. One of the two.
   */
  updateConfig: strictObject({
    maxUnavailable: z.int().min(1, { error: 'expected a whole number >= 1' }).max(100, { error: 'expected at most 100 (the EKS limit)' }).optional(),
    maxUnavailablePercentage: z.int().min(1, { error: 'expected a percentage from 1 to 100' }).max(100, { error: 'expected a percentage from 1 to 100' }).optional(),
  }).refine((u) => (u.maxUnavailable === undefined) !== (u.maxUnavailablePercentage === undefined), {
    error: 'expected exactly one of maxUnavailable and maxUnavailablePercentage',
  }).default({ maxUnavailable: 1 }),
  ...poolCommon,
});

const AZURE_POOL_NAME = /^[a-z][a-z0-9]{0,11}$/;

/** An AKS agent pool. */
export const azureNodePool = strictObject({
  name: z.string().regex(AZURE_POOL_NAME, { error: 'expected a pool name of lower case letters and digits, starting with a letter, at most 12 characters' }),
  /** The kubelet version; the control plane's when omitted. */
  version: aksVersion.optional(),
  /** System pools run the cluster's own add-ons; every AKS cluster needs one. */
  mode: z.enum(['system', 'user']).default('user'),
  vmSize: z.string().regex(VM_SIZE_NAME, { error: "expected an Azure VM size such as 'Standard_D4s_v5'" }),
  /** Scale between min and max with the cluster autoscaler; when false the pool stays at `desired`. */
  autoscale: z.boolean().default(true),
  osDiskSizeGiB: z.int().min(30, { error: 'expected at least 30 GiB' }).max(2048, { error: 'expected at most 2048 GiB' }).default(128),
  ...poolCommon,
});

/** The retention periods CloudWatch Logs accepts. */
const CLOUDWATCH_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731];

const ZONE_LETTER = /^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/;

const iamPrincipalArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/, { error: 'expected an IAM role or user ARN such as arn:aws:iam::123456789012:role/platform-admins' });

/** The EKS access policies an access entry can carry. */
export const EKS_ACCESS_POLICIES = ['cluster-admin', 'admin', 'edit', 'view'] as const;

/** The EKS managed add-ons the stack installs; each version follows the control plane unless pinned. */
export const EKS_MANAGED_ADDONS = ['vpc-cni', 'kube-proxy', 'coredns', 'aws-ebs-csi-driver', 'eks-pod-identity-agent'] as const;
/** One EKS managed add-on the stack installs. */
export type EksManagedAddon = (typeof EKS_MANAGED_ADDONS)[number];

/** An EKS add-on version as `aws eks describe-addon-versions` lists it. */
const addonVersion = z.union([
  z.literal('latest'),
  z.string().regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, { error: "expected 'latest' or an EKS add-on version such as 'v1.20.4-eksbuild.1'" }),
], { error: "expected 'latest' or an EKS add-on version such as 'v1.20.4-eksbuild.1'" });

const bucketName = z.string().refine((name) => s3BucketNameProblem(name) === undefined, {
  error: (issue) => `expected an S3 bucket name: it ${s3BucketNameProblem(String(issue.input))}`,
});

/** The controllers and add-ons of an EKS cluster. */
const eksAddons = strictObject({
  /** The AWS Load Balancer Controller: the edge's Network Load Balancer and any annotated Service. */
  loadBalancerController: z.boolean().default(true),
  /**
   * What grows the node groups between min and max: the Cluster Autoscaler over the managed
   * node groups, or nothing (every pool then has min = desired = max).
   */
  autoscaler: z.enum(['cluster-autoscaler', 'none']).default('cluster-autoscaler'),
  /** NetworkPolicy enforcement by the VPC CNI's network policy agent. */
  networkPolicy: z.boolean().default(true),
  /** DNS records for the edge's hosts, in this Route 53 hosted zone (external-dns, TXT ownership). */
  externalDns: strictObject({
    hostedZoneId: z.string().refine((id) => route53ZoneIdProblem(id) === undefined, { error: "expected a Route 53 hosted zone id such as 'Z0123456789ABCDEFGHIJ'" }),
  }).optional(),
  /** Velero, with an S3 bucket of this name (KMS-encrypted, versioned, private) the stack creates. */
  velero: strictObject({ bucket: bucketName }).optional(),
  /** EKS managed add-on versions: `latest` (the newest for the cluster's version) or a pinned version. */
  versions: strictObject(Object.fromEntries(EKS_MANAGED_ADDONS.map((name) => [name, addonVersion.optional()])) as Record<(typeof EKS_MANAGED_ADDONS)[number], z.ZodOptional<typeof addonVersion>>).default({}),
}).prefault({});

/** The EKS add-ons of a cluster (`cluster.addons`), defaults applied. */
export type EksAddons = z.output<typeof eksAddons>;

/** An EKS cluster and its network. */
export const awsCluster = strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,37}[a-z0-9]$/, { error: 'expected a cluster name of lower case letters, digits and -, 2 to 39 characters' }),
  version: minorVersion,
  /** Availability zones (full names, e.g. eu-west-1a), each with a public and a private subnet. */
  zones: z.array(z.string().regex(ZONE_LETTER, { error: "expected an availability zone name such as 'eu-west-1a'" })).min(2, { error: 'expected at least 2 zones (EKS needs subnets in two)' }).max(6),
  vpcCidr: cidr,
  /** One NAT gateway per zone survives a zone outage; one shared is cheaper. */
  natGateways: z.enum(['per-zone', 'single']).default('per-zone'),
  endpoint: strictObject({
    /** Reachable from inside the VPC. */
    private: z.boolean().default(true),
    /** Reachable from the internet, from `publicCidrs` only. */
    public: z.boolean().default(false),
    /** The addresses the public endpoint accepts; required when `public` is true. `0.0.0.0/0` only when written out, and never in prod. */
    publicCidrs: z.array(cidr).default([]),
    /**
     * Where `pulumi up` runs, since it applies the Kubernetes layer (every object in direct
     * mode, the Flux bootstrap in gitops mode): `public-cidrs` (from an address in
     * publicCidrs) or `in-vpc` (a runner inside the VPC, or reaching it over a VPN or
     * peering). A private-only endpoint needs `in-vpc`.
     */
    deployFrom: z.enum(['public-cidrs', 'in-vpc']).default('public-cidrs'),
  }).prefault({}),
  /** IAM roles granted cluster-admin through EKS access entries (the same as `access` entries with policy cluster-admin). */
  adminRoleArns: z.array(iamPrincipalArn).default([]),
  /**
   * Who may use the cluster, as EKS access entries, one per principal: cluster-admin, or
   * admin, edit or view over the whole cluster or a list of namespaces. The identity running
   * `pulumi up` always gets cluster-admin; do not list it.
   */
  access: z.array(strictObject({
    principalArn: iamPrincipalArn,
    policy: z.enum(EKS_ACCESS_POLICIES),
    /** Namespaces the policy applies in; the whole cluster when omitted (cluster-admin is always cluster-wide). */
    namespaces: z.array(z.string().refine((n) => dns1123LabelProblem(n) === undefined, { error: 'expected a namespace name (a DNS-1123 label)' })).min(1, { error: 'expected at least one namespace, or leave namespaces out for the whole cluster' }).optional(),
  })).default([]),
  /** IAM principals that administer the KMS keys (Secrets, backups), besides the identity running `pulumi up`. */
  keyAdminArns: z.array(iamPrincipalArn).default([]),
  /** The controllers and add-ons the stack runs on the cluster (docs/stacks.md, docs/capabilities.md). */
  addons: eksAddons,
  /** CloudWatch retention of the control-plane logs. */
  logRetentionDays: z.literal(CLOUDWATCH_RETENTION_DAYS, { error: `expected a CloudWatch retention in days: ${CLOUDWATCH_RETENTION_DAYS.join(', ')}` }).default(90),
  machineTypes: declaredMachineTypes.aws,
  nodePools: z.array(awsNodePool).min(1, { error: 'expected at least one node pool' }),
  /** Capabilities the cluster has from outside the kit (installed by another team or by hand), so objects that need them pass the capability check. */
  capabilities: externalCapabilities,
});

const UUID = z.uuid({ error: 'expected an Entra ID object id (a UUID)' });

/** An AKS cluster and its network. */
export const azureCluster = strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,61}[a-z0-9]$/, { error: 'expected a cluster name of lower case letters, digits and -, 2 to 63 characters' }),
  version: aksVersion,
  /** Availability zones ("1", "2", "3"); none pins nothing to a zone. */
  zones: z.array(z.enum(['1', '2', '3'])).max(3).default([]),
  vnetCidr: cidr,
  subnetCidr: cidr,
  /** Pod addresses (Azure CNI overlay); must not overlap the virtual network. */
  podCidr: cidr.default('192.168.0.0/16'),
  serviceCidr: cidr.default('172.16.0.0/16'),
  networkPolicy: z.enum(['cilium', 'calico', 'azure']).default('cilium'),
  apiServer: strictObject({
    private: z.boolean().default(false),
    authorizedIpRanges: z.array(cidr).default([]),
  }).prefault({}),
  /** Entra ID groups granted cluster-admin (Azure RBAC); local accounts are disabled. */
  adminGroupObjectIds: z.array(UUID).min(1, { error: 'expected at least one admin group (local accounts are disabled)' }),
  upgradeChannel: z.enum(['none', 'patch', 'stable', 'rapid', 'node-image']).default('patch'),
  maintenanceWindow: strictObject({
    day: z.enum(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']),
    startHour: z.int().min(0).max(23, { error: 'expected an hour from 0 to 23 (UTC)' }),
    durationHours: z.int().min(4, { error: 'expected at least 4 hours (AKS minimum)' }).max(24),
  }).default({ day: 'Sunday', startHour: 2, durationHours: 4 }),
  /** Free has no uptime SLA; Standard does. */
  tier: z.enum(['Free', 'Standard']).default('Free'),
  logRetentionDays: z.int().min(30, { error: 'expected at least 30 days' }).max(730, { error: 'expected at most 730 days' }).default(30),
  machineTypes: declaredMachineTypes.azure,
  nodePools: z.array(azureNodePool).min(1, { error: 'expected at least one node pool' }),
  /** Capabilities the cluster has from outside the kit (installed by another team or by hand), so objects that need them pass the capability check. */
  capabilities: externalCapabilities,
});

/** How the charts reach the cluster: applied by `pulumi up`, or pulled by Flux from a Git repository. */
export const deploySettings = z.discriminatedUnion('mode', [
  strictObject({ mode: z.literal('direct') }),
  strictObject({
    mode: z.literal('gitops'),
    /** The Git repository `npm run synth` output is committed to. */
    url: z.string().regex(/^(https:\/\/|ssh:\/\/)\S+$/, { error: 'expected an https:// or ssh:// repository URL' }),
    branch: z.string().min(1).default('main'),
    /** The environment's directory in that repository; `./dist/<env>` when omitted. */
    path: z.string().regex(/^\.\/\S*$/, { error: "expected a path starting with './'" }).optional(),
    /** A Secret in flux-system with the repository's credentials, for private repositories. */
    secretName: z.string().optional(),
    interval: z.string().regex(/^\d+[smh]$/, { error: "expected a duration such as '5m'" }).default('5m'),
  }),
], { error: "expected mode 'direct' or 'gitops'" });

/** What the capacity planner does when a scenario fails in `npm run synth` and `pulumi preview`/`up`. */
export const capacitySettings = strictObject({
  /** Fail them (true) or print warnings and go on (false). */
  strict: z.boolean().default(false),
}).prefault({});

/** The environment tiers. `prod` must meet the production hardening rules. */
export const TIERS = ['dev', 'staging', 'prod'] as const;
/** The clouds a cluster can run on. */
export const CLOUDS = ['aws', 'azure'] as const;

const region = {
  aws: z.string().regex(AWS_REGION, { error: "expected an AWS region such as 'eu-west-1'" }),
  azure: z.string().regex(/^[a-z][a-z0-9]+$/, { error: "expected an Azure region such as 'westeurope'" }),
};

/** The keys of an environment, per cloud, with the charts' `apps` schema plugged in. */
export function environmentSchema<Apps extends z.ZodType>(cloud: (typeof CLOUDS)[number], apps: Apps) {
  const common = {
    cloud: z.literal(cloud),
    tier: z.enum(TIERS),
    region: region[cloud],
    deploy: deploySettings.default({ mode: 'direct' }),
    capacity: capacitySettings,
    platform: platformSettings.optional(),
    apps,
  };
  return cloud === 'aws' ? strictObject({ ...common, cluster: awsCluster }) : strictObject({ ...common, cluster: azureCluster });
}

/** One EKS node pool (`cluster.nodePools[]`), defaults applied. */
export type AwsNodePool = z.output<typeof awsNodePool>;
/** One AKS node pool (`cluster.nodePools[]`), defaults applied. */
export type AzureNodePool = z.output<typeof azureNodePool>;
/** An EKS cluster's settings (`k8s-platform-kit:cluster`), defaults applied. */
export type AwsCluster = z.output<typeof awsCluster>;
/** An AKS cluster's settings (`k8s-platform-kit:cluster`), defaults applied. */
export type AzureCluster = z.output<typeof azureCluster>;
/** How the manifests reach the cluster (`k8s-platform-kit:deploy`), defaults applied. */
export type DeploySettings = z.output<typeof deploySettings>;
/** An environment tier: `dev`, `staging` or `prod`. */
export type Tier = (typeof TIERS)[number];
/** A cloud: `aws` (EKS) or `azure` (AKS). */
export type Cloud = (typeof CLOUDS)[number];
/** A node pool's taint. */
export type Taint = z.output<typeof taint>;
/** What the capacity planner does when a scenario fails (`k8s-platform-kit:capacity`). */
export type CapacitySettings = z.output<typeof capacitySettings>;
