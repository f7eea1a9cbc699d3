/**
 * Release shapes beyond the rolling update: a singleton HardenedDeployment (one pod, never
 * two at once) and BlueGreenDeployment (two copies, a live and a preview Service).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import {
  BLUE_GREEN_LABEL, BlueGreenDeployment, COLOR_LABEL, SINGLETON_ANNOTATION, IngressPeer, validateManifests,
  type BlueGreenDeploymentProps, type ManifestObject,
} from '../../../constructs/index.js';
import { AT, allOfKind, build, minimalProps, synthDeployment } from './_deployment-fixtures.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const named = (objects: any[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

describe('HardenedDeployment singleton', () => {
  const { deployment, manifests, workload } = synthDeployment(minimalProps({ singleton: { reason: 'two simulators would report every vehicle twice' } }));

  it('runs one pod, never two: maxSurge 0 and maxUnavailable 1, no PodDisruptionBudget', () => {
    assert.equal(deployment.spec.replicas, 1);
    assert.equal(workload.replicas, 1);
    assert.deepEqual(deployment.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
    assert.deepEqual(allOfKind(manifests, 'PodDisruptionBudget'), []);
  });

  it('says why on the Deployment', () => {
    assert.equal(deployment.metadata.annotations[SINGLETON_ANNOTATION], 'two simulators would report every vehicle twice');
  });

  it('passes the validation spine', async () => {
    const report = await validateManifests(manifests.map((object) => ({ object: object as ManifestObject })));
    assert.deepEqual(report.errors, []);
  });

  for (const [props, message] of [
    [{ singleton: { reason: ' ' } }, 'singleton.reason is empty; expected why the workload must never run two pods'],
    [{ singleton: { reason: 'r' }, replicas: 2 }, 'replicas (2) must be 1 for a singleton'],
    [{ singleton: { reason: 'r' }, autoscaling: { maxReplicas: 3 } }, 'singleton cannot be autoscaled (autoscaling.maxReplicas 3): it must never run two pods'],
    [{ singleton: { reason: 'r' }, maxSurge: '25%' }, "maxSurge ('25%') would start a second pod during a rollout; expected 0 for a singleton"],
  ] as const) {
    it(`rejects ${JSON.stringify(props)}`, () => {
      assert.throws(() => build(minimalProps(props)), { message: `${AT}${message}` });
    });
  }
});

const BG: BlueGreenDeploymentProps = {
  ...minimalProps(),
  name: 'webapp',
  namespace: 'fleetman',
  replicas: 3,
  blue: { image: 'registry.example.com/webapp:1.4.0' },
  green: { image: 'registry.example.com/webapp:1.5.0' },
  active: 'blue',
  allowIngressFrom: [IngressPeer.namespace('envoy-gateway-system')],
};

function synthBlueGreen(props: Partial<BlueGreenDeploymentProps> = {}) {
  const chart = Testing.chart();
  const workload = new BlueGreenDeployment(chart, 'web', { ...BG, ...props });
  return { workload, objects: Testing.synth(chart) as any[] };
}

describe('BlueGreenDeployment', () => {
  it('runs both colors as hardened copies and sends the live Service to the active one', () => {
    const { objects, workload } = synthBlueGreen();
    const blue = named(objects, 'Deployment', 'webapp-blue');
    const green = named(objects, 'Deployment', 'webapp-green');
    assert.equal(blue.spec.template.spec.containers[0].image, 'registry.example.com/webapp:1.4.0');
    assert.equal(green.spec.template.spec.containers[0].image, 'registry.example.com/webapp:1.5.0');
    assert.equal(blue.spec.template.metadata.labels[COLOR_LABEL], 'blue');
    assert.equal(green.spec.template.metadata.labels[BLUE_GREEN_LABEL], 'webapp');
    assert.deepEqual([blue.spec.replicas, green.spec.replicas], [3, 3]);
    assert.ok(named(objects, 'PodDisruptionBudget', 'webapp-blue') && named(objects, 'PodDisruptionBudget', 'webapp-green'));

    const live = named(objects, 'Service', 'webapp');
    assert.deepEqual(live.spec, { type: 'ClusterIP', selector: { [BLUE_GREEN_LABEL]: 'webapp', [COLOR_LABEL]: 'blue' }, ports: [{ port: 8080, targetPort: 8080, name: 'http' }] });
    assert.equal(named(objects, 'Service', 'webapp-preview').spec.selector[COLOR_LABEL], 'green');
    assert.equal(workload.serviceName, 'webapp');
    assert.equal(workload.active, 'blue');
  });

  it('moves the traffic by changing active, and only the Services change', () => {
    const before = synthBlueGreen().objects;
    const after = synthBlueGreen({ active: 'green' }).objects;
    assert.equal(named(after, 'Service', 'webapp').spec.selector[COLOR_LABEL], 'green');
    assert.equal(named(after, 'Service', 'webapp-preview').spec.selector[COLOR_LABEL], 'blue');
    const changed = after.filter((o, i) => JSON.stringify(o) !== JSON.stringify(before[i])).map((o) => `${o.kind}/${o.metadata.name}`);
    assert.deepEqual(changed, ['Service/webapp', 'Service/webapp-preview']);
  });

  it('can shrink the idle color, and run blue alone without a preview Service', () => {
    const { objects } = synthBlueGreen({ active: 'green', idleReplicas: 0 });
    assert.equal(named(objects, 'Deployment', 'webapp-blue').spec.replicas, 0);
    assert.equal(named(objects, 'Deployment', 'webapp-green').spec.replicas, 3);
    const alone = synthBlueGreen({ green: undefined });
    assert.equal(named(alone.objects, 'Deployment', 'webapp-green'), undefined);
    assert.equal(named(alone.objects, 'Service', 'webapp-preview'), undefined);
    assert.equal(alone.workload.previewService, undefined);
  });

  it('passes the validation spine', async () => {
    const report = await validateManifests(synthBlueGreen().objects.map((object) => ({ object })));
    assert.deepEqual(report.errors, []);
  });

  for (const [props, message] of [
    [{ active: 'green', green: undefined }, "active ('green') has no green copy; expected green: { image }, or active: 'blue'"],
    [{ active: 'red' }, "active ('red') must be 'blue' or 'green'"],
    [{ name: 'Web' }, "name ('Web') must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"],
    [{ ports: [] }, 'ports is empty; expected at least one port for the live Service to send traffic to'],
    [{ idleReplicas: -1 }, 'idleReplicas (-1) must be a whole number >= 0'],
    [{ singleton: { reason: 'r' } }, 'singleton cannot be set on a blue/green deployment: both colors run at once'],
  ] as const) {
    it(`rejects ${JSON.stringify(props)}`, () => {
      assert.throws(() => synthBlueGreen(props as Partial<BlueGreenDeploymentProps>), { message: `BlueGreenDeployment 'test/web': ${message}` });
    });
  }
});
