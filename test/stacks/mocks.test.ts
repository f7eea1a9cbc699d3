/**
 * The recorder in _mocks.ts on a tiny program: a component with children, each option a
 * resource can carry, and where each option comes from (explicit, inherited, resolved).
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { childrenOf, find, one, recorded, refOf, reset, settled } from './_mocks.js';

const COMPONENT = 'k8s-platform-kit:test:App';
const CONFIG_MAP = 'kubernetes:core/v1:ConfigMap';
const NAMESPACE = 'kubernetes:core/v1:Namespace';

/** A component with one child that carries every option, and one that inherits them. */
class App extends pulumi.ComponentResource {
  public readonly config: k8s.core.v1.ConfigMap;
  public readonly inherited: k8s.core.v1.ConfigMap;

  constructor(name: string, args: { readonly provider: k8s.Provider; readonly after: pulumi.Resource }, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENT, name, {}, opts);
    this.config = new k8s.core.v1.ConfigMap(`${name}-config`, { data: { a: '1' } }, {
      parent: this,
      provider: args.provider,
      dependsOn: [args.after],
      ignoreChanges: ['data'],
      protect: true,
      deleteBeforeReplace: true,
      replaceOnChanges: ['metadata.name'],
      retainOnDelete: true,
      deletedWith: args.after,
    });
    this.inherited = new k8s.core.v1.ConfigMap(`${name}-inherited`, { data: { b: '2' } }, { parent: this });
    this.registerOutputs({});
  }
}

describe('the Pulumi mock recorder', () => {
  before(async () => {
    reset();
    const provider = new k8s.Provider('test-k8s', { kubeconfig: 'apiVersion: v1\nkind: Config\n' });
    const namespace = new k8s.core.v1.Namespace('test-ns', {}, { provider });
    const app = new App('app', { provider, after: namespace }, { providers: [provider], protect: true });
    // dependsOn a component, and dependsOn given as an Output and as a Promise.
    new k8s.core.v1.ConfigMap('after-app', {}, { provider, dependsOn: [app] });
    new k8s.core.v1.ConfigMap('after-output', {}, { provider, dependsOn: pulumi.output([namespace]) });
    new k8s.core.v1.ConfigMap('after-promise', {}, { provider, dependsOn: Promise.resolve(app.config) });
    await settled();
  });

  it('records every option of a child: parent, dependsOn, provider, ignoreChanges, protect and the replacement options', () => {
    const config = one(CONFIG_MAP, 'app-config');
    assert.equal(config.parent, 'k8s-platform-kit:test:App::app');
    assert.deepEqual(config.dependsOn, ['kubernetes:core/v1:Namespace::test-ns']);
    assert.equal(config.provider, 'pulumi:providers:kubernetes::test-k8s');
    assert.deepEqual(config.ignoreChanges, ['data']);
    assert.equal(config.protect, true);
    assert.equal(config.deleteBeforeReplace, true);
    assert.deepEqual(config.replaceOnChanges, ['metadata.name']);
    assert.equal(config.retainOnDelete, true);
    assert.equal(config.deletedWith, 'kubernetes:core/v1:Namespace::test-ns');
    assert.deepEqual(config.inputs.data, { a: '1' }, 'inputs are still recorded');
  });

  it('defaults: a top-level resource with no options has no parent, no dependsOn and the default settings', () => {
    const provider = one('pulumi:providers:kubernetes', 'test-k8s');
    assert.deepEqual(
      { parent: provider.parent, dependsOn: provider.dependsOn, provider: provider.provider, protect: provider.protect, ignoreChanges: provider.ignoreChanges },
      { parent: undefined, dependsOn: [], provider: undefined, protect: false, ignoreChanges: [] },
    );
    assert.deepEqual(
      { deleteBeforeReplace: provider.deleteBeforeReplace, replaceOnChanges: provider.replaceOnChanges, retainOnDelete: provider.retainOnDelete, deletedWith: provider.deletedWith },
      { deleteBeforeReplace: undefined, replaceOnChanges: [], retainOnDelete: undefined, deletedWith: undefined },
    );
    assert.equal(one(NAMESPACE, 'test-ns').parent, undefined, 'parented to the root stack, which is left out');
  });

  it('records the provider and protect a child inherits from its parent', () => {
    const inherited = one(CONFIG_MAP, 'app-inherited');
    assert.equal(inherited.provider, 'pulumi:providers:kubernetes::test-k8s', "from the component's providers");
    assert.equal(inherited.protect, true, "from the component's protect");
    assert.deepEqual(inherited.dependsOn, []);
    assert.equal(one(COMPONENT, 'app').provider, undefined, 'a component only passes providers on');
  });

  it('records dependsOn as written: a component stays the component, Outputs and Promises are resolved', () => {
    assert.deepEqual(one(CONFIG_MAP, 'after-app').dependsOn, ['k8s-platform-kit:test:App::app']);
    assert.deepEqual(one(CONFIG_MAP, 'after-output').dependsOn, ['kubernetes:core/v1:Namespace::test-ns']);
    assert.deepEqual(one(CONFIG_MAP, 'after-promise').dependsOn, ['kubernetes:core/v1:ConfigMap::app-config']);
  });

  it('looks resources up by type and name, and by parent', () => {
    const app = one(COMPONENT, 'app');
    assert.equal(refOf(app), 'k8s-platform-kit:test:App::app');
    assert.deepEqual(childrenOf(app).map(refOf).sort(), ['kubernetes:core/v1:ConfigMap::app-config', 'kubernetes:core/v1:ConfigMap::app-inherited']);
    assert.deepEqual(childrenOf('k8s-platform-kit:test:App::app'), childrenOf(app));
    assert.equal(find(CONFIG_MAP, 'app-config'), one(CONFIG_MAP, 'app-config'));
    assert.equal(find(CONFIG_MAP, 'missing'), undefined);
    assert.equal(recorded.some((r) => r.type === 'pulumi:pulumi:Stack'), false, 'the root stack is not a recorded registration');
  });
});
