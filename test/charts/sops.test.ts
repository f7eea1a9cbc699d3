/**
 * SOPS with Flux from the stack file: `deploy.decryption` puts `spec.decryption` on every
 * chart Kustomization the synth writes, and none without it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { buildApp } from '../../charts/app.js';
import { gitopsOptionsOf } from '../../charts/bootstrap.js';
import { loadEnvironment } from '../../charts/environment.js';
import { planGitOps } from '../../constructs/gitops/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const prod = loadEnvironment('prod');

function decryptions(env: typeof prod): unknown[] {
  const plan = planGitOps(buildApp(env), gitopsOptionsOf(env));
  return [...plan.files].filter(([path]) => path.startsWith('flux/') && !path.endsWith('kustomization.yaml')).map(([, text]) => (parse(text) as any).spec.decryption);
}

describe('SOPS decryption from the stack file', () => {
  it("writes the age key Secret into every chart Kustomization when deploy.decryption is set, and nothing otherwise", () => {
    if (prod.deploy.mode !== 'gitops') assert.fail('prod deploys with GitOps');
    const withAge = { ...prod, deploy: { ...prod.deploy, decryption: { provider: 'age' as const, secretName: 'sops-age' } } };
    const found = decryptions(withAge);
    assert.ok(found.length > 3);
    assert.ok(found.every((d) => JSON.stringify(d) === JSON.stringify({ provider: 'sops', secretRef: { name: 'sops-age' } })), JSON.stringify(found));
    const withKms = { ...prod, deploy: { ...prod.deploy, decryption: { provider: 'kms' as const } } };
    assert.ok(decryptions(withKms).every((d) => JSON.stringify(d) === JSON.stringify({ provider: 'sops' })));
    assert.ok(decryptions(prod).every((d) => d === undefined));
  });
});
