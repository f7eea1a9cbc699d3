import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  QuantityError, compareQuantities, isQuantity, parseQuantity, parseQuantityNanos,
} from '../../../constructs/core/quantity.js';

const message = (value: string): string => `'${value}' is not a Kubernetes quantity: expected a number with an optional suffix `
  + '(Ki, Mi, Gi, Ti, Pi, Ei, m, k, M, G, T, P, E), e.g. 256Mi, 0.5 or 500m';

describe('parseQuantity', () => {
  const accepted: [string | number, number][] = [
    ['256Mi', 256 * 2 ** 20],
    ['0.5', 0.5],
    ['500m', 0.5],
    ['1', 1],
    ['0', 0],
    ['1e3', 1000],
    ['1E3', 1000],
    ['1e-3', 0.001],
    ['1E+2', 100],
    ['.5', 0.5],
    ['+1', 1],
    ['-1', -1],
    ['1.', 1],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['1Ki', 1024],
    ['1Ti', 2 ** 40],
    ['1Pi', 2 ** 50],
    ['1Ei', 2 ** 60],
    ['0.1Ki', 102.4],
    ['1k', 1000],
    ['1M', 1e6],
    ['1G', 1e9],
    ['1T', 1e12],
    ['1P', 1e15],
    ['1E', 1e18],
    ['250u', 0.00025],
    ['5n', 5e-9],
    ['100m', 0.1],
    [2, 2],
    [0.25, 0.25],
  ];
  for (const [raw, expected] of accepted) {
    it(`parses ${JSON.stringify(raw)} as ${expected}`, () => {
      assert.equal(parseQuantity(raw), expected);
      assert.equal(isQuantity(raw), true);
    });
  }

  it('rounds values below one nano-unit up, as the API server does', () => {
    assert.equal(parseQuantityNanos('0.1n'), 1n);
    assert.equal(parseQuantityNanos('1e-20'), 1n);
    assert.equal(parseQuantityNanos('-0.1n'), -1n);
  });

  it('keeps exact values for sums: 100m + 200m is 300m', () => {
    assert.equal(parseQuantityNanos('100m') + parseQuantityNanos('200m'), parseQuantityNanos('300m'));
  });

  const rejected = ['256MB', '1.5.2', 'Mi', '', '-', '+', '.', '1e', '1e1.5', '1ki', '1K', '1mi', ' 1', '1 ', '0x10', '1_000', 'one', '1Mi ', '1e9999999999'];
  for (const raw of rejected) {
    it(`throws for ${JSON.stringify(raw)}`, () => {
      assert.throws(() => parseQuantity(raw), (error: unknown) => {
        assert.ok(error instanceof QuantityError);
        assert.equal(error.message, message(raw));
        assert.equal(error.value, raw);
        return true;
      });
      assert.equal(isQuantity(raw), false);
    });
  }

  it('throws the exact message for 256MB', () => {
    assert.throws(() => parseQuantity('256MB'), {
      name: 'QuantityError',
      message: '\'256MB\' is not a Kubernetes quantity: expected a number with an optional suffix (Ki, Mi, Gi, Ti, Pi, Ei, m, k, M, G, T, P, E), e.g. 256Mi, 0.5 or 500m',
    });
  });

  it('throws for numbers that are not finite', () => {
    assert.throws(() => parseQuantity(Number.NaN), { message: message('NaN') });
    assert.throws(() => parseQuantity(Number.POSITIVE_INFINITY), { message: message('Infinity') });
  });
});

describe('isQuantity', () => {
  it('is false for values that are neither strings nor numbers', () => {
    assert.equal(isQuantity(undefined), false);
    assert.equal(isQuantity(null), false);
    assert.equal(isQuantity({ value: 1 }), false);
  });
});

describe('compareQuantities', () => {
  it('returns the sign of a - b, exactly', () => {
    assert.equal(compareQuantities('100m', '0.1'), 0);
    assert.equal(compareQuantities('1Gi', '1G'), 1);
    assert.equal(compareQuantities('500m', 1), -1);
    assert.equal(compareQuantities('1e3', '1k'), 0);
    assert.equal(compareQuantities('1024', '1Ki'), 0);
  });

  it('throws for either side that is not a quantity', () => {
    assert.throws(() => compareQuantities('1', '1MB'), { message: message('1MB') });
  });
});
