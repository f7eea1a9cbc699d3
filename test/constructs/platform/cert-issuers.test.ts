/**
 * LetsEncryptIssuers: the staging and production ClusterIssuers, the HTTP-01 solver through
 * a Gateway or an IngressClass, the validation spine, and each kind of bad input.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { validateManifests } from '../../../constructs/policy/validate.js';
import type { ManifestObject } from '../../../constructs/policy/finding.js';
import { Http01Solver, LetsEncryptIssuers, type LetsEncryptIssuersProps } from '../../../constructs/platform/cert-issuers.js';

const GATEWAY = Http01Solver.gateway({ name: 'ingress', namespace: 'todo' });

function build(props: Partial<LetsEncryptIssuersProps> = {}) {
  const chart = Testing.chart();
  const issuers = new LetsEncryptIssuers(chart, 'issuers', { email: 'platform@acme.dev', http01: GATEWAY, ...props });
  return { issuers, objects: Testing.synth(chart) as ManifestObject[] };
}

describe('LetsEncryptIssuers defaults', () => {
  const { issuers, objects } = build();

  it('a production and a staging ClusterIssuer on the Let\'s Encrypt ACME servers', () => {
    assert.deepEqual(objects.map((o) => [o.kind, o.metadata?.name]), [['ClusterIssuer', 'letsencrypt-production'], ['ClusterIssuer', 'letsencrypt-staging']]);
    const [production, staging] = objects as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual(production.spec, {
      acme: {
        server: 'https://acme-v02.api.letsencrypt.org/directory',
        email: 'platform@acme.dev',
        privateKeySecretRef: { name: 'letsencrypt-production-account-key' },
        solvers: [{ http01: { gatewayHTTPRoute: { parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'ingress', namespace: 'todo', sectionName: 'http' }] } } }],
      },
    });
    assert.equal(staging.spec.acme.server, 'https://acme-staging-v02.api.letsencrypt.org/directory');
    assert.equal(staging.spec.acme.privateKeySecretRef.name, 'letsencrypt-staging-account-key');
  });

  it('exposes the issuers for IngressWithAuth tls, as HTTP-01 only', () => {
    assert.deepEqual(issuers.production, { name: 'letsencrypt-production', kind: 'ClusterIssuer', http01Only: true });
    assert.deepEqual(issuers.staging, { name: 'letsencrypt-staging', kind: 'ClusterIssuer', http01Only: true });
  });

  it('passes the validation spine', async () => {
    const report = await validateManifests(objects.map((object) => ({ object })));
    assert.deepEqual(report.errors, []);
  });
});

describe('LetsEncryptIssuers overrides', () => {
  it('answers challenges through an IngressClass for ingress-nginx', async () => {
    const { objects } = build({ http01: Http01Solver.ingressClass('nginx'), name: 'le' });
    assert.deepEqual(objects.map((o) => o.metadata?.name), ['le-production', 'le-staging']);
    assert.deepEqual((objects[0] as any).spec.acme.solvers, [{ http01: { ingress: { ingressClassName: 'nginx' } } }]); // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual((await validateManifests(objects.map((object) => ({ object })))).errors, []);
  });

  it('several Gateways and a listener name', () => {
    const { objects } = build({ http01: Http01Solver.gateway({ name: 'a', namespace: 'x' }, { name: 'b', namespace: 'y', sectionName: 'plain' }) });
    const refs = (objects[0] as any).spec.acme.solvers[0].http01.gatewayHTTPRoute.parentRefs; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual(refs.map((r: { name: string; sectionName: string }) => `${r.name}/${r.sectionName}`), ['a/http', 'b/plain']);
  });
});

describe('LetsEncryptIssuers bad input', () => {
  const cases: [string, Partial<LetsEncryptIssuersProps>, string][] = [
    ['an email that is not an address', { email: 'platform team' }, "email ('platform team') is not an email address; expected e.g. platform-team@acme.dev"],
    ['an email at example.com', { email: 'ops@example.com' }, "email ('ops@example.com') is at example.com, which Let's Encrypt refuses; expected a mailbox someone reads"],
    ['no Gateway', { http01: Http01Solver.gateway() }, 'http01 names no Gateway; expected Http01Solver.gateway({ name, namespace }) with at least one'],
    ['a bad Gateway namespace', { http01: Http01Solver.gateway({ name: 'ingress', namespace: 'Todo' }) }, "http01.gateways[0].namespace ('Todo') must consist of lower case"],
    ['a bad IngressClass', { http01: Http01Solver.ingressClass('') }, "http01.ingressClassName ('') must consist of lower case"],
    ['a bad name', { name: 'Lets_Encrypt' }, "name ('Lets_Encrypt') must consist of lower case"],
  ];
  for (const [what, props, message] of cases) {
    it(`throws if given ${what}`, () => {
      assert.throws(() => build(props), (error: Error) => {
        assert.ok(error.message.startsWith(`LetsEncryptIssuers 'test/issuers': ${message}`), error.message);
        return true;
      });
    });
  }
});
