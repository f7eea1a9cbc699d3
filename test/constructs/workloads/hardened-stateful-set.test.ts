/**
 * HardenedStatefulSet: the headless Service that names the members, claims per member on
 * a StorageClass given by object and kept when the set goes, ordered members, budget,
 * spread per revision, a NetworkPolicy admitting the members to each other, validation by
 * the spine, and a clear error for each bad prop.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Chart } from 'cdk8s';
import {
  DisruptionBudget, DiskStorageClass, HardenedStatefulSet, IngressPeer, Probe, STATEFUL_SET_DEFAULTS, validateApp, type HardenedStatefulSetProps,
} from '../../../constructs/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const QUEUE: HardenedStatefulSetProps = {
  name: 'queue',
  image: 'registry.example.com/queue:3.1.0',
  ports: [{ number: 5672, name: 'amqp' }],
  resources: { cpu: { request: '250m' }, memory: { request: '512Mi', limit: '512Mi' } },
  liveness: Probe.tcpSocket(),
  readiness: Probe.tcpSocket(),
};

function build(make: (chart: Chart) => void) {
  const app = new App();
  make(new Chart(app, 'c', { namespace: 'data' }));
  const objects: any[] = app.charts.flatMap((chart) => chart.toJson());
  return { app, objects, of: (kind: string) => objects.filter((o) => o.kind === kind) };
}

describe('HardenedStatefulSet', () => {
  it('names its members through a headless Service, claims a volume per member on the StorageClass object, keeps the claims, and validates', async () => {
    let set: HardenedStatefulSet | undefined;
    const { app, of } = build((chart) => {
      const fast = new DiskStorageClass(chart, 'Fast', { cloud: 'aws', name: 'fast' });
      set = new HardenedStatefulSet(chart, 'Queue', { ...QUEUE, claims: [{ name: 'data', mountPath: '/var/lib/queue', size: '20Gi', storageClass: fast }] });
    });
    const [service] = of('Service');
    assert.deepEqual([service.metadata.name, service.spec.clusterIP, service.spec.publishNotReadyAddresses], ['queue', 'None', true]);
    const [sts] = of('StatefulSet');
    assert.deepEqual([sts.spec.serviceName, sts.spec.replicas, sts.spec.podManagementPolicy, sts.spec.minReadySeconds], ['queue', STATEFUL_SET_DEFAULTS.replicas, 'OrderedReady', 10]);
    assert.deepEqual(sts.spec.volumeClaimTemplates, [{
      metadata: { name: 'data', labels: { 'app.kubernetes.io/name': 'queue' } },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '20Gi' } } },
    }]);
    assert.deepEqual(sts.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
    const pod = sts.spec.template.spec;
    assert.deepEqual(pod.containers[0].volumeMounts, [{ name: 'data', mountPath: '/var/lib/queue' }]);
    assert.deepEqual(pod.topologySpreadConstraints.map((t: any) => t.matchLabelKeys), [['controller-revision-hash'], ['controller-revision-hash']]);
    assert.equal(pod.containers[0].securityContext.readOnlyRootFilesystem, true);
    const [budget] = of('PodDisruptionBudget');
    assert.deepEqual([budget.spec.maxUnavailable, budget.spec.selector.matchLabels], [1, set!.selectorLabels]);
    const [policy] = of('NetworkPolicy');
    assert.deepEqual(policy.spec.ingress, [{ from: [{ podSelector: { matchLabels: set!.selectorLabels } }], ports: [{ port: 5672, protocol: 'TCP' }] }]);
    assert.deepEqual((await validateApp(app)).errors.map((f) => `${f.ruleId} ${f.path}: ${f.message}`), []);
  });

  it('takes parallel members, claims deleted with the set, another access mode, and admits the given peers', () => {
    const { of } = build((chart) => new HardenedStatefulSet(chart, 'Cache', {
      ...QUEUE, name: 'cache', podManagement: 'Parallel', claimRetention: { whenDeleted: 'Delete' },
      claims: [{ name: 'scratch', mountPath: '/scratch', size: '5Gi', accessMode: 'ReadWriteOncePod' }],
      allowIngressFrom: [IngressPeer.namespace('shop')],
    }));
    const [sts] = of('StatefulSet');
    assert.equal(sts.spec.podManagementPolicy, 'Parallel');
    assert.deepEqual(sts.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Delete', whenScaled: 'Retain' });
    assert.deepEqual(sts.spec.volumeClaimTemplates[0].spec, { accessModes: ['ReadWriteOncePod'], resources: { requests: { storage: '5Gi' } } });
    assert.equal(of('NetworkPolicy')[0].spec.ingress[1].from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'], 'shop');
  });

  it('writes no budget for a single member, and no claim fields without claims', () => {
    const { of } = build((chart) => new HardenedStatefulSet(chart, 'One', { ...QUEUE, name: 'one', replicas: 1 }));
    assert.deepEqual(of('PodDisruptionBudget'), []);
    const [sts] = of('StatefulSet');
    assert.deepEqual([sts.spec.volumeClaimTemplates, sts.spec.persistentVolumeClaimRetentionPolicy], [undefined, undefined]);
  });

  const refuses: [string, Partial<HardenedStatefulSetProps> & Record<string, unknown>, string][] = [
    ['a retention policy without claims', { claimRetention: { whenDeleted: 'Delete' } },
      "HardenedStatefulSet 'c/Queue': claimRetention ({\"whenDeleted\":\"Delete\"}) has no effect without claims; expected claims, or no claimRetention"],
    ['a claim of no size', { claims: [{ name: 'data', mountPath: '/data', size: '0' }] },
      "HardenedStatefulSet 'c/Queue': claims[0].size ('0') is not a storage size above zero; expected e.g. '20Gi'"],
    ['a claim mounted where a writable path is', { writablePaths: ['/data'], claims: [{ name: 'data', mountPath: '/data/', size: '1Gi' }] },
      "HardenedStatefulSet 'c/Queue': claims[0].mountPath ('/data/') is already mounted (by config, writablePaths, volumes or another claim); expected each mount path once"],
    ['two claims of one name', { claims: [{ name: 'data', mountPath: '/a', size: '1Gi' }, { name: 'data', mountPath: '/b', size: '1Gi' }] },
      "HardenedStatefulSet 'c/Queue': claims[1].name ('data') is the name of another claim; expected each claim name once"],
    ['a StorageClass object with a name that cannot exist', { claims: [{ name: 'data', mountPath: '/a', size: '1Gi', storageClass: { name: 'Fast SSD' } }] },
      "HardenedStatefulSet 'c/Queue': claims[0].storageClass ('Fast SSD') names StorageClass 'Fast SSD', which is not a StorageClass name: it must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"],
    ['a budget for a single member', { replicas: 1, disruptionBudget: DisruptionBudget.maxUnavailable(1) },
      "HardenedStatefulSet 'c/Queue': disruptionBudget ('maxUnavailable 1') has no effect with 1 member; expected more than one replica, or no disruptionBudget"],
    ['an unknown retention policy', { claims: [{ name: 'data', mountPath: '/a', size: '1Gi' }], claimRetention: { whenScaled: 'Keep' as never } },
      "HardenedStatefulSet 'c/Queue': claimRetention.whenScaled ('Keep') is not a retention policy; expected Retain or Delete"],
    ['a name too long for its members', { name: 'q'.repeat(53) },
      `HardenedStatefulSet 'c/Queue': name ('${'q'.repeat(53)}') is 53 characters; a StatefulSet's pods are named <name>-<ordinal> and labelled with it (controller-revision-hash adds 11), at most 52; expected a shorter name`],
  ];
  for (const [title, props, message] of refuses) {
    it(`refuses ${title}, naming the prop and the value`, () => {
      assert.throws(() => build((chart) => new HardenedStatefulSet(chart, 'Queue', { ...QUEUE, ...props } as HardenedStatefulSetProps)), (error: Error) => {
        assert.equal(error.message, message);
        return true;
      });
    });
  }
});
