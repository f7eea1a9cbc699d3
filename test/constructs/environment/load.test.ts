/**
 * Loading environments: the repository's stack files, the engine's view of the same
 * config, and every kind of bad input reported with its key, value and expectation.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { APPS_SCHEMA, loadEnvironment } from '../../../charts/environment.js';
import {
  decodeEngineConfig,
  EnvironmentConfigError,
  parseEnvironment,
  readStackConfig,
} from '../../../constructs/environment/index.js';

const ENVIRONMENTS = ['dev', 'staging', 'prod'];
const NS = 'k8s-platform-kit';

/** The prod stack file's config, deep-copied, for a test to break. */
function prodConfig(): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return structuredClone(readStackConfig('Pulumi.prod.yaml'));
}

function devConfig(): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return structuredClone(readStackConfig('Pulumi.dev.yaml'));
}

/** The problems parseEnvironment reports for `config`, as `key: message` lines. */
function problems(config: Record<string, unknown>, name = 'prod'): string[] {
  try {
    parseEnvironment(name, config, { apps: APPS_SCHEMA, source: `Pulumi.${name}.yaml` });
  } catch (error) {
    assert.ok(error instanceof EnvironmentConfigError, String(error));
    return error.message.split('\n').slice(1).map((line) => line.trim());
  }
  assert.fail('expected configuration problems');
}

/** The environment parseEnvironment makes of an AWS `config` it accepts. */
function accepted(config: Record<string, unknown>, name = 'prod') {
  const env = parseEnvironment(name, config, { apps: APPS_SCHEMA, source: 'test' });
  if (env.cloud !== 'aws') assert.fail(`${name} is on AWS`);
  return env;
}

describe('the repository environments', () => {
  for (const name of ENVIRONMENTS) {
    it(`${name}: loads from Pulumi.${name}.yaml, and the engine's view of the same file gives the same environment`, () => {
      const fromFile = loadEnvironment(name);
      // The engine hands object values to the program JSON-encoded and scalars as strings.
      const engine = Object.fromEntries(Object.entries(readStackConfig(`Pulumi.${name}.yaml`))
        .map(([key, value]) => [key, typeof value === 'object' ? JSON.stringify(value) : String(value)]));
      const fromEngine = parseEnvironment(name, decodeEngineConfig(engine), { apps: APPS_SCHEMA, source: fromFile.source });
      assert.deepEqual(fromEngine, fromFile);
    });
  }

  it('puts dev on AKS in one region without zones, staging and prod on EKS across two and three zones', () => {
    const [dev, staging, prod] = ENVIRONMENTS.map((name) => loadEnvironment(name));
    assert.equal(dev?.cloud, 'azure');
    assert.deepEqual(dev?.cluster.zones, []);
    assert.equal(staging?.cloud, 'aws');
    assert.equal(staging?.cluster.zones.length, 2);
    assert.equal(prod?.cloud, 'aws');
    assert.equal(prod?.cluster.zones.length, 3);
    assert.equal(prod?.tier, 'prod');
  });

  it('fills the defaults: on-demand capacity, 50 GiB disks, 110 pods per node, a private endpoint', () => {
    const prod = loadEnvironment('prod');
    if (prod.cloud !== 'aws') assert.fail('prod is on AWS');
    assert.deepEqual(
      [prod.cluster.nodePools[0]?.capacity, prod.cluster.nodePools[1]?.diskSizeGiB, prod.cluster.nodePools[0]?.maxPods],
      ['on-demand', 50, 110],
    );
    assert.equal(prod.cluster.natGateways, 'per-zone');
  });
});

describe('bad input', () => {
  it('rejects an unknown cloud, naming the accepted ones', () => {
    const config = prodConfig();
    config[`${NS}:cloud`] = 'gcp';
    assert.deepEqual(problems(config), [`${NS}:cloud: got 'gcp'; expected one of 'aws', 'azure'`]);
  });

  it('rejects a region, an instance type or a VM size of the wrong shape', () => {
    const config = prodConfig();
    config[`${NS}:region`] = 'Ireland';
    config[`${NS}:cluster`].nodePools[0].instanceTypes = ['large'];
    assert.deepEqual(problems(config), [
      `${NS}:region: got 'Ireland'; expected an AWS region (the list is in constructs/environment/regions.ts), e.g. 'eu-west-1'`,
      `${NS}:cluster.nodePools[0].instanceTypes[0]: got 'large'; expected an EC2 instance type such as 'm6i.large'`,
    ]);
    const dev = devConfig();
    dev[`${NS}:cluster`].nodePools[1].vmSize = 4;
    assert.deepEqual(problems(dev, 'dev'), [`${NS}:cluster.nodePools[1].vmSize: got 4; expected a string`]);
  });

  it('rejects min above max and desired outside [min, max]', () => {
    const config = prodConfig();
    Object.assign(config[`${NS}:cluster`].nodePools[0], { min: 5, desired: 4, max: 3 });
    assert.deepEqual(problems(config), [
      `${NS}:cluster.nodePools[0].min: (5) is above max (3) in pool 'general'`,
      `${NS}:cluster.nodePools[0].desired: (4) is outside [min, max] = [5, 3] in pool 'general'`,
    ]);
  });

  it('rejects duplicate pool names', () => {
    const config = prodConfig();
    config[`${NS}:cluster`].nodePools[1].name = 'general';
    assert.deepEqual(problems(config), [`${NS}:cluster.nodePools[1].name: duplicate pool name 'general' (also at index 0)`]);
  });

  it('rejects a taint with an invalid effect', () => {
    const config = prodConfig();
    config[`${NS}:cluster`].nodePools[1].taints[0].effect = 'NoRun';
    assert.deepEqual(problems(config), [
      `${NS}:cluster.nodePools[1].taints[0].effect: got 'NoRun'; expected one of 'NoSchedule', 'PreferNoSchedule', 'NoExecute'`,
    ]);
  });

  it('rejects a pool newer than the control plane, and one more than three minors behind, naming the pool and both versions', () => {
    const config = prodConfig();
    config[`${NS}:cluster`].nodePools[0].version = '1.35';
    config[`${NS}:cluster`].nodePools[1].version = '1.30';
    assert.deepEqual(problems(config), [
      `${NS}:cluster.nodePools[0].version: pool 'general' at 1.35 is newer than the control plane (1.34); upgrade the control plane first`,
      `${NS}:cluster.nodePools[1].version: pool 'spot' at 1.30 is 4 minor versions behind the control plane (1.34); nodes may be at most 3 behind`,
    ]);
    config[`${NS}:cluster`].nodePools[0].version = '1.31';
    config[`${NS}:cluster`].nodePools[1].version = '1.34';
    assert.deepEqual(accepted(config).cluster.nodePools.map((pool) => pool.version), ['1.31', '1.34']);
  });

  it('rejects a prod cluster whose endpoint is public only, or public to the whole internet', () => {
    const config = prodConfig();
    config[`${NS}:cluster`].endpoint = { private: false, public: true, publicCidrs: ['0.0.0.0/0'] };
    assert.deepEqual(problems(config), [
      `${NS}:cluster.endpoint.private: is false; prod clusters must have a private endpoint (the public one may stay, restricted to publicCidrs)`,
      `${NS}:cluster.endpoint.publicCidrs[0]: is '0.0.0.0/0'; a prod public endpoint must be restricted to known CIDRs (or set public: false)`,
    ]);
    config[`${NS}:cluster`].endpoint = { private: true, public: true, publicCidrs: ['203.0.113.0/24'] };
    assert.deepEqual(accepted(config).cluster.endpoint, { private: true, public: true, publicCidrs: ['203.0.113.0/24'], deployFrom: 'public-cidrs' });
  });

  it('requires a public endpoint to list its CIDRs, and 0.0.0.0/0 only when written out (outside prod)', () => {
    const config = prodConfig();
    config[`${NS}:tier`] = 'staging';
    config[`${NS}:cluster`].endpoint = { private: true, public: true };
    assert.deepEqual(problems(config, 'staging'), [
      `${NS}:cluster.endpoint.publicCidrs: is empty while public is true; list the CIDRs that may reach the public endpoint (the deployer's, the admins'), or write '0.0.0.0/0' to open it to the internet`,
    ]);
    config[`${NS}:cluster`].endpoint = { private: true, public: true, publicCidrs: ['0.0.0.0/0'] };
    assert.deepEqual(accepted(config, 'staging').cluster.endpoint, { private: true, public: true, publicCidrs: ['0.0.0.0/0'], deployFrom: 'public-cidrs' });
    config[`${NS}:cluster`].endpoint = { private: true, public: false, publicCidrs: ['203.0.113.0/24'], deployFrom: 'in-vpc' };
    assert.deepEqual(problems(config, 'staging'), [
      `${NS}:cluster.endpoint.publicCidrs: is ["203.0.113.0/24"] while public is false; the CIDRs would have no effect: set public: true or remove them`,
    ]);
  });

  it('rejects a private-only endpoint that does not say the deployer runs inside the VPC', () => {
    const config = prodConfig();
    config[`${NS}:cluster`].endpoint = { private: true, public: false };
    assert.deepEqual(problems(config), [
      `${NS}:cluster.endpoint.deployFrom: is 'public-cidrs' but the endpoint is private only, and \`pulumi up\` applies the Kubernetes layer (every object in direct mode, the Flux bootstrap in gitops mode) from wherever it runs; `
        + "set deployFrom: in-vpc if it runs inside the VPC (a runner in the VPC, a VPN or peering), or public: true with publicCidrs listing the deployer's addresses",
    ]);
  });

  it('rejects pools whose min, desired and max disagree with an absent autoscaler', () => {
    const config = prodConfig();
    config[`${NS}:cluster`].addons.autoscaler = 'none';
    assert.deepEqual(problems(config), [
      `${NS}:cluster.nodePools[0]: pool 'general' has min 4, desired 4, max 9, but addons.autoscaler is 'none', so nothing grows or shrinks it; set min = desired = max (the pool's fixed size), or addons.autoscaler: cluster-autoscaler`,
      `${NS}:cluster.nodePools[1]: pool 'spot' has min 0, desired 0, max 6, but addons.autoscaler is 'none', so nothing grows or shrinks it; set min = desired = max (the pool's fixed size), or addons.autoscaler: cluster-autoscaler`,
    ]);
  });

  it('rejects a bad bucket name, hosted zone id and add-on version, naming each key', () => {
    const config = prodConfig();
    const cluster = config[`${NS}:cluster`];
    cluster.addons.velero = { bucket: 'Acme_Backups' };
    cluster.addons.externalDns = { hostedZoneId: 'example.com' };
    cluster.addons.versions = { 'coredns': 'v1.11', 'kube-dns': 'latest' };
    cluster.access = [{ principalArn: 'arn:aws:iam::123456789012:role/ops', policy: 'cluster-admin', namespaces: ['todo'] }];
    cluster.adminRoleArns = ['arn:aws:iam::123456789012:role/ops'];
    assert.deepEqual(problems(config), [
      `${NS}:cluster.addons.externalDns.hostedZoneId: got 'example.com'; expected a Route 53 hosted zone id such as 'Z0123456789ABCDEFGHIJ'`,
      `${NS}:cluster.addons.velero.bucket: got 'Acme_Backups'; expected an S3 bucket name: it may contain only lower-case letters, digits, '.' and '-'`,
      `${NS}:cluster.addons.versions.coredns: got 'v1.11'; expected 'latest' or an EKS add-on version such as 'v1.20.4-eksbuild.1'`,
      `${NS}:cluster.addons.versions["kube-dns"]: unknown key; expected one of vpc-cni, kube-proxy, coredns, aws-ebs-csi-driver, eks-pod-identity-agent`,
    ]);
  });

  it('rejects a pool whose max is below its zone count (each zone\'s node group needs max >= 1)', () => {
    const config = prodConfig();
    config[`${NS}:cluster`].nodePools.push({ name: 'gpu', instanceTypes: ['g5.xlarge'], min: 0, desired: 0, max: 2 });
    assert.deepEqual(problems(config), [
      `${NS}:cluster.nodePools[2].max: (2) is below the 3 zones of pool 'gpu'; each zone's node group needs a max of at least 1: raise max to 3, or list fewer zones in the pool's zones`,
    ]);
    config[`${NS}:cluster`].nodePools[2].zones = ['eu-west-1a', 'eu-west-1b'];
    const gpu = accepted(config).cluster.nodePools[2];
    assert.deepEqual([gpu?.name, gpu?.max, gpu?.zones], ['gpu', 2, ['eu-west-1a', 'eu-west-1b']]);
  });

  it('rejects principals whose access entries would get the same name, or the deployer\'s', () => {
    const config = prodConfig();
    const cluster = config[`${NS}:cluster`];
    cluster.adminRoleArns = ['arn:aws:iam::123456789012:role/ops', 'arn:aws:iam::123456789012:role/deployer'];
    cluster.access = [{ principalArn: 'arn:aws:iam::123456789012:user/ops', policy: 'view' }];
    assert.deepEqual(problems(config), [
      `${NS}:cluster.adminRoleArns[1]: 'arn:aws:iam::123456789012:role/deployer' gives the access entry name 'deployer', already that of the identity running \`pulumi up\`; rename one principal`,
      `${NS}:cluster.access[0].principalArn: 'arn:aws:iam::123456789012:user/ops' gives the access entry name 'ops', already that of 'arn:aws:iam::123456789012:role/ops'; rename one principal`,
    ]);
  });

  it('rejects a second entry for one principal, a namespaced cluster-admin, and a node group name prefix EKS would refuse', () => {
    const config = prodConfig();
    const cluster = config[`${NS}:cluster`];
    cluster.access = [{ principalArn: 'arn:aws:iam::123456789012:role/ops', policy: 'cluster-admin', namespaces: ['todo'] }];
    cluster.adminRoleArns = ['arn:aws:iam::123456789012:role/ops'];
    cluster.name = 'kit-production-europe-west';
    cluster.nodePools[1].name = 'spot-burst';
    assert.deepEqual(problems(config), [
      `${NS}:cluster.nodePools[1].name: 'spot-burst' makes the node group name prefix 'kit-production-europe-west-spot-burst-a-' 40 characters long; cluster name, pool name and zone letter together must leave it at most 37`,
      `${NS}:cluster.access[0].principalArn: duplicate principal 'arn:aws:iam::123456789012:role/ops' (also at index 0)`,
      `${NS}:cluster.access[0].namespaces: is ["todo"]; cluster-admin is cluster-wide: use policy admin for namespace administrators, or leave namespaces out`,
    ]);
  });

  it('holds prod to three zones and a NAT gateway per zone, which staging may skip', () => {
    const config = prodConfig();
    config[`${NS}:cluster`].zones = ['eu-west-1a', 'eu-west-1b'];
    config[`${NS}:cluster`].natGateways = 'single';
    assert.deepEqual(problems(config), [
      `${NS}:cluster.zones: has 2 zone(s); prod needs at least 3`,
      `${NS}:cluster.natGateways: is 'single'; prod needs a NAT gateway per zone so one zone's outage does not cut the others off`,
    ]);
    config[`${NS}:tier`] = 'staging';
    const staging = accepted(config);
    assert.deepEqual([staging.tier, staging.cluster.zones, staging.cluster.natGateways], ['staging', ['eu-west-1a', 'eu-west-1b'], 'single']);
  });

  it('rejects zones outside the region and pool zones outside the cluster', () => {
    const config = prodConfig();
    config[`${NS}:cluster`].zones[2] = 'us-east-1a';
    config[`${NS}:cluster`].nodePools[0].zones = ['eu-west-1d', 'eu-west-1a'];
    assert.deepEqual(problems(config), [
      `${NS}:cluster.nodePools[0].zones[0]: 'eu-west-1d' is not one of the cluster's zones (eu-west-1a, eu-west-1b, us-east-1a)`,
      `${NS}:cluster.zones[2]: 'us-east-1a' is not a zone of region 'eu-west-1'`,
    ]);
  });

  it('rejects unknown keys at every level, naming the keys that exist', () => {
    const config = prodConfig();
    config[`${NS}:replicas`] = '3';
    config[`${NS}:cluster`].nodePools[0].instanceType = 'm6i.large';
    const found = problems(config);
    assert.ok(found.includes(`${NS}:replicas: unknown key; expected one of cloud, tier, region, deploy, capacity, platform, apps, cluster`), found.join('\n'));
    assert.ok(found.some((p) => p.startsWith(`${NS}:cluster.nodePools[0].instanceType: unknown key; expected one of name, version, instanceTypes,`)), found.join('\n'));
  });

  it('rejects provider keys (a second source of truth for the region) and secret values', () => {
    const config = prodConfig();
    config['aws:region'] = 'us-east-1';
    config[`${NS}:region`] = { secure: 'v1:abc' };
    assert.deepEqual(problems(config), [
      `${NS}:region: is a secret value; environment settings are not secrets (reference a Kubernetes Secret by name instead)`,
      `aws:region: unknown key; the kit reads only ${NS}:<key> (providers are configured from ${NS}:region, so aws:/azure-native: keys would be a second source of truth)`,
    ]);
  });

  it('checks AKS specifics: a system pool, subnets inside the network, prod SLA and API server access', () => {
    const config = devConfig();
    config[`${NS}:tier`] = 'prod';
    config[`${NS}:cluster`].nodePools[0].mode = 'user';
    config[`${NS}:cluster`].subnetCidr = '10.99.0.0/20';
    assert.deepEqual(problems(config, 'dev'), [
      `${NS}:cluster.nodePools: has no pool with mode 'system'; AKS needs one for its own add-ons`,
      `${NS}:cluster.subnetCidr: '10.99.0.0/20' is not inside vnetCidr '10.20.0.0/16'`,
      `${NS}:cluster.apiServer: is public and unrestricted; prod needs private: true or authorizedIpRanges`,
      `${NS}:cluster.tier: is 'Free'; prod needs 'Standard' (the uptime SLA)`,
      `${NS}:cluster.zones: has 0 zone(s); prod needs at least 3`,
    ]);
  });

  it('checks the AKS add-ons: a storage account name Azure would refuse, a blob container name, a resource group, soft delete days', () => {
    const config = devConfig();
    config[`${NS}:cluster`].addons = {
      velero: { storageAccount: 'Kit_Backups', container: 'Velero', softDeleteDays: 0 },
      externalDns: { zone: 'dev.example.com', resourceGroup: 'rg-dns.' },
    };
    assert.deepEqual(problems(config, 'dev'), [
      `${NS}:cluster.addons.externalDns.resourceGroup: got 'rg-dns.'; expected a resource group name: it ends with '.', which a resource group name may not`,
      `${NS}:cluster.addons.velero.storageAccount: got 'Kit_Backups'; expected a storage account name: it has characters other than lower-case letters and digits, which a storage account name may not`,
      `${NS}:cluster.addons.velero.container: got 'Velero'; expected a blob container name: it is not lower-case letters, digits and single hyphens, starting and ending with a letter or digit`,
      `${NS}:cluster.addons.velero.softDeleteDays: got 0; expected 1 to 365 days`,
    ]);
    config[`${NS}:cluster`].addons = { velero: { storageAccount: 'kb' } };
    assert.deepEqual(problems(config, 'dev'), [
      `${NS}:cluster.addons.velero.storageAccount: got 'kb'; expected a storage account name: it is 2 characters long; a storage account name has 3 to 24`,
    ]);
  });

  it('refuses a deploy.url with credentials, naming the key and never showing them', () => {
    const config = prodConfig();
    config[`${NS}:deploy`].url = 'https://deploy:s3cr3t@github.com/acme/gitops.git';
    const found = problems(config);
    assert.deepEqual(found, [
      `${NS}:deploy.url: got 'https://***@github.com/acme/gitops.git'; expected the repository URL without credentials (the credentials are not shown), and deploy.secretName naming a Secret in flux-system that holds them (username and password, or identity and known_hosts for ssh)`,
    ]);
    assert.doesNotMatch(found.join('\n'), /s3cr3t/);
  });

  it('takes SOPS decryption with an age key Secret or a cloud KMS, and refuses an age key without its Secret or a KMS with one', () => {
    const config = prodConfig();
    config[`${NS}:deploy`].decryption = { provider: 'age', secretName: 'sops-age' };
    const deploy = accepted(config).deploy;
    assert.deepEqual(deploy.mode === 'gitops' && deploy.decryption, { provider: 'age', secretName: 'sops-age' });
    config[`${NS}:deploy`].decryption = { provider: 'kms' };
    assert.doesNotThrow(() => accepted(config));
    config[`${NS}:deploy`].decryption = { provider: 'age' };
    assert.deepEqual(problems(config), [`${NS}:deploy.decryption.secretName: is missing; expected the name of the Secret in flux-system that holds the age private key`]);
    config[`${NS}:deploy`].decryption = { provider: 'kms', secretName: 'sops-age' };
    assert.deepEqual(problems(config), [`${NS}:deploy.decryption.secretName: got 'sops-age'; expected no secretName with provider 'kms': kustomize-controller decrypts with its cloud identity`]);
    config[`${NS}:deploy`].decryption = { provider: 'pgp' };
    assert.deepEqual(problems(config), [`${NS}:deploy.decryption.provider: got 'pgp'; expected 'age' or 'kms'`]);
  });

  it('refuses the AKS Flux extension on EKS', () => {
    const config = prodConfig();
    config[`${NS}:deploy`].bootstrap = 'aks-extension';
    assert.deepEqual(problems(config), [
      `${NS}:deploy.bootstrap: is 'aks-extension' but cloud is 'aws'; the microsoft.flux cluster extension exists only on AKS (cloud 'azure'): expected 'flux-chart' (Flux from its Helm chart) on 'aws'`,
    ]);
  });

  it("validates the charts' own settings with the schema the charts pass in", () => {
    const config = prodConfig();
    config[`${NS}:apps`].namespace = 'Todo';
    config[`${NS}:apps`].todoapi.replicas = 0;
    assert.deepEqual(problems(config), [
      `${NS}:apps.namespace: got 'Todo'; expected a DNS-1123 label such as payments`,
      `${NS}:apps.todoapi.replicas: got 0; expected at least 1 replica`,
    ]);
  });

  it('names the file, and lists the environments that exist when one is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kit-env-'));
    writeFileSync(join(dir, 'Pulumi.qa.yaml'), stringify({ config: devConfig() }));
    assert.equal(loadEnvironment('qa', dir).name, 'qa');
    assert.throws(() => loadEnvironment('uat', dir), {
      message: `${join(dir, 'Pulumi.uat.yaml')}: 1 configuration problem:\n  (file): cannot read the stack file (ENOENT); environments here: qa`,
    });
    writeFileSync(join(dir, 'Pulumi.esc.yaml'), stringify({ environment: ['shared'], config: devConfig() }));
    assert.throws(() => loadEnvironment('esc', dir), /imports Pulumi ESC environments/);
  });
});
