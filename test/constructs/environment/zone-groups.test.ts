/**
 * zoneGroups: an EKS pool as one node group per zone, its min, desired and max split evenly
 * with the remainder to the earlier zones; a max below the zone count is refused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadEnvironment } from '../../../charts/environment.js';
import { splitEvenly, zoneGroups, zoneSuffix, type AwsCluster, type AwsNodePool } from '../../../constructs/environment/index.js';

const prod = loadEnvironment('prod');
const cluster = prod.cluster as AwsCluster;
const general = cluster.nodePools[0] as AwsNodePool;

/** The prod general pool with other sizes or zones. */
function sized(sizes: Partial<Pick<AwsNodePool, 'min' | 'desired' | 'max' | 'zones'>>): AwsNodePool {
  return { ...general, ...sizes };
}

const sizesOf = (pool: AwsNodePool) => zoneGroups(pool, cluster).map((g) => [g.min, g.desired, g.max]);

describe('splitEvenly', () => {
  it('splits as evenly as possible, earlier parts getting the remainder', () => {
    assert.deepEqual(splitEvenly(4, 3), [2, 1, 1]);
    assert.deepEqual(splitEvenly(9, 3), [3, 3, 3]);
    assert.deepEqual(splitEvenly(5, 3), [2, 2, 1]);
    assert.deepEqual(splitEvenly(0, 3), [0, 0, 0]);
    assert.deepEqual(splitEvenly(7, 1), [7]);
  });
});

describe('zoneSuffix', () => {
  it('is the zone letter of a zone, what follows the region of a Local Zone', () => {
    assert.equal(zoneSuffix('eu-west-1a'), 'a');
    assert.equal(zoneSuffix('us-gov-west-1b'), 'b');
    assert.equal(zoneSuffix('ap-southeast-2c'), 'c');
    assert.equal(zoneSuffix('us-west-2-lax-1a'), 'lax-1a');
  });
});

describe('zoneGroups', () => {
  it('defaults: prod general (4/4/9 over three zones) is 2/2/3, 1/1/3, 1/1/3, in zone order', () => {
    assert.deepEqual(zoneGroups(general, cluster), [
      { zone: 'eu-west-1a', suffix: 'a', min: 2, desired: 2, max: 3 },
      { zone: 'eu-west-1b', suffix: 'b', min: 1, desired: 1, max: 3 },
      { zone: 'eu-west-1c', suffix: 'c', min: 1, desired: 1, max: 3 },
    ]);
  });

  it('a pool of 0 nodes is 0 in every zone, min and desired', () => {
    assert.deepEqual(sizesOf(sized({ min: 0, desired: 0, max: 6 })), [[0, 0, 2], [0, 0, 2], [0, 0, 2]]);
  });

  it('refuses a pool whose max is below its zone count, since EKS rejects a group with max 0', () => {
    assert.throws(() => zoneGroups(sized({ min: 1, desired: 1, max: 2 }), cluster),
      /^Error: pool 'general': max \(2\) is below its 3 zones; each zone's node group needs a max of at least 1/);
    assert.deepEqual(sizesOf(sized({ min: 1, desired: 1, max: 2, zones: ['eu-west-1a', 'eu-west-1b'] })), [[1, 1, 1], [0, 0, 1]]);
  });

  it("keeps the pool's total max whenever it is at least the zone count", () => {
    for (const max of [3, 4, 5, 9, 10]) {
      const groups = zoneGroups(sized({ min: 3, desired: 3, max }), cluster);
      assert.equal(groups.reduce((sum, g) => sum + g.max, 0), max, `max ${max}`);
      assert.ok(groups.every((g) => g.min <= g.desired && g.desired <= g.max), `max ${max}`);
    }
  });

  it("follows the pool's own zones when it has them", () => {
    const groups = zoneGroups(sized({ min: 3, desired: 3, max: 5, zones: ['eu-west-1b', 'eu-west-1c'] }), cluster);
    assert.deepEqual(groups.map((g) => [g.zone, g.min, g.max]), [['eu-west-1b', 2, 3], ['eu-west-1c', 1, 2]]);
  });
});
