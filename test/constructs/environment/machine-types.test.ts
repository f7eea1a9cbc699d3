/**
 * Machine types: the generated EC2 table (sizes, GPUs, architecture, the VPC CNI's max pods),
 * and shapes declared in the stack file under `cluster.machineTypes`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APPS_SCHEMA } from '../../../charts/environment.js';
import { EC2_INSTANCE_TYPES } from '../../../constructs/imports/ec2-instance-types.js';
import {
  EnvironmentConfigError,
  isArmInstanceType,
  machineSize,
  MACHINE_SIZES,
  parseEnvironment,
  readStackConfig,
  type Environment,
} from '../../../constructs/environment/index.js';

const NS = 'k8s-platform-kit';

/** The repository stack file `name` with `machineTypes` set on its cluster, parsed. */
function withDeclared(name: 'prod' | 'dev', machineTypes: unknown): Environment {
  const config = structuredClone(readStackConfig(`Pulumi.${name}.yaml`)) as Record<string, Record<string, unknown>>;
  config[`${NS}:cluster`]!.machineTypes = machineTypes;
  return parseEnvironment(name, config, { apps: APPS_SCHEMA, source: `Pulumi.${name}.yaml` });
}

/** The problems parsing `withDeclared` reports, as `key: message` lines. */
function problems(name: 'prod' | 'dev', machineTypes: unknown): string[] {
  try {
    withDeclared(name, machineTypes);
  } catch (error) {
    assert.ok(error instanceof EnvironmentConfigError, String(error));
    return error.message.split('\n').slice(1).map((line) => line.trim());
  }
  assert.fail('expected configuration problems');
}

describe('the EC2 instance-type table', () => {
  it('has the current general-purpose types: m7i.xlarge is 4 vCPU, 16 GiB, 58 pods without prefix delegation', () => {
    assert.deepEqual(machineSize('m7i.xlarge'), { cpu: 4, memoryGiB: 16, gpus: 0, arch: 'amd64', maxPods: 58 });
    assert.deepEqual(machineSize('m8g.2xlarge'), { cpu: 8, memoryGiB: 32, gpus: 0, arch: 'arm64', maxPods: 58 });
    assert.deepEqual(machineSize('t3.nano'), { cpu: 2, memoryGiB: 0.5, gpus: 0, arch: 'amd64', maxPods: 4 });
  });

  it('counts the NVIDIA GPUs of GPU types', () => {
    assert.equal(machineSize('g5.xlarge')?.gpus, 1);
    assert.equal(machineSize('g6e.12xlarge')?.gpus, 4);
    assert.equal(machineSize('p4d.24xlarge')?.gpus, 8);
    assert.equal(machineSize('p5.48xlarge')?.gpus, 8);
    assert.equal(machineSize('m7i.xlarge')?.gpus, 0);
  });

  it('marks Graviton types arm64, g5g (GPUs on Graviton) included, and the x86 GPU types amd64', () => {
    assert.deepEqual(['m7g.large', 'c8g.xlarge', 't4g.small', 'g5g.xlarge', 'r8g.large'].map((t) => machineSize(t)?.arch), ['arm64', 'arm64', 'arm64', 'arm64', 'arm64']);
    assert.deepEqual(['g5.xlarge', 'g6.xlarge', 'p5.48xlarge', 'm7i-flex.large', 'c7a.large'].map((t) => machineSize(t)?.arch), ['amd64', 'amd64', 'amd64', 'amd64', 'amd64']);
  });

  it('isArmInstanceType agrees with the table for every type, and knows a1', () => {
    const disagree = Object.entries(EC2_INSTANCE_TYPES).filter(([type, { arch }]) => isArmInstanceType(type) !== (arch === 'arm64')).map(([type]) => type);
    assert.deepEqual(disagree, []);
    assert.deepEqual(['a1.large', 'r6gd.large', 'c6gn.xlarge', 'g5.xlarge', 'g6.2xlarge', 'gr6.4xlarge'].map(isArmInstanceType), [true, true, true, false, false, false]);
  });

  it('covers the general-purpose, compute, memory, burstable and GPU families, a few hundred types', () => {
    const families = new Set(Object.keys(EC2_INSTANCE_TYPES).map((type) => type.split('.')[0]));
    for (const family of ['m5', 'm5a', 'm6i', 'm6a', 'm6g', 'm7i', 'm7a', 'm7g', 'm8g', 'c5', 'c6i', 'c7g', 'c8g', 'r5', 'r6i', 'r7g', 'r8g', 't3', 't3a', 't4g', 'g4dn', 'g5', 'g6', 'g6e', 'p4d', 'p5']) {
      assert.ok(families.has(family), `no ${family} types`);
    }
    const count = Object.keys(EC2_INSTANCE_TYPES).length;
    assert.ok(count > 300 && count < 700, `${count} types`);
  });

  it('keeps the Azure sizes, and knows no other type', () => {
    assert.deepEqual(MACHINE_SIZES.Standard_D4s_v5, { cpu: 4, memoryGiB: 16 });
    assert.equal(machineSize('x9z.large'), undefined);
    assert.equal(machineSize('constructor'), undefined);
  });
});

describe('declared machine types', () => {
  it('defaults: no GPUs, the architecture left to the type name', () => {
    const env = withDeclared('prod', { 'x9z.large': { cpu: 4, memoryGiB: 16, maxPods: 58 } });
    assert.deepEqual(env.cluster.machineTypes, { 'x9z.large': { cpu: 4, memoryGiB: 16, gpus: 0, maxPods: 58 } });
    assert.deepEqual(machineSize('x9z.large', env.cluster.machineTypes), { cpu: 4, memoryGiB: 16, gpus: 0, maxPods: 58 });
  });

  it('overrides: GPUs and the architecture', () => {
    const env = withDeclared('prod', { 'x9z.large': { cpu: 8, memoryGiB: 32, maxPods: 58, gpus: 1, arch: 'arm64' } });
    assert.deepEqual(env.cluster.machineTypes?.['x9z.large'], { cpu: 8, memoryGiB: 32, maxPods: 58, gpus: 1, arch: 'arm64' });
  });

  it('fails if a declared type is one the table knows', () => {
    assert.deepEqual(problems('prod', { 'm6i.xlarge': { cpu: 4, memoryGiB: 16, maxPods: 58 } }), [
      `${NS}:cluster.machineTypes["m6i.xlarge"]: already known (4 vCPU, 16 GiB); remove it`,
    ]);
  });

  it('fails if an AWS declaration has no maxPods', () => {
    assert.deepEqual(problems('prod', { 'x9z.large': { cpu: 4, memoryGiB: 16 } }), [
      `${NS}:cluster.machineTypes["x9z.large"].maxPods: is missing; expected the VPC CNI's max pods without prefix delegation, a whole number (eni-max-pods.txt: ENIs × (IPv4 addresses per ENI − 1) + 2)`,
    ]);
  });

  it('fails if a name is not an instance type, or the key is not a mapping', () => {
    assert.deepEqual(problems('prod', { Standard_X9: { cpu: 4, memoryGiB: 16, maxPods: 58 } }), [
      `${NS}:cluster.machineTypes.Standard_X9: got 'Standard_X9'; expected an EC2 instance type such as 'm7i.xlarge'`,
    ]);
    assert.deepEqual(problems('prod', ['x9z.large']), [
      `${NS}:cluster.machineTypes: got ["x9z.large"]; expected a mapping of machine type names to { cpu, memoryGiB, maxPods }`,
    ]);
  });

  it('Azure: maxPods is optional, arch is not a key, and a known size is an error', () => {
    assert.deepEqual(withDeclared('dev', { Standard_X9s_v9: { cpu: 2, memoryGiB: 8 } }).cluster.machineTypes, { Standard_X9s_v9: { cpu: 2, memoryGiB: 8, gpus: 0 } });
    assert.deepEqual(problems('dev', { Standard_X9s_v9: { cpu: 2, memoryGiB: 8, arch: 'arm64' } }), [
      `${NS}:cluster.machineTypes.Standard_X9s_v9.arch: unknown key; expected one of cpu, memoryGiB, gpus, maxPods`,
    ]);
    assert.deepEqual(problems('dev', { Standard_D2s_v5: { cpu: 2, memoryGiB: 8 } }), [
      `${NS}:cluster.machineTypes.Standard_D2s_v5: already known (2 vCPU, 8 GiB); remove it`,
    ]);
  });
});
