import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  Cloud, DisruptionBudget, EnvValue, IngressPeer, Probe, QosClass, ServiceType, type HardenedDeploymentProps,
} from '../../../constructs/index.js';
import { AT, build, minimalProps, portlessProps, synthDeployment } from './_deployment-fixtures.js';

/** Asserts that building a HardenedDeployment at `test/api` throws exactly `AT + message`. */
function throwsWith(props: HardenedDeploymentProps, message: string): void {
  assert.throws(() => build(props), { message: `${AT}${message}` });
}

const PIN_HINT = "; expected an image pinned by a version tag or a digest, e.g. 'nginx:1.27.3' or 'nginx@sha256:<digest>'";
const DRAIN = ', which would block every node drain and cluster upgrade; expected a budget that allows at least one pod to be evicted';

describe('HardenedDeployment resource errors', () => {
  it('throws if the cpu limit is below the cpu request', () => {
    throwsWith(minimalProps({ resources: { cpu: { request: '500m', limit: '250m' }, memory: { request: '256Mi', limit: '256Mi' } } }),
      "resources.cpu.limit ('250m') is below resources.cpu.request (500m)");
  });

  it('throws if the memory limit is below the memory request', () => {
    throwsWith(minimalProps({ resources: { cpu: { request: '250m' }, memory: { request: '512Mi', limit: '256Mi' } } }),
      "resources.memory.limit ('256Mi') is below resources.memory.request (512Mi)");
  });

  it('throws if Guaranteed is declared with a cpu limit above the request', () => {
    throwsWith(minimalProps({
      qosClass: QosClass.GUARANTEED, resources: { cpu: { request: '250m', limit: '500m' }, memory: { request: '256Mi', limit: '256Mi' } },
    }), "qosClass ('Guaranteed') needs resources.cpu.limit (500m) equal to resources.cpu.request (250m)");
  });

  it('throws if Guaranteed is declared with a memory limit above the request', () => {
    throwsWith(minimalProps({
      qosClass: QosClass.GUARANTEED, resources: { cpu: { request: '1', limit: '1' }, memory: { request: '256Mi', limit: '512Mi' } },
    }), "qosClass ('Guaranteed') needs resources.memory.limit (512Mi) equal to resources.memory.request (256Mi)");
  });

  it('throws if Guaranteed is declared without a cpu limit', () => {
    throwsWith(minimalProps({ qosClass: QosClass.GUARANTEED }),
      "qosClass ('Guaranteed') needs resources.cpu.limit equal to resources.cpu.request (250m), but no cpu limit is set");
  });

  it('throws if Burstable is declared with Guaranteed-shaped resources', () => {
    throwsWith(minimalProps({
      qosClass: QosClass.BURSTABLE, resources: { cpu: { request: '500m', limit: '500m' }, memory: { request: '256Mi', limit: '256Mi' } },
    }), "qosClass ('Burstable') is declared, but limits equal requests for both cpu (500m) and memory (256Mi), which Kubernetes classes as Guaranteed; expected QosClass.GUARANTEED, or a limit above its request");
  });

  it('throws if BestEffort is declared', () => {
    throwsWith(minimalProps({ qosClass: QosClass.BEST_EFFORT }),
      "qosClass ('BestEffort') cannot be declared: hardened workloads always request cpu and memory; expected Guaranteed or Burstable");
  });

  it('throws if a quantity is not a Kubernetes quantity (256MB)', () => {
    throwsWith(minimalProps({ resources: { cpu: { request: '250m' }, memory: { request: '256MB', limit: '512Mi' } } }),
      "resources.memory.request ('256MB') is not a Kubernetes quantity; expected a number with an optional suffix (Ki, Mi, Gi, Ti, Pi, Ei, m, k, M, G, T, P, E), e.g. 256Mi, 0.5 or 500m");
  });

  it('throws if a quantity is zero', () => {
    throwsWith(minimalProps({ resources: { cpu: { request: '0' }, memory: { request: '256Mi', limit: '256Mi' } } }),
      "resources.cpu.request ('0') must be greater than zero");
  });

  it('throws if a limit is negative', () => {
    throwsWith(minimalProps({ resources: { cpu: { request: '250m', limit: '-1' }, memory: { request: '256Mi', limit: '256Mi' } } }),
      "resources.cpu.limit ('-1') must be greater than zero");
  });
});

describe('HardenedDeployment replica, autoscaling and disruption budget errors', () => {
  it('throws if replicas is negative', () => {
    throwsWith(minimalProps({ replicas: -1 }), 'replicas (-1) must be a whole number >= 0');
  });

  it('throws if replicas is fractional', () => {
    throwsWith(minimalProps({ replicas: 1.5 }), 'replicas (1.5) must be a whole number >= 0');
  });

  it('throws if replicas is set with autoscaling', () => {
    throwsWith(minimalProps({ replicas: 3, autoscaling: { maxReplicas: 5 } }),
      'set either replicas (3) or autoscaling, not both: the HorizontalPodAutoscaler owns the replica count');
  });

  it('throws if autoscaling.minReplicas is greater than maxReplicas', () => {
    throwsWith(minimalProps({ autoscaling: { minReplicas: 5, maxReplicas: 4 } }),
      'autoscaling.minReplicas (5) is greater than autoscaling.maxReplicas (4)');
  });

  it('throws if autoscaling.minReplicas is below 1', () => {
    throwsWith(minimalProps({ autoscaling: { minReplicas: 0, maxReplicas: 4 } }), 'autoscaling.minReplicas (0) must be a whole number >= 1');
  });

  it('throws if autoscaling.maxReplicas is below 1', () => {
    throwsWith(minimalProps({ autoscaling: { maxReplicas: 0 } }), 'autoscaling.maxReplicas (0) must be a whole number >= 1');
  });

  it('throws if autoscaling.cpuUtilizationPercent is not a whole percentage >= 1', () => {
    throwsWith(minimalProps({ autoscaling: { maxReplicas: 4, cpuUtilizationPercent: 0 } }),
      'autoscaling.cpuUtilizationPercent (0) must be a whole percentage >= 1');
  });

  it('throws if autoscaling.memoryUtilizationPercent is not a whole percentage >= 1', () => {
    throwsWith(minimalProps({ autoscaling: { maxReplicas: 4, memoryUtilizationPercent: 12.5 } }),
      'autoscaling.memoryUtilizationPercent (12.5) must be a whole percentage >= 1');
  });

  it('throws if the disruption budget is maxUnavailable 0', () => {
    throwsWith(minimalProps({ disruptionBudget: DisruptionBudget.maxUnavailable(0) }),
      `disruptionBudget maxUnavailable 0 allows no pod to be evicted${DRAIN}`);
  });

  it("throws if the disruption budget is maxUnavailable '0%'", () => {
    throwsWith(minimalProps({ disruptionBudget: DisruptionBudget.maxUnavailable('0%') }),
      `disruptionBudget maxUnavailable "0%" allows no pod to be evicted${DRAIN}`);
  });

  it('throws if the disruption budget has minAvailable equal to replicas', () => {
    throwsWith(minimalProps({ replicas: 2, disruptionBudget: DisruptionBudget.minAvailable(2) }),
      `disruptionBudget minAvailable 2 with 2 replicas allows no pod to be evicted${DRAIN}`);
  });

  it("throws if the disruption budget is minAvailable '100%'", () => {
    throwsWith(minimalProps({ replicas: 3, disruptionBudget: DisruptionBudget.minAvailable('100%') }),
      `disruptionBudget minAvailable "100%" with 3 replicas allows no pod to be evicted${DRAIN}`);
  });

  it('throws if the disruption budget has minAvailable at the HPA minReplicas', () => {
    throwsWith(minimalProps({ autoscaling: { minReplicas: 2, maxReplicas: 6 }, disruptionBudget: DisruptionBudget.minAvailable(2) }),
      `disruptionBudget minAvailable 2 with 2 replicas allows no pod to be evicted${DRAIN}`);
  });

  it('throws if the disruption budget has minAvailable above the default HPA minReplicas of 1', () => {
    throwsWith(minimalProps({ autoscaling: { maxReplicas: 6 }, disruptionBudget: DisruptionBudget.minAvailable(1) }),
      `disruptionBudget minAvailable 1 with 1 replica allows no pod to be evicted${DRAIN}`);
  });

  it('throws if the disruption budget value is not a pod count', () => {
    throwsWith(minimalProps({ disruptionBudget: DisruptionBudget.maxUnavailable('150%') }),
      "disruptionBudget.maxUnavailable ('150%') must be a whole number >= 0 or a percentage from 0% to 100%");
    throwsWith(minimalProps({ disruptionBudget: DisruptionBudget.minAvailable(-1) }),
      "disruptionBudget.minAvailable (-1) must be a whole number >= 0 or a percentage such as '25%'");
  });

  it('throws if a disruption budget is given for a single replica, which gets none', () => {
    // One replica gets no PodDisruptionBudget, so the budget would be silently dropped.
    throwsWith(minimalProps({ replicas: 1, disruptionBudget: DisruptionBudget.maxUnavailable(0) }),
      "disruptionBudget ('maxUnavailable 0') has no effect with 1 replica: only a replicated workload gets a PodDisruptionBudget; "
      + 'expected more than one replica or autoscaling, or no disruptionBudget');
  });

  it('throws if maxSurge and maxUnavailable are both zero', () => {
    throwsWith(minimalProps({ maxSurge: 0 }),
      'maxSurge (0) and maxUnavailable (0) are both zero, so a rolling update could never replace a pod; '
      + 'allow a surge (e.g. maxSurge: 1) or some unavailability');
    throwsWith(minimalProps({ maxSurge: '0%', maxUnavailable: '0%' }),
      "maxSurge ('0%') and maxUnavailable ('0%') are both zero, so a rolling update could never replace a pod; "
      + 'allow a surge (e.g. maxSurge: 1) or some unavailability');
  });

  it("throws if a rolling update percentage is above 100% ('150%')", () => {
    throwsWith(minimalProps({ maxSurge: '150%' }), "maxSurge ('150%') must be a whole number >= 0 or a percentage from 0% to 100%");
  });

  it('throws if maxUnavailable is negative', () => {
    throwsWith(minimalProps({ maxUnavailable: -1 }), "maxUnavailable (-1) must be a whole number >= 0 or a percentage such as '25%'");
  });

  it('throws if progressDeadlineSeconds is not greater than minReadySeconds', () => {
    throwsWith(minimalProps({ progressDeadlineSeconds: 10 }),
      'progressDeadlineSeconds (10) must be a whole number greater than minReadySeconds (10)');
    throwsWith(minimalProps({ minReadySeconds: 60, progressDeadlineSeconds: 30 }),
      'progressDeadlineSeconds (30) must be a whole number greater than minReadySeconds (60)');
  });

  it('throws if minReadySeconds is negative', () => {
    throwsWith(minimalProps({ minReadySeconds: -1 }), 'minReadySeconds (-1) must be a whole number >= 0');
  });
});

describe('HardenedDeployment image errors', () => {
  it("throws if the image uses the 'latest' tag", () => {
    throwsWith(minimalProps({ image: 'nginx:latest' }),
      `image ('nginx:latest') uses the mutable tag 'latest'${PIN_HINT}`);
  });

  it('throws if the image has no tag', () => {
    throwsWith(minimalProps({ image: 'nginx' }), `image ('nginx') has no tag, so it pulls :latest${PIN_HINT}`);
  });

  it('throws if the image has a registry port but no tag', () => {
    throwsWith(minimalProps({ image: 'registry.example.com:5000/team/app' }),
      `image ('registry.example.com:5000/team/app') has no tag, so it pulls :latest${PIN_HINT}`);
  });

  it('throws if the image digest is malformed', () => {
    throwsWith(minimalProps({ image: 'nginx@sha256:abc' }), `image ('nginx@sha256:abc') has a malformed digest 'sha256:abc'${PIN_HINT}`);
  });

  it('accepts an image pinned by digest, with or without a tag, and a registry port with a tag', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    for (const image of [`nginx@${digest}`, `nginx:latest@${digest}`, 'registry.example.com:5000/team/app:1.2.3']) {
      const { container } = synthDeployment(minimalProps({ image }));
      assert.equal(container.image, image, 'the container runs the image exactly as given');
    }
  });
});

describe('HardenedDeployment probe errors', () => {
  it('throws if a probe targets a port number the container does not expose', () => {
    throwsWith(minimalProps({ liveness: Probe.httpGet('/healthz', { port: 9090 }) }),
      'liveness.port (9090) is not a port the container exposes (exposed: 8080 (http))');
  });

  it('throws if a probe targets a port name the container does not expose', () => {
    throwsWith(minimalProps({ ports: [{ number: 8080, name: 'http' }, { number: 9000 }], readiness: Probe.tcpSocket({ port: 'admin' }) }),
      "readiness.port ('admin') is not a port the container exposes (exposed: 8080 (http), 9000)");
  });

  it('throws if a startup probe targets a port the container does not expose', () => {
    throwsWith(minimalProps({ startup: Probe.grpc({ port: 50051 }) }),
      'startup.port (50051) is not a port the container exposes (exposed: 8080 (http))');
  });

  it('throws if a probe needs a port and the container has none', () => {
    throwsWith(portlessProps({ liveness: Probe.httpGet('/healthz') }),
      'liveness is a httpGet probe, which needs a port, but the container exposes none; expected ports, or Probe.exec');
  });

  it('throws if a probe names a port and the container has none', () => {
    throwsWith(portlessProps({ readiness: Probe.tcpSocket({ port: 8080 }) }),
      'readiness.port (8080) is not a port the container exposes (exposed: none)');
  });

  it('throws if the liveness probe is missing', () => {
    throwsWith(minimalProps({ liveness: undefined }),
      "liveness is required; expected a probe such as Probe.httpGet('/healthz') (or tcpSocket, exec, grpc), or a waiver: Probe.waived('<reason>')");
  });

  it('throws if the readiness probe is missing', () => {
    throwsWith(minimalProps({ readiness: undefined }),
      "readiness is required; expected a probe such as Probe.httpGet('/healthz') (or tcpSocket, exec, grpc), or a waiver: Probe.waived('<reason>')");
  });

  it('throws if a probe is waived without a reason', () => {
    throwsWith(minimalProps({ liveness: Probe.waived('') }), "liveness is waived without a reason; expected the reason, as in Probe.waived('<reason>')");
    throwsWith(minimalProps({ readiness: Probe.waived('   ') }), "readiness is waived without a reason; expected the reason, as in Probe.waived('<reason>')");
  });

  it('throws if a liveness or startup probe has a successThreshold other than 1', () => {
    assert.throws(() => build(minimalProps({ liveness: Probe.httpGet('/healthz', { successThreshold: 2 }) })),
      { message: "HardenedDeployment 'test/api': liveness.successThreshold (2) must be 1: the API server accepts no other value for liveness probes" });
    assert.throws(() => build(minimalProps({ startup: Probe.httpGet('/healthz', { successThreshold: 3 }) })),
      { message: "HardenedDeployment 'test/api': startup.successThreshold (3) must be 1: the API server accepts no other value for startup probes" });
  });

  it('throws on probe timings the API server refuses, an exec probe with no command and a relative HTTP path', () => {
    throwsWith(minimalProps({ liveness: Probe.httpGet('/healthz', { periodSeconds: -1 }) }), 'liveness.periodSeconds (-1) must be a whole number >= 1');
    throwsWith(minimalProps({ readiness: Probe.httpGet('/ready', { initialDelaySeconds: -5 }) }), 'readiness.initialDelaySeconds (-5) must be a whole number >= 0');
    throwsWith(minimalProps({ readiness: Probe.httpGet('/ready', { timeoutSeconds: 0.5 }) }), 'readiness.timeoutSeconds (0.5) must be a whole number >= 1');
    throwsWith(minimalProps({ liveness: Probe.exec([' ']) }), "liveness is an exec probe with no command; expected the command, as in Probe.exec(['pg_isready'])");
    throwsWith(minimalProps({ liveness: Probe.httpGet('healthz') }), "liveness.path ('healthz') is not an absolute path; expected e.g. '/healthz'");
  });
});

describe('HardenedDeployment port, name and env errors', () => {
  it('throws if a port number is outside 1-65535', () => {
    for (const number of [0, 70000, 1.5]) {
      throwsWith(minimalProps({ ports: [{ number }], liveness: Probe.exec(['true']), readiness: Probe.exec(['true']) }),
        `ports[0].number (${number}) is not a port number; expected 1 to 65535`);
    }
  });

  it('throws if a port name is not an IANA service name', () => {
    for (const name of ['HTTP', 'http_alt', '8080', 'a-very-long-port-name', 'a--b', '-http']) {
      throwsWith(minimalProps({ ports: [{ number: 8080 }, { number: 8081, name }] }),
        `ports[1].name ('${name}') must be at most 15 lower-case letters, digits and '-', with at least one letter`);
    }
  });

  it('throws if a port is declared twice', () => {
    throwsWith(minimalProps({ ports: [{ number: 8080, name: 'http' }, { number: 8080, name: 'web', protocol: 'TCP' }] }),
      'ports declares 8080/TCP twice');
  });

  it('throws if the name is not a DNS-1123 label (Todo_API)', () => {
    throwsWith(minimalProps({ name: 'Todo_API' }),
      "name ('Todo_API') is not a DNS-1123 label: it must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character");
  });

  it('throws if the name is longer than 63 characters', () => {
    const name = 'a'.repeat(64);
    throwsWith(minimalProps({ name }), `name ('${name}') is not a DNS-1123 label: it must be no more than 63 characters (got 64)`);
  });

  it('throws if the name of a workload with a Service starts with a digit', () => {
    throwsWith(minimalProps({ name: '1api' }), "name ('1api') is also the Service's name, which must be a DNS-1035 label: it must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character");
  });

  it('throws if the namespace is not a DNS-1123 label', () => {
    throwsWith(minimalProps({ namespace: 'Todo.Apps' }),
      "namespace ('Todo.Apps') is not a DNS-1123 label: it must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character");
  });

  it('throws if an env name is repeated', () => {
    throwsWith(minimalProps({
      env: [{ name: 'LOG_LEVEL', value: EnvValue.fromValue('info') }, { name: 'LOG_LEVEL', value: EnvValue.fromValue('debug') }],
    }), "env[1].name ('LOG_LEVEL') is set more than once; expected each variable name to be unique");
  });

  it('throws if an env name is empty or contains =', () => {
    throwsWith(minimalProps({ env: [{ name: '', value: EnvValue.fromValue('x') }] }), "env[0].name ('') must be non-empty and must not contain '='");
    throwsWith(minimalProps({ env: [{ name: 'A=B', value: EnvValue.fromValue('x') }] }), "env[0].name ('A=B') must be non-empty and must not contain '='");
  });

  it('throws if a config key is not a valid ConfigMap key', () => {
    assert.throws(() => build(minimalProps({ config: { 'conf/app.yaml': 'x' } })), {
      message: "HardenedDeployment 'test/api': config['conf/app.yaml'] has a key that is not a ConfigMap key: it must consist of alphanumeric characters, '-', '_' or '.'",
    });
  });
});

describe('HardenedDeployment pod lifecycle and filesystem errors', () => {
  it('throws if terminationGracePeriodSeconds is not longer than preStopSleepSeconds', () => {
    throwsWith(minimalProps({ terminationGracePeriodSeconds: 5 }),
      'terminationGracePeriodSeconds (5) must be longer than preStopSleepSeconds (5), or the container is killed before it can shut down after the hook');
    throwsWith(minimalProps({ terminationGracePeriodSeconds: 20, preStopSleepSeconds: 30 }),
      'terminationGracePeriodSeconds (20) must be longer than preStopSleepSeconds (30), or the container is killed before it can shut down after the hook');
  });

  it('throws if terminationGracePeriodSeconds is below 1', () => {
    throwsWith(minimalProps({ terminationGracePeriodSeconds: 0, preStopSleepSeconds: 0 }),
      'terminationGracePeriodSeconds (0) must be a whole number >= 1');
  });

  it('throws if preStopSleepSeconds is negative', () => {
    throwsWith(minimalProps({ preStopSleepSeconds: -1 }), 'preStopSleepSeconds (-1) must be a whole number >= 0');
  });

  it('throws if user is 0 (root)', () => {
    throwsWith(minimalProps({ user: 0 }), 'user (0) must be a non-root numeric user id (>= 1)');
  });

  it('throws if group is negative', () => {
    throwsWith(minimalProps({ group: -1 }), 'group (-1) must be a numeric group id (>= 0)');
  });

  it('throws if a writable path is relative', () => {
    throwsWith(minimalProps({ writablePaths: ['/tmp', 'cache'] }), "writablePaths[1] ('cache') must be an absolute path");
  });

  it('throws if configMountPath is relative', () => {
    throwsWith(minimalProps({ config: { a: '1' }, configMountPath: 'config' }), "configMountPath ('config') must be an absolute path");
  });

  it('throws if a writable path is also the config mount path', () => {
    assert.throws(() => build(minimalProps({ config: { a: '1' }, writablePaths: ['/etc/config'] })),
      { message: /^HardenedDeployment 'test\/api': .*'\/etc\/config'/ });
  });

  it('throws if a writable path is given twice', () => {
    assert.throws(() => build(minimalProps({ writablePaths: ['/tmp', '/tmp'] })), { message: /^HardenedDeployment 'test\/api': .*'\/tmp'/ });
  });
});

describe('HardenedDeployment exposure errors', () => {
  it('throws if internalLoadBalancer is set without serviceType LOAD_BALANCER', () => {
    throwsWith(minimalProps({ internalLoadBalancer: Cloud.AWS }), "internalLoadBalancer ('aws') needs serviceType LOAD_BALANCER, but serviceType is ClusterIP");
    throwsWith(minimalProps({ internalLoadBalancer: Cloud.AZURE, serviceType: ServiceType.NODE_PORT, allowIngressFrom: [IngressPeer.cidr('10.0.0.0/8')] }),
      "internalLoadBalancer ('azure') needs serviceType LOAD_BALANCER, but serviceType is NodePort");
  });

  it('throws if serviceType LOAD_BALANCER has no cidr peer', () => {
    throwsWith(minimalProps({ serviceType: ServiceType.LOAD_BALANCER, allowIngressFrom: [IngressPeer.namespace('ingress-nginx')] }),
      "serviceType ('LoadBalancer') receives traffic from outside the cluster, but allowIngressFrom has no IngressPeer.cidr(...), so the NetworkPolicy would drop it; expected an IngressPeer.cidr(...) with the load balancer's or clients' address range");
  });

  it('throws if serviceType NODE_PORT has no cidr peer', () => {
    throwsWith(minimalProps({ serviceType: ServiceType.NODE_PORT }),
      "serviceType ('NodePort') receives traffic from outside the cluster, but allowIngressFrom has no IngressPeer.cidr(...), so the NetworkPolicy would drop it; expected an IngressPeer.cidr(...) with the load balancer's or clients' address range");
  });

  it('throws if serviceType is EXTERNAL_NAME', () => {
    throwsWith(minimalProps({ serviceType: ServiceType.EXTERNAL_NAME }),
      "serviceType ('ExternalName') does not route to pods; expected ClusterIP, NodePort or LoadBalancer");
  });

  it('throws if serviceType is set but the container has no ports', () => {
    throwsWith(portlessProps({ serviceType: ServiceType.CLUSTER_IP }), "serviceType ('ClusterIP') is set but the container declares no ports");
  });
});

describe('HardenedDeployment input from untyped callers and conflicting options', () => {
  it('throws if resources lack a required field', () => {
    const resources = { cpu: { request: '100m' }, memory: { request: '64Mi' } } as unknown as HardenedDeploymentProps['resources'];
    throwsWith(minimalProps({ resources }), 'resources ({"cpu":{"request":"100m"},"memory":{"request":"64Mi"}}) needs cpu.request, memory.request and memory.limit');
  });

  it('throws if a quantity is not a string', () => {
    const resources = { cpu: { request: 0.5 }, memory: { request: '64Mi', limit: '64Mi' } } as unknown as HardenedDeploymentProps['resources'];
    assert.throws(() => build(minimalProps({ resources })), { message: new RegExp(`^${AT}resources\\.cpu\\.request \\(0\\.5\\) is not a Kubernetes quantity; expected `) });
  });

  it('throws if the startup probe is waived', () => {
    throwsWith(minimalProps({ startup: Probe.waived('slow') }), 'startup cannot be waived: the startup probe is optional, so leave it out');
  });

  it('throws if a probe waiver and a kit-probes policy exception are both given', () => {
    throwsWith(minimalProps({ liveness: Probe.waived('no endpoint'), policyExceptions: { 'kit-probes': 'also' } }),
      "Only one of policyExceptions['kit-probes'] or Probe.waived() can be provided: the waiver records the exception itself");
  });

  it('throws if the HPA cpu target is above what the cpu limit allows', () => {
    throwsWith(minimalProps({
      replicas: undefined,
      resources: { cpu: { request: '250m', limit: '500m' }, memory: { request: '64Mi', limit: '128Mi' } },
      autoscaling: { maxReplicas: 4, cpuUtilizationPercent: 400 },
    }), 'autoscaling.cpuUtilizationPercent (400) can never be reached: the cpu limit (500m) caps use at 200% of the cpu request (250m); expected a lower target, or a higher cpu limit or none');
  });

  it('throws on a network peer that could never admit what it says: a bad namespace, an empty pod selector, a bad CIDR or except', () => {
    throwsWith(minimalProps({ allowIngressFrom: [IngressPeer.namespace('Edge_NS')] }),
      "allowIngressFrom[0] (namespace Edge_NS) names the namespace 'Edge_NS', which must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character");
    throwsWith(minimalProps({ allowIngressFrom: [IngressPeer.pods({}, 'edge')] }),
      'allowIngressFrom[0] (pods {}) selects no labels, so it admits every pod of the namespace; name the labels, or use IngressPeer.namespace() to admit the whole namespace');
    throwsWith(minimalProps({ allowIngressFrom: [IngressPeer.cidr('10.0.0.0/33')] }), "allowIngressFrom[0] (cidr 10.0.0.0/33) has '10.0.0.0/33', which is not an IPv4 CIDR such as '10.0.0.0/16'");
    throwsWith(minimalProps({ allowIngressFrom: [IngressPeer.cidr('10.0.0.0/16', ['10.1.0.0/24'])] }), "allowIngressFrom[0] (cidr 10.0.0.0/16) excepts '10.1.0.0/24', which is not a strict subset of 10.0.0.0/16");
    assert.doesNotThrow(() => build(minimalProps({ allowIngressFrom: [IngressPeer.pods({ app: 'web' }, 'edge'), IngressPeer.cidr('10.0.0.0/16', ['10.0.1.0/24'])] })));
  });
});
