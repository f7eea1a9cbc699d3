/**
 * The EKS controllers (AwsLoadBalancerController, ClusterAutoscaler, ExternalDns, Velero,
 * NvidiaDevicePlugin): each renders its namespace and a HelmRelease of the pinned chart with
 * the capability it provides, the pods it runs, values the chart has, and the ServiceAccount
 * name the EKS stack binds its IAM role to; bad input fails with the exact message.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import type { Construct } from 'constructs';
import {
  AWS_CONTROLLER_DEFAULTS, AWS_CONTROLLER_IMAGES, AWS_CONTROLLER_REQUESTS, AWS_CONTROLLER_RESOURCES, AwsLoadBalancerController, ClusterAutoscaler, ExternalDns, NvidiaDevicePlugin, Velero, VeleroLocations,
  awsRegionProblem, eksClusterNameProblem, route53ZoneIdProblem, s3BucketNameProblem,
  type AwsLoadBalancerControllerProps, type ClusterAutoscalerProps, type ExternalDnsProps, type NvidiaDevicePluginProps, type VeleroProps,
} from '../../../constructs/platform/aws-controllers.js';
import { HelmChart, unknownValueKeys, type HelmValues } from '../../../constructs/platform/helm-release.js';
import { RESTRICTED_POD_SECURITY_LABELS } from '../../../constructs/platform/app-namespace.js';
import { validateManifests } from '../../../constructs/policy/validate.js';
import type { ManifestObject } from '../../../constructs/policy/finding.js';
import type { ClusterCapabilities } from '../../../constructs/policy/capabilities.js';
import { helmReleasesOf } from '../../../stacks/_flux-releases.js';

interface Rendered {
  readonly objects: ManifestObject[];
  readonly namespace: ManifestObject;
  readonly repository: ManifestObject;
  readonly release: ManifestObject & { spec: { chart: { spec: { chart: string; version: string } }; values: Record<string, any> } }; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly annotations: Record<string, string>;
  readonly values: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function render(build: (scope: Construct) => void): Rendered {
  const chart = Testing.chart();
  build(chart);
  const objects = Testing.synth(chart) as ManifestObject[];
  const find = (kind: string) => {
    const found = objects.filter((o) => o.kind === kind);
    assert.equal(found.length, 1, `one ${kind}`);
    return found[0] as ManifestObject;
  };
  const release = find('HelmRelease') as Rendered['release'];
  return {
    objects, namespace: find('Namespace'), repository: find('HelmRepository'), release,
    annotations: (release.metadata?.annotations ?? {}) as Record<string, string>,
    values: release.spec.values,
  };
}

/** A cluster that runs Velero (and nothing else the locations could need). */
const WITH_VELERO: ClusterCapabilities = { name: 'cluster test', provided: [{ capability: 'velero', source: 'test' }], howToProvide: {} };

/** A chart holding the locations of `velero`. */
class VeleroLocationsChart extends Chart {
  constructor(scope: Construct, velero: Velero) {
    super(scope, 'backup-locations');
    new VeleroLocations(this, 'Locations', { velero });
  }
}

const workloadsOf = (r: Rendered) => JSON.parse(r.annotations['k8s-platform-kit.dev/workloads'] ?? 'null') as unknown;

/** The pinned chart, the provides annotation, values the chart has, the namespace, the spine and the Pulumi path. */
async function assertRelease(r: Rendered, chart: HelmChart, provides: string, namespace: string) {
  assert.deepEqual(r.release.spec.chart.spec.chart, chart.name);
  assert.equal(r.release.spec.chart.spec.version, chart.version);
  assert.equal((r.repository as { spec?: { url?: string } }).spec?.url, chart.repository);
  assert.equal(r.annotations['k8s-platform-kit.dev/provides'], provides);
  assert.deepEqual(unknownValueKeys(chart, r.values as HelmValues), []);
  assert.equal(r.namespace.metadata?.name, namespace);
  assert.equal(r.release.metadata?.namespace, namespace);
  assert.deepEqual((await validateManifests(r.objects.map((object) => ({ object })))).errors, []);
  const { releases, rest } = helmReleasesOf(r.objects);
  assert.deepEqual(releases.map((x) => [x.chart, x.version, x.namespace]), [[chart.name, chart.version, namespace]]);
  assert.deepEqual(rest.map((o) => o.kind), ['Namespace']);
}

function throwsExactly(build: (scope: Construct) => void, message: string) {
  assert.throws(() => build(Testing.chart()), { message });
}

const RESTRICTED = { ...RESTRICTED_POD_SECURITY_LABELS };
const RESTRICTED_CONTAINER = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };

// --------------------------------------------------------------------------- pure checks ---

describe('AWS name checks', () => {
  it('awsRegionProblem', () => {
    for (const region of ['eu-west-1', 'us-east-2', 'us-gov-west-1', 'ap-southeast-4']) assert.equal(awsRegionProblem(region), undefined, region);
    for (const region of ['eu-west', 'EU-WEST-1', 'euw1', '']) assert.equal(awsRegionProblem(region), "is not an AWS region; expected e.g. 'eu-west-1'", region);
  });

  it('eksClusterNameProblem', () => {
    for (const name of ['prod', 'Prod_2', 'a']) assert.equal(eksClusterNameProblem(name), undefined, name);
    assert.equal(eksClusterNameProblem(''), "is empty; expected the EKS cluster's name");
    for (const name of ['-prod', 'prod.eu', 'x'.repeat(101)]) {
      assert.equal(eksClusterNameProblem(name), "is not an EKS cluster name; expected letters, digits, '-' and '_', starting with a letter or digit, at most 100 characters", name);
    }
  });

  it('s3BucketNameProblem: the general purpose bucket naming rules', () => {
    for (const name of ['abc', 'prod-backups', 'my.bucket.1', 'a'.repeat(63)]) assert.equal(s3BucketNameProblem(name), undefined, name);
    const cases: [string, string][] = [
      ['ab', 'must be 3 to 63 characters long (got 2)'],
      ['a'.repeat(64), 'must be 3 to 63 characters long (got 64)'],
      ['My_Bucket', "may contain only lower-case letters, digits, '.' and '-'"],
      ['-bucket', 'must begin and end with a lower-case letter or a digit'],
      ['bucket.', 'must begin and end with a lower-case letter or a digit'],
      ['my..bucket', 'must not contain two adjacent periods'],
      ['192.168.5.4', 'must not be formatted as an IP address'],
      ['xn--bucket', "must not start with the reserved prefix 'xn--'"],
      ['sthree-bucket', "must not start with the reserved prefix 'sthree-'"],
      ['amzn-s3-demo-bucket', "must not start with the reserved prefix 'amzn-s3-demo-'"],
      ['bucket-s3alias', "must not end with the reserved suffix '-s3alias'"],
      ['bucket--ol-s3', "must not end with the reserved suffix '--ol-s3'"],
      ['bucket.mrap', "must not end with the reserved suffix '.mrap'"],
      ['bucket--x-s3', "must not end with the reserved suffix '--x-s3'"],
    ];
    for (const [name, problem] of cases) assert.equal(s3BucketNameProblem(name), problem, name);
  });

  it('route53ZoneIdProblem', () => {
    for (const id of ['Z0123456789ABC', 'Z1D633PJN98FT9']) assert.equal(route53ZoneIdProblem(id), undefined, id);
    for (const id of ['/hostedzone/Z0123456789ABC', 'z0123', 'Z', 'A0123456789', `Z${'A'.repeat(32)}`]) {
      assert.match(route53ZoneIdProblem(id) ?? '', /^is not a Route 53 hosted zone id;/, id);
    }
  });
});

// ------------------------------------------------------------ AWS Load Balancer Controller ---

describe('AwsLoadBalancerController', () => {
  const props: AwsLoadBalancerControllerProps = { clusterName: 'prod', region: 'eu-west-1', vpcTags: { Name: 'prod' } };
  const build = (over: Partial<AwsLoadBalancerControllerProps> = {}) => (scope: Construct) => new AwsLoadBalancerController(scope, 'alb', { ...props, ...over });

  it('defaults: pinned chart 3.5.0, region and VPC tags given, two replicas with a budget, no Service mutator webhook', async () => {
    const r = render(build());
    await assertRelease(r, HelmChart.AWS_LOAD_BALANCER_CONTROLLER, 'aws-load-balancer-controller', 'aws-load-balancer-controller');
    assert.deepEqual(r.namespace.metadata?.labels, RESTRICTED);
    assert.deepEqual(r.values, {
      clusterName: 'prod',
      region: 'eu-west-1',
      vpcTags: { Name: 'prod' },
      replicaCount: 2,
      image: { repository: 'public.ecr.aws/eks/aws-load-balancer-controller', tag: 'v3.5.0' },
      serviceAccount: { create: true, name: 'aws-load-balancer-controller' },
      podDisruptionBudget: { maxUnavailable: 1 },
      enableServiceMutatorWebhook: false,
      keepTLSSecret: true,
      securityContext: { readOnlyRootFilesystem: true, runAsNonRoot: true, ...RESTRICTED_CONTAINER, seccompProfile: { type: 'RuntimeDefault' } },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } },
    });
    assert.equal(r.values.serviceAccount.name, AwsLoadBalancerController.IDENTITY.serviceAccount);
    assert.deepEqual(AwsLoadBalancerController.IDENTITY, { namespace: 'aws-load-balancer-controller', serviceAccount: 'aws-load-balancer-controller' });
    assert.deepEqual(workloadsOf(r), [{ name: 'aws-load-balancer-controller', kind: 'Deployment', replicas: 2, requests: { cpu: '100m', memory: '128Mi' } }]);
  });

  it('one replica: no budget (the chart would not render one anyway)', () => {
    const r = render(build({ replicas: 1 }));
    assert.equal(r.values.replicaCount, 1);
    assert.equal(r.values.podDisruptionBudget, undefined);
    assert.deepEqual(workloadsOf(r), [{ name: 'aws-load-balancer-controller', kind: 'Deployment', replicas: 1, requests: { cpu: '100m', memory: '128Mi' } }]);
  });

  it('resources: set in the values and declared for each pod; a CPU limit is passed when given', () => {
    const r = render(build({ resources: { cpu: { request: '200m', limit: '1' }, memory: { request: '256Mi', limit: '512Mi' } } }));
    assert.deepEqual(r.values.resources, { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } });
    assert.deepEqual(workloadsOf(r), [{ name: 'aws-load-balancer-controller', kind: 'Deployment', replicas: 2, requests: { cpu: '200m', memory: '256Mi' } }]);
  });

  it('several VPC tags are all passed (AND filters)', () => {
    assert.deepEqual(render(build({ vpcTags: { Name: 'prod', env: 'production' } })).values.vpcTags, { Name: 'prod', env: 'production' });
  });

  const errors: [string, Partial<AwsLoadBalancerControllerProps>, string][] = [
    ['an empty cluster name', { clusterName: '' }, "clusterName ('') is empty; expected the EKS cluster's name"],
    ['an invalid region', { region: 'eu-west' }, "region ('eu-west') is not an AWS region; expected e.g. 'eu-west-1'"],
    ['no VPC tags', { vpcTags: {} }, "vpcTags is empty; expected the VPC's tags, e.g. { Name: 'my-cluster' }: the controller finds its VPC by them, as pods cannot read instance metadata"],
    ['a VPC tag value with a comma', { vpcTags: { Name: 'a,b' } }, "vpcTags['Name'] ('a,b') is not a tag value the controller can be given; expected a string without ','"],
    ['a VPC tag name with an equals sign', { vpcTags: { 'a=b': 'c' } }, "vpcTags key 'a=b' is not a tag name the controller can be given; expected a non-empty name without ',' or '='"],
    ['zero replicas', { replicas: 0 }, 'replicas (0) must be a whole number >= 1'],
    ['a memory limit below the request', { resources: { cpu: { request: '100m' }, memory: { request: '256Mi', limit: '128Mi' } } },
      'resources.memory.limit (128Mi) is below resources.memory.request (256Mi)'],
    ['a request that is not a quantity', { resources: { cpu: { request: '100mc' }, memory: { request: '128Mi', limit: '128Mi' } } },
      "resources.cpu.request ('100mc') is not a positive Kubernetes quantity; expected e.g. 100m or 256Mi"],
  ];
  for (const [what, over, message] of errors) {
    it(`throws on ${what}`, () => throwsExactly(build(over), `AwsLoadBalancerController 'test/alb': ${message}`));
  }
});

// ------------------------------------------------------------------------ Cluster Autoscaler ---

describe('ClusterAutoscaler', () => {
  const props: ClusterAutoscalerProps = { clusterName: 'prod', region: 'eu-west-1' };
  const build = (over: Partial<ClusterAutoscalerProps> = {}) => (scope: Construct) => new ClusterAutoscaler(scope, 'ca', { ...props, ...over });

  it('defaults: ASG auto-discovery by the managed node groups\' tags, least-waste, balanced groups, image v1.35.0', async () => {
    const r = render(build());
    await assertRelease(r, HelmChart.CLUSTER_AUTOSCALER, 'node-autoscaler', 'cluster-autoscaler');
    assert.deepEqual(r.namespace.metadata?.labels, RESTRICTED);
    assert.deepEqual(r.values, {
      cloudProvider: 'aws',
      awsRegion: 'eu-west-1',
      autoDiscovery: { clusterName: 'prod', tags: ['k8s.io/cluster-autoscaler/enabled', 'k8s.io/cluster-autoscaler/prod'] },
      fullnameOverride: 'cluster-autoscaler',
      image: { repository: 'registry.k8s.io/autoscaling/cluster-autoscaler', tag: 'v1.35.0' },
      replicaCount: 1,
      rbac: { serviceAccount: { create: true, name: 'cluster-autoscaler' } },
      extraArgs: { 'balance-similar-node-groups': true, expander: 'least-waste', 'skip-nodes-with-local-storage': false },
      securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
      containerSecurityContext: { ...RESTRICTED_CONTAINER, readOnlyRootFilesystem: true },
      resources: { requests: { cpu: '100m', memory: '300Mi' }, limits: { memory: '300Mi' } },
    });
    assert.equal(r.values.rbac.serviceAccount.name, ClusterAutoscaler.IDENTITY.serviceAccount);
    assert.deepEqual(ClusterAutoscaler.IDENTITY, { namespace: 'cluster-autoscaler', serviceAccount: 'cluster-autoscaler' });
    assert.deepEqual(workloadsOf(r), [{ name: 'cluster-autoscaler', kind: 'Deployment', replicas: 1, requests: { cpu: '100m', memory: '300Mi' } }]);
  });

  it('replicas', () => {
    const r = render(build({ replicas: 2 }));
    assert.equal(r.values.replicaCount, 2);
    assert.deepEqual(workloadsOf(r), [{ name: 'cluster-autoscaler', kind: 'Deployment', replicas: 2, requests: { cpu: '100m', memory: '300Mi' } }]);
  });

  it('resources: set in the values and declared', () => {
    const r = render(build({ resources: { cpu: { request: '250m' }, memory: { request: '600Mi', limit: '1Gi' } } }));
    assert.deepEqual(r.values.resources, { requests: { cpu: '250m', memory: '600Mi' }, limits: { memory: '1Gi' } });
    assert.deepEqual(workloadsOf(r), [{ name: 'cluster-autoscaler', kind: 'Deployment', replicas: 1, requests: { cpu: '250m', memory: '600Mi' } }]);
  });

  const errors: [string, Partial<ClusterAutoscalerProps>, string][] = [
    ['an empty cluster name', { clusterName: '' }, "clusterName ('') is empty; expected the EKS cluster's name"],
    ['a cluster name EKS would refuse', { clusterName: 'prod.eu' }, "clusterName ('prod.eu') is not an EKS cluster name; expected letters, digits, '-' and '_', starting with a letter or digit, at most 100 characters"],
    ['an invalid region', { region: 'Frankfurt' }, "region ('Frankfurt') is not an AWS region; expected e.g. 'eu-west-1'"],
    ['replicas that are not a whole number', { replicas: 1.5 }, 'replicas (1.5) must be a whole number >= 1'],
    ['no memory limit', { resources: { cpu: { request: '100m' }, memory: { request: '300Mi' } } as never },
      'resources.memory.limit is missing; expected a Kubernetes quantity such as 100m or 256Mi'],
  ];
  for (const [what, over, message] of errors) {
    it(`throws on ${what}`, () => throwsExactly(build(over), `ClusterAutoscaler 'test/ca': ${message}`));
  }
});

// ------------------------------------------------------------------------------ external-dns ---

describe('ExternalDns', () => {
  const props: ExternalDnsProps = { domainFilters: ['example.com'], hostedZoneId: 'Z0123456789ABC', txtOwnerId: 'prod', region: 'eu-west-1' };
  const build = (over: Partial<ExternalDnsProps> = {}) => (scope: Construct) => new ExternalDns(scope, 'dns', { ...props, ...over });

  it('defaults: Route 53 in one zone, HTTPRoutes as the source, sync with TXT ownership', async () => {
    const r = render(build());
    await assertRelease(r, HelmChart.EXTERNAL_DNS, 'dns-automation', 'external-dns');
    assert.deepEqual(r.namespace.metadata?.labels, RESTRICTED);
    assert.deepEqual(r.values, {
      fullnameOverride: 'external-dns',
      image: { repository: 'registry.k8s.io/external-dns/external-dns', tag: 'v0.21.0' },
      serviceAccount: { create: true, name: 'external-dns' },
      provider: { name: 'aws' },
      env: [{ name: 'AWS_DEFAULT_REGION', value: 'eu-west-1' }],
      sources: ['gateway-httproute'],
      policy: 'sync',
      registry: 'txt',
      txtOwnerId: 'prod',
      domainFilters: ['example.com'],
      extraArgs: { 'zone-id-filter': 'Z0123456789ABC' },
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
    });
    assert.equal(r.values.serviceAccount.name, ExternalDns.IDENTITY.serviceAccount);
    assert.deepEqual(ExternalDns.IDENTITY, { namespace: 'external-dns', serviceAccount: 'external-dns' });
    assert.deepEqual(workloadsOf(r), [{ name: 'external-dns', kind: 'Deployment', replicas: 1, requests: { cpu: '50m', memory: '64Mi' } }]);
    assert.deepEqual(AWS_CONTROLLER_DEFAULTS.externalDnsSources, ['gateway-httproute']);
  });

  it('overrides: sources, policy and several zones', () => {
    const r = render(build({ sources: ['gateway-httproute', 'gateway-grpcroute', 'service'], policy: 'upsert-only', domainFilters: ['example.com', 'example.org'] }));
    assert.deepEqual([r.values.sources, r.values.policy, r.values.domainFilters], [['gateway-httproute', 'gateway-grpcroute', 'service'], 'upsert-only', ['example.com', 'example.org']]);
  });

  it('resources: set in the values and declared', () => {
    const r = render(build({ resources: { cpu: { request: '20m' }, memory: { request: '96Mi', limit: '192Mi' } } }));
    assert.deepEqual(r.values.resources, { requests: { cpu: '20m', memory: '96Mi' }, limits: { memory: '192Mi' } });
    assert.deepEqual(workloadsOf(r), [{ name: 'external-dns', kind: 'Deployment', replicas: 1, requests: { cpu: '20m', memory: '96Mi' } }]);
  });

  const errors: [string, Partial<ExternalDnsProps>, string][] = [
    ['an empty domain list', { domainFilters: [] }, "domainFilters ([]) is empty; expected the DNS names of the hosts' zones, e.g. ['example.com']"],
    ['a domain that is not a DNS name', { domainFilters: ['Example.com'] }, "domainFilters[0] ('Example.com') must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character; expected a DNS zone name such as 'example.com'"],
    ['a domain that is an IP address', { domainFilters: ['203.0.113.10'] }, "domainFilters[0] ('203.0.113.10') is an IP address, not a DNS zone; expected a DNS zone name such as 'example.com'"],
    ['a hosted zone id with the /hostedzone/ prefix', { hostedZoneId: '/hostedzone/Z0123456789ABC' },
      "hostedZoneId ('/hostedzone/Z0123456789ABC') is not a Route 53 hosted zone id; expected 'Z' followed by upper-case letters and digits, e.g. 'Z0123456789ABCDEFGHIJ', without the '/hostedzone/' prefix"],
    ['a hosted zone id in lower case', { hostedZoneId: 'z0123456789abc' },
      "hostedZoneId ('z0123456789abc') is not a Route 53 hosted zone id; expected 'Z' followed by upper-case letters and digits, e.g. 'Z0123456789ABCDEFGHIJ', without the '/hostedzone/' prefix"],
    ['an empty owner id', { txtOwnerId: '' }, "txtOwnerId ('') is not an owner id; expected letters, digits, '.', '_' and '-', e.g. the cluster's name"],
    ['an invalid region', { region: 'global' }, "region ('global') is not an AWS region; expected e.g. 'eu-west-1'"],
    ['no sources', { sources: [] }, "sources is empty; expected e.g. ['gateway-httproute']"],
    ['a source name ExternalDNS does not have', { sources: ['httproute' as never] },
      "sources ('httproute') is not an ExternalDNS 0.21 source; expected one of: service, ingress, node, pod, crd, gateway-httproute, gateway-grpcroute, gateway-tlsroute, gateway-tcproute, gateway-udproute, istio-gateway, istio-virtualservice, ambassador-host, contour-httpproxy, gloo-proxy, traefik-proxy, openshift-route, skipper-routegroup, kong-tcpingress, f5-virtualserver, f5-transportserver"],
    ['an unknown policy', { policy: 'delete' as never }, "policy ('delete') is not 'sync', 'upsert-only' or 'create-only'"],
    ['a zero memory request', { resources: { cpu: { request: '50m' }, memory: { request: '0', limit: '128Mi' } } },
      "resources.memory.request ('0') is not a positive Kubernetes quantity; expected e.g. 100m or 256Mi"],
  ];
  for (const [what, over, message] of errors) {
    it(`throws on ${what}`, () => throwsExactly(build(over), `ExternalDns 'test/dns': ${message}`));
  }
});

// ------------------------------------------------------------------------------------ Velero ---

describe('Velero', () => {
  const props: VeleroProps = { bucket: 'prod-backups', region: 'eu-west-1' };
  const build = (over: Partial<VeleroProps> = {}) => (scope: Construct) => new Velero(scope, 'velero', { ...props, ...over });

  it('defaults: the AWS plugin, Pod Identity credentials, a default location on the bucket, EBS snapshots, no node agent', async () => {
    const r = render(build());
    await assertRelease(r, HelmChart.VELERO, 'velero', 'velero');
    assert.deepEqual(r.namespace.metadata?.labels, RESTRICTED);
    assert.deepEqual(r.values, {
      image: { repository: 'docker.io/velero/velero', tag: 'v1.18.1' },
      initContainers: [{
        name: 'velero-plugin-for-aws',
        image: 'docker.io/velero/velero-plugin-for-aws:v1.14.2',
        imagePullPolicy: 'IfNotPresent',
        volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
        securityContext: { ...RESTRICTED_CONTAINER, readOnlyRootFilesystem: true, runAsNonRoot: true },
        resources: { requests: { cpu: '500m', memory: '128Mi' }, limits: { memory: '512Mi' } },
      }],
      serviceAccount: { server: { create: true, name: 'velero-server' } },
      credentials: { useSecret: false },
      configuration: { backupStorageLocation: [], volumeSnapshotLocation: [] },
      snapshotsEnabled: true,
      deployNodeAgent: false,
      upgradeCRDs: false,
      podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containerSecurityContext: { ...RESTRICTED_CONTAINER, runAsUser: 1002, runAsGroup: 1000 },
      resources: { requests: { cpu: '500m', memory: '128Mi' }, limits: { memory: '512Mi' } },
    });
    assert.equal(r.values.serviceAccount.server.name, Velero.IDENTITY.serviceAccount);
    assert.deepEqual(Velero.IDENTITY, { namespace: 'velero', serviceAccount: 'velero-server' });
    assert.deepEqual(workloadsOf(r), [{ name: 'velero', kind: 'Deployment', replicas: 1, requests: { cpu: '500m', memory: '128Mi' } }]);
  });

  /** The locations of a Velero release, rendered in a chart of their own as buildApp places them. */
  function locations(over: Partial<VeleroProps> = {}): ManifestObject[] {
    const app = Testing.app();
    const velero = new Velero(new Chart(app, 'addons'), 'velero', { ...props, ...over });
    return Testing.synth(new VeleroLocationsChart(app, velero)) as ManifestObject[];
  }

  it('locations: the default BackupStorageLocation on the bucket and an EBS VolumeSnapshotLocation, valid against the pinned CRDs, needing velero', async () => {
    const objects = locations();
    assert.deepEqual(objects, [
      {
        apiVersion: 'velero.io/v1', kind: 'BackupStorageLocation', metadata: { name: 'default', namespace: 'velero' },
        spec: { provider: 'aws', default: true, objectStorage: { bucket: 'prod-backups' }, config: { region: 'eu-west-1' } },
      },
      {
        apiVersion: 'velero.io/v1', kind: 'VolumeSnapshotLocation', metadata: { name: 'default', namespace: 'velero' },
        spec: { provider: 'aws', config: { region: 'eu-west-1' } },
      },
    ]);
    assert.equal(Velero.LOCATION, 'default');
    const valid = await validateManifests(objects.map((object) => ({ object })), { cluster: WITH_VELERO });
    assert.deepEqual(valid.errors, []);
    const unmet = await validateManifests(objects.map((object) => ({ object })), { cluster: { ...WITH_VELERO, provided: [] } });
    assert.deepEqual(unmet.errors.map((f) => [f.ruleId, f.object]), [
      ['cluster-capability', 'BackupStorageLocation/velero/default'],
      ['cluster-capability', 'VolumeSnapshotLocation/velero/default'],
    ]);
  });

  it('locations are checked against the pinned CRD schema: a location without objectStorage is an error', async () => {
    const [location] = locations();
    const spec = { ...(location as unknown as { spec: Record<string, unknown> }).spec };
    delete spec.objectStorage;
    const report = await validateManifests([{ object: { ...location!, spec } as ManifestObject }], { cluster: WITH_VELERO });
    assert.ok(report.errors.some((f) => f.object === 'BackupStorageLocation/velero/default' && /objectStorage/.test(f.message)), JSON.stringify(report.errors));
  });

  it('a prefix, and no snapshots: the location carries the prefix, no VolumeSnapshotLocation', () => {
    const objects = locations({ prefix: 'clusters/prod', snapshots: false });
    assert.deepEqual(objects.map((o) => o.kind), ['BackupStorageLocation']);
    assert.deepEqual((objects[0] as unknown as { spec: { objectStorage: unknown } }).spec.objectStorage, { bucket: 'prod-backups', prefix: 'clusters/prod' });
    assert.equal(render(build({ prefix: 'clusters/prod', snapshots: false })).values.snapshotsEnabled, false);
  });

  it('resources: the server and the plugin init container get them; the pod is declared with them', () => {
    const resources = { requests: { cpu: '1', memory: '512Mi' }, limits: { memory: '1Gi' } };
    const r = render(build({ resources: { cpu: { request: '1' }, memory: { request: '512Mi', limit: '1Gi' } } }));
    assert.deepEqual(r.values.resources, resources);
    assert.deepEqual(r.values.initContainers[0].resources, resources);
    assert.deepEqual(workloadsOf(r), [{ name: 'velero', kind: 'Deployment', replicas: 1, requests: { cpu: '1', memory: '512Mi' } }]);
  });

  const errors: [string, Partial<VeleroProps>, string][] = [
    ['a bucket name with upper case and an underscore', { bucket: 'My_Bucket' }, "bucket ('My_Bucket') is not a valid S3 bucket name: it may contain only lower-case letters, digits, '.' and '-'"],
    ['a bucket name that is too short', { bucket: 'ab' }, "bucket ('ab') is not a valid S3 bucket name: it must be 3 to 63 characters long (got 2)"],
    ['a bucket name in IP form', { bucket: '10.0.0.1' }, "bucket ('10.0.0.1') is not a valid S3 bucket name: it must not be formatted as an IP address"],
    ['an S3 URL instead of a bucket name', { bucket: 's3://prod-backups' }, "bucket ('s3://prod-backups') is not a valid S3 bucket name: it may contain only lower-case letters, digits, '.' and '-'"],
    ['an invalid region', { region: 'eu-west-01' }, "region ('eu-west-01') is not an AWS region; expected e.g. 'eu-west-1'"],
    ['a prefix with a leading slash', { prefix: '/prod' }, "prefix ('/prod') is not a path in the bucket; expected e.g. 'clusters/prod', without a leading or trailing '/' (leave it out for the bucket's root)"],
    ['a CPU limit below the request', { resources: { cpu: { request: '500m', limit: '250m' }, memory: { request: '128Mi', limit: '512Mi' } } },
      'resources.cpu.limit (250m) is below resources.cpu.request (500m)'],
  ];
  for (const [what, over, message] of errors) {
    it(`throws on ${what}`, () => throwsExactly(build(over), `Velero 'test/velero': ${message}`));
  }
});

// ---------------------------------------------------------------------- NVIDIA device plugin ---

describe('NvidiaDevicePlugin', () => {
  const build = (props: NvidiaDevicePluginProps = {}) => (scope: Construct) => new NvidiaDevicePlugin(scope, 'gpu', props);
  const GPU_TAINT = [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }];

  it('defaults: a DaemonSet on nodes labelled nvidia.com/gpu.present, tolerating the GPU taint, in a privileged namespace with its reason', async () => {
    const r = render(build());
    await assertRelease(r, HelmChart.NVIDIA_DEVICE_PLUGIN, 'nvidia-gpu', 'nvidia-device-plugin');
    assert.deepEqual(r.namespace.metadata?.labels, {
      'pod-security.kubernetes.io/enforce': 'privileged',
      'pod-security.kubernetes.io/enforce-version': 'v1.34',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    assert.match(r.namespace.metadata?.annotations?.['k8s-platform-kit.dev/pod-security-reason'] ?? '', /hostPath/);
    assert.deepEqual(r.values, {
      fullnameOverride: 'nvidia-device-plugin',
      image: { repository: 'nvcr.io/nvidia/k8s-device-plugin', tag: 'v0.20.0' },
      nodeSelector: { 'nvidia.com/gpu.present': 'true' },
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'nvidia.com/gpu.present', operator: 'In', values: ['true'] }] }] } } },
      tolerations: GPU_TAINT,
      resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } },
    });
    assert.equal(`${r.values.fullnameOverride}-service-account`, NvidiaDevicePlugin.IDENTITY.serviceAccount, 'the chart names its ServiceAccount <fullname>-service-account');
    assert.deepEqual(NvidiaDevicePlugin.IDENTITY, { namespace: 'nvidia-device-plugin', serviceAccount: 'nvidia-device-plugin-service-account' });
    assert.deepEqual(workloadsOf(r), [{ name: 'nvidia-device-plugin', kind: 'DaemonSet', requests: { cpu: '10m', memory: '32Mi' }, tolerations: GPU_TAINT }]);
  });

  it('overrides: the pool\'s own label and taint; the affinity follows the node selector', () => {
    const tolerations = [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] as const;
    const r = render(build({ nodeSelector: { 'k8s-platform-kit.dev/pool': 'gpu' }, tolerations }));
    assert.deepEqual(r.values.nodeSelector, { 'k8s-platform-kit.dev/pool': 'gpu' });
    assert.deepEqual(r.values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms, [{ matchExpressions: [{ key: 'k8s-platform-kit.dev/pool', operator: 'In', values: ['gpu'] }] }]);
    assert.deepEqual(r.values.tolerations, tolerations);
    assert.deepEqual(workloadsOf(r), [{ name: 'nvidia-device-plugin', kind: 'DaemonSet', requests: { cpu: '10m', memory: '32Mi' }, tolerations }]);
  });

  it('resources: set in the values and declared for the pod on each GPU node', () => {
    const r = render(build({ resources: { cpu: { request: '50m' }, memory: { request: '64Mi', limit: '128Mi' } } }));
    assert.deepEqual(r.values.resources, { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } });
    assert.deepEqual(workloadsOf(r), [{ name: 'nvidia-device-plugin', kind: 'DaemonSet', requests: { cpu: '50m', memory: '64Mi' }, tolerations: GPU_TAINT }]);
  });

  const errors: [string, NvidiaDevicePluginProps, string][] = [
    ['an empty node selector', { nodeSelector: {} }, "nodeSelector is empty; expected the labels of the GPU nodes, e.g. { 'nvidia.com/gpu.present': 'true' }"],
    ['a node selector label value that is not a label value', { nodeSelector: { gpu: 'yes please' } },
      "nodeSelector['gpu'] ('yes please') is not a valid node label: must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"],
    ['a toleration with an unknown effect', { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'Never' as never }] },
      "tolerations[0].effect ('Never') is not 'NoSchedule', 'PreferNoSchedule' or 'NoExecute'"],
    ['a memory limit that is not a quantity', { resources: { cpu: { request: '10m' }, memory: { request: '32Mi', limit: '64MB' } } },
      "resources.memory.limit ('64MB') is not a positive Kubernetes quantity; expected e.g. 100m or 256Mi"],
  ];
  for (const [what, props, message] of errors) {
    it(`throws on ${what}`, () => throwsExactly(build(props), `NvidiaDevicePlugin 'test/gpu': ${message}`));
  }
});

// ------------------------------------------------------------------------------- resources ---

describe('AWS_CONTROLLER_RESOURCES', () => {
  const thirdParty = resolve(fileURLToPath(new URL('../../../', import.meta.url)), process.env.KIT_THIRD_PARTY ?? '../shared/third-party');
  const here = existsSync(thirdParty) ? false : `${thirdParty} is not here (the shared third-party folder is outside the package)`;

  /** The example commented out under a values.yaml's top-level `resources: {}`, parsed. */
  function commentedExample(folder: string): { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } } {
    const lines = readFileSync(resolve(thirdParty, folder, 'values.yaml'), 'utf8').split('\n');
    const start = lines.indexOf('resources: {}');
    assert.ok(start >= 0, `${folder}: resources: {}`);
    const example: string[] = [];
    for (const line of lines.slice(start + 1)) {
      if (!/^\s+#/.test(line)) break;
      const text = line.replace(/^\s+# ?/, '');
      if (/^(limits|requests):$/.test(text) || /^\s+(cpu|memory): \S+$/.test(text)) example.push(text);
    }
    return parse(example.join('\n')) as ReturnType<typeof commentedExample>;
  }

  it("the upstream figures are the pinned values.yaml examples: their requests, their memory limit, no CPU limit", { skip: here }, () => {
    const upstream: [keyof typeof AWS_CONTROLLER_RESOURCES, string][] = [
      ['loadBalancerController', 'aws-load-balancer-controller'],
      ['clusterAutoscaler', 'cluster-autoscaler'],
      ['velero', 'velero-chart'],
    ];
    for (const [controller, folder] of upstream) {
      const example = commentedExample(folder);
      const ours = AWS_CONTROLLER_RESOURCES[controller];
      assert.deepEqual([ours.cpu.request, ours.memory.request, ours.memory.limit], [example.requests.cpu, example.requests.memory, example.limits.memory], folder);
      assert.equal('limit' in ours.cpu, false, `${folder}: no CPU limit`);
    }
  });

  it('external-dns and the device plugin: upstream gives no example, so the figures are the kit\'s', { skip: here }, () => {
    for (const folder of ['external-dns', 'nvidia-device-plugin']) assert.deepEqual(commentedExample(folder), null, folder);
  });

  it('the declared requests are the resources\' requests, and every controller has a memory limit', () => {
    for (const [controller, resources] of Object.entries(AWS_CONTROLLER_RESOURCES)) {
      assert.deepEqual(AWS_CONTROLLER_REQUESTS[controller as keyof typeof AWS_CONTROLLER_REQUESTS], { cpu: resources.cpu.request, memory: resources.memory.request }, controller);
      assert.ok(resources.memory.limit, controller);
    }
  });
});

// ------------------------------------------------------------------------------ image pins ---

describe('AWS_CONTROLLER_IMAGES', () => {
  const thirdParty = resolve(fileURLToPath(new URL('../../../', import.meta.url)), process.env.KIT_THIRD_PARTY ?? '../shared/third-party');
  const pins: [keyof typeof AWS_CONTROLLER_IMAGES, string][] = [
    ['loadBalancerController', 'aws-load-balancer-controller'],
    ['clusterAutoscaler', 'cluster-autoscaler'],
    ['externalDns', 'external-dns'],
    ['velero', 'velero-chart'],
    ['nvidiaDevicePlugin', 'nvidia-device-plugin'],
  ];
  const here = existsSync(thirdParty) ? false : `${thirdParty} is not here (the shared third-party folder is outside the package)`;

  it("each controller's image tag is its pinned chart's appVersion (the chart's default image)", { skip: here }, () => {
    for (const [image, folder] of pins) {
      const { appVersion } = parse(readFileSync(resolve(thirdParty, folder, 'Chart.yaml'), 'utf8')) as { appVersion: string };
      assert.equal(AWS_CONTROLLER_IMAGES[image].tag, appVersion.startsWith('v') ? appVersion : `v${appVersion}`, folder);
    }
  });

  it("each repository is the one the pinned values.yaml names", { skip: here }, () => {
    for (const [image, folder] of pins) {
      const values = parse(readFileSync(resolve(thirdParty, folder, 'values.yaml'), 'utf8')) as { image: { repository: string } };
      assert.equal(AWS_CONTROLLER_IMAGES[image].repository, values.image.repository, folder);
    }
  });

  it('the Velero plugin is of the line its README pairs with Velero 1.18 (v1.14.x)', () => {
    assert.match(AWS_CONTROLLER_IMAGES.veleroPluginForAws.tag, /^v1\.14\.\d+$/);
    assert.equal(AWS_CONTROLLER_IMAGES.velero.tag, 'v1.18.1');
  });
});
