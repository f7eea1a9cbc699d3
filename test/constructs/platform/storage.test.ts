/**
 * DiskStorageClass per cloud and ExternalService for fixed addresses and DNS names:
 * defaults, overrides, validation spine, and errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { DiskStorageClass, ExternalService, validateManifests, type DiskStorageClassProps, type ExternalServiceProps, type ManifestObject } from '../../../constructs/index.js';

function synthClass(props: DiskStorageClassProps): ManifestObject[] {
  const chart = Testing.chart();
  new DiskStorageClass(chart, 'sc', props);
  return Testing.synth(chart) as ManifestObject[];
}

function synthService(props: ExternalServiceProps): ManifestObject[] {
  const chart = Testing.chart();
  new ExternalService(chart, 'ext', props);
  return Testing.synth(chart) as ManifestObject[];
}

async function assertValidObjects(objects: ManifestObject[]) {
  assert.deepEqual((await validateManifests(objects.map((object) => ({ object })))).errors, []);
}

describe('DiskStorageClass', () => {
  it('AWS: encrypted gp3 through the EBS CSI driver, WaitForFirstConsumer, Retain, expandable', async () => {
    const objects = synthClass({ name: 'gp3', cloud: 'aws', default: true });
    assert.deepEqual(objects, [{
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'gp3', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', encrypted: 'true' },
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    }]);
    await assertValidObjects(objects);
  });

  it('AWS overrides: IOPS, throughput, a KMS key, Delete for scratch data', () => {
    const [sc] = synthClass({ name: 'fast', cloud: 'aws', iops: 6000, throughputMiBps: 500, kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/abc', reclaimPolicy: 'Delete' }) as unknown as [{ parameters: unknown; reclaimPolicy: string }];
    assert.deepEqual(sc.parameters, { type: 'gp3', encrypted: 'true', iops: '6000', throughput: '500', kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/abc' });
    assert.equal(sc.reclaimPolicy, 'Delete');
  });

  it('Azure: a managed disk SKU through the Azure disk CSI driver', async () => {
    const objects = synthClass({ name: 'premium-zrs', cloud: 'azure', type: 'Premium_ZRS' });
    assert.deepEqual((objects[0] as unknown as { provisioner: string; parameters: unknown }).provisioner, 'disk.csi.azure.com');
    assert.deepEqual((objects[0] as unknown as { parameters: unknown }).parameters, { skuName: 'Premium_ZRS' });
    await assertValidObjects(objects);
  });

  it('rejects a type of the other cloud, IOPS below the gp3 baseline, throughput on io2', () => {
    assert.throws(() => synthClass({ name: 'x', cloud: 'azure', type: 'gp3' as never }), { message: "DiskStorageClass 'test/sc': type ('gp3') is not a azure disk type; expected one of StandardSSD_LRS, Premium_LRS, PremiumV2_LRS, StandardSSD_ZRS, Premium_ZRS" });
    assert.throws(() => synthClass({ name: 'x', cloud: 'aws', iops: 100 }), { message: "DiskStorageClass 'test/sc': iops (100) applies to gp3 and io2 volumes, as a whole number >= 3000" });
    assert.throws(() => synthClass({ name: 'x', cloud: 'aws', type: 'io2', throughputMiBps: 500 }), { message: "DiskStorageClass 'test/sc': throughputMiBps (500) applies to gp3 volumes, as a whole number >= 125" });
  });
});

describe('ExternalService', () => {
  it('a fixed address: a selector-less Service and an EndpointSlice tied to it', async () => {
    const objects = synthService({ name: 'legacy-db', namespace: 'fleetman', addresses: ['10.0.12.5'], ports: [{ port: 5432 }] });
    assert.deepEqual(objects, [
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'legacy-db', namespace: 'fleetman' }, spec: { ports: [{ port: 5432, protocol: 'TCP' }] } },
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'legacy-db-external', namespace: 'fleetman', labels: { 'kubernetes.io/service-name': 'legacy-db', 'endpointslice.kubernetes.io/managed-by': 'k8s-platform-kit' } },
        addressType: 'IPv4',
        endpoints: [{ addresses: ['10.0.12.5'], conditions: { ready: true } }],
        ports: [{ port: 5432, protocol: 'TCP' }],
      },
    ]);
    await assertValidObjects(objects);
  });

  it('a DNS name: an ExternalName Service', async () => {
    const objects = synthService({ name: 'queue', namespace: 'fleetman', externalName: 'mq.example.com' });
    assert.deepEqual(objects, [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'queue', namespace: 'fleetman' }, spec: { type: 'ExternalName', externalName: 'mq.example.com' } }]);
    await assertValidObjects(objects);
  });

  it('rejects an IP as a DNS name, a name as an IP, no ports, unnamed ports among several, a bad port', () => {
    const base = { name: 'ext', namespace: 'apps' };
    assert.throws(() => synthService({ ...base, externalName: '10.0.0.1' }), { message: "ExternalService 'test/ext': externalName ('10.0.0.1') is an IP address; expected a DNS name such as db.example.com (use addresses for an IP)" });
    assert.throws(() => synthService({ ...base, addresses: ['db.example.com'], ports: [{ port: 1 }] }), { message: "ExternalService 'test/ext': addresses[0] ('db.example.com') is not an IPv4 address; expected e.g. 10.0.12.5 (use externalName for a DNS name)" });
    assert.throws(() => synthService({ ...base, addresses: ['10.0.0.1'], ports: [] }), { message: "ExternalService 'test/ext': ports is empty; expected the port(s) the external endpoint listens on" });
    assert.throws(() => synthService({ ...base, addresses: ['10.0.0.1'], ports: [{ port: 80 }, { port: 443, name: 'https' }] }), { message: "ExternalService 'test/ext': ports[0].name is missing; expected a name on every port of a Service with several ports" });
    assert.throws(() => synthService({ ...base, addresses: ['10.0.0.1'], ports: [{ port: 70000 }] }), { message: "ExternalService 'test/ext': ports[0].port (70000) is not a port number; expected 1 to 65535" });
  });
});

describe('ExternalService conflicting props', () => {
  it('refuses addresses and externalName together instead of dropping one', () => {
    assert.throws(() => synthService({ name: 'db', namespace: 'shop', addresses: ['10.0.0.1'], externalName: 'db.example.com', ports: [{ port: 5432 }] } as never), {
      message: "ExternalService 'test/ext': addresses and externalName are both given; give addresses for fixed IPv4 addresses, or externalName for a DNS name, not both",
    });
  });
});
