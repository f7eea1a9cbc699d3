import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cidrContains, cidrsOverlap, ipv4At, isArmInstanceType, machineSize, machineTypeOf, subnetCidr, type AwsNodePool, type AzureNodePool } from '../../../constructs/environment/index.js';

describe('network and machine helpers', () => {
  it('carves subnets out of a VPC range', () => {
    assert.equal(subnetCidr('10.40.0.0/16', 3, 0), '10.40.0.0/19');
    assert.equal(subnetCidr('10.40.0.0/16', 3, 5), '10.40.160.0/19');
    assert.equal(subnetCidr('10.40.0.0/16', 6, 58), '10.40.232.0/22');
    assert.equal(subnetCidr('10.1.0.0/20', 6, 63), '10.1.15.192/26');
    assert.throws(() => subnetCidr('10.40.0.0/16', 3, 8), /has no subnet 8 of \/19/);
  });

  it('tells containment and overlap of ranges', () => {
    assert.equal(cidrContains('10.20.0.0/16', '10.20.0.0/20'), true);
    assert.equal(cidrContains('10.20.0.0/16', '10.21.0.0/20'), false);
    assert.equal(cidrsOverlap('192.168.0.0/16', '192.168.4.0/24'), true);
    assert.equal(cidrsOverlap('172.16.0.0/16', '10.20.0.0/16'), false);
  });

  it('finds an address inside a range, from its base', () => {
    assert.equal(ipv4At('172.16.0.0/16', 10), '172.16.0.10');
    assert.equal(ipv4At('10.0.4.0/22', 266), '10.0.5.10');
    assert.equal(ipv4At('10.0.4.7/22', 10), '10.0.4.10', 'host bits of the range are ignored');
  });

  it("reads a pool's machine type and its size", () => {
    assert.equal(machineTypeOf({ instanceTypes: ['m6i.large', 'm5.large'] } as AwsNodePool), 'm6i.large');
    assert.equal(machineTypeOf({ vmSize: 'Standard_D4s_v5' } as AzureNodePool), 'Standard_D4s_v5');
    assert.deepEqual(machineSize('Standard_D4s_v5'), { cpu: 4, memoryGiB: 16 });
    assert.equal(machineSize('x9.huge'), undefined);
  });

  it('knows Graviton instance families', () => {
    assert.deepEqual(['m7g.large', 'c6gn.xlarge', 't4g.small', 'm6i.large', 'g5.xlarge', 'm6a.large'].map(isArmInstanceType), [true, true, true, false, false, false]);
  });
});
