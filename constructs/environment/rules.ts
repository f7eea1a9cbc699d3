/**
 * Rules that relate one configuration key to another: pool sizes, zones, version skew, and
 * the hardening a `prod` environment must have. Each problem names the key it is about.
 */
import type { AwsCluster, AwsNodePool, AzureCluster, AzureNodePool, Cloud, DeploySettings, Tier } from './schema.js';
import { cidrContains, cidrsOverlap } from './cidr.js';
import { versionSkewProblem } from './versions.js';
import { zoneSuffix } from './zone-groups.js';

/** A problem with one configuration key (a dotted path under the kit's namespace). */
export interface ConfigProblem {
  /** The dotted configuration key under the kit's namespace: `cluster.nodePools[0].max`. */
  readonly key: string;
  /** What is wrong, with the value received and the value expected. */
  readonly message: string;
}

type Pool = AwsNodePool | AzureNodePool;

/** The access entry name of the identity running `pulumi up`. */
export const DEPLOYER_ACCESS_ENTRY = 'deployer';

/** The name an access entry gets from its principal: the last part of its ARN, e.g. `role/platform-admins` → `platform-admins`. */
export function accessEntryName(arn: string): string {
  return (arn.split('/').pop() ?? arn).replace(/[^A-Za-z0-9-]/g, '-').toLowerCase();
}

/** The longest node group name prefix EKS accepts (63 characters less its 26-character unique suffix). */
export const NODE_GROUP_PREFIX_MAX = 37;

/** The name prefix of a pool's node group in one zone: `kit-prod-general-a-`. */
export function nodeGroupPrefix(clusterName: string, poolName: string, zoneSuffix: string): string {
  return `${clusterName}-${poolName}-${zoneSuffix}-`;
}

/** Problems in an EKS environment's cluster settings. */
export function awsClusterProblems(cluster: AwsCluster, region: string, tier: Tier): ConfigProblem[] {
  const problems = [...poolProblems(cluster.nodePools, cluster.version, cluster.zones)];
  cluster.zones.forEach((zone, i) => {
    if (!zone.startsWith(region)) problems.push({ key: `cluster.zones[${i}]`, message: `'${zone}' is not a zone of region '${region}'` });
  });
  problems.push(...duplicates(cluster.zones, (i) => `cluster.zones[${i}]`, 'zone'));
  const vpcPrefix = Number(cluster.vpcCidr.split('/')[1]);
  if (vpcPrefix < 16 || vpcPrefix > 20) {
    problems.push({ key: 'cluster.vpcCidr', message: `'${cluster.vpcCidr}' is a /${vpcPrefix}; expected a /16 to /20 (each zone gets a private /19-equivalent eighth and a public /22-equivalent)` });
  }
  cluster.nodePools.forEach((pool, i) => {
    // A node group per zone, named by a prefix `<cluster>-<pool>-<zone letter>-`: EKS appends
    // 26 characters to the prefix, and a name has at most 63.
    const prefix = (pool.zones ?? cluster.zones).map((zone) => nodeGroupPrefix(cluster.name, pool.name, zoneSuffix(zone))).reduce((a, b) => (b.length > a.length ? b : a));
    if (prefix.length > NODE_GROUP_PREFIX_MAX) {
      problems.push({ key: `cluster.nodePools[${i}].name`, message: `'${pool.name}' makes the node group name prefix '${prefix}' ${prefix.length} characters long; cluster name, pool name and zone letter together must leave it at most ${NODE_GROUP_PREFIX_MAX}` });
    }
    // One node group per zone (zone-groups.ts), and EKS needs a max of at least 1 in each.
    const zoneCount = (pool.zones ?? cluster.zones).length;
    if (pool.max < zoneCount) {
      problems.push({ key: `cluster.nodePools[${i}].max`, message: `(${pool.max}) is below the ${zoneCount} zones of pool '${pool.name}'; each zone's node group needs a max of at least 1: raise max to ${zoneCount}, or list fewer zones in the pool's zones` });
    }
    const arm = pool.instanceTypes.map(isArmInstanceType);
    if (arm.some((a) => a !== arm[0])) {
      problems.push({ key: `cluster.nodePools[${i}].instanceTypes`, message: `${JSON.stringify(pool.instanceTypes)} mixes Graviton (arm64) and x86_64 types; one pool runs one AMI` });
    }
  });
  const { endpoint } = cluster;
  if (!endpoint.private && !endpoint.public) {
    problems.push({ key: 'cluster.endpoint', message: 'private and public are both false; the API server would be unreachable' });
  }
  problems.push(...awsReachabilityProblems(cluster, tier));
  problems.push(...awsAutoscalerProblems(cluster));
  const principals = [...cluster.adminRoleArns, ...cluster.access.map((a) => a.principalArn)];
  const principalKey = (i: number) => (i < cluster.adminRoleArns.length ? `cluster.adminRoleArns[${i}]` : `cluster.access[${i - cluster.adminRoleArns.length}].principalArn`);
  problems.push(...duplicates(principals, principalKey, 'principal'));
  // Each entry is a resource named by its principal; two ARNs that name alike would collide.
  const seenNames = new Map<string, string>([[DEPLOYER_ACCESS_ENTRY, 'the identity running `pulumi up`']]);
  principals.forEach((arn, i) => {
    const entryName = accessEntryName(arn);
    const taken = seenNames.get(entryName);
    if (taken !== undefined && taken !== arn) {
      problems.push({ key: principalKey(i), message: `'${arn}' gives the access entry name '${entryName}', already that of ${taken.startsWith('arn:') ? `'${taken}'` : taken}; rename one principal` });
    } else {
      seenNames.set(entryName, arn);
    }
  });
  cluster.access.forEach((entry, i) => {
    if (entry.policy === 'cluster-admin' && entry.namespaces !== undefined) {
      problems.push({ key: `cluster.access[${i}].namespaces`, message: `is ${JSON.stringify(entry.namespaces)}; cluster-admin is cluster-wide: use policy admin for namespace administrators, or leave namespaces out` });
    }
  });
  if (cluster.allowedAccountIds === undefined && tier !== 'dev') {
    problems.push({ key: 'cluster.allowedAccountIds', message: `is missing; a ${tier} stack must list the AWS accounts it may deploy to, so that credentials for any other account fail before a change` });
  }
  problems.push(...tagProblems('aws', cluster.tags));
  if (!cluster.nodePools.some((pool) => pool.taints.every((t) => t.effect === 'PreferNoSchedule'))) {
    problems.push({ key: 'cluster.nodePools', message: 'every pool has a NoSchedule or NoExecute taint; CoreDNS and the EBS CSI controller need an untainted pool' });
  }
  if (tier === 'prod') {
    if (!endpoint.private) {
      problems.push({ key: 'cluster.endpoint.private', message: 'is false; prod clusters must have a private endpoint (the public one may stay, restricted to publicCidrs)' });
    }
    const open = endpoint.publicCidrs.findIndex((c) => c === '0.0.0.0/0');
    if (endpoint.public && open >= 0) {
      problems.push({ key: `cluster.endpoint.publicCidrs[${open}]`, message: "is '0.0.0.0/0'; a prod public endpoint must be restricted to known CIDRs (or set public: false)" });
    }
    problems.push(...prodZoneProblems(cluster.zones, cluster.nodePools));
    if (cluster.natGateways !== 'per-zone') {
      problems.push({ key: 'cluster.natGateways', message: `is '${cluster.natGateways}'; prod needs a NAT gateway per zone so one zone's outage does not cut the others off` });
    }
  }
  return problems;
}

/** How `pulumi up` reaches the API server, and who else can. */
function awsReachabilityProblems(cluster: AwsCluster, tier: Tier): ConfigProblem[] {
  const { endpoint } = cluster;
  const problems: ConfigProblem[] = [];
  if (endpoint.public && endpoint.publicCidrs.length === 0) {
    problems.push({
      key: 'cluster.endpoint.publicCidrs',
      message: `is empty while public is true; list the CIDRs that may reach the public endpoint (the deployer's, the admins'), or write '0.0.0.0/0' to open it to the internet${tier === 'prod' ? ' (not allowed in prod)' : ''}`,
    });
  }
  if (!endpoint.public && endpoint.publicCidrs.length > 0) {
    problems.push({ key: 'cluster.endpoint.publicCidrs', message: `is ${JSON.stringify(endpoint.publicCidrs)} while public is false; the CIDRs would have no effect: set public: true or remove them` });
  }
  if (!endpoint.public && endpoint.deployFrom !== 'in-vpc') {
    problems.push({
      key: 'cluster.endpoint.deployFrom',
      message: `is '${endpoint.deployFrom}' but the endpoint is private only, and \`pulumi up\` applies the Kubernetes layer (every object in direct mode, the Flux bootstrap in gitops mode) from wherever it runs; `
        + "set deployFrom: in-vpc if it runs inside the VPC (a runner in the VPC, a VPN or peering), or public: true with publicCidrs listing the deployer's addresses",
    });
  }
  if (endpoint.deployFrom === 'in-vpc' && !endpoint.private) {
    problems.push({ key: 'cluster.endpoint.deployFrom', message: "is 'in-vpc' but private is false; a deployer inside the VPC needs the private endpoint" });
  }
  return problems;
}

/** A pool's min, desired and max must mean what the chosen autoscaler makes of them. */
function awsAutoscalerProblems(cluster: AwsCluster): ConfigProblem[] {
  if (cluster.addons.autoscaler !== 'none') return [];
  const problems: ConfigProblem[] = [];
  cluster.nodePools.forEach((pool, i) => {
    if (pool.min !== pool.max || pool.desired !== pool.max) {
      problems.push({
        key: `cluster.nodePools[${i}]`,
        message: `pool '${pool.name}' has min ${pool.min}, desired ${pool.desired}, max ${pool.max}, but addons.autoscaler is 'none', so nothing grows or shrinks it; `
          + `set min = desired = max (the pool's fixed size), or addons.autoscaler: cluster-autoscaler`,
      });
    }
  });
  return problems;
}

/**
 * True for Graviton (arm64) instance families: a `g` after the generation digit (m7g, c6gn,
 * r6gd, t4g, m8gb, and g5g, NVIDIA GPUs on Graviton), and the first Graviton, a1. False for
 * x86 families such as g5, g6 (GPUs), m7i-flex and p5. Checked against every type of the
 * Karpenter instance-type reference that constructs/imports/ec2-instance-types.ts comes from.
 */
export function isArmInstanceType(instanceType: string): boolean {
  return /^(a1|[a-z]+\d+g[a-z]*)\./.test(instanceType);
}

/** Problems in an AKS environment's cluster settings. */
export function azureClusterProblems(cluster: AzureCluster, tier: Tier): ConfigProblem[] {
  const problems = [...poolProblems(cluster.nodePools, cluster.version, cluster.zones)];
  const systemPools = cluster.nodePools.filter((pool) => pool.mode === 'system');
  if (systemPools.length === 0) {
    problems.push({ key: 'cluster.nodePools', message: "has no pool with mode 'system'; AKS needs one for its own add-ons" });
  }
  cluster.nodePools.forEach((pool, i) => {
    if (pool.mode === 'system' && pool.min < 1) {
      problems.push({ key: `cluster.nodePools[${i}].min`, message: `is ${pool.min}; a system pool needs at least 1 node` });
    }
  });
  if (!cidrContains(cluster.vnetCidr, cluster.subnetCidr)) {
    problems.push({ key: 'cluster.subnetCidr', message: `'${cluster.subnetCidr}' is not inside vnetCidr '${cluster.vnetCidr}'` });
  }
  for (const key of ['podCidr', 'serviceCidr'] as const) {
    if (cidrsOverlap(cluster[key], cluster.vnetCidr)) {
      problems.push({ key: `cluster.${key}`, message: `'${cluster[key]}' overlaps vnetCidr '${cluster.vnetCidr}'` });
    }
  }
  if (cidrsOverlap(cluster.podCidr, cluster.serviceCidr)) {
    problems.push({ key: 'cluster.serviceCidr', message: `'${cluster.serviceCidr}' overlaps podCidr '${cluster.podCidr}'` });
  }
  problems.push(...azureAccessProblems(cluster), ...tagProblems('azure', cluster.tags));
  if (tier === 'prod') {
    const { apiServer } = cluster;
    if (!apiServer.private && (apiServer.authorizedIpRanges.length === 0 || apiServer.authorizedIpRanges.includes('0.0.0.0/0'))) {
      problems.push({ key: 'cluster.apiServer', message: 'is public and unrestricted; prod needs private: true or authorizedIpRanges' });
    }
    if (cluster.tier !== 'Standard') {
      problems.push({ key: 'cluster.tier', message: `is '${cluster.tier}'; prod needs 'Standard' (the uptime SLA)` });
    }
    problems.push(...prodZoneProblems(cluster.zones, cluster.nodePools));
  }
  return problems;
}

/** The deployer's role and the login, which only make sense in some combinations. */
function azureAccessProblems(cluster: AzureCluster): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { deployer, login } = cluster;
  if (deployer.role === 'cluster-admin' && deployer.namespaces !== undefined) {
    problems.push({ key: 'cluster.deployer.namespaces', message: `is ${JSON.stringify(deployer.namespaces)}; cluster-admin is cluster-wide: use role admin or writer for a namespaced deployer, or leave namespaces out` });
  }
  if (login.clientId !== undefined && login.mode !== 'spn' && login.mode !== 'msi') {
    problems.push({ key: 'cluster.login.clientId', message: `is set but mode is '${login.mode}'; only the spn and msi logins take a client id` });
  }
  return problems;
}

/** The characters an Azure tag name may not contain. */
const AZURE_TAG_NAME_FORBIDDEN = /[<>%&\\?/]/;
/** Tag key and value limits, per cloud. */
const TAG_LIMITS = { aws: { key: 128, value: 256 }, azure: { key: 512, value: 256 } } as const;

/** Problems in `cluster.tags`: the key and value limits of the cloud, Azure's forbidden name characters and AWS's reserved `aws:` prefix. */
export function tagProblems(cloud: Cloud, tags: Readonly<Record<string, string>>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const limits = TAG_LIMITS[cloud];
  for (const [key, value] of Object.entries(tags)) {
    const at = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `cluster.tags.${key}` : `cluster.tags[${JSON.stringify(key)}]`;
    if (key.length === 0 || key.length > limits.key) {
      problems.push({ key: at, message: `the tag ${key.length === 0 ? 'name is empty' : `name is ${key.length} characters`}; ${cloud === 'aws' ? 'AWS' : 'Azure'} takes 1 to ${limits.key}` });
    }
    if (cloud === 'azure' && AZURE_TAG_NAME_FORBIDDEN.test(key)) {
      problems.push({ key: at, message: `the tag name '${key}' contains '${AZURE_TAG_NAME_FORBIDDEN.exec(key)?.[0] ?? ''}'; Azure tag names may not contain < > % & \\ ? /` });
    }
    if (cloud === 'aws' && key.toLowerCase().startsWith('aws:')) {
      problems.push({ key: at, message: `the tag key '${key}' starts with 'aws:', a prefix AWS reserves for its own tags` });
    }
    if (value.length > limits.value) {
      problems.push({ key: at, message: `the tag value is ${value.length} characters; ${cloud === 'aws' ? 'AWS' : 'Azure'} takes at most ${limits.value}` });
    }
  }
  return problems;
}

/**
 * The tags every cloud resource of an environment gets: the kit's own (its environment and
 * tier), with `cluster.tags` merged over them. Azure tag names may not contain `/`, so there
 * the kit's keys are `k8s-platform-kit.dev_environment` and `k8s-platform-kit.dev_tier`
 * (`k8s-platform-kit.dev/environment` and `k8s-platform-kit.dev/tier` on AWS).
 */
export function environmentTags(cloud: Cloud, environment: string, tier: Tier, tags: Readonly<Record<string, string>> = {}): Record<string, string> {
  const separator = cloud === 'azure' ? '_' : '/';
  return { [`k8s-platform-kit.dev${separator}environment`]: environment, [`k8s-platform-kit.dev${separator}tier`]: tier, ...tags };
}

/** Pool sizes, names, zones and versions, the same on both clouds. */
function poolProblems(pools: readonly Pool[], controlPlane: string, clusterZones: readonly string[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  problems.push(...duplicates(pools.map((p) => p.name), (i) => `cluster.nodePools[${i}].name`, 'pool name'));
  pools.forEach((pool, i) => {
    const key = `cluster.nodePools[${i}]`;
    if (pool.min > pool.max) problems.push({ key: `${key}.min`, message: `(${pool.min}) is above max (${pool.max}) in pool '${pool.name}'` });
    if (pool.desired < pool.min || pool.desired > pool.max) {
      problems.push({ key: `${key}.desired`, message: `(${pool.desired}) is outside [min, max] = [${pool.min}, ${pool.max}] in pool '${pool.name}'` });
    }
    pool.zones?.forEach((zone, z) => {
      if (!clusterZones.includes(zone)) {
        problems.push({ key: `${key}.zones[${z}]`, message: `'${zone}' is not one of the cluster's zones (${clusterZones.join(', ') || 'none'})` });
      }
    });
    if (pool.version !== undefined) {
      const skew = versionSkewProblem(controlPlane, pool.version);
      if (skew) problems.push({ key: `${key}.version`, message: `pool '${pool.name}' at ${pool.version} ${skew}` });
    }
  });
  return problems;
}

/** Prod spreads the control plane's subnets and every pool over at least three zones. */
function prodZoneProblems(clusterZones: readonly string[], pools: readonly Pool[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (clusterZones.length < 3) {
    problems.push({ key: 'cluster.zones', message: `has ${clusterZones.length} zone(s); prod needs at least 3` });
  }
  pools.forEach((pool, i) => {
    if (pool.zones !== undefined && pool.zones.length < 2) {
      problems.push({ key: `cluster.nodePools[${i}].zones`, message: `pool '${pool.name}' is in one zone; prod pools must span at least 2` });
    }
  });
  return problems;
}

function duplicates(values: readonly string[], keyOf: (index: number) => string, what: string): ConfigProblem[] {
  const seen = new Map<string, number>();
  const problems: ConfigProblem[] = [];
  values.forEach((value, i) => {
    const first = seen.get(value);
    if (first === undefined) seen.set(value, i);
    else problems.push({ key: keyOf(i), message: `duplicate ${what} '${value}' (also at index ${first})` });
  });
  return problems;
}

/**
 * Problems in how the GitOps bootstrap installs Flux (`deploy.bootstrap`) on the environment's
 * cloud: the `microsoft.flux` cluster extension (`aks-extension`) exists only on AKS.
 */
export function deployBootstrapProblems(cloud: Cloud, deploy: DeploySettings): ConfigProblem[] {
  if (deploy.mode !== 'gitops' || deploy.bootstrap !== 'aks-extension' || cloud === 'azure') return [];
  return [{
    key: 'deploy.bootstrap',
    message: `is '${deploy.bootstrap}' but cloud is '${cloud}'; the microsoft.flux cluster extension exists only on AKS (cloud 'azure'): expected 'flux-chart' (Flux from its Helm chart) on '${cloud}'`,
  }];
}
