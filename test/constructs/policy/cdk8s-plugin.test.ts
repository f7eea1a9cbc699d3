import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PlatformKitValidation } from '../../../constructs/index.js';

describe('PlatformKitValidation (in process)', () => {
  /** A stand-in for the CLI's context: records what the plugin reports. */
  function fakeContext(objects: unknown[]) {
    const violations: { ruleName: string; recommendation: string }[] = [];
    let status: string | undefined;
    return {
      violations,
      get status() { return status; },
      context: {
        manifests: ['m.yaml'],
        parseManifest: () => objects,
        report: {
          addViolation: (v: { ruleName: string; recommendation: string }) => violations.push(v),
          submit: (s: 'success' | 'failure') => { status = s; },
        },
        logger: { log: () => undefined },
      },
    };
  }
  const podWithToken = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'a', image: 'a:1',
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '16Mi' } },
      }],
    },
  };

  const denyAll = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny' }, spec: { podSelector: {} } };

  it('reports warnings but succeeds by default', async () => {
    const fake = fakeContext([podWithToken, denyAll]);
    await new PlatformKitValidation().validate(fake.context);
    assert.equal(fake.status, 'success');
    assert.deepEqual(fake.violations.map((v) => v.ruleName), ['warning: kit-service-account-token']);
  });

  it('fails on warnings with failOnWarnings', async () => {
    const fake = fakeContext([podWithToken, denyAll]);
    await new PlatformKitValidation({ failOnWarnings: true }).validate(fake.context);
    assert.equal(fake.status, 'failure');
    assert.deepEqual(fake.violations.map((v) => v.ruleName), ['warning: kit-service-account-token']);
  });

  it('checks capabilities against properties.capabilities: a NetworkPolicy fails without network-policy and passes with it', async () => {
    const without = fakeContext([podWithToken, denyAll]);
    await new PlatformKitValidation({ capabilities: ['cert-manager'] }).validate(without.context);
    assert.equal(without.status, 'failure');
    assert.ok(without.violations.some((v) => v.ruleName === 'error: cluster-capability' && v.recommendation.startsWith('needs network-policy')));
    const withIt = fakeContext([podWithToken, denyAll]);
    await new PlatformKitValidation({ capabilities: ['network-policy'] }).validate(withIt.context);
    assert.equal(withIt.status, 'success');
  });

  it('refuses an unknown capability name in properties.capabilities, listing the known ones', () => {
    assert.throws(() => new PlatformKitValidation({ capabilities: ['network-policies'] }),
      /^Error: PlatformKitValidation: properties\.capabilities names 'network-policies', which is not a capability; expected any of: network-policy, /);
  });
});
