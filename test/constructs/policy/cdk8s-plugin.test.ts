import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PlatformKitValidation } from '../../../constructs/index.js';

const root = resolve(import.meta.dirname, '../../..');
const plugin = join(root, 'lib/constructs/policy/cdk8s-validation.js');
const cli = join(root, 'node_modules/.bin/cdk8s');
const tsx = join(root, 'node_modules/.bin/tsx');

/** Runs the real `cdk8s synth` with the kit's plugin declared in cdk8s.yaml. */
function synth(dir: string, env: Record<string, string> = {}) {
  const result = spawnSync(cli, ['synth'], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('cdk8s validation plugin', () => {
  let dir: string;
  before(() => {
    assert.ok(existsSync(plugin), `${plugin} is missing: run \`npm run build\` first (the CLI loads the built plugin)`);
    dir = mkdtempSync(join(tmpdir(), 'kit-plugin-'));
    writeFileSync(join(dir, 'cdk8s.yaml'), [
      'language: typescript',
      `app: ${tsx} ${join(root, 'test/fixtures/host-path-app.ts')}`,
      'output: dist',
      'validations:',
      `  - package: ${plugin}`,
      '    class: PlatformKitValidation',
      '    version: 0.1.0',
      '',
    ].join('\n'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('fails the synth and prints the finding for a policy violation', () => {
    const { status, output } = synth(dir);
    assert.notEqual(status, 0);
    assert.match(output, /error: pss-host-path-volumes/);
    assert.match(output, /Resource Name: Deployment\/collector/);
    assert.match(output, /Deployment\/collector: volume 'pods' has hostPath=/);
    assert.match(output, /Validation failed/);
  });

  it('passes the same app when the workload carries annotated exceptions', () => {
    const { status, output } = synth(dir, { HOST_PATH_EXCEPTION: '1' });
    assert.equal(status, 0, output);
    assert.match(output, /waived\s*│\s*2/);
    assert.match(output, /Validations ended succesfully/);
  });
});

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
