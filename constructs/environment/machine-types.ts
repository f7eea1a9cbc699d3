import { z } from 'zod';
import { EC2_INSTANCE_TYPES } from '../imports/ec2-instance-types.js';
import { strictObject } from './_strict.js';
import type { AwsNodePool, AzureNodePool } from './schema.js';

/**
 * The size of the machines node pools are made of: vCPUs, memory, GPUs and pod bound of EC2
 * instance types and Azure VM sizes. Used to model a pool's nodes (simulated nodes in the
 * end-to-end tests, capacity planning). EC2 types come from the generated table in
 * `constructs/imports/ec2-instance-types.ts`; a type the kit has no data for can be declared
 * in the stack file under `cluster.machineTypes`.
 */

/** The resources of one machine. */
export interface MachineSize {
  /** vCPUs. */
  readonly cpu: number;
  /** Memory in GiB. */
  readonly memoryGiB: number;
  /**
   * NVIDIA GPUs.
   * @default 0
   */
  readonly gpus?: number;
  /**
   * EC2 only: the processor architecture.
   * @default - from the type's name (`isArmInstanceType`)
   */
  readonly arch?: 'amd64' | 'arm64';
  /**
   * EC2: the VPC CNI's max pods without prefix delegation, `ENIs × (IPv4 addresses per ENI − 1) + 2`
   * (the CNI gives every pod an address of the node's ENIs). Azure (declared sizes only): the most
   * pods the size takes.
   * @default - no bound but the pool's `maxPods`
   * @see https://github.com/aws/amazon-vpc-cni-k8s/blob/master/misc/eni-max-pods.txt
   */
  readonly maxPods?: number;
  /**
   * EC2 only: elastic network interfaces and IPv4 addresses per interface.
   * @default - none; `maxPods` gives the bound
   * @deprecated Give `maxPods` instead; it is `enis × (ipv4PerEni − 1) + 2`.
   */
  readonly network?: { readonly enis: number; readonly ipv4PerEni: number };
}

/** vCPUs and memory of the Azure VM sizes the kit knows. */
const AZURE_VM_SIZES: Readonly<Record<string, MachineSize>> = {
  Standard_B2s: { cpu: 2, memoryGiB: 4 },
  Standard_D2s_v5: { cpu: 2, memoryGiB: 8 },
  Standard_D4s_v5: { cpu: 4, memoryGiB: 16 },
  Standard_D8s_v5: { cpu: 8, memoryGiB: 32 },
  Standard_E4s_v5: { cpu: 4, memoryGiB: 32 },
};

/** The EC2 instance types (the generated table) and Azure VM sizes the kit knows. */
export const MACHINE_SIZES: Readonly<Record<string, MachineSize>> = { ...EC2_INSTANCE_TYPES, ...AZURE_VM_SIZES };

/**
 * The size of a machine type: a shape declared in the stack file (`cluster.machineTypes`)
 * first, then the kit's own tables; undefined when neither has it.
 */
export function machineSize(type: string, declared?: Readonly<Record<string, MachineSize>>): MachineSize | undefined {
  if (declared && Object.hasOwn(declared, type)) return declared[type];
  return Object.hasOwn(MACHINE_SIZES, type) ? MACHINE_SIZES[type] : undefined;
}

/** The machine type a pool's nodes are made of: its first EC2 instance type, or its VM size. */
export function machineTypeOf(pool: AwsNodePool | AzureNodePool): string {
  return 'instanceTypes' in pool ? pool.instanceTypes[0] ?? '' : pool.vmSize;
}

/** The key a machine type is declared under, as the kit's messages name keys: `cluster.machineTypes["m7i.xlarge"]`. */
export function declaredMachineTypeKey(type: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(type) ? `cluster.machineTypes.${type}` : `cluster.machineTypes[${JSON.stringify(type)}]`;
}

const MAX_PODS_EXPECTED = "expected the VPC CNI's max pods without prefix delegation, a whole number (eni-max-pods.txt: ENIs × (IPv4 addresses per ENI − 1) + 2)";

const shape = {
  /** vCPUs. */
  cpu: z.int().min(1, { error: 'expected a whole number of vCPUs >= 1' }),
  memoryGiB: z.number().positive({ error: 'expected the memory in GiB, > 0' }),
  /** NVIDIA GPUs. */
  gpus: z.int().min(0, { error: 'expected a whole number of GPUs >= 0' }).default(0),
};

/** The shape of an EC2 instance type the kit has no data for. */
const declaredEc2Type = strictObject({
  ...shape,
  /** The VPC CNI's max pods without prefix delegation (eni-max-pods.txt; `ENIs × (IPv4 per ENI − 1) + 2`). */
  maxPods: z.int({ error: MAX_PODS_EXPECTED }).min(3, { error: `${MAX_PODS_EXPECTED}, at least 3` }),
  /** The processor architecture; from the type's name when omitted (Graviton types have a g after the generation digit). */
  arch: z.enum(['amd64', 'arm64']).optional(),
});

/** The shape of an Azure VM size the kit has no data for. */
const declaredAzureSize = strictObject({
  ...shape,
  /** The most pods the size takes; only the pool's maxPods bounds its nodes when omitted. */
  maxPods: z.int().min(10, { error: 'expected at least 10 pods per node' }).max(250, { error: 'expected at most 250 pods per node' }).optional(),
});

/** Rejects declarations of types the kit knows, so a declared shape never overrides the data. */
function knownTypesRejected(known: Readonly<Record<string, MachineSize>>) {
  return (declared: Readonly<Record<string, unknown>>, ctx: z.RefinementCtx) => {
    for (const type of Object.keys(declared)) {
      if (!Object.hasOwn(known, type)) continue;
      const { cpu, memoryGiB } = known[type]!;
      ctx.addIssue({ code: 'unrecognized_keys', keys: [type], input: declared, message: `already known (${cpu} vCPU, ${memoryGiB} GiB); remove it` });
    }
  };
}

/** The form of an EC2 instance type name: `m7i.xlarge`. */
export const INSTANCE_TYPE_NAME = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
/** The form of an Azure VM size name: `Standard_D4s_v5`. */
export const VM_SIZE_NAME = /^Standard_[A-Za-z0-9_]+$/;

/** A map of declared shapes: names matching `name`, shapes of `value`, none the kit knows. */
function declaredShapes<Value extends z.ZodType>(name: RegExp, nameExpected: string, value: Value, fields: string, known: Readonly<Record<string, MachineSize>>) {
  return z
    .record(z.string().regex(name), value, {
      error: (issue) => {
        if (issue.code === 'invalid_key') return nameExpected;
        if (issue.code === 'invalid_type') return `expected a mapping of machine type names to { ${fields} }`;
        return undefined;
      },
    })
    .superRefine(knownTypesRejected(known))
    .optional();
}

/**
 * The `cluster.machineTypes` key of each cloud: shapes of machine types the kit has no data
 * for, by type name. Declaring a type the kit knows is an error.
 */
export const declaredMachineTypes = {
  aws: declaredShapes(INSTANCE_TYPE_NAME, "expected an EC2 instance type such as 'm7i.xlarge'", declaredEc2Type, 'cpu, memoryGiB, maxPods', EC2_INSTANCE_TYPES),
  azure: declaredShapes(VM_SIZE_NAME, "expected an Azure VM size such as 'Standard_D4s_v5'", declaredAzureSize, 'cpu, memoryGiB', AZURE_VM_SIZES),
};

/** An EC2 instance type declared in the stack file (`cluster.machineTypes`). */
export type DeclaredEc2Type = z.output<typeof declaredEc2Type>;
/** An Azure VM size declared in the stack file (`cluster.machineTypes`). */
export type DeclaredAzureSize = z.output<typeof declaredAzureSize>;
