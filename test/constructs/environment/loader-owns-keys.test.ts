/**
 * The loader owns its keys: regions from each cloud's list with a suggestion, a version YAML
 * read as a number told to be quoted, CIDRs with host bits set, and the platform keys checked
 * at load with the very function the construct applies, each named by file and key.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APPS_SCHEMA } from '../../../charts/environment.js';
import { EnvironmentConfigError, parseEnvironment, readStackConfig, regionExpectation } from '../../../constructs/environment/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const NS = 'k8s-platform-kit';
const config = (name: string): Record<string, any> => structuredClone(readStackConfig(`Pulumi.${name}.yaml`));

function problems(settings: Record<string, unknown>, name: string): string[] {
  try {
    parseEnvironment(name, settings, { apps: APPS_SCHEMA, source: `Pulumi.${name}.yaml` });
  } catch (error) {
    assert.ok(error instanceof EnvironmentConfigError, String(error));
    return error.message.split('\n').slice(1).map((line) => line.trim());
  }
  return [];
}

describe('regions', () => {
  it('takes each cloud\'s region names and suggests the name for a display name or another spelling', () => {
    assert.equal(regionExpectation('azure', 'westeurope'), undefined);
    assert.equal(regionExpectation('aws', 'eu-west-1'), undefined);
    const dev = config('dev');
    dev[`${NS}:region`] = 'West Europe';
    assert.deepEqual(problems(dev, 'dev'), [`${NS}:region: got 'West Europe'; expected an Azure region name, as ARM writes it: did you mean 'westeurope'?`]);
    dev[`${NS}:region`] = 'westeurop';
    assert.deepEqual(problems(dev, 'dev'), [`${NS}:region: got 'westeurop'; expected an Azure region: did you mean 'westeurope'?`]);
    const prod = config('prod');
    prod[`${NS}:region`] = 'EU-WEST-1';
    assert.deepEqual(problems(prod, 'prod'), [`${NS}:region: got 'EU-WEST-1'; expected an AWS region name, as the API writes it: did you mean 'eu-west-1'?`]);
    prod[`${NS}:region`] = 'eu-west-9';
    assert.deepEqual(problems(prod, 'prod'), [`${NS}:region: got 'eu-west-9'; expected an AWS region: did you mean 'eu-west-1' or 'eu-west-2' or 'eu-west-3'?`]);
  });
});

describe('versions and CIDRs', () => {
  it('says to quote a version YAML read as a number, for the cluster and for a pool', () => {
    const dev = config('dev');
    dev[`${NS}:cluster`].version = 1.3;
    dev[`${NS}:cluster`].nodePools[1].version = 1.34;
    assert.deepEqual(problems(dev, 'dev'), [
      `${NS}:cluster.version: got 1.3; expected a quoted string: YAML reads an unquoted version as a number (1.30 becomes 1.3); write it in quotes, e.g. "1.30"`,
      `${NS}:cluster.nodePools[1].version: got 1.34; expected a quoted string: YAML reads an unquoted version as a number (1.30 becomes 1.3); write it in quotes, e.g. "1.34"`,
    ]);
  });

  it('refuses a CIDR with host bits set, naming the network address meant', () => {
    const prod = config('prod');
    prod[`${NS}:cluster`].vpcCidr = '10.40.1.0/16';
    assert.deepEqual(problems(prod, 'prod'), [`${NS}:cluster.vpcCidr: got '10.40.1.0/16'; expected the range's first address with host bits cleared: '10.40.0.0/16'`]);
  });
});

describe('platform keys, checked as the constructs check them', () => {
  it('names the file and key for logging nodes and retention, Prometheus retention, escalation, backups and the ACME email', () => {
    const prod = config('prod');
    const platform = prod[`${NS}:platform`];
    platform.logging = { ...platform.logging, nodes: 2, retentionDays: 400 };
    platform.monitoring = { ...platform.monitoring, retention: '10 days' };
    platform.backups = { ...platform.backups, schedule: '61 3 * * *', retention: '30d' };
    platform.ingress.acmeEmail = 'ops@example.com';
    assert.deepEqual(problems(prod, 'prod'), [
      `${NS}:platform.ingress.acmeEmail: got 'ops@example.com'; which is at example.com, which Let's Encrypt refuses; expected a mailbox for the Let's Encrypt account, e.g. platform-team@acme.dev`,
      `${NS}:platform.monitoring.retention: got '10 days'; which is not a Prometheus duration above zero; expected e.g. '10d', '12h' or '2w'`,
      `${NS}:platform.logging.nodes: got 2; which is even: 2 master-eligible nodes need 2 for a quorum, so losing 1 stops the cluster and a network split leaves neither half a majority (split brain: no quorum on either side); expected 1 (small) or an odd number from 3 (large)`,
      `${NS}:platform.logging.retentionDays: got 400; which is not a whole number of days from 1 to 365; expected e.g. 30`,
      `${NS}:platform.backups.schedule: got '61 3 * * *'; has minute 61, outside 0-59; expected e.g. '0 3 * * *' (minute 0-59, hour 0-23, day 1-31, month 1-12, weekday 0-7)`,
      `${NS}:platform.backups.retention: got '30d'; which is not a positive Go duration; expected e.g. 720h for 30 days`,
    ]);
  });

  it('refuses a team expiry in the past and an escalation delay that is not a duration', () => {
    const dev = config('dev');
    dev[`${NS}:platform`].teams[0].expires = '2020-01-31';
    dev[`${NS}:platform`].monitoring.alerting.escalation = { receiver: 'team-slack', after: '5 minutes' };
    const found = problems(dev, 'dev');
    assert.match(found[0] ?? '', new RegExp(`^${NS}:platform\\.monitoring\\.alerting\\.escalation\\.after: got '5 minutes'; which is not a Prometheus duration above zero; expected a duration such as '5m'$`));
    assert.match(found[1] ?? '', new RegExp(`^${NS}:platform\\.teams\\[0\\]\\.expires: got '2020-01-31'; which is in the past \\(today is \\d{4}-\\d{2}-\\d{2}\\); expected today or later, or no expiry$`));
  });

  it('accepts the shipped files\' values', () => {
    for (const name of ['dev', 'staging', 'prod']) assert.deepEqual(problems(config(name), name), [], name);
  });
});
