/**
 * Pulumi mocks for the stack tests: every resource registration is recorded (type, name,
 * inputs), and the few outputs the components read back (cluster endpoint, OIDC issuer,
 * launch template version, resource ids) get plausible values.
 */
import * as pulumi from '@pulumi/pulumi';

/** One registered resource. */
export interface Recorded {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly custom: boolean;
}

/** Every registration since the last `reset()`. */
export const recorded: Recorded[] = [];

export function reset(): void {
  recorded.length = 0;
}

export const TEST_KUBECONFIG = 'apiVersion: v1\nkind: Config\nclusters: []\n';

function state(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (type) {
    case 'aws:eks/cluster:Cluster':
      return {
        ...inputs,
        arn: `arn:aws:eks:eu-west-1:111122223333:cluster/${String(inputs.name)}`,
        endpoint: 'https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
        certificateAuthority: { data: 'LS0tLS1CRUdJTg==' },
        identities: [{ oidcs: [{ issuer: 'https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF' }] }],
      };
    case 'aws:ec2/launchTemplate:LaunchTemplate':
      return { ...inputs, latestVersion: 1 };
    case 'azure-native:containerservice:ManagedCluster':
      return {
        ...inputs,
        name: inputs.resourceName,
        id: `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/${String(inputs.resourceName)}`,
      };
    default:
      return { ...inputs, arn: `arn:aws:mock:::${name}`, name: inputs.name ?? inputs.resourceGroupName ?? name };
  }
}

await pulumi.runtime.setMocks(
  {
    newResource(args) {
      recorded.push({ type: args.type, name: args.name, inputs: args.inputs, custom: args.custom ?? false });
      const result = state(args.type, args.name, args.inputs);
      return { id: typeof result.id === 'string' ? result.id : `${args.name}-id`, state: result };
    },
    call(args) {
      switch (args.token) {
        case 'aws:index/getPartition:getPartition':
          return { partition: 'aws', dnsSuffix: 'amazonaws.com' };
        case 'azure-native:containerservice:listManagedClusterUserCredentials':
          return { kubeconfigs: [{ name: 'clusterUser', value: Buffer.from(TEST_KUBECONFIG).toString('base64') }] };
        default:
          throw new Error(`unexpected invoke ${args.token}`);
      }
    },
  },
  'k8s-platform-kit',
  'test',
  false,
);

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
}

/** The recorded registrations of one type. */
export function ofType(type: string): Recorded[] {
  return recorded.filter((r) => r.type === type);
}

/** The one recorded registration with this type and name; throws naming what exists otherwise. */
export function one(type: string, name: string): Recorded {
  const found = recorded.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) {
    throw new Error(`expected one ${type} named ${name}, found ${found.length}; names: ${ofType(type).map((r) => r.name).join(', ')}`);
  }
  return found[0] as Recorded;
}
