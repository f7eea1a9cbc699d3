/**
 * The props validator: each check throws a PropsError whose message has the one format
 * (`Kind 'path': field (value) problem; expected …`) and whose fields carry the same facts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { PropsError, PropsValidator, shown } from '../../../constructs/core/errors.js';
import { checkSecretKeyRef } from '../../../constructs/core/secret-ref.js';

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

describe('PropsValidator.forward', () => {
  it('reports a child\'s bad prop at the parent and the prop the user wrote, renaming the child\'s fields in the sentence too', () => {
    const parent = scope();
    const child = new PropsValidator('Child', new Construct(parent, 'inner'));
    const error = caught(() => new PropsValidator('Parent', parent).forward(() => {
      throw child.error({ field: 'autoscaling.minReplicas', value: 5, problem: 'is greater than autoscaling.maxReplicas (2)' });
    }, { autoscaling: 'verifierAutoscaling' }));
    assert.equal(error.message, "Parent 'test/web': verifierAutoscaling.minReplicas (5) is greater than verifierAutoscaling.maxReplicas (2)");
  });

  it('passes the result through, and a child\'s error on a field it does not map (or another error) as it was', () => {
    const v = new PropsValidator('Parent', scope());
    assert.equal(v.forward(() => 42, { a: 'b' }), 42);
    const childError = new PropsValidator('Child', scope()).error({ field: 'image', value: 'x', problem: 'is not pinned' });
    assert.equal(caught(() => v.forward(() => { throw childError; }, { autoscaling: 'b' })), childError);
    assert.throws(() => v.forward(() => { throw new TypeError('boom'); }, {}), TypeError);
  });
});

describe('checkSecretKeyRef', () => {
  const v = () => new PropsValidator('Thing', scope());
  const EXAMPLE = "{ name: 'db', key: 'password' }";

  it('returns a valid reference', () => {
    assert.deepEqual(checkSecretKeyRef(v(), 'password', { name: 'db', key: 'password' }, EXAMPLE), { name: 'db', key: 'password' });
  });

  it('refuses a literal without showing it, a missing reference, a missing or bad name, and a bad key', () => {
    const literal = caught(() => checkSecretKeyRef(v(), 'password', 'hunter2', EXAMPLE));
    assert.equal(literal.message, `Thing 'test/web': password is a string, not a Secret reference (the value is not shown: it may be the secret); expected a reference to a key of a Secret, e.g. ${EXAMPLE}`);
    assert.doesNotMatch(literal.message, /hunter2/);
    assert.equal(caught(() => checkSecretKeyRef(v(), 'password', undefined, EXAMPLE)).message, `Thing 'test/web': password is missing; expected a reference to a key of a Secret, e.g. ${EXAMPLE}`);
    assert.equal(caught(() => checkSecretKeyRef(v(), 'password', { key: 'k' }, EXAMPLE)).message, `Thing 'test/web': password.name is missing; expected the name of the Secret, e.g. ${EXAMPLE}`);
    assert.match(caught(() => checkSecretKeyRef(v(), 'password', { name: 'DB', key: 'k' }, EXAMPLE)).message, /^Thing 'test\/web': password\.name \('DB'\) must consist of lower case .*; expected a Secret name \(a DNS-1123 subdomain\)/);
    assert.equal(caught(() => checkSecretKeyRef(v(), 'password', { name: 'db', key: 'pass word' }, EXAMPLE)).message,
      `Thing 'test/web': password.key ('pass word') is not a Secret key (letters, digits, '-', '_' or '.'); expected e.g. ${EXAMPLE}`);
  });
});
