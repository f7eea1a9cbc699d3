/**
 * The rest of a real pod: extra volumes (Secret, ConfigMap, claim, emptyDir with a size)
 * mounted by the main container, and pull secrets for private registries, on every hardened
 * workload; each refused when its name cannot exist, clashes, or has no size.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Chart } from 'cdk8s';
import { HardenedDeployment, HardenedJob, VolumeSource, validateApp, type HardenedDeploymentProps } from '../../../constructs/index.js';

import { minimalProps } from './_deployment-fixtures.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const WEB: HardenedDeploymentProps = minimalProps({ name: 'web', resources: { cpu: { request: '100m' }, memory: { request: '128Mi', limit: '128Mi' } } });

function podOf(make: (chart: Chart) => void, kind = 'Deployment') {
  const app = new App();
  make(new Chart(app, 'c', { namespace: 'shop' }));
  const objects: any[] = app.charts.flatMap((chart) => chart.toJson());
  return { app, pod: objects.find((o) => o.kind === kind).spec.template.spec };
}

describe('extra volumes and pull secrets', () => {
  it('mount Secrets and ConfigMaps read-only, claims and sized emptyDirs writable, after the kit\'s own, and validate', async () => {
    const { app, pod } = podOf((chart) => new HardenedDeployment(chart, 'Web', {
      ...WEB,
      config: { 'app.yaml': 'x: 1' },
      volumes: [
        { name: 'tls', mountPath: '/etc/tls', source: VolumeSource.secret('web-tls') },
        { name: 'rules', mountPath: '/etc/rules', source: VolumeSource.configMap('shop-rules') },
        { name: 'uploads', mountPath: '/srv/uploads', source: VolumeSource.claim('uploads') },
        { name: 'cache', mountPath: '/cache', source: VolumeSource.emptyDir('512Mi', { medium: 'Memory' }) },
      ],
      imagePullSecrets: ['registry-credentials'],
    }));
    assert.deepEqual(pod.volumes.slice(1), [
      { name: 'tls', secret: { secretName: 'web-tls' } },
      { name: 'rules', configMap: { name: 'shop-rules' } },
      { name: 'uploads', persistentVolumeClaim: { claimName: 'uploads' } },
      { name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '512Mi' } },
    ]);
    assert.deepEqual(pod.containers[0].volumeMounts.slice(1), [
      { name: 'tls', mountPath: '/etc/tls', readOnly: true },
      { name: 'rules', mountPath: '/etc/rules', readOnly: true },
      { name: 'uploads', mountPath: '/srv/uploads' },
      { name: 'cache', mountPath: '/cache' },
    ]);
    assert.deepEqual(pod.imagePullSecrets, [{ name: 'registry-credentials' }]);
    assert.deepEqual((await validateApp(app)).errors.map((f) => f.message), []);
  });

  it('work on a Job too, and a read-only claim when asked', () => {
    const { pod } = podOf((chart) => new HardenedJob(chart, 'Export', {
      name: 'export', image: 'registry.example.com/export:1.0.0', resources: WEB.resources,
      volumes: [{ name: 'data', mountPath: '/data', source: VolumeSource.claim('shop-data'), readOnly: true }],
    }), 'Job');
    assert.deepEqual(pod.containers[0].volumeMounts, [{ name: 'data', mountPath: '/data', readOnly: true }]);
  });

  const refuses: [string, Partial<HardenedDeploymentProps>, string][] = [
    ['an emptyDir of no size', { volumes: [{ name: 'cache', mountPath: '/cache', source: VolumeSource.emptyDir('0') }] },
      "HardenedDeployment 'c/Web': volumes[0].source ('0') is an emptyDir whose sizeLimit is not a size above zero; expected e.g. VolumeSource.emptyDir('1Gi')"],
    ['a Secret whose name cannot exist', { volumes: [{ name: 'tls', mountPath: '/etc/tls', source: VolumeSource.secret('Web TLS') }] },
      "HardenedDeployment 'c/Web': volumes[0].source ('Web TLS') names secret 'Web TLS', which is not an object name: it must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"],
    ['a volume named like the kit\'s own', { volumes: [{ name: 'config', mountPath: '/x', source: VolumeSource.configMap('x') }] },
      "HardenedDeployment 'c/Web': volumes[0].name ('config') is the name of a volume the kit adds (config, writable-<n>); expected another name"],
    ['a mount path taken by a writable path', { writablePaths: ['/cache'], volumes: [{ name: 'cache', mountPath: '/cache', source: VolumeSource.emptyDir('1Gi') }] },
      "HardenedDeployment 'c/Web': volumes[0].mountPath ('/cache') is already mounted by writablePaths[0]; expected each mount path to be unique"],
    ['a pull secret twice', { imagePullSecrets: ['regcred', 'regcred'] },
      "HardenedDeployment 'c/Web': imagePullSecrets[1] ('regcred') is listed twice; expected each Secret once"],
  ];
  for (const [title, props, message] of refuses) {
    it(`refuses ${title}, naming the prop and the value`, () => {
      assert.throws(() => podOf((chart) => new HardenedDeployment(chart, 'Web', { ...WEB, ...props })), (error: Error) => {
        assert.equal(error.message, message);
        return true;
      });
    });
  }
});
