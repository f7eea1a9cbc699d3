/**
 * Cluster values: the placeholders objects carry for facts only `pulumi up` knows, how they
 * are named, how they are found (and how other `${…}` Flux would substitute are found), and
 * how they are filled in, with the exact error for a value the stack does not set.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AZURE_TENANT_ID, CLUSTER_VALUE_NAME, clusterValue, clusterValuesIn, foreignSubstitutionsIn, identityClientIdValue, substituteClusterValues,
} from '../../../constructs/core/cluster-values.js';

describe('cluster value names and placeholders', () => {
  it('CLUSTER_VALUE_NAME accepts KIT_ and upper-case letters, digits and _, and nothing else', () => {
    for (const name of ['KIT_A', 'KIT_AZURE_TENANT_ID', 'KIT_9', 'KIT__']) assert.equal(CLUSTER_VALUE_NAME.test(name), true, name);
    for (const name of ['KIT_', 'KIT_a', 'kit_A', 'TENANT', 'KIT-A', 'KIT_A-B', ' KIT_A', 'KIT_A ', 'X_KIT_A']) assert.equal(CLUSTER_VALUE_NAME.test(name), false, name);
  });

  it('clusterValue writes the placeholder in Flux substitution form ${KIT_…}', () => {
    assert.equal(AZURE_TENANT_ID, 'KIT_AZURE_TENANT_ID');
    assert.equal(clusterValue(AZURE_TENANT_ID), '${KIT_AZURE_TENANT_ID}');
    assert.equal(clusterValue('KIT_X_1'), '${KIT_X_1}');
  });

  it('clusterValue refuses a name outside KIT_[A-Z0-9_]+ with the exact message', () => {
    for (const name of ['TENANT', 'KIT_tenant', 'KIT_', 'KIT_A-B', '${KIT_A}', '']) {
      assert.throws(() => clusterValue(name), { message: `cluster value name '${name}' must match ^KIT_[A-Z0-9_]+$` }, name);
    }
  });

  it('identityClientIdValue upper-cases namespace and name and makes every character but letters and digits _', () => {
    assert.equal(identityClientIdValue({ namespace: 'external-dns', name: 'external-dns' }), 'KIT_IDENTITY_EXTERNAL_DNS_EXTERNAL_DNS_CLIENT_ID');
    assert.equal(identityClientIdValue({ namespace: 'velero', name: 'velero-server' }), 'KIT_IDENTITY_VELERO_VELERO_SERVER_CLIENT_ID');
    assert.equal(identityClientIdValue({ namespace: 'team-a2', name: 'api.reader' }), 'KIT_IDENTITY_TEAM_A2_API_READER_CLIENT_ID');
  });

  it('identityClientIdValue is a valid cluster value name, so clusterValue takes it', () => {
    const name = identityClientIdValue({ namespace: 'my-ns', name: 'my-sa' });
    assert.equal(CLUSTER_VALUE_NAME.test(name), true);
    assert.equal(clusterValue(name), '${KIT_IDENTITY_MY_NS_MY_SA_CLIENT_ID}');
  });
});

describe('clusterValuesIn', () => {
  it('finds placeholders in nested objects, arrays, keys and inside longer strings, each once, sorted', () => {
    const objects = [
      { metadata: { annotations: { 'azure.workload.identity/client-id': '${KIT_IDENTITY_A_B_CLIENT_ID}' } } },
      { data: { 'azure.json': '{"tenantId":"${KIT_AZURE_TENANT_ID}","other":"${KIT_AZURE_TENANT_ID}"}' }, list: [['x ${KIT_B} y ${KIT_A}']] },
      { '${KIT_KEY}': 1, plain: 'no placeholder', shell: '${HOME}', n: 3, t: true, z: null },
      'top-level ${KIT_Z}',
    ];
    assert.deepEqual(clusterValuesIn(objects), ['KIT_A', 'KIT_AZURE_TENANT_ID', 'KIT_B', 'KIT_IDENTITY_A_B_CLIENT_ID', 'KIT_KEY', 'KIT_Z']);
  });

  it('finds none in objects without a KIT_ placeholder (other ${…}, defaults, lower case, bare KIT_ names)', () => {
    assert.deepEqual(clusterValuesIn([]), []);
    assert.deepEqual(clusterValuesIn([{ a: 'none', b: '${HOME}', c: '${KIT_X:=default}', d: '${kit_x}', e: 'KIT_X', f: '$KIT_X' }]), []);
  });
});

describe('foreignSubstitutionsIn', () => {
  it('finds each ${…} that is not a cluster value (defaults included), once, sorted, and not the escaped $${…}', () => {
    const objects = [
      { a: '${KIT_A}', b: 'echo ${PATH:=/bin} ${HOME}', c: 'escaped $${LITERAL}' },
      { nested: [{ '${KEY}': 'again ${HOME}' }], d: '${KIT_A:=x}' },
    ];
    assert.deepEqual(foreignSubstitutionsIn(objects), ['${HOME}', '${KEY}', '${KIT_A:=x}', '${PATH:=/bin}']);
  });

  it('finds none when every ${…} is a cluster value', () => {
    assert.deepEqual(foreignSubstitutionsIn([{ a: '${KIT_A}', b: ['${KIT_B} and ${KIT_AZURE_TENANT_ID}'] }]), []);
  });
});

describe('substituteClusterValues', () => {
  it('replaces every placeholder in strings, keys and arrays, keeps other values and ${…}, and leaves the input untouched', () => {
    const input = {
      data: { '${KIT_K}': 'tenant ${KIT_T} and ${KIT_T}' },
      n: 3, yes: true, none: null, list: ['${KIT_K}', ['x${KIT_T}y']], shell: '${HOME}',
    };
    assert.deepEqual(substituteClusterValues(input, { KIT_T: 'abc', KIT_K: 'key', KIT_UNUSED: 'u' }), {
      data: { key: 'tenant abc and abc' },
      n: 3, yes: true, none: null, list: ['key', ['xabcy']], shell: '${HOME}',
    });
    assert.deepEqual(input.data, { '${KIT_K}': 'tenant ${KIT_T} and ${KIT_T}' });
    assert.deepEqual(input.list, ['${KIT_K}', ['x${KIT_T}y']]);
  });

  it('takes a string or an array as the value, and returns objects without placeholders equal', () => {
    assert.equal(substituteClusterValues('${KIT_AZURE_TENANT_ID}', { KIT_AZURE_TENANT_ID: 't-1' }), 't-1');
    assert.deepEqual(substituteClusterValues(['a', { b: 'c' }], {}), ['a', { b: 'c' }]);
    assert.equal(substituteClusterValues(7, {}), 7);
  });

  it('throws on a placeholder with no value, naming it and the values the stack sets (sorted), or none', () => {
    assert.throws(() => substituteClusterValues({ a: '${KIT_MISSING}' }, { KIT_T: 'x', KIT_A: 'y' }), {
      message: 'cluster value KIT_MISSING has no value; the stack sets: KIT_A, KIT_T',
    });
    assert.throws(() => substituteClusterValues(['${KIT_MISSING}'], {}), { message: 'cluster value KIT_MISSING has no value; the stack sets: none' });
    assert.throws(() => substituteClusterValues({ '${KIT_IN_KEY}': 'v' }, { KIT_T: 'x' }), { message: 'cluster value KIT_IN_KEY has no value; the stack sets: KIT_T' });
  });

  it('fills in an empty string value as given (an empty value is a value)', () => {
    assert.equal(substituteClusterValues('[${KIT_E}]', { KIT_E: '' }), '[]');
  });
});

describe('escaped placeholders', () => {
  it('leaves Flux\'s escaped $${KIT_X} alone: not listed, not replaced', () => {
    assert.deepEqual(clusterValuesIn(['$${KIT_X}', '${KIT_Y}']), ['KIT_Y']);
    assert.equal(substituteClusterValues('$${KIT_X} ${KIT_Y}', { KIT_Y: 'v' }), '$${KIT_X} v');
  });
});
