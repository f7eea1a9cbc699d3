/**
 * The props validator: each check throws a PropsError whose message has the one format
 * (`Kind 'path': field (value) problem; expected …`) and whose fields carry the same facts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { PropsError, PropsValidator, shown } from '../../../constructs/core/errors.js';

const scope = () => new Construct(Testing.chart(), 'web');

function caught(action: () => void): PropsError {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof PropsError, `not a PropsError: ${String(error)}`);
    return error;
  }
  throw new Error('nothing was thrown');
}

describe('PropsValidator', () => {
  it('error: the message names kind, path, field, value and expectation, and the error carries each', () => {
    const error = new PropsValidator('Thing', scope()).error({ field: 'region', value: 'eu-west-01', problem: 'is not an AWS region', expected: "e.g. 'eu-west-1'" });
    assert.equal(error.message, "Thing 'test/web': region ('eu-west-01') is not an AWS region; expected e.g. 'eu-west-1'");
    assert.deepEqual([error.name, error.kind, error.constructPath, error.field, error.value, error.expected],
      ['PropsError', 'Thing', 'test/web', 'region', 'eu-west-01', "e.g. 'eu-west-1'"]);
  });

  it('error without a value shows none (a missing or secret value)', () => {
    const error = new PropsValidator('Thing', scope()).error({ field: 'password', problem: 'is shorter than 12 characters' });
    assert.equal(error.message, "Thing 'test/web': password is shorter than 12 characters");
    assert.equal(error.value, undefined);
  });

  it('check throws only when the checker reports a problem', () => {
    const v = new PropsValidator('Thing', scope());
    v.check('name', 'ok', () => undefined);
    assert.equal(caught(() => v.check('name', 'Bad', (s) => (s === s.toLowerCase() ? undefined : 'has upper-case letters'))).message,
      "Thing 'test/web': name ('Bad') has upper-case letters");
  });

  it('wholeNumber refuses fractions, values out of range and NaN, and says the range', () => {
    const v = new PropsValidator('Thing', scope());
    v.wholeNumber('replicas', 3, 1);
    assert.equal(caught(() => v.wholeNumber('replicas', 1.5, 1)).message, "Thing 'test/web': replicas (1.5) must be a whole number >= 1");
    assert.equal(caught(() => v.wholeNumber('port', 70000, 1, 65535)).message, "Thing 'test/web': port (70000) must be a whole number from 1 to 65535");
    assert.equal(caught(() => v.wholeNumber('replicas', Number.NaN, 1)).message, "Thing 'test/web': replicas (NaN) must be a whole number >= 1");
  });

  it('conflict carries no field, and shown quotes strings only', () => {
    const s = scope();
    const error = new PropsValidator('Thing', s).conflict('addresses and externalName are both set; expected one');
    assert.equal(error.message, "Thing 'test/web': addresses and externalName are both set; expected one");
    assert.equal(error.field, undefined);
    assert.equal(shown('a'), "'a'");
    assert.equal(shown(2), '2');
  });
});
