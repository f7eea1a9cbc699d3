import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DisruptionBudget, isZeroPods, podCountProblem, podsOf } from '../../../constructs/index.js';

describe('podCountProblem', () => {
  it('accepts whole numbers >= 0', () => {
    for (const value of [0, 1, 25]) assert.equal(podCountProblem(value), undefined, String(value));
  });

  it('accepts percentages from 0% to 100%', () => {
    for (const value of ['0%', '25%', '100%']) assert.equal(podCountProblem(value), undefined, value);
  });

  it('fails if a number is negative or fractional', () => {
    for (const value of [-1, 1.5, Number.NaN]) {
      assert.equal(podCountProblem(value), "must be a whole number >= 0 or a percentage such as '25%'", String(value));
    }
  });

  it('fails if a percentage is above 100% or malformed', () => {
    for (const value of ['150%', '101%', '25', '-5%', '2.5%', '%', 'half', '']) {
      assert.equal(podCountProblem(value), 'must be a whole number >= 0 or a percentage from 0% to 100%', value);
    }
  });
});

describe('isZeroPods', () => {
  it('is true for 0 and 0%', () => {
    assert.equal(isZeroPods(0), true);
    assert.equal(isZeroPods('0%'), true);
  });

  it('is false otherwise', () => {
    for (const value of [1, '1%', '25%']) assert.equal(isZeroPods(value), false, String(value));
  });
});

describe('podsOf', () => {
  it('returns a number as is', () => {
    assert.equal(podsOf(3, 10), 3);
    assert.equal(podsOf(0, 10), 0);
  });

  it('rounds a percentage up, as the disruption controller does', () => {
    assert.equal(podsOf('25%', 10), 3);
    assert.equal(podsOf('50%', 3), 2);
    assert.equal(podsOf('1%', 1), 1);
    assert.equal(podsOf('10%', 20), 2);
  });

  it('is 0 for 0% and all pods for 100%', () => {
    assert.equal(podsOf('0%', 7), 0);
    assert.equal(podsOf('100%', 7), 7);
  });
});

describe('DisruptionBudget', () => {
  it('records the field and value', () => {
    assert.deepEqual([DisruptionBudget.maxUnavailable(1).field, DisruptionBudget.maxUnavailable(1).value], ['maxUnavailable', 1]);
    assert.deepEqual([DisruptionBudget.minAvailable('50%').field, DisruptionBudget.minAvailable('50%').value], ['minAvailable', '50%']);
  });

  it('maxUnavailable above zero allows a drain', () => {
    assert.equal(DisruptionBudget.maxUnavailable(1).blocksEveryDrain(1), undefined);
    assert.equal(DisruptionBudget.maxUnavailable('10%').blocksEveryDrain(2), undefined);
    assert.equal(DisruptionBudget.maxUnavailable('25%').blocksEveryDrain(10), undefined);
  });

  it('fails if maxUnavailable is 0 or 0%', () => {
    assert.equal(DisruptionBudget.maxUnavailable(0).blocksEveryDrain(5), 'maxUnavailable 0 allows no pod to be evicted');
    assert.equal(DisruptionBudget.maxUnavailable('0%').blocksEveryDrain(5), 'maxUnavailable "0%" allows no pod to be evicted');
  });

  it('minAvailable below the replica count allows a drain', () => {
    assert.equal(DisruptionBudget.minAvailable(1).blocksEveryDrain(2), undefined);
    assert.equal(DisruptionBudget.minAvailable('50%').blocksEveryDrain(3), undefined);
    assert.equal(DisruptionBudget.minAvailable(0).blocksEveryDrain(1), undefined);
  });

  it('fails if minAvailable equals or exceeds the replica count', () => {
    assert.equal(DisruptionBudget.minAvailable(2).blocksEveryDrain(2), 'minAvailable 2 with 2 replicas allows no pod to be evicted');
    assert.equal(DisruptionBudget.minAvailable(3).blocksEveryDrain(2), 'minAvailable 3 with 2 replicas allows no pod to be evicted');
    assert.equal(DisruptionBudget.minAvailable(1).blocksEveryDrain(1), 'minAvailable 1 with 1 replica allows no pod to be evicted');
  });

  it('fails if a minAvailable percentage rounds up to every replica', () => {
    assert.equal(DisruptionBudget.minAvailable('100%').blocksEveryDrain(3), 'minAvailable "100%" with 3 replicas allows no pod to be evicted');
    assert.equal(DisruptionBudget.minAvailable('50%').blocksEveryDrain(1), 'minAvailable "50%" with 1 replica allows no pod to be evicted');
    assert.equal(DisruptionBudget.minAvailable('90%').blocksEveryDrain(5), 'minAvailable "90%" with 5 replicas allows no pod to be evicted');
  });
});
