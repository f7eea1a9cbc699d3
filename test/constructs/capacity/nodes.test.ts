/**
 * Node shapes: pod slots from the VPC CNI rules or the pool setting, and what the kubelet
 * keeps back on EKS and AKS nodes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadEnvironment } from '../../../charts/environment.js';
import {
  aksReservedCpu,
  allocatableOf,
  eksReservedCpu,
  eniMaxPods,
  nodeOf,
  poolShape,
  poolShapes,
  UnknownMachineTypeError,
} from '../../../constructs/capacity/index.js';
import { machineSize } from '../../../constructs/environment/index.js';

const MIB = 1024 * 1024;

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

  it('dev (AKS, no zones): zone "0", the pool mode label, the system pool taint', () => {
    const [system, apps] = poolShapes(loadEnvironment('dev'));
    assert.deepEqual(system?.zones, ['0']);
    assert.equal(system?.labels['kubernetes.azure.com/mode'], 'system');
    assert.deepEqual(system?.taints, [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }]);
    assert.equal(apps?.labels['kubernetes.azure.com/mode'], 'user');
  });

  it('a machine type without a known size is an error naming the pool and the type', () => {
    const prod = loadEnvironment('prod');
    const pool = { ...prod.cluster.nodePools[0]!, instanceTypes: ['x9z.huge'] };
    assert.throws(() => poolShape(prod, pool), (error: unknown) =>
      error instanceof UnknownMachineTypeError &&
      error.message === "Pulumi.prod.yaml: k8s-platform-kit:cluster.nodePools[0].instanceTypes[0]: got 'x9z.huge' (pool 'general'); expected a machine type of known size (MACHINE_SIZES in constructs/environment/machine-types.ts; add it there)");
  });
});
