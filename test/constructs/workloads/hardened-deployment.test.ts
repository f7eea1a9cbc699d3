import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiObject, Chart, Testing } from 'cdk8s';
import {
  Cloud, DEPLOYMENT_DEFAULTS, DisruptionBudget, EnvValue, HardenedDeployment, IngressPeer, Probe, QosClass, Secret,
  ServiceType, validateApp,
} from '../../../constructs/index.js';
import { minimalProps, portlessProps, synthDeployment } from './_deployment-fixtures.js';

describe('HardenedDeployment defaults', () => {
  it('defaults replicas to 2', () => {
    const { deployment, workload } = synthDeployment(minimalProps());
    assert.equal(deployment.spec.replicas, 2);
    assert.equal(workload.replicas, 2);
    assert.equal(DEPLOYMENT_DEFAULTS.replicas, 2);
  });

  it("defaults to a rolling update with maxSurge '25%' and maxUnavailable 0", () => {
    const { deployment } = synthDeployment(minimalProps());
    assert.deepEqual(deployment.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
  });

  it('defaults minReadySeconds to 10', () => {
    assert.equal(synthDeployment(minimalProps()).deployment.spec.minReadySeconds, 10);
  });

  it('defaults progressDeadlineSeconds to 600', () => {
    assert.equal(synthDeployment(minimalProps()).deployment.spec.progressDeadlineSeconds, 600);
  });

  it('defaults to a PodDisruptionBudget of maxUnavailable 1 with AlwaysAllow, selecting the pods', () => {
    const { pdb, deployment, workload } = synthDeployment(minimalProps());
    assert.equal(pdb.apiVersion, 'policy/v1');
    assert.equal(pdb.metadata.name, deployment.metadata.name);
    assert.deepEqual(pdb.spec, {
      maxUnavailable: 1,
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
      selector: { matchLabels: deployment.spec.selector.matchLabels },
    });
    assert.deepEqual(pdb.spec.selector, deployment.spec.selector);
    assert.ok(workload.disruptionBudget);
  });

  it('the PodDisruptionBudget selector matches the pod template labels', () => {
    const { pdb, podTemplate } = synthDeployment(minimalProps());
    for (const [key, value] of Object.entries(pdb.spec.selector.matchLabels)) {
      assert.equal(podTemplate.metadata.labels[key], value);
    }
  });

  it('creates no PodDisruptionBudget for 1 replica', () => {
    const { pdb, workload } = synthDeployment(minimalProps({ replicas: 1 }));
    assert.equal(pdb, undefined);
    assert.equal(workload.disruptionBudget, undefined);
  });

  it('creates no PodDisruptionBudget for 0 replicas', () => {
    assert.equal(synthDeployment(minimalProps({ replicas: 0 })).pdb, undefined);
  });

  it('defaults to a NetworkPolicy that denies all ingress, selecting the pods', () => {
    const { networkPolicy, deployment, workload } = synthDeployment(minimalProps());
    assert.equal(networkPolicy.apiVersion, 'networking.k8s.io/v1');
    assert.equal(networkPolicy.metadata.name, deployment.metadata.name);
    assert.deepEqual(networkPolicy.spec, {
      podSelector: { matchLabels: deployment.spec.selector.matchLabels },
      policyTypes: ['Ingress'],
      ingress: [],
    });
    assert.ok(workload.networkPolicy);
  });

  it('creates a NetworkPolicy for a workload without ports too', () => {
    const { networkPolicy } = synthDeployment(portlessProps());
    assert.deepEqual(networkPolicy.spec.ingress, []);
    assert.deepEqual(networkPolicy.spec.policyTypes, ['Ingress']);
  });

  it('defaults to a ClusterIP Service when the container has ports', () => {
    const { service, deployment, workload } = synthDeployment(minimalProps());
    assert.equal(service.spec.type, 'ClusterIP');
    assert.equal(service.metadata.name, deployment.metadata.name);
    assert.deepEqual(service.spec.selector, deployment.spec.selector.matchLabels);
    assert.deepEqual(service.spec.ports, [{ name: 'http', port: 8080, targetPort: 8080 }]);
    assert.equal(service.metadata.annotations, undefined);
    assert.ok(workload.service);
  });

  it('creates no Service when the container has no ports', () => {
    const { service, workload } = synthDeployment(portlessProps());
    assert.equal(service, undefined);
    assert.equal(workload.service, undefined);
  });

  it('defaults to the restricted pod security context', () => {
    const { pod } = synthDeployment(minimalProps());
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.equal(pod.securityContext.runAsUser, 10001);
    assert.equal(pod.securityContext.runAsGroup, 10001);
    assert.equal(pod.securityContext.fsGroup, 10001);
    assert.deepEqual(pod.securityContext.seccompProfile, { type: 'RuntimeDefault' });
  });

  it('defaults to the restricted container security context', () => {
    const { container } = synthDeployment(minimalProps());
    assert.equal(container.securityContext.allowPrivilegeEscalation, false);
    assert.equal(container.securityContext.privileged, false);
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.deepEqual(container.securityContext.capabilities, { drop: ['ALL'] });
    assert.equal(container.securityContext.runAsNonRoot, true);
    assert.equal(container.securityContext.runAsUser, 10001);
    assert.equal(container.securityContext.runAsGroup, 10001);
  });

  it('defaults automountServiceAccountToken to false', () => {
    assert.equal(synthDeployment(minimalProps()).pod.automountServiceAccountToken, false);
  });

  it('uses the namespace default ServiceAccount by default', () => {
    assert.equal(synthDeployment(minimalProps()).pod.serviceAccountName, undefined);
  });

  it('defaults terminationGracePeriodSeconds to 30', () => {
    assert.equal(synthDeployment(minimalProps()).pod.terminationGracePeriodSeconds, 30);
  });

  it('defaults to a preStop hook that sleeps 5 seconds', () => {
    const { container } = synthDeployment(minimalProps());
    assert.deepEqual(container.lifecycle, { preStop: { sleep: { seconds: 5 } } });
  });

  it('defaults to topology spread on zone and hostname with ScheduleAnyway', () => {
    const { pod, deployment } = synthDeployment(minimalProps());
    const name = deployment.metadata.name;
    const constraint = (topologyKey: string) => ({
      maxSkew: 1,
      topologyKey,
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { 'app.kubernetes.io/name': name } },
      matchLabelKeys: ['pod-template-hash'],
    });
    assert.deepEqual(pod.topologySpreadConstraints, [constraint('topology.kubernetes.io/zone'), constraint('kubernetes.io/hostname')]);
  });

  it('renders afresh each time: changing one rendering leaves the next unchanged', () => {
    const chart = Testing.chart();
    const web = new HardenedDeployment(chart, 'web', minimalProps());
    const first = ApiObject.of(web.deployment).toJson();
    const second = ApiObject.of(web.deployment).toJson();
    assert.deepEqual(second, first);
    const pod = first.spec.template.spec;
    pod.containers[0].livenessProbe.httpGet.path = '/changed';
    pod.containers[0].resources.limits.memory = '1Gi';
    pod.topologySpreadConstraints[0].maxSkew = 9;
    pod.securityContext.runAsUser = 0;
    assert.deepEqual(ApiObject.of(web.deployment).toJson(), second);
  });

  it('defaults imagePullPolicy to IfNotPresent', () => {
    assert.equal(synthDeployment(minimalProps()).container.imagePullPolicy, 'IfNotPresent');
  });

  it('names the single container main and uses the image as given', () => {
    const { pod, container } = synthDeployment(minimalProps());
    assert.equal(pod.containers.length, 1);
    assert.equal(container.name, 'main');
    assert.equal(container.image, 'registry.example.com/todo-api:1.4.2');
  });

  it('renders resources exactly as given, with no cpu limit when none is given', () => {
    const { container } = synthDeployment(minimalProps({
      resources: { cpu: { request: '0.5' }, memory: { request: '268435456', limit: '512Mi' } },
    }));
    assert.deepEqual(container.resources, { requests: { cpu: '0.5', memory: '268435456' }, limits: { memory: '512Mi' } });
  });

  it('renders a cpu limit when one is given', () => {
    const { container } = synthDeployment(minimalProps({
      resources: { cpu: { request: '250m', limit: '1' }, memory: { request: '256Mi', limit: '256Mi' } },
    }));
    assert.deepEqual(container.resources, { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '256Mi' } });
  });

  it('adds no startupProbe unless one is given, although the container has a port', () => {
    const { container } = synthDeployment(minimalProps());
    assert.equal(container.startupProbe, undefined);
  });

  it('renders the liveness and readiness probes on the first port by default, liveness twice as tolerant of failures', () => {
    const { container } = synthDeployment(minimalProps());
    assert.deepEqual(container.livenessProbe, { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, failureThreshold: 6 });
    assert.deepEqual(container.readinessProbe, { httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' } });
  });

  it('is Burstable without a cpu limit, annotated on the pod template', () => {
    const { podTemplate, workload } = synthDeployment(minimalProps());
    assert.equal(workload.qosClass, QosClass.BURSTABLE);
    assert.equal(podTemplate.metadata.annotations['k8s-platform-kit.dev/qos-class'], 'Burstable');
  });

  it('is Guaranteed when limits equal requests, annotated on the pod template', () => {
    const { podTemplate, workload } = synthDeployment(minimalProps({
      resources: { cpu: { request: '500m', limit: '500m' }, memory: { request: '256Mi', limit: '256Mi' } },
    }));
    assert.equal(workload.qosClass, QosClass.GUARANTEED);
    assert.equal(podTemplate.metadata.annotations['k8s-platform-kit.dev/qos-class'], 'Guaranteed');
  });

  it('compares limits and requests by value: 0.5 and 500m are equal', () => {
    const { workload } = synthDeployment(minimalProps({
      resources: { cpu: { request: '0.5', limit: '500m' }, memory: { request: '1Gi', limit: '1024Mi' } },
    }));
    assert.equal(workload.qosClass, QosClass.GUARANTEED);
  });

  it('accepts a declared qosClass that matches the resources', () => {
    assert.equal(synthDeployment(minimalProps({ qosClass: QosClass.BURSTABLE })).workload.qosClass, QosClass.BURSTABLE);
    const guaranteed = synthDeployment(minimalProps({
      qosClass: QosClass.GUARANTEED,
      resources: { cpu: { request: '1', limit: '1' }, memory: { request: '1Gi', limit: '1Gi' } },
    }));
    assert.equal(guaranteed.podTemplate.metadata.annotations['k8s-platform-kit.dev/qos-class'], 'Guaranteed');
  });

  it('labels every object and the pods with app.kubernetes.io/name', () => {
    const { manifests, podTemplate, deployment } = synthDeployment(minimalProps());
    const name = deployment.metadata.name;
    assert.equal(podTemplate.metadata.labels['app.kubernetes.io/name'], name);
    for (const object of manifests) assert.equal(object.metadata.labels['app.kubernetes.io/name'], name, object.kind);
  });

  it('generates a DNS-1123 name from the construct path', () => {
    const { deployment, service, pdb, networkPolicy, workload } = synthDeployment(minimalProps());
    assert.match(workload.name, /^test-api-[0-9a-f]{8}$/);
    for (const object of [deployment, service, pdb, networkPolicy]) assert.equal(object.metadata.name, workload.name);
  });

  it('puts objects in no namespace by default', () => {
    const { manifests, workload } = synthDeployment(minimalProps());
    assert.equal(workload.namespace, undefined);
    for (const object of manifests) assert.equal(object.metadata.namespace, undefined, object.kind);
  });

  it('creates no HorizontalPodAutoscaler and no ConfigMap by default', () => {
    const { hpa, configMap, workload } = synthDeployment(minimalProps());
    assert.equal(hpa, undefined);
    assert.equal(configMap, undefined);
    assert.equal(workload.autoscaler, undefined);
    assert.equal(workload.config, undefined);
  });

  it('creates exactly Deployment, Service, PodDisruptionBudget and NetworkPolicy by default', () => {
    const { manifests } = synthDeployment(minimalProps());
    assert.deepEqual(manifests.map((o) => o.kind).sort(), ['Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'Service']);
  });

  it('exposes name, replicas and selectorLabels', () => {
    const { workload, deployment, podTemplate } = synthDeployment(minimalProps({ name: 'todo-api', replicas: 3 }));
    assert.equal(workload.name, 'todo-api');
    assert.equal(workload.replicas, 3);
    assert.deepEqual(workload.selectorLabels, deployment.spec.selector.matchLabels);
    for (const [key, value] of Object.entries(workload.selectorLabels)) assert.equal(podTemplate.metadata.labels[key], value);
    assert.equal(workload.deployment.name, 'todo-api');
  });

  it('does not mutate the props', () => {
    const props = minimalProps({ labels: { team: 'web' }, config: { 'app.yaml': 'a: 1' }, writablePaths: ['/tmp'] });
    const before = JSON.stringify(props);
    synthDeployment(props);
    assert.equal(JSON.stringify(props), before);
  });
});

describe('HardenedDeployment and the validation spine', () => {
  it('passes validation with the defaults', async () => {
    const app = Testing.app();
    new HardenedDeployment(new Chart(app, 'test'), 'api', minimalProps());
    const report = await validateApp(app);
    assert.deepEqual(report.errors, []);
    assert.equal(report.ok, true);
    assert.equal(report.objectCount, 4);
  });

  it('passes validation with no ports', async () => {
    const app = Testing.app();
    new HardenedDeployment(new Chart(app, 'test'), 'api', portlessProps());
    const report = await validateApp(app);
    assert.deepEqual(report.errors, []);
    assert.equal(report.ok, true);
  });

  it('passes validation fully featured', async () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const secret = Secret.fromSecretName(chart, 'DbSecret', 'todo-db');
    new HardenedDeployment(chart, 'api', minimalProps({
      name: 'todo-api',
      namespace: 'todo',
      labels: { 'app.kubernetes.io/part-of': 'todo' },
      ports: [{ number: 8080, name: 'http' }, { number: 9090, name: 'metrics' }],
      resources: { cpu: { request: '500m', limit: '500m' }, memory: { request: '512Mi', limit: '512Mi' } },
      qosClass: QosClass.GUARANTEED,
      startup: Probe.httpGet('/healthz', { failureThreshold: 30, periodSeconds: 2 }),
      autoscaling: { minReplicas: 2, maxReplicas: 10, cpuUtilizationPercent: 70, memoryUtilizationPercent: 80 },
      disruptionBudget: DisruptionBudget.minAvailable('50%'),
      config: { 'app.yaml': 'port: 8080\n', 'log.yaml': 'level: info\n' },
      env: [
        { name: 'LOG_LEVEL', value: EnvValue.fromValue('info') },
        { name: 'DB_PASSWORD', value: EnvValue.fromSecretValue({ secret, key: 'password' }) },
      ],
      writablePaths: ['/tmp'],
      serviceType: ServiceType.LOAD_BALANCER,
      internalLoadBalancer: Cloud.AWS,
      allowIngressFrom: [IngressPeer.cidr('10.0.0.0/16'), IngressPeer.namespace('ingress-nginx')],
    }));
    const report = await validateApp(app);
    assert.deepEqual(report.errors, [], report.format());
    assert.equal(report.ok, true);
    assert.equal(report.objectCount, 6);
  });

  it('passes validation with the seed autoscaling case', async () => {
    const app = Testing.app();
    new HardenedDeployment(new Chart(app, 'test'), 'api', minimalProps({
      autoscaling: { cpuUtilizationPercent: 400, minReplicas: 1, maxReplicas: 4 },
    }));
    const report = await validateApp(app);
    assert.deepEqual(report.errors, [], report.format());
  });

  it('reports a waived probe in report.waived with its reason', async () => {
    const app = Testing.app();
    new HardenedDeployment(new Chart(app, 'test'), 'api', minimalProps({ readiness: Probe.waived('a batch worker that serves no traffic') }));
    const report = await validateApp(app);
    assert.equal(report.ok, true);
    const waived = report.waived.filter((f) => f.ruleId === 'kit-probes');
    assert.equal(waived.length, 1);
    assert.equal(waived[0]?.waivedBecause, 'readiness: a batch worker that serves no traffic');
    assert.equal(waived[0]?.path, 'spec.template.spec.containers[0].readinessProbe');
    assert.equal(waived[0]?.constructPath, 'test/api/Resource/Resource');
  });

  it('reports a policy exception in report.waived with its reason', async () => {
    const app = Testing.app();
    new HardenedDeployment(new Chart(app, 'test'), 'api', minimalProps({
      mountServiceAccountToken: true,
      policyExceptions: { 'kit-service-account-token': 'reads ConfigMaps through the Kubernetes API' },
    }));
    const report = await validateApp(app);
    assert.equal(report.ok, true);
    assert.deepEqual(report.waived.map((f) => [f.ruleId, f.waivedBecause]), [
      ['kit-service-account-token', 'reads ConfigMaps through the Kubernetes API'],
    ]);
  });
});
