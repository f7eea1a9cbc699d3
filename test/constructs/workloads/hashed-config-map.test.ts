import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Testing } from 'cdk8s';
import { HashedConfigMap, contentHash } from '../../../constructs/index.js';

describe('contentHash', () => {
  it('is ten hex digits', () => {
    assert.match(contentHash({ 'app.yaml': 'port: 8080' }), /^[0-9a-f]{10}$/);
  });

  it('is stable across calls', () => {
    assert.equal(contentHash({ a: '1', b: '2' }), contentHash({ a: '1', b: '2' }));
  });

  it('is stable across runs (a fixed value)', () => {
    assert.equal(contentHash({ 'a.txt': 'x' }), 'dfc4c6b0a1');
  });

  it('does not depend on key order', () => {
    assert.equal(contentHash({ a: '1', b: '2', c: '3' }), contentHash({ c: '3', a: '1', b: '2' }));
  });

  it('changes when a value changes', () => {
    assert.notEqual(contentHash({ a: '1' }), contentHash({ a: '2' }));
  });

  it('changes when a key changes', () => {
    assert.notEqual(contentHash({ a: '1' }), contentHash({ b: '1' }));
  });

  it('does not confuse keys and values', () => {
    assert.notEqual(contentHash({ ab: 'c' }), contentHash({ a: 'bc' }));
    assert.notEqual(contentHash({}), contentHash({ '': '' }));
  });
});

describe('HashedConfigMap', () => {
  it('creates an immutable ConfigMap named <baseName>-<hash> with the data', () => {
    const chart = Testing.chart();
    const config = new HashedConfigMap(chart, 'cfg', { data: { 'app.yaml': 'port: 8080' }, baseName: 'todo-config' });
    const [manifest, ...rest] = Testing.synth(chart);
    assert.equal(rest.length, 0);
    assert.equal(manifest.kind, 'ConfigMap');
    assert.equal(manifest.immutable, true);
    assert.deepEqual(manifest.data, { 'app.yaml': 'port: 8080' });
    assert.equal(manifest.metadata.name, `todo-config-${contentHash({ 'app.yaml': 'port: 8080' })}`);
    assert.equal(config.name, manifest.metadata.name);
    assert.equal(config.hash, contentHash({ 'app.yaml': 'port: 8080' }));
    assert.equal(config.configMap.name, config.name);
  });

  it('defaults the base name to the construct path', () => {
    const chart = Testing.chart();
    const config = new HashedConfigMap(chart, 'cfg', { data: { a: '1' } });
    assert.match(config.name, /^test-cfg-[0-9a-f]{8}-[0-9a-f]{10}$/);
  });

  it('sets no namespace by default, and the namespace when given', () => {
    const chart = Testing.chart();
    new HashedConfigMap(chart, 'a', { data: { a: '1' } });
    new HashedConfigMap(chart, 'b', { data: { a: '1' }, namespace: 'todo' });
    const [a, b] = Testing.synth(chart);
    assert.equal(a.metadata.namespace, undefined);
    assert.equal(b.metadata.namespace, 'todo');
  });

  it('changes name with content, not with key order', () => {
    const chart = Testing.chart();
    const one = new HashedConfigMap(chart, 'one', { data: { a: '1', b: '2' }, baseName: 'c' });
    const two = new HashedConfigMap(chart, 'two', { data: { b: '2', a: '1' }, baseName: 'c' });
    const three = new HashedConfigMap(chart, 'three', { data: { a: '1', b: '3' }, baseName: 'c' });
    assert.equal(one.name, two.name);
    assert.notEqual(one.name, three.name);
  });

  it('does not share the data object with the caller', () => {
    const chart = Testing.chart();
    const data: Record<string, string> = { a: '1' };
    new HashedConfigMap(chart, 'cfg', { data });
    data.a = '2';
    assert.deepEqual(Testing.synth(chart)[0].data, { a: '1' });
  });

  it('accepts keys of letters, digits, dash, underscore and dot', () => {
    const chart = Testing.chart();
    new HashedConfigMap(chart, 'cfg', { data: { 'App_config-1.yaml': 'x', '.env': 'y' } });
    const [manifest] = Testing.synth(chart);
    assert.deepEqual(Object.keys(manifest.data).sort(), ['.env', 'App_config-1.yaml']);
    assert.deepEqual(manifest.data, { 'App_config-1.yaml': 'x', '.env': 'y' });
  });

  it('throws if a key has a character outside the ConfigMap key set', () => {
    assert.throws(() => new HashedConfigMap(Testing.chart(), 'cfg', { data: { 'conf/app.yaml': 'x' } }), {
      message: "HashedConfigMap 'test/cfg': data['conf/app.yaml'] has a key that is not a ConfigMap key: it must consist of alphanumeric characters, '-', '_' or '.'",
    });
  });

  it('throws if a key is longer than 253 characters', () => {
    const key = 'k'.repeat(254);
    assert.throws(() => new HashedConfigMap(Testing.chart(), 'cfg', { data: { [key]: 'x' } }), {
      message: `HashedConfigMap 'test/cfg': data['${key}'] has a key that is not a ConfigMap key: it must be 1 to 253 characters (got 254)`,
    });
  });

  it('throws if the base name makes the name an invalid DNS-1123 subdomain', () => {
    const hash = contentHash({ a: '1' });
    assert.throws(() => new HashedConfigMap(Testing.chart(), 'cfg', { data: { a: '1' }, baseName: 'Todo_Config' }), {
      message: `HashedConfigMap 'test/cfg': name ('Todo_Config-${hash}') must consist of lower case alphanumeric characters, '-' or '.', `
        + 'and must start and end with an alphanumeric character',
    });
  });

  it('throws if the name is longer than 253 characters', () => {
    const hash = contentHash({ a: '1' });
    const baseName = 'a'.repeat(250);
    assert.throws(() => new HashedConfigMap(Testing.chart(), 'cfg', { data: { a: '1' }, baseName }), {
      message: `HashedConfigMap 'test/cfg': name ('${baseName}-${hash}') must be no more than 253 characters (got 261)`,
    });
  });
});
