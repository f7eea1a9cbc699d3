/**
 * Cluster values: the placeholders objects carry for facts only `pulumi up` knows, how they
 * are found, and how they are filled in.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AZURE_TENANT_ID, clusterValue, clusterValuesIn, foreignSubstitutionsIn, identityClientIdValue, substituteClusterValues,
} from '../../../constructs/core/cluster-values.js';

describe('cluster values', () => {
  it('clusterValue writes the placeholder in Flux substitution form, and refuses a name outside KIT_[A-Z0-9_]', () => {
    assert.equal(clusterValue(AZURE_TENANT_ID), '${KIT_AZURE_TENANT_ID}');
    assert.throws(() => clusterValue('TENANT'), { message: "cluster value name 'TENANT' must match ^KIT_[A-Z0-9_]+$" });
    assert.throws(() => clusterValue('KIT_tenant'), { message: "cluster value name 'KIT_tenant' must match ^KIT_[A-Z0-9_]+$" });
  });

  it('identityClientIdValue names a ServiceAccount\'s client id, every character but letters and digits made _', () => {
    assert.equal(identityClientIdValue({ namespace: 'external-dns', name: 'external-dns' }), 'KIT_IDENTITY_EXTERNAL_DNS_EXTERNAL_DNS_CLIENT_ID');
    assert.equal(identityClientIdValue({ namespace: 'velero', name: 'velero.server' }), 'KIT_IDENTITY_VELERO_VELERO_SERVER_CLIENT_ID');
  });

  it('clusterValuesIn finds each placeholder once, in values, nested lists and keys, sorted', () => {
    const objects = [
      { metadata: { annotations: { 'azure.workload.identity/client-id': '${KIT_IDENTITY_A_B_CLIENT_ID}' } } },
      { data: { 'azure.json': '{"tenantId":"${KIT_AZURE_TENANT_ID}","other":"${KIT_AZURE_TENANT_ID}"}' }, list: [['x ${KIT_B} y']] },
      { '${KIT_KEY}': 1, plain: 'no placeholder', shell: '${HOME}' },
    ];
    assert.deepEqual(clusterValuesIn(objects), ['KIT_AZURE_TENANT_ID', 'KIT_B', 'KIT_IDENTITY_A_B_CLIENT_ID', 'KIT_KEY']);
    assert.deepEqual(clusterValuesIn([{ a: 'none' }]), []);
  });

  it('foreignSubstitutionsIn finds the ${…} that are not cluster values, and not escaped $${…}', () => {
    const objects = [{ a: '${KIT_A}', b: 'echo ${HOME} ${PATH:=/bin}', c: 'escaped $${LITERAL}' }];
    assert.deepEqual(foreignSubstitutionsIn(objects), ['${HOME}', '${PATH:=/bin}']);
  });

  it('substituteClusterValues replaces every placeholder, keys included, and leaves the input untouched', () => {
    const input = { data: { '${KIT_K}': 'tenant ${KIT_T} and ${KIT_T}' }, n: 3, list: ['${KIT_K}'] };
    assert.deepEqual(substituteClusterValues(input, { KIT_T: 'abc', KIT_K: 'key' }), { data: { key: 'tenant abc and abc' }, n: 3, list: ['key'] });
    assert.equal(input.data['${KIT_K}'], 'tenant ${KIT_T} and ${KIT_T}');
  });

  it('substituteClusterValues throws on a placeholder with no value, naming it and the values the stack sets', () => {
    assert.throws(() => substituteClusterValues({ a: '${KIT_MISSING}' }, { KIT_T: 'x', KIT_A: 'y' }), {
      message: 'cluster value KIT_MISSING has no value; the stack sets: KIT_A, KIT_T',
    });
    assert.throws(() => substituteClusterValues(['${KIT_MISSING}'], {}), { message: 'cluster value KIT_MISSING has no value; the stack sets: none' });
  });
});
