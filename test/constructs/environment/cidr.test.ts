import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cidrContains, cidrsOverlap, isArmInstanceType, subnetCidr } from '../../../constructs/environment/index.js';

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

  it('knows Graviton instance families', () => {
    assert.deepEqual(['m7g.large', 'c6gn.xlarge', 't4g.small', 'm6i.large', 'g5.xlarge', 'm6a.large'].map(isArmInstanceType), [true, true, true, false, false, false]);
  });
});
