/**
 * The Pulumi entry point as `pulumi preview` runs it: the stack's config arrives from the
 * engine (JSON-encoded objects), goes through the same loader as synth, and bad input stops
 * the program with the key named before any resource exists.
 */
import * as pulumi from '@pulumi/pulumi';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { recorded, reset, settled } from './_mocks.js';
import { committedGitOps, emptyDirectory } from './_gitops.js';
import { APPS_SCHEMA } from '../../charts/environment.js';
import { repositoryPathOf } from '../../charts/bootstrap.js';
import { parseEnvironment, readStackConfig } from '../../constructs/environment/index.js';
import main from '../../stacks/index.js';

/** Hands a stack file's config to the runtime the way the engine does. */
function engineConfig(config: Record<string, unknown>): void {
  const encoded = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]));
  pulumi.runtime.setAllConfig(encoded, []);
}

/* eslint-disable @typescript-eslint/no-explicit-any */

/** prod's stack file with the user's own values where it ships examples. */
function ownProdConfig(): Record<string, any> {
  const config = structuredClone(readStackConfig('Pulumi.prod.yaml')) as Record<string, any>;
  config['k8s-platform-kit:cluster'].allowedAccountIds = ['123456789012'];
  config['k8s-platform-kit:cluster'].addons.externalDns.hostedZoneId = 'Z1D633PJN98FT9';
  config['k8s-platform-kit:deploy'].url = 'https://github.com/my-org/platform-gitops.git';
  config['k8s-platform-kit:platform'].domain = 'platform.my-org.io';
  config['k8s-platform-kit:platform'].ingress.acmeEmail = 'platform@my-org.io';
  return config;
}

describe('stacks/index.ts', () => {
  it('builds the stack from the engine config and returns its outputs', async () => {
    reset();
    const config = ownProdConfig();
    engineConfig(config);
    // prod is a GitOps environment: the program compares the charts with its directory
    // (`./dist/<stack>`, relative to the working directory, the project's under `pulumi`).
    const project = emptyDirectory();
    const env = parseEnvironment('test', config, { apps: APPS_SCHEMA, source: 'Pulumi.test.yaml' });
    committedGitOps(env, join(project, repositoryPathOf(env)));
    const cwd = process.cwd();
    process.chdir(project);
    const outputs = await main().finally(() => process.chdir(cwd));
    await settled();
    assert.deepEqual({ cloud: outputs.cloud, clusterName: outputs.clusterName, deployMode: outputs.deployMode }, { cloud: 'aws', clusterName: 'kit-prod', deployMode: 'gitops' });
    assert.ok(recorded.some((r) => r.type === 'aws:eks/cluster:Cluster' && r.name === 'test-cluster'), 'resources are named after the stack');
  });

  it('refuses the example values of the shipped stack file, naming each key, before any resource', async () => {
    reset();
    engineConfig(readStackConfig('Pulumi.prod.yaml'));
    await assert.rejects(main(), (error: Error) => {
      assert.equal(error.name, 'EnvironmentConfigError');
      assert.deepEqual(error.message.split('\n').slice(1).map((line) => line.trim().split(':').slice(0, 2).join(':')), [
        'k8s-platform-kit:cluster.allowedAccountIds[0]', 'k8s-platform-kit:cluster.addons.externalDns.hostedZoneId',
        'k8s-platform-kit:deploy.url', 'k8s-platform-kit:platform.domain', 'k8s-platform-kit:platform.ingress.acmeEmail',
      ]);
      return true;
    });
    await settled();
    assert.deepEqual(recorded, []);
  });

  it('fails on bad config naming the stack file and the key, before any resource', async () => {
    reset();
    const config = ownProdConfig();
    config['k8s-platform-kit:cluster'].nodePools[0].desired = 12;
    engineConfig(config);
    await assert.rejects(main(), {
      name: 'EnvironmentConfigError',
      message: "Pulumi.test.yaml: 1 configuration problem:\n  k8s-platform-kit:cluster.nodePools[0].desired: (12) is outside [min, max] = [4, 9] in pool 'general'",
    });
    await settled();
    assert.deepEqual(recorded, []);
  });
});
