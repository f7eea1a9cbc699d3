/**
 * Node shapes: pod slots from the VPC CNI rules or the pool setting, and what the kubelet
 * keeps back on EKS and AKS nodes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildApp } from '../../../charts/app.js';
import { APPS_SCHEMA, loadEnvironment, type Environment } from '../../../charts/environment.js';
import {
  aksReservedCpu,
  allocatableOf,
  eksReservedCpu,
  eniMaxPods,
  nodeOf,
  objectsOf,
  planCapacity,
  poolShape,
  poolShapes,
  startingNodes,
  UnknownMachineTypeError,
} from '../../../constructs/capacity/index.js';
import { machineSize, parseEnvironment, readStackConfig } from '../../../constructs/environment/index.js';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** A repository environment with its first pool's machine type replaced and `machineTypes` declared. */
function environmentWith(name: 'prod' | 'dev', machineType: string, machineTypes?: Record<string, unknown>): Environment {
  const config = structuredClone(readStackConfig(`Pulumi.${name}.yaml`)) as Record<string, Record<string, unknown>>;
  const cluster = config['k8s-platform-kit:cluster']!;
  const [first, ...rest] = cluster.nodePools as Record<string, unknown>[];
  cluster.nodePools = [{ ...first, ...(name === 'prod' ? { instanceTypes: [machineType] } : { vmSize: machineType }) }, ...rest];
  if (machineTypes) cluster.machineTypes = machineTypes;
  return parseEnvironment(name, config, { apps: APPS_SCHEMA, source: `Pulumi.${name}.yaml` });
}

describe('pod slots per node', () => {
  it('follow the ENI rule without prefix delegation (the eni-max-pods figures)', () => {
    assert.equal(eniMaxPods(machineSize('t2.micro')!, false), 4);
    assert.equal(eniMaxPods(machineSize('t3.medium')!, false), 17);
    assert.equal(eniMaxPods(machineSize('m5.large')!, false), 29);
    assert.equal(eniMaxPods(machineSize('m5.xlarge')!, false), 58);
  });

  it('reach 110 with prefix delegation below 30 vCPUs, unless the ENIs give fewer', () => {
    assert.equal(eniMaxPods(machineSize('m6i.large')!, true), 110);
    assert.equal(eniMaxPods(machineSize('t2.micro')!, true), 34);
  });

  it('have no ENI bound on Azure sizes', () => {
    assert.equal(eniMaxPods(machineSize('Standard_D4s_v5')!, true), undefined);
  });

  it('come out as before for the 16 types the kit knew by hand (ENIs and addresses per ENI then)', () => {
    const before: Record<string, [cpu: number, memoryGiB: number, enis: number, ipv4PerEni: number]> = {
      't2.micro': [1, 1, 2, 2], 't3.medium': [2, 4, 3, 6], 't3.large': [2, 8, 3, 12], 'c6i.large': [2, 4, 3, 10],
      'c6i.xlarge': [4, 8, 4, 15], 'm5.large': [2, 8, 3, 10], 'm5.xlarge': [4, 16, 4, 15], 'm6a.large': [2, 8, 3, 10],
      'm6a.xlarge': [4, 16, 4, 15], 'm6i.large': [2, 8, 3, 10], 'm6i.xlarge': [4, 16, 4, 15], 'm6i.2xlarge': [8, 32, 4, 15],
      'm7g.large': [2, 8, 3, 10], 'm7g.xlarge': [4, 16, 4, 15], 'r6i.large': [2, 16, 3, 10], 'r6i.xlarge': [4, 32, 4, 15],
    };
    for (const [type, [cpu, memoryGiB, enis, ipv4PerEni]] of Object.entries(before)) {
      const size = machineSize(type)!;
      const old = { cpu, memoryGiB, network: { enis, ipv4PerEni } };
      assert.deepEqual([size.cpu, size.memoryGiB], [cpu, memoryGiB], type);
      assert.equal(eniMaxPods(size, false), eniMaxPods(old, false), type);
      assert.equal(eniMaxPods(size, true), eniMaxPods(old, true), type);
    }
  });

  it('with prefix delegation: (max pods − 2) × 16 + 2, capped at 250 from 30 vCPUs', () => {
    assert.equal(eniMaxPods({ cpu: 2, memoryGiB: 4, maxPods: 4 }, true), 34);
    assert.equal(eniMaxPods(machineSize('m7i.8xlarge')!, true), 250);
  });
});

describe('allocatable resources', () => {
  it('EKS: kube-reserved CPU by core tiers, memory 11Mi per pod slot + 255Mi, eviction at 100Mi', () => {
    assert.equal(eksReservedCpu(1), 60);
    assert.equal(eksReservedCpu(2), 70);
    assert.equal(eksReservedCpu(4), 80);
    assert.equal(eksReservedCpu(8), 90);
    const { capacity, allocatable } = allocatableOf('aws', machineSize('m6i.large')!, 110);
    assert.deepEqual(capacity, { cpu: 2000, memory: 8192 * MIB, pods: 110 });
    assert.deepEqual(allocatable, { cpu: 1930, memory: (8192 - (11 * 110 + 255) - 100) * MIB, pods: 110 });
  });

  it('AKS: kube-reserved CPU from the table, memory 20Mi per pod slot + 50Mi capped at 25%, eviction at 100Mi', () => {
    assert.equal(aksReservedCpu(2), 100);
    assert.equal(aksReservedCpu(4), 140);
    assert.equal(aksReservedCpu(6), 140, 'between two rows, the smaller row applies');
    const d4 = allocatableOf('azure', machineSize('Standard_D4s_v5')!, 110);
    assert.deepEqual(d4.allocatable, { cpu: 3860, memory: (16384 - 2250 - 100) * MIB, pods: 110 });
    const b2s = allocatableOf('azure', machineSize('Standard_B2s')!, 250);
    assert.equal(b2s.allocatable.memory, (4096 - 1024 - 100) * MIB, '20Mi × 250 + 50Mi is more than a quarter of 4Gi');
  });
});

describe('pool shapes of the repository environments', () => {
  it('prod: labels, taints and zones of each pool; spot marked; nodes spread over zones in order', () => {
    const [general, spot] = poolShapes(loadEnvironment('prod'));
    assert.equal(general?.machineType, 'm6i.xlarge');
    assert.equal(general?.allocatable.pods, 110);
    assert.deepEqual(general?.zones, ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    assert.equal(general?.autoscales, true);
    assert.equal(spot?.spot, true);
    assert.equal(spot?.labels.capacity, 'spot');
    assert.deepEqual(spot?.taints, [{ key: 'capacity', value: 'spot', effect: 'NoSchedule' }]);
    const nodes = [0, 1, 2, 3].map((i) => nodeOf(general!, i));
    assert.deepEqual(nodes.map((n) => n.labels['topology.kubernetes.io/zone']), ['eu-west-1a', 'eu-west-1b', 'eu-west-1c', 'eu-west-1a']);
    assert.deepEqual(nodes.map((n) => n.labels['kubernetes.io/hostname']), ['general-0', 'general-1', 'general-2', 'general-3']);
  });

  it('prod: each EKS pool is a node group per zone, split as the stack splits it, and starts with its zones\' shares', () => {
    const [general, spot] = poolShapes(loadEnvironment('prod'));
    assert.deepEqual(general?.zoneGroups, [
      { zone: 'eu-west-1a', min: 2, desired: 2, max: 3 },
      { zone: 'eu-west-1b', min: 1, desired: 1, max: 3 },
      { zone: 'eu-west-1c', min: 1, desired: 1, max: 3 },
    ]);
    assert.deepEqual(spot?.zoneGroups?.map((g) => [g.min, g.max]), [[0, 2], [0, 2], [0, 2]]);
    const zonesOf = (size: 'min' | 'desired') => startingNodes(general!, size).map((n) => n.labels['topology.kubernetes.io/zone']);
    assert.deepEqual(zonesOf('desired'), ['eu-west-1a', 'eu-west-1b', 'eu-west-1c', 'eu-west-1a']);
    assert.deepEqual(startingNodes(general!, 'min').map((n) => n.name), ['general-0', 'general-1', 'general-2', 'general-3']);
    assert.deepEqual(startingNodes(spot!, 'min'), []);
  });

  it('AKS pools are one group over their zones: no zone groups, nodes round-robin', () => {
    const config = structuredClone(readStackConfig('Pulumi.dev.yaml')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    config['k8s-platform-kit:cluster'].zones = ['1', '2', '3'];
    config['k8s-platform-kit:cluster'].nodePools[1].desired = 4;
    const zoned = poolShapes(parseEnvironment('dev', config, { apps: APPS_SCHEMA, source: 'Pulumi.dev.yaml' }));
    assert.deepEqual(zoned.map((p) => [p.pool, p.zoneGroups]), [['system', undefined], ['apps', undefined]]);
    assert.deepEqual(startingNodes(zoned[1]!, 'desired').map((n) => n.labels['topology.kubernetes.io/zone']),
      ['westeurope-1', 'westeurope-2', 'westeurope-3', 'westeurope-1']);
    // dev itself has no zones: AKS labels its nodes with zone "0".
    assert.deepEqual(poolShapes(loadEnvironment('dev')).map((p) => [p.pool, p.zoneGroups, p.zones]), [['system', undefined, ['0']], ['apps', undefined, ['0']]]);
  });

  it('EKS pools grow only where the Cluster Autoscaler is installed: with addons.autoscaler none, prod stays at its fixed sizes even at peak', () => {
    const config = structuredClone(readStackConfig('Pulumi.prod.yaml')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const cluster = config['k8s-platform-kit:cluster'];
    cluster.addons.autoscaler = 'none';
    cluster.nodePools[0] = { ...cluster.nodePools[0], min: 4, desired: 4, max: 4 };
    cluster.nodePools[1] = { ...cluster.nodePools[1], min: 3, desired: 3, max: 3 };
    const fixed = parseEnvironment('prod', config, { apps: APPS_SCHEMA, source: 'Pulumi.prod.yaml' });
    assert.deepEqual(poolShapes(fixed).map((p) => p.autoscales), [false, false]);
    assert.deepEqual(poolShapes(loadEnvironment('prod')).map((p) => p.autoscales), [true, true]);
    const peak = planCapacity(fixed, objectsOf(buildApp(fixed))).scenarios.find((s) => s.name === 'peak');
    assert.deepEqual(peak?.nodes, { general: 4, spot: 3 });
  });

  it('a GPU pool carries the nvidia.com/gpu taint and the GPU node label the device plugin selects', () => {
    const config = structuredClone(readStackConfig('Pulumi.prod.yaml')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    config['k8s-platform-kit:cluster'].nodePools.push({ name: 'gpu', instanceTypes: ['g5.xlarge'], min: 0, desired: 0, max: 3 });
    const gpu = poolShapes(parseEnvironment('prod', config, { apps: APPS_SCHEMA, source: 'Pulumi.prod.yaml' }))[2];
    assert.deepEqual(gpu?.taints, [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }]);
    assert.equal(gpu?.labels['nvidia.com/gpu.present'], 'true');
  });

  it('dev (AKS, no zones): zone "0", the pool mode label, the system pool taint', () => {
    const [system, apps] = poolShapes(loadEnvironment('dev'));
    assert.deepEqual(system?.zones, ['0']);
    assert.equal(system?.labels['kubernetes.azure.com/mode'], 'system');
    assert.deepEqual(system?.taints, [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }]);
    assert.equal(apps?.labels['kubernetes.azure.com/mode'], 'user');
  });

  it('a machine type without a known size is an error naming the pool and the type', () => {
    const prod = loadEnvironment('prod');
    const pool = { ...prod.cluster.nodePools[0]!, instanceTypes: ['x9z.large'] };
    assert.throws(() => poolShape(prod, pool), (error: unknown) =>
      error instanceof UnknownMachineTypeError &&
      error.message === `Pulumi.prod.yaml: k8s-platform-kit:cluster.nodePools[0].instanceTypes[0]: got 'x9z.large' (pool 'general'); expected an EC2 instance type the kit knows (constructs/imports/ec2-instance-types.ts) or one declared under k8s-platform-kit:cluster.machineTypes["x9z.large"] with cpu, memoryGiB and maxPods`);
  });
});

describe('machine types in the planner', () => {
  it('a prod-like environment on m7i.xlarge plans like one on m6i.xlarge (same size, same pod bound)', () => {
    const env = environmentWith('prod', 'm7i.xlarge');
    const [general] = poolShapes(env);
    assert.equal(general?.machineType, 'm7i.xlarge');
    assert.deepEqual(general?.capacity, { cpu: 4000, memory: 16 * GIB, pods: 110 });
    assert.deepEqual(general?.allocatable, poolShapes(loadEnvironment('prod'))[0]?.allocatable);
    const plan = planCapacity(env, objectsOf(buildApp(env)));
    assert.deepEqual(plan.problems, []);
    assert.equal(plan.pools[0]?.hourly, undefined, 'the price table has no m7i.xlarge');
  });

  it('Graviton and GPU types: the arch label from the table', () => {
    assert.equal(poolShapes(environmentWith('prod', 'c8g.xlarge'))[0]?.labels['kubernetes.io/arch'], 'arm64');
    assert.equal(poolShapes(environmentWith('prod', 'g5.xlarge'))[0]?.labels['kubernetes.io/arch'], 'amd64');
  });

  it('a declared shape gives the pool its CPU, memory, pod bound and architecture', () => {
    const env = environmentWith('prod', 'x9z.large', { 'x9z.large': { cpu: 2, memoryGiB: 4, maxPods: 4, arch: 'arm64' } });
    const [general] = poolShapes(env);
    assert.deepEqual(general?.capacity, { cpu: 2000, memory: 4 * GIB, pods: 34 });
    assert.equal(general?.labels['kubernetes.io/arch'], 'arm64');
  });

  it('a declared shape without arch takes it from the type name', () => {
    const env = environmentWith('prod', 'x9g.large', { 'x9g.large': { cpu: 2, memoryGiB: 8, maxPods: 29 } });
    const [general] = poolShapes(env);
    assert.equal(general?.labels['kubernetes.io/arch'], 'arm64');
    assert.equal(general?.capacity.pods, 110);
  });

  it('fails if a pool uses a type neither the table nor the stack file knows, as an error of the plan', () => {
    const env = environmentWith('prod', 'x9z.large', { 'x9y.large': { cpu: 2, memoryGiB: 4, maxPods: 4 } });
    const plan = planCapacity(env, []);
    assert.deepEqual(plan.problems.map((p) => p.message), [
      `cannot plan: Pulumi.prod.yaml: k8s-platform-kit:cluster.nodePools[0].instanceTypes[0]: got 'x9z.large' (pool 'general'); expected an EC2 instance type the kit knows (constructs/imports/ec2-instance-types.ts) or one declared under k8s-platform-kit:cluster.machineTypes["x9z.large"] with cpu, memoryGiB and maxPods`,
    ]);
  });

  it('Azure: a declared size is used, its maxPods bounds the pool\'s; an unknown size names the vmSize key', () => {
    const env = environmentWith('dev', 'Standard_X9s_v9', { Standard_X9s_v9: { cpu: 4, memoryGiB: 16, maxPods: 30 } });
    assert.deepEqual(poolShapes(env)[0]?.capacity, { cpu: 4000, memory: 16 * GIB, pods: 30 });
    const unknown = environmentWith('dev', 'Standard_X9s_v9');
    assert.throws(() => poolShapes(unknown), {
      name: 'UnknownMachineTypeError',
      message: "Pulumi.dev.yaml: k8s-platform-kit:cluster.nodePools[0].vmSize: got 'Standard_X9s_v9' (pool 'system'); expected an Azure VM size the kit knows (MACHINE_SIZES in constructs/environment/machine-types.ts) or one declared under k8s-platform-kit:cluster.machineTypes.Standard_X9s_v9 with cpu and memoryGiB",
    });
  });
});
