/**
 * The fleetman chart, from each environment's stack file: the services the images expect,
 * who may call whom, the singletons, blue/green on the webapp, and the validation spine.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App } from 'cdk8s';
import { IngressController, SINGLETON_ANNOTATION, validateManifests, type ManifestObject } from '../../constructs/index.js';
import { FleetmanChart } from '../../charts/fleetman.js';
import { environmentNames, loadEnvironment } from '../../charts/environment.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
function synth(envName: string) {
  const env = loadEnvironment(envName);
  assert.ok(env.apps.fleetman, `${envName} configures fleetman`);
  const chart = new FleetmanChart(new App(), 'fleetman', { ...env.apps.fleetman, edge: IngressController.envoyGateway() });
  return { chart, objects: chart.toJson() as any[] };
}
const named = (objects: any[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
/** Each ingress rule of a NetworkPolicy as [callers, ports]: Deployments by name, namespaces by name. */
function callers(objects: any[], policy: any): string[][] {
  const deploymentOf = (labels: Record<string, string>) => objects.find((o) => o.kind === 'Deployment'
    && Object.entries(labels).every(([k, v]) => o.spec.template.metadata.labels[k] === v))?.metadata.name;
  return policy.spec.ingress.map((rule: any) => [
    rule.from.map((peer: any) => (peer.podSelector ? deploymentOf(peer.podSelector.matchLabels) : peer.namespaceSelector.matchLabels['kubernetes.io/metadata.name'])).join('+'),
    (rule.ports ?? []).map((p: any) => p.port).join('+'),
  ]);
}

describe('fleetman chart', () => {
  const { objects, chart } = synth('prod');

  it('names the Services as the images look them up', () => {
    const namespace = 'fleetman';
    const container = (deployment: string) => named(objects, 'Deployment', deployment).spec.template.spec.containers[0];
    /** The Service `host` (a bare name, or `<service>.<namespace>.svc.cluster.local`) resolves to, with its port. */
    const serviceAt = (host: string, port: number) => {
      const [service, ns = namespace] = host.split('.');
      assert.equal(ns, namespace, host);
      const found = named(objects, 'Service', service!);
      assert.ok(found, `no Service ${service} for ${host}`);
      assert.ok(found.spec.ports.some((p: any) => p.port === port), `Service ${service} does not serve ${port}`);
      return found;
    };
    // The images' production-microservice profile bakes these host names in; the env turns the profile on.
    const baked: [caller: string, host: string, port: number][] = [
      ['fleetman-position-simulator', 'fleetman-queue', 61616],
      ['fleetman-position-tracker', 'fleetman-queue', 61616],
      ['fleetman-api-gateway', 'fleetman-position-tracker', 8080],
      ['fleetman-webapp-blue', 'fleetman-api-gateway', 8080],
    ];
    for (const [caller, host, port] of baked) {
      if (caller !== 'fleetman-webapp-blue') {
        assert.ok(container(caller).env.some((e: any) => e.name === 'SPRING_PROFILES_ACTIVE' && e.value === 'production-microservice'), caller);
      }
      serviceAt(host, port);
    }
    // MongoDB's hosts come from the env: each `<pod>.<service>.<namespace>.svc.cluster.local:<port>` is a member of the headless Service.
    const uri = container('fleetman-position-tracker').env.find((e: any) => e.name === 'SPRING_DATA_MONGODB_URI').value as string;
    const hosts = /^mongodb:\/\/([^/]+)\//.exec(uri)![1]!.split(',');
    assert.equal(hosts.length, 3);
    const mongo = named(objects, 'StatefulSet', 'mongo');
    hosts.forEach((hostPort, i) => {
      const [host, port] = hostPort.split(':');
      const [pod, ...service] = host!.split('.');
      assert.equal(pod, `${mongo.metadata.name}-${i}`);
      assert.equal(service.slice(2).join('.'), 'svc.cluster.local');
      assert.equal(serviceAt(service.slice(0, 2).join('.'), Number(port)).spec.clusterIP, 'None');
      assert.equal(mongo.spec.serviceName, service[0]);
    });
    const services = objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name).sort();
    for (const name of ['fleetman-webapp', ...baked.map(([, host]) => host), 'mongo']) assert.ok(services.includes(name), name);
  });

  it('runs the position simulator and the queue as singletons, and says why', () => {
    for (const name of ['fleetman-position-simulator', 'fleetman-queue']) {
      const deployment = named(objects, 'Deployment', name);
      assert.equal(deployment.spec.replicas, 1);
      assert.deepEqual(deployment.spec.strategy.rollingUpdate, { maxSurge: 0, maxUnavailable: 1 });
      assert.ok(deployment.metadata.annotations[SINGLETON_ANNOTATION].length > 20);
    }
    assert.equal(named(objects, 'Deployment', 'fleetman-position-simulator').metadata.annotations[SINGLETON_ANNOTATION], 'two simulators would report every vehicle twice');
  });

  it('releases the webapp blue/green from the stack file', () => {
    assert.equal(named(objects, 'Deployment', 'fleetman-webapp-blue').spec.template.spec.containers[0].image, 'ghcr.io/us-learn-and-devops/fleetman-webapp:2.0.0');
    assert.equal(named(objects, 'Deployment', 'fleetman-webapp-green').spec.template.spec.containers[0].image, 'ghcr.io/us-learn-and-devops/fleetman-webapp:2.1.0');
    assert.equal(named(objects, 'Service', 'fleetman-webapp').spec.selector['k8s-platform-kit.dev/color'], 'blue');
    assert.equal(named(synth('staging').objects, 'Service', 'fleetman-webapp').spec.selector['k8s-platform-kit.dev/color'], 'green');
    assert.equal(named(synth('dev').objects, 'Deployment', 'fleetman-webapp-green'), undefined);
  });

  it('lets each service be called only by its callers', () => {
    assert.deepEqual(callers(objects, named(objects, 'NetworkPolicy', 'fleetman-queue')), [['fleetman-position-simulator+fleetman-position-tracker', '61616']]);
    assert.deepEqual(callers(objects, named(objects, 'NetworkPolicy', 'fleetman-position-tracker')), [['monitoring', '8080'], ['fleetman-api-gateway', '8080']]);
    assert.deepEqual(callers(objects, named(objects, 'NetworkPolicy', 'fleetman-api-gateway')), [['fleetman-webapp-blue+fleetman-webapp-green', '8080']]);
    assert.deepEqual(callers(objects, named(objects, 'NetworkPolicy', 'fleetman-webapp-blue')), [['envoy-gateway-system', '8080']]);
    assert.deepEqual(callers(objects, named(objects, 'NetworkPolicy', 'fleetman-position-simulator')), []);
  });

  it('points the position tracker at the MongoDB replica set', () => {
    const env = named(objects, 'Deployment', 'fleetman-position-tracker').spec.template.spec.containers[0].env;
    const uri = env.find((e: any) => e.name === 'SPRING_DATA_MONGODB_URI').value;
    assert.equal(uri, 'mongodb://mongo-0.mongo.fleetman.svc.cluster.local:27017,mongo-1.mongo.fleetman.svc.cluster.local:27017,mongo-2.mongo.fleetman.svc.cluster.local:27017/fleetman?replicaSet=rs0');
    assert.equal(chart.mongo.hosts.length, 3);
    assert.equal(synth('dev').chart.mongo.hosts.length, 1);
  });

  for (const envName of environmentNames()) {
    it(`passes the validation spine in ${envName}`, async () => {
      const report = await validateManifests(synth(envName).objects.map((object) => ({ object: object as ManifestObject })));
      assert.deepEqual(report.errors.map((f) => `${f.object}: ${f.message}`), []);
    });
  }
});
