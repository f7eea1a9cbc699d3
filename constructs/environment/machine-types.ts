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
}

/** vCPUs and memory of the EC2 instance types and Azure VM sizes the kit knows. */
export const MACHINE_SIZES: Readonly<Record<string, MachineSize>> = {
  't3.medium': { cpu: 2, memoryGiB: 4 },
  't3.large': { cpu: 2, memoryGiB: 8 },
  'c6i.large': { cpu: 2, memoryGiB: 4 },
  'c6i.xlarge': { cpu: 4, memoryGiB: 8 },
  'm5.large': { cpu: 2, memoryGiB: 8 },
  'm5.xlarge': { cpu: 4, memoryGiB: 16 },
  'm6a.large': { cpu: 2, memoryGiB: 8 },
  'm6a.xlarge': { cpu: 4, memoryGiB: 16 },
  'm6i.large': { cpu: 2, memoryGiB: 8 },
  'm6i.xlarge': { cpu: 4, memoryGiB: 16 },
  'm6i.2xlarge': { cpu: 8, memoryGiB: 32 },
  'm7g.large': { cpu: 2, memoryGiB: 8 },
  'm7g.xlarge': { cpu: 4, memoryGiB: 16 },
  'r6i.large': { cpu: 2, memoryGiB: 16 },
  'r6i.xlarge': { cpu: 4, memoryGiB: 32 },
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
