/**
 * Pulumi mocks for the stack tests: every resource registration is recorded (type, name,
 * inputs and the resource options the engine would get: parent, dependsOn, provider,
 * protect, ignoreChanges, ...), and the few outputs and invokes the components read back
 * (cluster endpoint, OIDC issuer, cluster security group, launch template version, KMS key
 * and bucket ARNs, resource ids, partition, caller identity, add-on versions) get plausible
 * values.
 *
 * How the options are captured (@pulumi/pulumi 3.248.0, pinned in package.json):
 * - `newResource` only gets type, name, inputs, provider and custom, so the mock monitor's
 *   `registerResource`/`readResource` are wrapped to see the whole request as the engine
 *   would (parent URN, provider reference, protect, ignoreChanges, ...).
 * - That request's dependency list mixes `dependsOn` with the dependencies implied by inputs,
 *   and expands a component into its custom children; so `dependsOn` is read, as written,
 *   by a stack transformation. Under mocks `registerResourceTransform` is refused (the
 *   mocks set `supportsTransforms = false`) and `registerStackTransformation` needs a root
 *   stack, which mocks do not create: this module creates one, as `pulumi up` does, so
 *   every top-level resource is parented to `pulumi:pulumi:Stack` (recorded as no parent).
 */
import * as pulumi from '@pulumi/pulumi';

/** One registered resource. Every reference to another resource is its `type::name` (see {@link refOf}). */
export interface Recorded {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly custom: boolean;
  /** The parent, e.g. `'k8s-platform-kit:aws:EksCluster::prod'`; `undefined` for a top-level resource (parented to the root stack). */
  readonly parent: string | undefined;
  /**
   * The `dependsOn` option as written (not the dependencies implied by inputs; a component
   * stays itself, not its children), e.g. `['aws:eks/addon:Addon::staging-vpc-cni']`. Entries
   * given as a Promise or an Output are added once resolved (`settled()` waits for them).
   */
  readonly dependsOn: readonly string[];
  /**
   * The provider the resource is registered with, explicit or inherited from its parent's
   * `provider`/`providers`, e.g. `'pulumi:providers:kubernetes::dev-k8s'`; `undefined` for the
   * default provider and for components (which only pass providers on).
   */
  readonly provider: string | undefined;
  /** Whether it is protected, explicitly or inherited from its parent. */
  readonly protect: boolean;
  readonly ignoreChanges: readonly string[];
  /** `undefined` when the option is not set. */
  readonly deleteBeforeReplace: boolean | undefined;
  readonly replaceOnChanges: readonly string[];
  /** `undefined` when the option is not set. */
  readonly retainOnDelete: boolean | undefined;
  readonly deletedWith: string | undefined;
}

/** Every registration since the last `reset()`. */
export const recorded: Recorded[] = [];

export function reset(): void {
  recorded.length = 0;
  pending.clear();
}

/** The form every reference in a {@link Recorded} takes: `'<type>::<name>'`. */
export function refOf(resource: { readonly type: string; readonly name: string }): string {
  return `${resource.type}::${resource.name}`;
}

export const TEST_KUBECONFIG = 'apiVersion: v1\nkind: Config\nclusters: []\n';
/** The AWS account of the mocked cluster ARN and caller, and the identity `aws.getCallerIdentity` returns (an assumed-role session). */
export const TEST_ACCOUNT = '111122223333';
export const TEST_CALLER_ARN = `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/kit-deployer/ci`;
/** The version `aws.eks.getAddonVersion` returns, for every add-on. */
export const TEST_ADDON_VERSION = 'v1.0.0-eksbuild.1';
/** The security group EKS creates for a mocked cluster (its `vpcConfig.clusterSecurityGroupId`). */
export const TEST_CLUSTER_SECURITY_GROUP = 'sg-0123456789abcdef0';
/** The OIDC issuer the mocked ManagedCluster reports (its name follows). */
export const TEST_AKS_ISSUER = 'https://westeurope.oic.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/';
/** The identity `azure-native:authorization:getClientConfig` returns (the subscription is Pulumi.dev.yaml's). */
export const TEST_AZURE_CALLER = { subscriptionId: '00000000-0000-4000-8000-000000000000', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', objectId: '0d3b6a7e-5f1c-4e2d-9a8b-7c6d5e4f3a2b', clientId: '04b07795-8ddb-461a-bbee-02f9e1bf7b46' };
/** What the Azure invokes answer; a test may change a field and must put it back. */
export const azureMock = { caller: { ...TEST_AZURE_CALLER }, userKubeconfig: TEST_KUBECONFIG };
/** The principal of a mocked managed identity named `name` (a UserAssignedIdentity, or a cluster's own identity). */
export const mockPrincipalId = (name: string): string => `${name}-principal`;

function state(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (type) {
    case 'aws:eks/cluster:Cluster':
      return {
        ...inputs,
        arn: `arn:aws:eks:eu-west-1:${TEST_ACCOUNT}:cluster/${String(inputs.name)}`,
        endpoint: 'https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
        certificateAuthority: { data: 'LS0tLS1CRUdJTg==' },
        identities: [{ oidcs: [{ issuer: 'https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF' }] }],
        vpcConfig: { ...(inputs.vpcConfig as Record<string, unknown> | undefined), clusterSecurityGroupId: TEST_CLUSTER_SECURITY_GROUP },
      };
    case 'aws:ec2/launchTemplate:LaunchTemplate':
      return { ...inputs, latestVersion: 1 };
    // ARNs in the real format where policies are built from them (stacks/_aws-policies.ts checks them).
    case 'aws:kms/key:Key':
      return { ...inputs, arn: `arn:aws:kms:eu-west-1:${TEST_ACCOUNT}:key/${name}`, keyId: name };
    case 'aws:s3/bucket:Bucket':
      return { ...inputs, arn: `arn:aws:s3:::${String(inputs.bucket ?? name)}`, bucket: inputs.bucket ?? name };
    case 'azure-native:containerservice:ManagedCluster':
      return {
        ...inputs,
        name: inputs.resourceName,
        id: `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/${String(inputs.resourceName)}`,
        identity: { ...(inputs.identity as Record<string, unknown> | undefined), principalId: mockPrincipalId(name) },
        identityProfile: { kubeletidentity: { objectId: mockPrincipalId(`${name}-kubelet`) } },
        oidcIssuerProfile: { enabled: true, issuerURL: `${TEST_AKS_ISSUER}${String(inputs.resourceName)}/` },
      };
    case 'azure-native:storage:StorageAccount':
      return { ...inputs, id: `${name}-id`, name: inputs.accountName };
    case 'azure-native:managedidentity:UserAssignedIdentity':
      return { ...inputs, id: `${name}-id`, principalId: mockPrincipalId(name), clientId: `${name}-client` };
    default:
      return { ...inputs, arn: `arn:aws:mock:::${name}`, name: inputs.name ?? inputs.resourceGroupName ?? name };
  }
}

/**
 * The part of a `RegisterResourceRequest` (or, for `get`, a `ReadResourceRequest`, which has
 * only the first four) the recorder reads.
 */
interface MonitorRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getProtect?(): boolean;
  getIgnorechangesList?(): string[];
  getDeletebeforereplacedefined?(): boolean;
  getDeletebeforereplace?(): boolean;
  getReplaceonchangesList?(): string[];
  hasRetainondelete?(): boolean;
  getRetainondelete?(): boolean;
  getDeletedwith?(): string;
}

/** `type::name` of a URN (`urn:pulumi:<stack>::<project>::<parent type>$<type>::<name>`). */
function refOfUrn(urn: string): string {
  const [, , qualifiedType = '', ...name] = urn.split('::');
  return `${qualifiedType.split('$').pop()}::${name.join('::')}`;
}

/** `type::name` of a constructed resource, from the SDK's own (internal) fields. */
function refOfResource(resource: pulumi.Resource): string {
  const { __pulumiType: type, __name: name } = resource as unknown as { __pulumiType: string; __name: string };
  return `${type}::${name}`;
}

/** What the stack transformation saw of a resource not yet registered. */
interface Pending {
  readonly dependsOn: string[];
}

/** By `<parent ref>|<type>::<name>`, in construction order. */
const pending = new Map<string, Pending[]>();
/** Resolutions of `dependsOn` entries given as a Promise or an Output. */
const resolving = new Set<Promise<void>>();

function pendingKey(parent: string, type: string, name: string): string {
  return `${parent}|${type}::${name}`;
}

/** Adds the refs of the resources in a `dependsOn` value to `into`, resolving Inputs as the SDK does. */
function collectDependsOn(value: unknown, into: string[]): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) collectDependsOn(item, into);
    return;
  }
  if (pulumi.Resource.isInstance(value)) {
    into.push(refOfResource(value));
    return;
  }
  const later = pulumi.Output.isInstance(value) ? valueOf(value) : Promise.resolve(value);
  // A rejected Input fails the registration in the SDK itself; nothing to record here.
  const resolution: Promise<void> = later.then((resolved) => collectDependsOn(resolved, into), () => undefined)
    .finally(() => resolving.delete(resolution));
  resolving.add(resolution);
}

let request: MonitorRequest | undefined;

await pulumi.runtime.setMocks(
  {
    newResource(args) {
      const req = request;
      request = undefined;
      if (!req || req.getType() !== args.type || req.getName() !== args.name) {
        throw new Error(`test/stacks/_mocks.ts: no monitor request seen for ${args.type}::${args.name}; did @pulumi/pulumi's MockMonitor change?`);
      }
      const parentUrn = req.getParent();
      const parent = parentUrn ? refOfUrn(parentUrn) : '';
      const key = pendingKey(parent, args.type, args.name);
      const seen = pending.get(key)?.shift();
      if (pending.get(key)?.length === 0) pending.delete(key);
      const providerRef = req.getProvider();
      const deletedWith = req.getDeletedwith?.() ?? '';
      recorded.push({
        type: args.type,
        name: args.name,
        inputs: args.inputs,
        custom: args.custom ?? false,
        parent: parent === '' || parent.startsWith(`${pulumi.runtime.rootPulumiStackTypeName}::`) ? undefined : parent,
        dependsOn: seen?.dependsOn ?? [],
        // A provider reference is `<provider URN>::<provider id>`.
        provider: providerRef ? refOfUrn(providerRef.slice(0, providerRef.lastIndexOf('::'))) : undefined,
        protect: req.getProtect?.() ?? false,
        ignoreChanges: req.getIgnorechangesList?.() ?? [],
        deleteBeforeReplace: req.getDeletebeforereplacedefined?.() ? req.getDeletebeforereplace?.() : undefined,
        replaceOnChanges: req.getReplaceonchangesList?.() ?? [],
        retainOnDelete: req.hasRetainondelete?.() ? req.getRetainondelete?.() : undefined,
        deletedWith: deletedWith ? refOfUrn(deletedWith) : undefined,
      });
      const result = state(args.type, args.name, args.inputs);
      return { id: typeof result.id === 'string' ? result.id : `${args.name}-id`, state: result };
    },
    call(args) {
      switch (args.token) {
        case 'aws:index/getPartition:getPartition':
          return { partition: 'aws', dnsSuffix: 'amazonaws.com' };
        case 'aws:index/getCallerIdentity:getCallerIdentity':
          return { id: TEST_ACCOUNT, accountId: TEST_ACCOUNT, arn: TEST_CALLER_ARN, userId: 'AROAEXAMPLEDEPLOYER:ci' };
        case 'aws:eks/getAddonVersion:getAddonVersion':
          return { id: String(args.inputs.addonName), addonName: args.inputs.addonName, kubernetesVersion: args.inputs.kubernetesVersion, mostRecent: args.inputs.mostRecent, version: TEST_ADDON_VERSION };
        case 'aws:iam/getSessionContext:getSessionContext': {
          // An assumed-role session's issuer is its role; any other ARN is its own issuer.
          const arn = String(args.inputs.arn);
          const role = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
          return role
            ? { id: arn, arn, issuerArn: `arn:aws:iam::${role[1]}:role/${role[2]}`, issuerId: 'AROAEXAMPLEDEPLOYER', issuerName: role[2], sessionName: role[3] }
            : { id: arn, arn, issuerArn: arn, issuerId: '', issuerName: '', sessionName: '' };
        }
        case 'azure-native:containerservice:listManagedClusterUserCredentials':
          return { kubeconfigs: [{ name: 'clusterUser', value: Buffer.from(azureMock.userKubeconfig).toString('base64') }] };
        case 'azure-native:authorization:getClientConfig':
          return { ...azureMock.caller };
        default:
          throw new Error(`unexpected invoke ${args.token}`);
      }
    },
  },
  'k8s-platform-kit',
  'test',
  false,
);

// The mock monitor calls `newResource` synchronously from these two methods: hand it the request.
type MonitorMethod = (req: MonitorRequest, callback: unknown) => unknown;
const monitor = pulumi.runtime.getMonitor() as unknown as Record<'registerResource' | 'readResource', MonitorMethod>;
for (const method of ['registerResource', 'readResource'] as const) {
  const original = monitor[method].bind(monitor);
  monitor[method] = (req, callback) => {
    request = req;
    try {
      return original(req, callback);
    } finally {
      request = undefined;
    }
  };
}

// The root stack, so that a stack transformation sees every resource, then the transformation.
await pulumi.runtime.runInPulumiStack(async () => ({}));
pulumi.runtime.registerStackTransformation(({ type, name, opts }) => {
  const parent = opts.parent ?? pulumi.runtime.getStackResource();
  const key = pendingKey(parent ? refOfResource(parent) : '', type, name);
  const dependsOn: string[] = [];
  collectDependsOn(opts.dependsOn, dependsOn);
  pending.set(key, [...(pending.get(key) ?? []), { dependsOn }]);
  return undefined;
});
reset();

/** The value of an output, once resolved. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** Waits until no registration has happened for a few turns of the event loop. */
export async function settled(): Promise<void> {
  let last = -1;
  let quiet = 0;
  while (quiet < 5) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    quiet = recorded.length === last ? quiet + 1 : 0;
    last = recorded.length;
  }
  await Promise.all(resolving);
}

/** The recorded registrations of one type. */
export function ofType(type: string): Recorded[] {
  return recorded.filter((r) => r.type === type);
}

/** The first recorded registration with this type and name, if any. */
export function find(type: string, name: string): Recorded | undefined {
  return recorded.find((r) => r.type === type && r.name === name);
}

/** The one recorded registration with this type and name; throws naming what exists otherwise. */
export function one(type: string, name: string): Recorded {
  const found = recorded.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) {
    throw new Error(`expected one ${type} named ${name}, found ${found.length}; names: ${ofType(type).map((r) => r.name).join(', ')}`);
  }
  return found[0] as Recorded;
}

/** The registrations whose parent is `parent` (a record, or its `type::name`), in registration order. */
export function childrenOf(parent: Recorded | string): Recorded[] {
  const ref = typeof parent === 'string' ? parent : refOf(parent);
  return recorded.filter((r) => r.parent === ref);
}
