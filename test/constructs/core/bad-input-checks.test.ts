/**
 * The shared checks behind the bad-input corpus: ConfigMap keys and size, labels, non-negative
 * quantities and endpoint addresses, with the API server's rules.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { endpointAddressProblem } from '../../../constructs/core/addresses.js';
import { PropsValidator } from '../../../constructs/core/errors.js';
import { CONFIG_MAP_MAX_BYTES, checkLabels, configMapKeyProblem, configMapSizeProblem } from '../../../constructs/core/names.js';
import { nonNegativeQuantityProblem } from '../../../constructs/core/quantity.js';

describe('configMapKeyProblem', () => {
  it('accepts the keys the API server takes', () => {
    for (const key of ['app.yaml', '.env', 'App_config-1.yaml', 'k'.repeat(253), '.a..b']) assert.equal(configMapKeyProblem(key), undefined, key);
  });
  it('refuses empty, over-long, bad characters, . and .., and a .. prefix', () => {
    assert.equal(configMapKeyProblem(''), 'must be 1 to 253 characters (got 0)');
    assert.equal(configMapKeyProblem('k'.repeat(254)), 'must be 1 to 253 characters (got 254)');
    assert.equal(configMapKeyProblem('a/b'), "must consist of alphanumeric characters, '-', '_' or '.'");
    assert.equal(configMapKeyProblem('.'), "may not be '.'");
    assert.equal(configMapKeyProblem('..'), "may not be '..'");
    assert.equal(configMapKeyProblem('..data'), "may not start with '..'");
  });
});

describe('configMapSizeProblem', () => {
  it('counts keys and values in UTF-8 bytes, up to 1 MiB', () => {
    assert.equal(configMapSizeProblem({ a: 'x'.repeat(CONFIG_MAP_MAX_BYTES - 1) }), undefined);
    assert.equal(configMapSizeProblem({ a: 'x'.repeat(CONFIG_MAP_MAX_BYTES) }), 'holds 1048577 bytes, over the 1 MiB (1048576 bytes) a ConfigMap may hold');
    assert.equal(configMapSizeProblem({ a: 'é'.repeat(CONFIG_MAP_MAX_BYTES / 2) }), 'holds 1048577 bytes, over the 1 MiB (1048576 bytes) a ConfigMap may hold');
  });
});

describe('checkLabels', () => {
  const v = () => new PropsValidator('Thing', Testing.chart());
  it('accepts valid labels and none', () => {
    checkLabels(v(), 'labels', undefined);
    checkLabels(v(), 'labels', { 'app.kubernetes.io/part-of': 'shop', tier: '' });
  });
  it('names the key of a bad key, and shows a bad value', () => {
    assert.throws(() => checkLabels(v(), 'labels', { 'a/b/c': 'x' }), {
      message: "Thing 'test': labels['a/b/c'] is not a valid label key: must be a name with an optional DNS subdomain prefix and '/' (e.g. 'example.com/my-name'); expected e.g. 'app.kubernetes.io/part-of'",
    });
    assert.throws(() => checkLabels(v(), 'podLabels', { tier: 'front end' }), {
      message: "Thing 'test': podLabels['tier'] ('front end') is not a label value: it must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    });
  });
});

describe('nonNegativeQuantityProblem', () => {
  it('accepts zero and positive quantities, refuses negative ones and non-quantities', () => {
    for (const q of ['0', '500m', '4Gi', 2]) assert.equal(nonNegativeQuantityProblem(q), undefined);
    assert.equal(nonNegativeQuantityProblem('-4'), 'is negative');
    assert.equal(nonNegativeQuantityProblem('8GB'), 'is not a Kubernetes quantity');
  });
});

describe('endpointAddressProblem', () => {
  it('accepts unicast IPv4 addresses, refuses what the API server refuses as an endpoint', () => {
    assert.equal(endpointAddressProblem('10.0.12.5'), undefined);
    assert.equal(endpointAddressProblem('10.0.0.300'), 'is not an IPv4 address');
    assert.equal(endpointAddressProblem('0.0.0.0'), 'is the unspecified address, which may not be an endpoint');
    assert.equal(endpointAddressProblem('127.0.0.1'), 'is a loopback address (127.0.0.0/8), which may not be an endpoint');
    assert.equal(endpointAddressProblem('169.254.169.254'), 'is a link-local address (169.254.0.0/16), which may not be an endpoint');
    assert.equal(endpointAddressProblem('224.0.0.1'), 'is a multicast address (224.0.0.0/4), which may not be an endpoint');
  });
});
