import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Testing } from 'cdk8s';
import {
  ConfigMap, EnvValue, HardenedDeployment, Probe, Secret, TopologySpread,
} from '../../../constructs/index.js';
import { minimalProps, ofKind, portlessProps, synthDeployment } from './_deployment-fixtures.js';

describe('HardenedDeployment pod and container overrides', () => {
  it('name names the Deployment, Service, PodDisruptionBudget and NetworkPolicy', () => {
    const { manifests, workload, podTemplate } = synthDeployment(minimalProps({ name: 'todo-api' }));
    assert.equal(workload.name, 'todo-api');
    for (const kind of ['Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy']) {
      assert.equal(ofKind(manifests, kind).metadata.name, 'todo-api', kind);
    }
    assert.equal(podTemplate.metadata.labels['app.kubernetes.io/name'], 'todo-api');
  });

  it('name is the base of the ConfigMap name', () => {
    const { configMap } = synthDeployment(minimalProps({ name: 'todo-api', config: { a: '1' } }));
    assert.match(configMap.metadata.name, /^todo-api-config-[0-9a-f]{10}$/);
  });

  it('namespace is set on every object', () => {
    const { manifests, workload } = synthDeployment(minimalProps({
      namespace: 'todo', config: { a: '1' }, autoscaling: { maxReplicas: 3 },
    }));
    assert.equal(workload.namespace, 'todo');
    assert.deepEqual(manifests.map((o) => o.kind).sort(), [
      'ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'Service',
    ]);
    for (const object of manifests) assert.equal(object.metadata.namespace, 'todo', object.kind);
  });

  it('command and args are passed to the container', () => {
    const { container } = synthDeployment(minimalProps({ command: ['/app/server'], args: ['--port', '8080'] }));
    assert.deepEqual(container.command, ['/app/server']);
    assert.deepEqual(container.args, ['--port', '8080']);
  });

  it('leaves command and args to the image by default', () => {
    const { container } = synthDeployment(minimalProps());
    assert.equal(container.command, undefined);
    assert.equal(container.args, undefined);
  });

  it('ports are declared on the container and the Service with their names and protocols', () => {
    const { container, service } = synthDeployment(minimalProps({
      ports: [{ number: 8080, name: 'http' }, { number: 5353, name: 'dns', protocol: 'UDP' }, { number: 9000 }],
    }));
    assert.deepEqual(container.ports, [
      { containerPort: 8080, name: 'http' },
      { containerPort: 5353, name: 'dns', protocol: 'UDP' },
      { containerPort: 9000 },
    ]);
    assert.deepEqual(service.spec.ports, [
      { port: 8080, targetPort: 8080, name: 'http' },
      { port: 5353, targetPort: 5353, name: 'dns', protocol: 'UDP' },
      { port: 9000, targetPort: 9000 },
    ]);
  });

  it('accepts the same port number with different protocols', () => {
    const { container, service } = synthDeployment(minimalProps({
      ports: [{ number: 53, name: 'dns-tcp' }, { number: 53, name: 'dns-udp', protocol: 'UDP' }],
    }));
    // No protocol means TCP (the Kubernetes default), so the two do not collide.
    assert.deepEqual(container.ports, [{ containerPort: 53, name: 'dns-tcp' }, { containerPort: 53, name: 'dns-udp', protocol: 'UDP' }]);
    assert.deepEqual(service.spec.ports, [{ name: 'dns-tcp', port: 53, targetPort: 53 }, { name: 'dns-udp', port: 53, protocol: 'UDP', targetPort: 53 }]);
  });

  it('httpGet probe: path, scheme, timing and a port by number', () => {
    const { container } = synthDeployment(minimalProps({
      ports: [{ number: 8080, name: 'http' }, { number: 8443, name: 'https' }],
      liveness: Probe.httpGet('/livez', {
        port: 8443, scheme: 'HTTPS', initialDelaySeconds: 5, periodSeconds: 20, timeoutSeconds: 3, failureThreshold: 4, successThreshold: 1,
      }),
    }));
    assert.deepEqual(container.livenessProbe, {
      httpGet: { path: '/livez', port: 8443, scheme: 'HTTPS' },
      initialDelaySeconds: 5, periodSeconds: 20, timeoutSeconds: 3, failureThreshold: 4, successThreshold: 1,
    });
  });

  it('httpGet probe: a port by name stays a name', () => {
    const { container } = synthDeployment(minimalProps({
      ports: [{ number: 8080, name: 'http' }, { number: 9090, name: 'admin' }],
      readiness: Probe.httpGet('/ready', { port: 'admin' }),
    }));
    assert.deepEqual(container.readinessProbe, { httpGet: { path: '/ready', port: 'admin', scheme: 'HTTP' } });
  });

  it('tcpSocket probe: the first port by default, a named port, timing', () => {
    const { container } = synthDeployment(minimalProps({
      ports: [{ number: 5432, name: 'postgres' }, { number: 9187, name: 'metrics' }],
      liveness: Probe.tcpSocket({ periodSeconds: 15 }),
      readiness: Probe.tcpSocket({ port: 'metrics', timeoutSeconds: 2 }),
    }));
    assert.deepEqual(container.livenessProbe, { tcpSocket: { port: 5432 }, periodSeconds: 15, failureThreshold: 6 });
    assert.deepEqual(container.readinessProbe, { tcpSocket: { port: 'metrics' }, timeoutSeconds: 2 });
  });

  it('exec probe: the command and timing, no port needed', () => {
    const { container } = synthDeployment(portlessProps({
      liveness: Probe.exec(['pg_isready', '-U', 'app'], { periodSeconds: 30, failureThreshold: 5 }),
    }));
    assert.deepEqual(container.livenessProbe, { exec: { command: ['pg_isready', '-U', 'app'] }, periodSeconds: 30, failureThreshold: 5 });
    assert.deepEqual(container.readinessProbe, { exec: { command: ['/bin/healthcheck', 'ready'] } });
  });

  it('grpc probe: a port by name is resolved to its number, with the service', () => {
    const { container } = synthDeployment(minimalProps({
      ports: [{ number: 8080, name: 'http' }, { number: 50051, name: 'grpc' }],
      liveness: Probe.grpc({ port: 'grpc', periodSeconds: 10 }),
      readiness: Probe.grpc({ port: 50051, service: 'todo.v1.TodoService' }),
    }));
    assert.deepEqual(container.livenessProbe, { grpc: { port: 50051 }, periodSeconds: 10, failureThreshold: 6 });
    assert.deepEqual(container.readinessProbe, { grpc: { port: 50051, service: 'todo.v1.TodoService' } });
  });

  it('startup probe is rendered when given', () => {
    const { container } = synthDeployment(minimalProps({
      startup: Probe.httpGet('/healthz', { failureThreshold: 30, periodSeconds: 2 }),
    }));
    assert.deepEqual(container.startupProbe, { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, failureThreshold: 30, periodSeconds: 2 });
  });


  it('Probe.waived records the reason as a kit-probes exception and renders no probe', () => {
    const { container, deployment } = synthDeployment(minimalProps({ liveness: Probe.waived('the runtime restarts it on deadlock') }));
    assert.equal(container.livenessProbe, undefined);
    assert.deepEqual(container.readinessProbe, { httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' } });
    assert.equal(deployment.metadata.annotations['exceptions.k8s-platform-kit.dev/kit-probes'], 'liveness: the runtime restarts it on deadlock');
  });

  it('Probe.waived on both probes records both reasons', () => {
    const { container, deployment } = synthDeployment(minimalProps({
      liveness: Probe.waived('restarted by its supervisor'), readiness: Probe.waived('serves no traffic'),
    }));
    assert.equal(container.livenessProbe, undefined);
    assert.equal(container.readinessProbe, undefined);
    assert.equal(deployment.metadata.annotations['exceptions.k8s-platform-kit.dev/kit-probes'],
      'liveness: restarted by its supervisor; readiness: serves no traffic');
  });

  it('env takes literal, ConfigMap and Secret values', () => {
    const chart = Testing.chart();
    const secret = Secret.fromSecretName(chart, 'Db', 'todo-db');
    const settings = ConfigMap.fromConfigMapName(chart, 'Settings', 'todo-settings');
    new HardenedDeployment(chart, 'api', minimalProps({
      env: [
        { name: 'LOG_LEVEL', value: EnvValue.fromValue('debug') },
        { name: 'REGION', value: EnvValue.fromConfigMap(settings, 'region') },
        { name: 'DB_PASSWORD', value: EnvValue.fromSecretValue({ secret, key: 'password' }) },
      ],
    }));
    const container = ofKind(Testing.synth(chart), 'Deployment').spec.template.spec.containers[0];
    assert.deepEqual(container.env, [
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'REGION', valueFrom: { configMapKeyRef: { name: 'todo-settings', key: 'region' } } },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'todo-db', key: 'password' } } },
    ]);
  });

  it('config becomes a hashed, immutable ConfigMap mounted read-only at /etc/config', () => {
    const { configMap, container, pod, workload } = synthDeployment(minimalProps({ config: { 'app.yaml': 'port: 8080\n' } }));
    assert.equal(configMap.immutable, true);
    assert.deepEqual(configMap.data, { 'app.yaml': 'port: 8080\n' });
    assert.match(configMap.metadata.name, new RegExp(`^${workload.name}-config-[0-9a-f]{10}$`));
    assert.equal(workload.config?.name, configMap.metadata.name);
    assert.deepEqual(container.volumeMounts, [{ name: 'config', mountPath: '/etc/config', readOnly: true }]);
    assert.deepEqual(pod.volumes, [{ name: 'config', configMap: { name: configMap.metadata.name } }]);
  });

  it('configMountPath moves the config mount', () => {
    const { container } = synthDeployment(minimalProps({ config: { 'app.yaml': 'x' }, configMountPath: '/app/config' }));
    assert.deepEqual(container.volumeMounts, [{ name: 'config', mountPath: '/app/config', readOnly: true }]);
  });

  it('a config change changes the ConfigMap name and the pod template, so the pods roll', () => {
    const before = synthDeployment(minimalProps({ name: 'todo-api', config: { 'app.yaml': 'level: info' } }));
    const after = synthDeployment(minimalProps({ name: 'todo-api', config: { 'app.yaml': 'level: debug' } }));
    assert.notEqual(before.configMap.metadata.name, after.configMap.metadata.name);
    assert.notDeepEqual(before.podTemplate, after.podTemplate);
    assert.equal(after.pod.volumes[0].configMap.name, after.configMap.metadata.name);
  });

  it('the same config in a different key order gives the same ConfigMap name and pod template', () => {
    const one = synthDeployment(minimalProps({ name: 'todo-api', config: { 'a.yaml': '1', 'b.yaml': '2' } }));
    const two = synthDeployment(minimalProps({ name: 'todo-api', config: { 'b.yaml': '2', 'a.yaml': '1' } }));
    assert.equal(one.configMap.metadata.name, two.configMap.metadata.name);
    assert.deepEqual(one.podTemplate, two.podTemplate);
  });

  it('writablePaths become emptyDir mounts', () => {
    const { container, pod } = synthDeployment(minimalProps({ writablePaths: ['/tmp', '/var/cache/app'] }));
    assert.deepEqual(container.volumeMounts, [{ name: 'writable-0', mountPath: '/tmp' }, { name: 'writable-1', mountPath: '/var/cache/app' }]);
    assert.deepEqual(pod.volumes, [{ name: 'writable-0', emptyDir: {} }, { name: 'writable-1', emptyDir: {} }]);
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
  });

  it('config and writablePaths mount together', () => {
    const { container } = synthDeployment(minimalProps({ config: { a: '1' }, writablePaths: ['/tmp'] }));
    assert.deepEqual(container.volumeMounts.map((m: { mountPath: string }) => m.mountPath), ['/etc/config', '/tmp']);
  });

  it('user and group set the pod and container ids and the fsGroup', () => {
    const { pod, container } = synthDeployment(minimalProps({ user: 1000, group: 2000 }));
    assert.equal(pod.securityContext.runAsUser, 1000);
    assert.equal(pod.securityContext.runAsGroup, 2000);
    assert.equal(pod.securityContext.fsGroup, 2000);
    assert.equal(container.securityContext.runAsUser, 1000);
    assert.equal(container.securityContext.runAsGroup, 2000);
  });

  it('group may be 0', () => {
    const { pod } = synthDeployment(minimalProps({ group: 0 }));
    assert.equal(pod.securityContext.runAsGroup, 0);
    assert.equal(pod.securityContext.fsGroup, 0);
  });

  it('serviceAccountName sets the pod ServiceAccount', () => {
    const { pod, manifests } = synthDeployment(minimalProps({ serviceAccountName: 'todo-api' }));
    assert.equal(pod.serviceAccountName, 'todo-api');
    assert.equal(ofKind(manifests, 'ServiceAccount'), undefined);
  });

  it('mountServiceAccountToken mounts the token', () => {
    assert.equal(synthDeployment(minimalProps({ mountServiceAccountToken: true })).pod.automountServiceAccountToken, true);
  });

  it('preStopSleepSeconds changes the hook', () => {
    const { container } = synthDeployment(minimalProps({ preStopSleepSeconds: 15 }));
    assert.deepEqual(container.lifecycle, { preStop: { sleep: { seconds: 15 } } });
  });

  it('preStopSleepSeconds 0 removes the hook', () => {
    assert.equal(synthDeployment(minimalProps({ preStopSleepSeconds: 0 })).container.lifecycle, undefined);
  });

  it('terminationGracePeriodSeconds is set on the pod', () => {
    assert.equal(synthDeployment(minimalProps({ terminationGracePeriodSeconds: 90 })).pod.terminationGracePeriodSeconds, 90);
  });

  it('TopologySpread.REQUIRED spreads with DoNotSchedule', () => {
    const { pod } = synthDeployment(minimalProps({ topologySpread: TopologySpread.REQUIRED }));
    assert.deepEqual(pod.topologySpreadConstraints.map((c: { topologyKey: string; whenUnsatisfiable: string }) => [c.topologyKey, c.whenUnsatisfiable]), [
      ['topology.kubernetes.io/zone', 'DoNotSchedule'],
      ['kubernetes.io/hostname', 'DoNotSchedule'],
    ]);
  });

  it('TopologySpread.NONE sets no constraints', () => {
    assert.equal(synthDeployment(minimalProps({ topologySpread: TopologySpread.NONE })).pod.topologySpreadConstraints, undefined);
  });

  it('labels go on the pods and on the Deployment, Service, PodDisruptionBudget, NetworkPolicy and HPA', () => {
    const labels = { 'app.kubernetes.io/part-of': 'todo', team: 'web' };
    const { manifests, podTemplate, workload } = synthDeployment(minimalProps({ labels, autoscaling: { maxReplicas: 3 } }));
    assert.equal(podTemplate.metadata.labels.team, 'web');
    assert.equal(podTemplate.metadata.labels['app.kubernetes.io/part-of'], 'todo');
    for (const kind of ['Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy', 'HorizontalPodAutoscaler']) {
      assert.deepEqual(ofKind(manifests, kind).metadata.labels, { ...labels, 'app.kubernetes.io/name': workload.name }, kind);
    }
  });

  it('labels go on the config ConfigMap too', () => {
    const { configMap, workload } = synthDeployment(minimalProps({ labels: { team: 'web' }, config: { a: '1' } }));
    assert.deepEqual(configMap.metadata.labels, { team: 'web', 'app.kubernetes.io/name': workload.name });
  });

  it('throws if a label would replace app.kubernetes.io/name', () => {
    assert.throws(() => synthDeployment(minimalProps({ name: 'todo-api', labels: { 'app.kubernetes.io/name': 'other' } })), {
      message: "HardenedDeployment 'test/api': labels['app.kubernetes.io/name'] ('other') must not be set: the kit sets it from name; expected name to be set instead",
    });
  });

  it('policyExceptions become exceptions.k8s-platform-kit.dev/<rule> annotations on the Deployment', () => {
    const { deployment, podTemplate } = synthDeployment(minimalProps({
      policyExceptions: { 'kit-service-account-token': 'calls the Kubernetes API', 'kit-pdb': 'a singleton by design' },
    }));
    assert.deepEqual(deployment.metadata.annotations, {
      'exceptions.k8s-platform-kit.dev/kit-service-account-token': 'calls the Kubernetes API',
      'exceptions.k8s-platform-kit.dev/kit-pdb': 'a singleton by design',
    });
    assert.equal(podTemplate.metadata.annotations['exceptions.k8s-platform-kit.dev/kit-pdb'], undefined);
  });

  it('policyExceptions and a probe waiver are recorded together', () => {
    const { deployment } = synthDeployment(minimalProps({
      policyExceptions: { 'kit-pdb': 'a singleton by design' }, readiness: Probe.waived('serves no traffic'),
    }));
    assert.deepEqual(deployment.metadata.annotations, {
      'exceptions.k8s-platform-kit.dev/kit-pdb': 'a singleton by design',
      'exceptions.k8s-platform-kit.dev/kit-probes': 'readiness: serves no traffic',
    });
  });
});
