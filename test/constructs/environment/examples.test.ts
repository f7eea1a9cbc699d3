/**
 * The example values of the shipped stack files: each is found with its key and what
 * replaces it, a file with the user's own values passes, and a cloud deploy refuses them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APPS_SCHEMA } from '../../../charts/environment.js';
import {
  assertNoShippedExamples, parseEnvironment, readStackConfig, shippedExampleProblems, type Environment,
} from '../../../constructs/environment/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** A shipped stack file with `edit` applied to its config (keys without the namespace). */
function stackWith(name: string, edit: (settings: Record<string, any>) => void = () => {}): Environment {
  const config = structuredClone(readStackConfig(`Pulumi.${name}.yaml`)) as Record<string, any>;
  const settings: Record<string, any> = {};
  for (const [key, value] of Object.entries(config)) settings[key.replace(/^k8s-platform-kit:/, '')] = value;
  edit(settings);
  return parseEnvironment(name, Object.fromEntries(Object.entries(settings).map(([k, v]) => [`k8s-platform-kit:${k}`, v])), {
    apps: APPS_SCHEMA, source: `Pulumi.${name}.yaml`,
  });
}

const keys = (env: Environment) => shippedExampleProblems(env).map((p) => p.key);

describe('shippedExampleProblems', () => {
  it('finds every example value of dev (AKS): the admin group, the subscription, the domain and the addresses at it', () => {
    assert.deepEqual(keys(stackWith('dev')), [
      'cluster.adminGroupObjectIds[0]', 'cluster.subscriptionId', 'platform.domain', 'platform.ingress.acmeEmail', 'platform.teams[0].owner',
    ]);
  });

  it('finds every example value of staging (EKS): the documentation range, the account, the zone, the repository and the domain', () => {
    assert.deepEqual(keys(stackWith('staging')), [
      'cluster.endpoint.publicCidrs[0]', 'cluster.allowedAccountIds[0]', 'cluster.addons.externalDns.hostedZoneId', 'deploy.url', 'platform.domain', 'platform.ingress.acmeEmail',
    ]);
  });

  it('says which example a value is and what replaces it', () => {
    const [group, subscription] = shippedExampleProblems(stackWith('dev'));
    assert.equal(group?.message, "is '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f', dev's example Entra ID admin group, which the kit ships as a placeholder; "
      + "replace it with the object id of your cluster admins' Entra ID group (`az ad group show --group <name> --query id -o tsv`) before deploying to a cloud (docs/stacks.md, \"The example values\")");
    assert.match(subscription?.message ?? '', /^is '00000000-0000-4000-8000-000000000000', the example subscription id, .* your subscription id \(`az account show --query id -o tsv`\)/);
  });

  it('finds a documentation address range anywhere in it, and a single documentation address', () => {
    const env = stackWith('staging', (s) => { s.cluster.endpoint.publicCidrs = ['198.51.100.7/32', '192.0.2.0/25', '81.2.69.0/24']; });
    assert.deepEqual(keys(env).filter((k) => k.includes('publicCidrs')), ['cluster.endpoint.publicCidrs[0]', 'cluster.endpoint.publicCidrs[1]']);
  });

  it('passes a stack file with the user\'s own values', () => {
    const own = stackWith('staging', (s) => {
      s.cluster.endpoint.publicCidrs = ['81.2.69.0/24'];
      s.cluster.allowedAccountIds = ['123456789012'];
      s.cluster.addons.externalDns.hostedZoneId = 'Z1D633PJN98FT9';
      s.deploy.url = 'https://github.com/my-org/platform-gitops.git';
      s.platform.domain = 'staging.platform.my-org.io';
      s.platform.ingress.acmeEmail = 'platform@my-org.io';
    });
    assert.deepEqual(shippedExampleProblems(own), []);
    assert.doesNotThrow(() => assertNoShippedExamples(own));
  });

  it('assertNoShippedExamples throws an EnvironmentConfigError naming the file and each key', () => {
    assert.throws(() => assertNoShippedExamples(stackWith('prod')), (error: Error) => {
      assert.equal(error.name, 'EnvironmentConfigError');
      const lines = error.message.split('\n');
      assert.equal(lines[0], 'Pulumi.prod.yaml: 5 configuration problems:');
      assert.match(lines[1] ?? '', /^ {2}k8s-platform-kit:cluster\.allowedAccountIds\[0\]: is '111122223333', the AWS documentation account id/);
      assert.match(lines[3] ?? '', /^ {2}k8s-platform-kit:deploy\.url: is 'https:\/\/github\.com\/example-org\/platform-gitops\.git', the example GitOps repository/);
      return true;
    });
  });
});
