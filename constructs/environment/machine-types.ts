import type { AwsNodePool, AzureNodePool } from './schema.js';

/**
 * The size of the machines node pools are made of: vCPUs and memory of common EC2 instance
 * types and Azure VM sizes. Used to model a pool's nodes (simulated nodes in the
 * end-to-end tests, capacity planning); a type not listed here has no known size.
 */

/** The resources of one machine. */
export interface MachineSize {
  readonly cpu: number;
  readonly memoryGiB: number;
  /**
   * EC2 only: elastic network interfaces and IPv4 addresses per interface, which bound the
   * pods a node can run (the VPC CNI gives every pod an address of the node's ENIs).
   */
  readonly network?: { readonly enis: number; readonly ipv4PerEni: number };
}

/** vCPUs and memory of the EC2 instance types and Azure VM sizes the kit knows. */
export const MACHINE_SIZES: Readonly<Record<string, MachineSize>> = {
  't2.micro': { cpu: 1, memoryGiB: 1, network: { enis: 2, ipv4PerEni: 2 } },
  't3.medium': { cpu: 2, memoryGiB: 4, network: { enis: 3, ipv4PerEni: 6 } },
  't3.large': { cpu: 2, memoryGiB: 8, network: { enis: 3, ipv4PerEni: 12 } },
  'c6i.large': { cpu: 2, memoryGiB: 4, network: { enis: 3, ipv4PerEni: 10 } },
  'c6i.xlarge': { cpu: 4, memoryGiB: 8, network: { enis: 4, ipv4PerEni: 15 } },
  'm5.large': { cpu: 2, memoryGiB: 8, network: { enis: 3, ipv4PerEni: 10 } },
  'm5.xlarge': { cpu: 4, memoryGiB: 16, network: { enis: 4, ipv4PerEni: 15 } },
  'm6a.large': { cpu: 2, memoryGiB: 8, network: { enis: 3, ipv4PerEni: 10 } },
  'm6a.xlarge': { cpu: 4, memoryGiB: 16, network: { enis: 4, ipv4PerEni: 15 } },
  'm6i.large': { cpu: 2, memoryGiB: 8, network: { enis: 3, ipv4PerEni: 10 } },
  'm6i.xlarge': { cpu: 4, memoryGiB: 16, network: { enis: 4, ipv4PerEni: 15 } },
  'm6i.2xlarge': { cpu: 8, memoryGiB: 32, network: { enis: 4, ipv4PerEni: 15 } },
  'm7g.large': { cpu: 2, memoryGiB: 8, network: { enis: 3, ipv4PerEni: 10 } },
  'm7g.xlarge': { cpu: 4, memoryGiB: 16, network: { enis: 4, ipv4PerEni: 15 } },
  'r6i.large': { cpu: 2, memoryGiB: 16, network: { enis: 3, ipv4PerEni: 10 } },
  'r6i.xlarge': { cpu: 4, memoryGiB: 32, network: { enis: 4, ipv4PerEni: 15 } },
  Standard_B2s: { cpu: 2, memoryGiB: 4 },
  Standard_D2s_v5: { cpu: 2, memoryGiB: 8 },
  Standard_D4s_v5: { cpu: 4, memoryGiB: 16 },
  Standard_D8s_v5: { cpu: 8, memoryGiB: 32 },
  Standard_E4s_v5: { cpu: 4, memoryGiB: 32 },
};

/** The size of a machine type, or undefined when the kit does not know it. */
export function machineSize(type: string): MachineSize | undefined {
  return MACHINE_SIZES[type];
}

/** The machine type a pool's nodes are made of: its first EC2 instance type, or its VM size. */
export function machineTypeOf(pool: AwsNodePool | AzureNodePool): string {
  return 'instanceTypes' in pool ? pool.instanceTypes[0] ?? '' : pool.vmSize;
}
