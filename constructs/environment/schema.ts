/**
 * The schema of an environment's configuration: the keys of `Pulumi.<env>.yaml` under the
 * `k8s-platform-kit:` namespace. Shapes only; rules that relate one key to another
 * (min <= desired <= max, version skew, production hardening) are in `rules.ts`.
 */
import { POOL_LABEL, TAINT_EFFECTS } from '../core/placement.js';
import { z } from 'zod';
import { dns1123LabelProblem, dns1123SubdomainProblem, labelValueProblem, qualifiedNameProblem } from '../core/names.js';
import { route53ZoneIdProblem, s3BucketNameProblem } from '../core/aws-names.js';
import { blobContainerNameProblem, resourceGroupNameProblem, storageAccountNameProblem } from '../core/azure-names.js';
import { CAPABILITY_NAMES, type Capability } from '../core/capabilities.js';
import { urlWithoutCredentials } from '../core/urls.js';
import { regionExpectation } from './regions.js';
import { networkAddress } from './cidr.js';
import { platformSettings } from './platform.js';
import { declaredMachineTypes, INSTANCE_TYPE_NAME, VM_SIZE_NAME } from './machine-types.js';
import { strictObject } from './_strict.js';
import { parseKubernetesVersion } from './versions.js';

export { strictObject } from './_strict.js';

const count = z.int().min(0, { error: 'expected a whole number >= 0' });

/**
 * A version that YAML read as a number (`version: 1.30` is the number 1.3): say to quote it,
 * and how, instead of "expected a string".
 */
const versionString = () => z.string({
  error: (issue) => (typeof issue.input === 'number'
    ? `expected a quoted string: YAML reads an unquoted version as a number (1.30 becomes 1.3); write it in quotes, e.g. "${issue.input.toFixed(2)}"`
    : 'expected a Kubernetes version such as "1.34", in quotes'),
});

/** "1.34": the form both EKS and AKS take for a control plane or a node pool. */
const minorVersion = versionString().regex(/^1\.\d{2}$/, { error: "expected a Kubernetes minor version such as '1.34'" });
/** AKS also takes a patch: "1.34.2". */
const aksVersion = versionString()
  .regex(/^1\.\d{2}(\.\d+)?$/, { error: "expected a Kubernetes version such as '1.34' or '1.34.2'" })
  .refine((v) => parseKubernetesVersion(v) !== undefined);

const externalCapabilities = z.array(z.enum(CAPABILITY_NAMES as [Capability, ...Capability[]], { error: `expected a capability: ${CAPABILITY_NAMES.join(', ')}` })).default([]);

/** An IPv4 CIDR whose address is the first of its range (`10.0.1.0/16` has host bits set: it means `10.0.0.0/16`, and subnets carved from it would not line up). */
const cidr = z.cidrv4({ error: "expected an IPv4 CIDR such as '10.0.0.0/16'" }).superRefine((value, ctx) => {
  const network = networkAddress(value);
  if (network !== value) ctx.addIssue({ code: 'custom', input: value, message: `expected the range's first address with host bits cleared: '${network}'` });
});

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

export { POOL_LABEL, TAINT_EFFECTS };

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
  /**
   * The AWS accounts the stack may deploy to: the AWS provider refuses credentials of any
   * other account before it changes anything. Required in staging and prod.
   */
  allowedAccountIds: z.array(z.string().regex(/^\d{12}$/, { error: "expected a 12-digit AWS account id such as '111122223333'" })).min(1, { error: 'expected at least one account id, or leave allowedAccountIds out' }).optional(),
  /**
   * Tags on every AWS resource the stack creates (the provider's default tags), over the
   * kit's own (environment and tier). AWS's rules: a key of at most 128 characters not
   * starting with `aws:`, a value of at most 256.
   */
  tags: z.record(z.string(), z.string({ error: 'expected a string tag value' })).default({}),
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

/** The controllers of an AKS cluster that AKS itself does not ship. */
export const aksAddons = strictObject({
  /**
   * DNS records for the edge's hosts, in this Azure DNS zone (external-dns through workload
   * identity, TXT ownership): the zone's name and resource group, in the cluster's subscription.
   */
  externalDns: strictObject({
    zone: z.string().refine((zone) => dns1123SubdomainProblem(zone) === undefined, { error: "expected a DNS zone name such as 'platform.example.com'" }),
    resourceGroup: z.string().refine((group) => resourceGroupNameProblem(group) === undefined, {
      error: (issue) => `expected a resource group name: it ${resourceGroupNameProblem(String(issue.input))}`,
    }),
  }).optional(),
  /**
   * Velero, with a storage account of this name the stack creates in the cluster's resource
   * group (encrypted, no public access, TLS 1.2, soft delete) and a blob container in it.
   */
  velero: strictObject({
    /** 3 to 24 lower-case letters and digits, unique across Azure (it is the account's DNS name). */
    storageAccount: z.string().refine((name) => storageAccountNameProblem(name) === undefined, {
      error: (issue) => `expected a storage account name: it ${storageAccountNameProblem(String(issue.input))}`,
    }),
    /** The blob container. */
    container: z.string().refine((name) => blobContainerNameProblem(name) === undefined, {
      error: (issue) => `expected a blob container name: it ${blobContainerNameProblem(String(issue.input))}`,
    }).default('velero'),
    /** Days a deleted blob or container can still be restored (soft delete). */
    softDeleteDays: z.int().min(1, { error: 'expected 1 to 365 days' }).max(365, { error: 'expected 1 to 365 days' }).default(14),
  }).optional(),
}).prefault({});

/** The AKS add-ons of a cluster (`cluster.addons`), defaults applied. */
export type AksAddons = z.output<typeof aksAddons>;

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
  /**
   * The Azure subscription the cluster lives in. The Azure provider is pinned to it, and the
   * program stops before any resource when the provider's credentials resolve to another one.
   */
  subscriptionId: z.uuid({ error: "expected an Azure subscription id (a UUID such as '00000000-0000-4000-8000-000000000000')" }),
  /**
   * The AKS RBAC role of the identity running `pulumi up` (it also gets "Azure Kubernetes
   * Service Cluster User Role", to fetch the kubeconfig): `cluster-admin` (AKS RBAC Cluster
   * Admin), or `admin` / `writer` (AKS RBAC Admin / Writer) over the whole cluster or the
   * listed namespaces. Installing CRDs, cluster roles and the platform's charts needs
   * `cluster-admin`; the narrower roles suit a deployer that only applies namespaced apps.
   * @see https://learn.microsoft.com/azure/aks/manage-azure-rbac
   */
  deployer: strictObject({
    role: z.enum(['cluster-admin', 'admin', 'writer']).default('cluster-admin'),
    /**
     * What the identity running `pulumi up` is, which Azure checks on every role assignment
     * (a mismatch fails with UnmatchedPrincipalType).
     * @default - `ServicePrincipal` with login mode spn, msi or workloadidentity; `User` with azurecli or devicecode
     */
    principalType: z.enum(['User', 'ServicePrincipal']).optional(),
    /** Namespaces the role applies in (admin and writer only); the whole cluster when omitted. */
    namespaces: z.array(z.string().refine((n) => dns1123LabelProblem(n) === undefined, { error: 'expected a namespace name (a DNS-1123 label)' })).min(1, { error: 'expected at least one namespace, or leave namespaces out for the whole cluster' }).optional(),
  }).prefault({}),
  /**
   * How the Kubernetes provider gets its Entra ID token (kubelogin's login mode): `azurecli`
   * (the Azure CLI's account), `workloadidentity` (AZURE_CLIENT_ID, AZURE_TENANT_ID and
   * AZURE_FEDERATED_TOKEN_FILE, e.g. a GitHub Actions OIDC federation), `spn` (a service
   * principal's secret in AAD_SERVICE_PRINCIPAL_CLIENT_SECRET or AZURE_CLIENT_SECRET), `msi`
   * (the machine's managed identity) or `devicecode` (interactive; refused when CI=true).
   * @see https://azure.github.io/kubelogin/concepts/login-modes.html
   */
  login: strictObject({
    mode: z.enum(['azurecli', 'workloadidentity', 'spn', 'msi', 'devicecode']).default('azurecli'),
    /** The client id of the service principal (`spn`) or of a user-assigned managed identity (`msi`); spn defaults to AZURE_CLIENT_ID, msi to the system-assigned identity. */
    clientId: z.uuid({ error: 'expected an Entra ID client (application) id (a UUID)' }).optional(),
  }).prefault({}),
  /**
   * The control plane's managed identity: `user-assigned` (an identity `id-<name>` the stack
   * creates and grants Network Contributor on the node subnet before the cluster exists) or
   * `system-assigned` (AKS creates it; the grant follows the cluster).
   */
  identity: z.enum(['user-assigned', 'system-assigned']).default('user-assigned'),
  /** An Azure Container Registry the nodes pull from: the kubelet identity gets AcrPull on it. */
  registry: strictObject({
    id: z.string().regex(/^\/subscriptions\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.ContainerRegistry\/registries\/[a-zA-Z0-9]{5,50}$/i, {
      error: 'expected an Azure Container Registry resource id: /subscriptions/<uuid>/resourceGroups/<rg>/providers/Microsoft.ContainerRegistry/registries/<name>',
    }),
  }).optional(),
  /**
   * Tags on every Azure resource the stack creates, over the kit's own (environment and tier).
   * Azure's rules: a name of at most 512 characters without `<>%&\?/`, a value of at most 256.
   */
  tags: z.record(z.string(), z.string({ error: 'expected a string tag value' })).default({}),
  upgradeChannel: z.enum(['none', 'patch', 'stable', 'rapid', 'node-image']).default('patch'),
  maintenanceWindow: strictObject({
    day: z.enum(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']),
    startHour: z.int().min(0).max(23, { error: 'expected an hour from 0 to 23 (UTC)' }),
    durationHours: z.int().min(4, { error: 'expected at least 4 hours (AKS minimum)' }).max(24),
  }).default({ day: 'Sunday', startHour: 2, durationHours: 4 }),
  /** Free has no uptime SLA; Standard does. */
  tier: z.enum(['Free', 'Standard']).default('Free'),
  logRetentionDays: z.int().min(30, { error: 'expected at least 30 days' }).max(730, { error: 'expected at most 730 days' }).default(30),
  /**
   * Control-plane log categories sent to the workspace besides the three always sent
   * (kube-audit-admin, guard, kube-apiserver). `kube-audit` also logs every get and list,
   * and costs accordingly.
   * @default []
   * @see https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/microsoft-containerservice-managedclusters-logs
   */
  extraLogCategories: z.array(z.enum([
    'kube-apiserver', 'kube-audit', 'kube-audit-admin', 'kube-controller-manager', 'kube-scheduler', 'cluster-autoscaler',
    'cloud-controller-manager', 'guard', 'csi-azuredisk-controller', 'csi-azurefile-controller', 'csi-snapshot-controller',
  ], {
    error: 'expected an AKS control-plane log category: kube-apiserver, kube-audit, kube-audit-admin, kube-controller-manager, kube-scheduler, cluster-autoscaler, cloud-controller-manager, guard, csi-azuredisk-controller, csi-azurefile-controller, csi-snapshot-controller',
  })).default([]),
  /** The cluster's security add-ons and settings (stacks/_aks-monitoring.ts). */
  security: strictObject({
    /** The Azure Policy add-on (Gatekeeper), so Azure Policy assignments reach the cluster. @default true */
    azurePolicy: z.boolean().default(true),
    /**
     * Microsoft Defender for Containers' sensor, reporting to the cluster's workspace. The
     * subscription needs the Defender for Containers plan.
     * @default false - the stack leaves the Defender profile alone
     */
    defender: z.boolean().default(false),
    /**
     * How often Image Cleaner (Eraser) removes unused images from the nodes, in hours.
     * @default 168
     * @see https://learn.microsoft.com/azure/aks/image-cleaner
     */
    imageCleanerIntervalHours: z.int({ error: 'expected a whole number of hours' })
      .min(24, { error: 'expected 24 to 2160 hours (AKS allows one day to three months)' })
      .max(2160, { error: 'expected 24 to 2160 hours (AKS allows one day to three months)' }).default(168),
    /**
     * How often the Key Vault secrets provider re-reads mounted secrets (secret rotation).
     * @default '2m'
     * @see https://learn.microsoft.com/azure/aks/csi-secrets-store-configuration-options
     */
    keyVaultRotationPollInterval: z.string().regex(/^[1-9]\d*[smh]$/, { error: "expected a duration such as '2m' (a whole number and s, m or h)" }).default('2m'),
  }).prefault({}),
  /**
   * Azure Monitor alerts on the cluster's containers (restarts, OOM kills), to an action
   * group of these receivers. Left out, the alert rules still fire in Azure Monitor, to nobody.
   * @default - alert rules without an action group
   */
  alerts: strictObject({
    /** The action group's short name, in SMS and email subjects. @default - the cluster name's first 12 characters */
    groupShortName: z.string().min(1, { error: 'expected 1 to 12 characters' })
      .max(12, { error: "expected at most 12 characters (Azure Monitor's limit for an action group's short name)" }).optional(),
    /** The alerts' severity, 0 (critical) to 4 (verbose). @default 2 */
    severity: z.int().min(0, { error: 'expected a severity from 0 to 4' }).max(4, { error: 'expected a severity from 0 to 4' }).default(2),
    email: z.array(strictObject({
      name: z.string().regex(/^[\w .-]{1,128}$/, { error: 'expected a receiver name of 1 to 128 letters, digits, spaces, _, . and -' }),
      address: z.email({ error: 'expected an email address' }),
    })).default([]),
    /**
     * Webhooks, each URL read from the stack's secret config key `secretKey`
     * (`pulumi config set --secret <secretKey> https://...`), never from this file.
     */
    webhook: z.array(strictObject({
      name: z.string().regex(/^[\w .-]{1,128}$/, { error: 'expected a receiver name of 1 to 128 letters, digits, spaces, _, . and -' }),
      secretKey: z.string().regex(/^[A-Za-z][\w-]*$/, { error: 'expected the name of a secret config key such as alertWebhookUrl' }),
    })).default([]),
  }).superRefine((alerts, ctx) => {
    const seen = new Map<string, string>();
    for (const kind of ['email', 'webhook'] as const) {
      alerts[kind].forEach((receiver, i) => {
        const first = seen.get(receiver.name);
        if (first === undefined) {
          seen.set(receiver.name, `${kind}[${i}]`);
          return;
        }
        ctx.addIssue({
          code: 'custom',
          input: receiver.name,
          path: [kind, i, 'name'],
          message: `expected a name no other receiver has (${first} is also named so; Azure Monitor requires unique receiver names)`,
        });
      });
    }
  }).optional(),
  machineTypes: declaredMachineTypes.azure,
  /** The controllers the stack runs on the cluster besides what AKS ships (docs/stacks.md, docs/capabilities.md). */
  addons: aksAddons,
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
    url: z.string().regex(/^(https:\/\/|ssh:\/\/)\S+$/, { error: 'expected an https:// or ssh:// repository URL' }).superRefine((url, ctx) => {
      // Never kept, never echoed: a credential in the URL would reach the GitOps output and the state.
      const shownUrl = urlWithoutCredentials(url);
      if (shownUrl !== undefined) {
        ctx.addIssue({ code: 'custom', input: shownUrl, message: 'expected the repository URL without credentials (the credentials are not shown), and deploy.secretName naming a Secret in flux-system that holds them (username and password, or identity and known_hosts for ssh)' });
      }
    }),
    branch: z.string().min(1).default('main'),
    /** The environment's directory in that repository; `./dist/<env>` when omitted. */
    path: z.string().regex(/^\.\/\S*$/, { error: "expected a path starting with './'" }).optional(),
    /** A Secret in flux-system with the repository's credentials, for private repositories. */
    secretName: z.string().optional(),
    interval: z.string().regex(/^\d+[smh]$/, { error: "expected a duration such as '5m'" }).default('5m'),
    /**
     * How Flux gets onto the cluster. `flux-chart`: `pulumi up` installs the pinned Flux Helm
     * chart and applies the sync objects through the cluster's API server. `aks-extension`
     * (AKS only): `pulumi up` creates the `microsoft.flux` cluster extension and a Flux
     * configuration through Azure Resource Manager and never reaches the API server, so a
     * private AKS cluster can be bootstrapped from outside its network (stacks/aks-flux.ts).
     */
    bootstrap: z.enum(['flux-chart', 'aks-extension'], { error: "expected 'flux-chart' or 'aks-extension'" }).default('flux-chart'),
    /**
     * SOPS-encrypted Secrets committed beside the output: Flux decrypts them as it applies
     * each chart directory. `age` reads the private key from a Secret in flux-system
     * (`secretName`, key `*.agekey`); `kms` (AWS KMS or Azure Key Vault) uses
     * kustomize-controller's cloud identity and takes no Secret.
     */
    decryption: strictObject({
      provider: z.enum(['age', 'kms'], { error: "expected 'age' or 'kms'" }),
      secretName: z.string().refine((name) => dns1123SubdomainProblem(name) === undefined, { error: 'expected a Secret name (a DNS-1123 subdomain)' }).optional(),
    }).superRefine((d, ctx) => {
      if (d.provider === 'age' && d.secretName === undefined) ctx.addIssue({ code: 'custom', path: ['secretName'], input: undefined, message: 'expected the name of the Secret in flux-system that holds the age private key' });
      if (d.provider === 'kms' && d.secretName !== undefined) ctx.addIssue({ code: 'custom', path: ['secretName'], input: d.secretName, message: "expected no secretName with provider 'kms': kustomize-controller decrypts with its cloud identity" });
    }).optional(),
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

/** A region of the cloud's list, or an error with the closest names. */
const regionOf = (cloud: 'aws' | 'azure') => z.string({ error: `expected ${cloud === 'aws' ? "an AWS region such as 'eu-west-1'" : "an Azure region such as 'westeurope'"}` })
  .superRefine((value, ctx) => {
    const expectation = regionExpectation(cloud, value);
    if (expectation !== undefined) ctx.addIssue({ code: 'custom', input: value, message: expectation });
  });
const region = { aws: regionOf('aws'), azure: regionOf('azure') };

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
