/**
 * Storage building blocks: a StorageClass per cloud that waits for the first consumer
 * (so a volume is created in the zone its pod was scheduled to, not in a zone the pod can
 * never reach) and keeps data by default; and Services for things outside the cluster.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { isIPv4 } from 'node:net';
import { PORT_NUMBER_EXPECTED, dns1035LabelProblem, dns1123LabelProblem, dns1123SubdomainProblem, portNumberProblem } from '../core/names.js';
import { endpointAddressProblem } from '../core/addresses.js';
import { PropsValidator } from '../core/errors.js';

/** Disk kinds per cloud: EBS volume types, Azure disk SKUs. */
export const DISK_TYPES = {
  aws: ['gp3', 'io2', 'st1'],
  azure: ['StandardSSD_LRS', 'Premium_LRS', 'PremiumV2_LRS', 'StandardSSD_ZRS', 'Premium_ZRS'],
} as const;

/** Properties of {@link DiskStorageClass}. */
export type DiskStorageClassProps = {
  /** The StorageClass name (a DNS-1123 subdomain). */
  readonly name: string;
  /**
   * What happens to a volume when its claim is deleted. `Retain` by default: the data
   * outlives a deleted StatefulSet or namespace until someone removes it on purpose.
   */
  readonly reclaimPolicy?: 'Retain' | 'Delete';
  /** Marks it as the cluster's default StorageClass. */
  readonly default?: boolean;
} & (
  | { readonly cloud: 'aws'; readonly type?: (typeof DISK_TYPES)['aws'][number]; readonly iops?: number; readonly throughputMiBps?: number; readonly kmsKeyId?: string }
  | { readonly cloud: 'azure'; readonly type?: (typeof DISK_TYPES)['azure'][number] }
);

/** A StorageClass for the cloud's block-storage CSI driver: encrypted, expandable, WaitForFirstConsumer. */
export class DiskStorageClass extends Construct {
  /** The StorageClass's name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: DiskStorageClassProps) {
    super(scope, id);
    const v = new PropsValidator('DiskStorageClass', this);
    v.check('name', props.name, dns1123SubdomainProblem);
    const types: readonly string[] = DISK_TYPES[props.cloud];
    const type = props.type ?? types[0]!;
    if (!types.includes(type)) throw v.error({ field: 'type', value: type, problem: `is not a ${props.cloud} disk type`, expected: `one of ${types.join(', ')}` });

    let provisioner: string;
    let parameters: Record<string, string>;
    if (props.cloud === 'aws') {
      provisioner = 'ebs.csi.aws.com';
      parameters = { type, encrypted: 'true' };
      if (props.iops !== undefined) {
        if (type === 'st1' || !Number.isInteger(props.iops) || props.iops < 3000) throw v.error({ field: 'iops', value: props.iops, problem: 'applies to gp3 and io2 volumes, as a whole number >= 3000' });
        parameters.iops = String(props.iops);
      }
      if (props.throughputMiBps !== undefined) {
        if (type !== 'gp3' || !Number.isInteger(props.throughputMiBps) || props.throughputMiBps < 125) throw v.error({ field: 'throughputMiBps', value: props.throughputMiBps, problem: 'applies to gp3 volumes, as a whole number >= 125' });
        parameters.throughput = String(props.throughputMiBps);
      }
      if (props.kmsKeyId !== undefined) {
        if (props.kmsKeyId.trim() === '' || /\s/.test(props.kmsKeyId)) throw v.error({ field: 'kmsKeyId', value: props.kmsKeyId, problem: 'is not a KMS key id', expected: 'a key id, alias or ARN, e.g. arn:aws:kms:eu-west-1:111122223333:key/<id>' });
        parameters.kmsKeyId = props.kmsKeyId;
      }
    } else {
      // The AWS-only props, from a JavaScript caller: Azure disks would silently ignore them.
      const awsOnly = (['iops', 'throughputMiBps', 'kmsKeyId'] as const).find((field) => (props as Record<string, unknown>)[field] !== undefined);
      if (awsOnly) throw v.error({ field: awsOnly, value: (props as Record<string, unknown>)[awsOnly], problem: "applies to cloud 'aws' only: an Azure disk StorageClass would ignore it", expected: `no ${awsOnly} with cloud 'azure'` });
      provisioner = 'disk.csi.azure.com';
      parameters = { skuName: type };
    }
    this.name = props.name;
    new ApiObject(this, 'Resource', {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: {
        name: props.name,
        ...(props.default && { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }),
      },
      provisioner,
      parameters,
      reclaimPolicy: props.reclaimPolicy ?? 'Retain',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    });
  }
}

/** A port of an {@link ExternalService}. */
export interface ExternalPort {
  /** The port number, on the Service and on the external endpoint. */
  readonly port: number;
  /**
   * The port's name (a DNS-1123 label). Required when there is more than one port.
   * @default - unnamed
   */
  readonly name?: string;
  /**
   * The port's protocol.
   * @default 'TCP'
   */
  readonly protocol?: 'TCP' | 'UDP';
}

/** Properties of {@link ExternalService}: a fixed address, or a DNS name. */
export type ExternalServiceProps = {
  /** The Service name in-cluster clients use (a DNS-1035 label). */
  readonly name: string;
  readonly namespace: string;
} & (
  | { readonly addresses: readonly string[]; readonly ports: readonly ExternalPort[] }
  | { readonly externalName: string; readonly ports?: readonly ExternalPort[] }
);

/**
 * A Service for something outside the cluster: a selector-less Service with an
 * EndpointSlice for fixed IPv4 addresses, or an ExternalName Service (a DNS CNAME) for a
 * DNS name. Clients then use `<name>.<namespace>.svc` and the target can move without
 * changing them.
 */
export class ExternalService extends Construct {
  /** The Service's name. */
  public readonly name: string;
  /** The Service's namespace. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: ExternalServiceProps) {
    super(scope, id);
    const v = new PropsValidator('ExternalService', this);
    v.check('name', props.name, dns1035LabelProblem);
    v.check('namespace', props.namespace, dns1123LabelProblem);
    const ports = props.ports ?? [];
    ports.forEach((p, i) => {
      v.check(`ports[${i}].port`, p.port, portNumberProblem, PORT_NUMBER_EXPECTED);
      if (p.name !== undefined) v.check(`ports[${i}].name`, p.name, dns1123LabelProblem);
      if (ports.length > 1 && p.name === undefined) throw v.error({ field: `ports[${i}].name`, problem: 'is missing', expected: 'a name on every port of a Service with several ports' });
      const earlier = ports.slice(0, i);
      if (earlier.some((q) => q.port === p.port && (q.protocol ?? 'TCP') === (p.protocol ?? 'TCP'))) {
        throw v.error({ field: `ports[${i}].port`, value: p.port, problem: `declares ${p.port}/${p.protocol ?? 'TCP'} twice`, expected: 'each port and protocol once' });
      }
      if (p.name !== undefined && earlier.some((q) => q.name === p.name)) {
        throw v.error({ field: `ports[${i}].name`, value: p.name, problem: 'is the name of another port too', expected: 'each port name to be unique' });
      }
    });
    this.name = props.name;
    this.namespace = props.namespace;
    const servicePorts = ports.map((p) => ({ ...(p.name !== undefined && { name: p.name }), port: p.port, protocol: p.protocol ?? 'TCP' }));

    if ('externalName' in props && 'addresses' in props) {
      // Both would be honoured by neither: an ExternalName Service has no endpoints, a selector-less one no CNAME.
      throw v.conflict('addresses and externalName are both given; give addresses for fixed IPv4 addresses, or externalName for a DNS name, not both');
    }
    if ('externalName' in props) {
      const problem = dns1123SubdomainProblem(props.externalName) ?? (props.externalName.includes('.') ? undefined : 'is not a fully qualified name');
      if (problem || isIPv4(props.externalName)) throw v.error({ field: 'externalName', value: props.externalName, problem: problem ?? 'is an IP address', expected: 'a DNS name such as db.example.com (use addresses for an IP)' });
      new ApiObject(this, 'Resource', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: props.name, namespace: props.namespace },
        spec: { type: 'ExternalName', externalName: props.externalName, ...(servicePorts.length > 0 && { ports: servicePorts }) },
      });
      return;
    }
    if (props.addresses.length === 0) throw v.error({ field: 'addresses', problem: 'is empty', expected: 'at least one IPv4 address' });
    props.addresses.forEach((address, i) => {
      const problem = endpointAddressProblem(address);
      if (problem) throw v.error({ field: `addresses[${i}]`, value: address, problem, expected: 'e.g. 10.0.12.5 (use externalName for a DNS name)' });
    });
    if (ports.length === 0) throw v.error({ field: 'ports', problem: 'is empty', expected: 'the port(s) the external endpoint listens on' });
    new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: props.name, namespace: props.namespace },
      spec: { ports: servicePorts },
    });
    new ApiObject(this, 'Endpoints', {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: `${props.name}-external`,
        namespace: props.namespace,
        labels: { 'kubernetes.io/service-name': props.name, 'endpointslice.kubernetes.io/managed-by': 'k8s-platform-kit' },
      },
      addressType: 'IPv4',
      endpoints: props.addresses.map((address) => ({ addresses: [address], conditions: { ready: true } })),
      ports: servicePorts,
    });
  }
}
