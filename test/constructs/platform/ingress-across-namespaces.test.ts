/**
 * IngressWithAuth across backend namespaces (one per namespace with ingress-nginx), the
 * grouping it uses, and the Gateway listener known before the construct exists.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { BasicAuthUsers, IngressController, IngressWithAuth, routesByNamespace, type IngressRoute } from '../../../constructs/index.js';

const routes: IngressRoute[] = [
  { host: 'a.acme.dev', backend: { name: 'a', namespace: 'one' }, port: 80, public: true },
  { host: 'b.acme.dev', backend: { name: 'b' }, port: 80 },
  { host: 'c.acme.dev', backend: { name: 'c', namespace: 'one' }, port: 80 },
  { host: 'd.acme.dev', backend: { name: 'd', namespace: 'two' }, port: 80, public: true },
];
const basicAuth = { users: BasicAuthUsers.fromSecret({ name: 'users' }, ['admin']) };

describe('routesByNamespace', () => {
  it('groups by the backend\'s namespace, in order, the rest under the fallback', () => {
    const grouped = routesByNamespace(routes, 'edge');
    assert.deepEqual([...grouped].map(([namespace, group]) => [namespace, group.map((r) => r.host)]), [
      ['one', ['a.acme.dev', 'c.acme.dev']], ['edge', ['b.acme.dev']], ['two', ['d.acme.dev']],
    ]);
  });
});

describe('IngressWithAuth.acrossNamespaces', () => {
  it('makes one IngressWithAuth with Envoy Gateway (the default controller)', () => {
    const ingresses = IngressWithAuth.acrossNamespaces(Testing.chart(), 'Ingress', { namespace: 'edge', routes, basicAuth });
    assert.deepEqual(ingresses.map((i) => [i.node.id, i.namespace, i.routes.length]), [['Ingress', 'edge', 4]]);
  });

  it('makes one per backend namespace with ingress-nginx, with basic auth only where a route is not public', () => {
    const ingresses = IngressWithAuth.acrossNamespaces(Testing.chart(), 'Ingress', { namespace: 'edge', routes, basicAuth, controller: IngressController.ingressNginx() });
    assert.deepEqual(ingresses.map((i) => [i.node.id, i.namespace, i.basicAuth !== undefined]), [
      ['Ingress-one', 'one', true], ['Ingress-edge', 'edge', true], ['Ingress-two', 'two', false],
    ]);
  });
});

describe('IngressWithAuth.http01ListenerOf', () => {
  it('is the listener the construct then has, with the default name or the given one', () => {
    for (const props of [{ namespace: 'edge' }, { name: 'public', namespace: 'edge' }]) {
      const ingress = new IngressWithAuth(Testing.chart(), 'Ingress', { ...props, routes: [routes[0]!] });
      assert.deepEqual(IngressWithAuth.http01ListenerOf(props), ingress.http01Listener);
    }
  });
});
