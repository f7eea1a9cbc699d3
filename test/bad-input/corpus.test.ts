/**
 * The bad-input corpus: inputs the API server (or the controller behind it) would refuse,
 * references that can never resolve, props that conflict or have no effect, and secrets
 * given as literals. Each must be refused at construction with a PropsError whose message
 * names the field (and the value, when it is not a secret). The test reports the share
 * refused and fails below 95%, listing the cases the kit accepts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing, type Chart } from 'cdk8s';
import {
  AppNamespace, BackupSchedule, BasicAuthUsers, BlueGreenDeployment, CertManager, CiDeployer, DiskStorageClass, DisruptionBudget,
  EfkLogging, EnvValue, EnvoyGateway, EnvoyGatewayClass, ExternalDns, ExternalService, FluxGitSync, HardenedDeployment,
  HashedConfigMap, HelmChart, HelmChartRelease, Http01Solver, IngressNginx, IngressPeer, IngressWithAuth, LetsEncryptIssuers,
  MonitoringStack, Probe, PropsError, ReadOnlyAccess, ServiceType, StatefulMongo, StatefulRedis, TeamNamespace, Velero,
  WorkloadIdentity, Cloud, QosClass,
  type BlueGreenDeploymentProps, type EfkLoggingProps, type HardenedDeploymentProps, type StatefulMongoProps,
  type StatefulRedisProps, type TeamNamespaceProps,
} from '../../constructs/index.js';
import * as kplus from '../../constructs/core/plus.js';

/** One bad input: how to build it, and what the refusal must say. */
interface Case {
  readonly title: string;
  readonly build: (chart: Chart) => unknown;
  /** The message must match: it names the field, and the value unless it is a secret. */
  readonly message: RegExp;
  /** A secret the message must not show. */
  readonly secret?: string;
}

const deployment = (over: Partial<HardenedDeploymentProps> = {}): HardenedDeploymentProps => ({
  name: 'api',
  namespace: 'shop',
  image: 'registry.example.com/shop/api:1.4.2',
  ports: [{ number: 8080, name: 'http' }],
  resources: { cpu: { request: '250m' }, memory: { request: '256Mi', limit: '256Mi' } },
  liveness: Probe.httpGet('/healthz'),
  readiness: Probe.httpGet('/ready'),
  ...over,
});
const hd = (over: Partial<HardenedDeploymentProps>) => (chart: Chart) => new HardenedDeployment(chart, 'api', deployment(over));

const blueGreen = (over: Partial<BlueGreenDeploymentProps>) => (chart: Chart) => new BlueGreenDeployment(chart, 'bg', {
  ...deployment(), name: 'shop', blue: { image: 'registry.example.com/shop/api:1.4.2' }, active: 'blue', ...over,
} as BlueGreenDeploymentProps);

const team = (over: Partial<TeamNamespaceProps>) => (chart: Chart) => new TeamNamespace(chart, 'team', {
  name: 'payments', team: 'payments', owner: 'payments@example.com', purpose: 'the payments services',
  today: new Date('2026-12-01T00:00:00Z'), ...over,
});

const MONGO: StatefulMongoProps = {
  namespace: 'fleetman',
  storage: { size: '20Gi', storageClass: 'gp3' },
  admin: { username: { name: 'mongo-admin', key: 'username' }, password: { name: 'mongo-admin', key: 'password' } },
  keyfile: { name: 'mongo-keyfile', key: 'keyfile' },
};
const mongo = (over: Partial<StatefulMongoProps>) => (chart: Chart) => new StatefulMongo(chart, 'db', { ...MONGO, ...over });
const REDIS: StatefulRedisProps = { namespace: 'journal', storage: { size: '10Gi', storageClass: 'gp3' }, password: { name: 'redis-password', key: 'password' } };
const redis = (over: Partial<StatefulRedisProps>) => (chart: Chart) => new StatefulRedis(chart, 'redis', { ...REDIS, ...over });
const EFK: EfkLoggingProps = {
  storage: { size: '50Gi', storageClass: 'gp3' },
  elasticPassword: { name: 'efk-elastic', key: 'password' },
  kibanaSystemPassword: { name: 'efk-kibana-system', key: 'password' },
  collectorPassword: { name: 'efk-fluent-bit', key: 'password' },
};
const efk = (over: Partial<EfkLoggingProps>) => (chart: Chart) => new EfkLogging(chart, 'efk', { ...EFK, ...over });
const monitoring = (over: object) => (chart: Chart) => new MonitoringStack(chart, 'monitoring', { grafanaAdmin: { secretName: 'grafana-admin' }, ...over });
const ingress = (over: (backend: HardenedDeployment) => object) => (chart: Chart) => {
  const backend = new HardenedDeployment(chart, 'backend', deployment({ name: 'todoapi', namespace: 'todo', liveness: Probe.waived('test'), readiness: Probe.waived('test') }));
  return new IngressWithAuth(chart, 'ingress', {
    namespace: 'todo',
    routes: [{ host: 'todo.acme.dev', backend }],
    basicAuth: { users: BasicAuthUsers.fromSecret({ name: 'todo-users' }, ['alice']) },
    tls: { issuer: { name: 'letsencrypt-production', kind: 'ClusterIssuer', http01Only: true } },
    ...over(backend),
  });
};
const release = (over: object) => (chart: Chart) => new HelmChartRelease(chart, 'metrics', { chart: HelmChart.METRICS_SERVER, namespace: 'monitoring', ...over });
const long = (n: number, c = 'a') => c.repeat(n);

const CASES: readonly Case[] = [
  // ---------------------------------------------------------------- HardenedDeployment: probes
  { title: 'HardenedDeployment: negative probe initialDelaySeconds', build: hd({ liveness: Probe.httpGet('/healthz', { initialDelaySeconds: -5 }) }), message: /liveness\.initialDelaySeconds \(-5\)/ },
  { title: 'HardenedDeployment: probe periodSeconds 0', build: hd({ readiness: Probe.httpGet('/ready', { periodSeconds: 0 }) }), message: /readiness\.periodSeconds \(0\)/ },
  { title: 'HardenedDeployment: negative probe timeoutSeconds', build: hd({ readiness: Probe.tcpSocket({ timeoutSeconds: -1 }) }), message: /readiness\.timeoutSeconds \(-1\)/ },
  { title: 'HardenedDeployment: probe failureThreshold 0', build: hd({ liveness: Probe.httpGet('/healthz', { failureThreshold: 0 }) }), message: /liveness\.failureThreshold \(0\)/ },
  { title: 'HardenedDeployment: fractional probe periodSeconds', build: hd({ liveness: Probe.httpGet('/healthz', { periodSeconds: 2.5 }) }), message: /liveness\.periodSeconds \(2\.5\)/ },
  { title: 'HardenedDeployment: startup probe with a negative delay', build: hd({ startup: Probe.httpGet('/healthz', { initialDelaySeconds: -1 }) }), message: /startup\.initialDelaySeconds \(-1\)/ },
  { title: 'HardenedDeployment: exec probe with no command', build: hd({ liveness: Probe.exec([]) }), message: /liveness .*exec probe with no command/ },
  { title: 'HardenedDeployment: exec probe with a blank command', build: hd({ readiness: Probe.exec(['  ']) }), message: /readiness .*exec probe with no command/ },
  { title: 'HardenedDeployment: liveness successThreshold 2', build: hd({ liveness: Probe.httpGet('/healthz', { successThreshold: 2 }) }), message: /liveness\.successThreshold \(2\)/ },
  { title: 'HardenedDeployment: startup successThreshold 3', build: hd({ startup: Probe.tcpSocket({ successThreshold: 3 }) }), message: /startup\.successThreshold \(3\)/ },
  { title: 'HardenedDeployment: HTTP probe with a relative path', build: hd({ liveness: Probe.httpGet('healthz') }), message: /liveness\.path \('healthz'\)/ },
  { title: 'HardenedDeployment: probe on a port the container does not expose', build: hd({ readiness: Probe.tcpSocket({ port: 9999 }) }), message: /readiness\.port \(9999\)/ },
  { title: 'HardenedDeployment: probe on a port name the container does not declare', build: hd({ readiness: Probe.httpGet('/ready', { port: 'admin' }) }), message: /readiness\.port \('admin'\)/ },
  { title: 'HardenedDeployment: HTTP probe on a portless container', build: hd({ ports: [] }), message: /liveness .*needs a port/ },
  { title: 'HardenedDeployment: probe port number out of range', build: hd({ readiness: Probe.tcpSocket({ port: 70000 }) }), message: /readiness\.port \(70000\)/ },
  { title: 'HardenedDeployment: waived startup probe', build: hd({ startup: Probe.waived('slow') }), message: /startup .*cannot be waived/ },
  { title: 'HardenedDeployment: probe waived without a reason', build: hd({ liveness: Probe.waived('  ') }), message: /liveness .*without a reason/ },
  { title: 'HardenedDeployment: missing liveness probe (JavaScript caller)', build: hd({ liveness: undefined as never }), message: /liveness is required/ },
  { title: 'HardenedDeployment: kit-probes exception and a waiver both', build: hd({ liveness: Probe.waived('batch'), policyExceptions: { 'kit-probes': 'batch' } }), message: /kit-probes.*Probe\.waived/ },
  // ----------------------------------------------------------------- HardenedDeployment: ports
  { title: 'HardenedDeployment: duplicate port', build: hd({ ports: [{ number: 8080, name: 'http' }, { number: 8080, name: 'alt' }] }), message: /ports .*8080\/TCP twice/ },
  { title: 'HardenedDeployment: duplicate port name', build: hd({ ports: [{ number: 8080, name: 'http' }, { number: 8081, name: 'http' }] }), message: /ports\[1\]\.name \('http'\)/ },
  { title: 'HardenedDeployment: port 0', build: hd({ ports: [{ number: 0, name: 'http' }] }), message: /ports\[0\]\.number \(0\)/ },
  { title: 'HardenedDeployment: port 70000', build: hd({ ports: [{ number: 70000, name: 'http' }] }), message: /ports\[0\]\.number \(70000\)/ },
  { title: 'HardenedDeployment: upper-case port name', build: hd({ ports: [{ number: 8080, name: 'HTTP' }] }), message: /ports\[0\]\.name \('HTTP'\)/ },
  { title: 'HardenedDeployment: port name over 15 characters', build: hd({ ports: [{ number: 8080, name: 'http-metrics-admin' }] }), message: /ports\[0\]\.name \('http-metrics-admin'\)/ },
  { title: 'HardenedDeployment: port name of digits only', build: hd({ ports: [{ number: 8080, name: '8080' }] }), message: /ports\[0\]\.name \('8080'\)/ },
  // ----------------------------------------------------------------- HardenedDeployment: image
  { title: 'HardenedDeployment: upper-case repository', build: hd({ image: 'ghcr.io/Acme/api:1.0.0' }), message: /image \('ghcr\.io\/Acme\/api:1\.0\.0'\).*Acme/ },
  { title: 'HardenedDeployment: image with a leading space', build: hd({ image: ' nginx:1.27.3' }), message: /image \(' nginx:1\.27\.3'\).*whitespace/ },
  { title: 'HardenedDeployment: image with a trailing newline', build: hd({ image: 'nginx:1.27.3\n' }), message: /image \('nginx:1\.27\.3\n'\).*whitespace/ },
  { title: 'HardenedDeployment: registry port taken for a tag', build: hd({ image: 'registry.example.com:5000/api' }), message: /image \('registry\.example\.com:5000\/api'\).*no tag/ },
  { title: 'HardenedDeployment: latest tag', build: hd({ image: 'nginx:latest' }), message: /image \('nginx:latest'\).*latest/ },
  { title: 'HardenedDeployment: no tag', build: hd({ image: 'nginx' }), message: /image \('nginx'\)/ },
  { title: 'HardenedDeployment: malformed digest', build: hd({ image: 'nginx@sha256:abc' }), message: /image \('nginx@sha256:abc'\).*digest/ },
  { title: 'HardenedDeployment: tag starting with a dot', build: hd({ image: 'nginx:.1' }), message: /image \('nginx:\.1'\)/ },
  { title: 'HardenedDeployment: registry with an invalid host', build: hd({ image: 'my_registry.io/api:1.0' }), message: /image \('my_registry\.io\/api:1\.0'\)/ },
  // ------------------------------------------------------------ HardenedDeployment: names, labels
  { title: 'HardenedDeployment: upper-case name', build: hd({ name: 'Api' }), message: /name \('Api'\)/ },
  { title: 'HardenedDeployment: name over 63 characters', build: hd({ name: long(70) }), message: new RegExp(`name \\('${long(70)}'\\)`) },
  { title: 'HardenedDeployment: Service name starting with a digit', build: hd({ name: '1api' }), message: /name \('1api'\).*DNS-1035/ },
  { title: 'HardenedDeployment: namespace with an underscore', build: hd({ namespace: 'Team_A' }), message: /namespace \('Team_A'\)/ },
  { title: 'HardenedDeployment: label key with two slashes', build: hd({ labels: { 'a/b/c': 'x' } }), message: /labels\['a\/b\/c'\]/ },
  { title: 'HardenedDeployment: label value over 63 characters', build: hd({ labels: { tier: long(64, 'x') } }), message: new RegExp(`labels\\['tier'\\] \\('${long(64, 'x')}'\\)`) },
  { title: 'HardenedDeployment: label value with a space', build: hd({ labels: { tier: 'front end' } }), message: /labels\['tier'\] \('front end'\)/ },
  { title: 'HardenedDeployment: setting the name label', build: hd({ labels: { 'app.kubernetes.io/name': 'other' } }), message: /labels\['app\.kubernetes\.io\/name'\] \('other'\)/ },
  { title: 'HardenedDeployment: invalid ServiceAccount name', build: hd({ serviceAccountName: 'My_SA' }), message: /serviceAccountName \('My_SA'\)/ },
  // ---------------------------------------------------------- HardenedDeployment: env, resources
  { title: "HardenedDeployment: env name with '='", build: hd({ env: [{ name: 'A=B', value: EnvValue.fromValue('x') }] }), message: /env\[0\]\.name \('A=B'\)/ },
  { title: 'HardenedDeployment: env name set twice', build: hd({ env: [{ name: 'A', value: EnvValue.fromValue('x') }, { name: 'A', value: EnvValue.fromValue('y') }] }), message: /env\[1\]\.name \('A'\)/ },
  { title: 'HardenedDeployment: password as a literal env value', build: hd({ env: [{ name: 'DB_PASSWORD', value: EnvValue.fromValue('hunter2-very-secret') }] }), message: /env\[0\]/, secret: 'hunter2-very-secret' },
  { title: 'HardenedDeployment: API token as a literal env value', build: hd({ env: [{ name: 'GITHUB_TOKEN', value: EnvValue.fromValue('ghp_abcdef0123456789') }] }), message: /env\[0\]/, secret: 'ghp_abcdef0123456789' },
  { title: 'HardenedDeployment: negative cpu request', build: hd({ resources: { cpu: { request: '-100m' }, memory: { request: '256Mi', limit: '256Mi' } } }), message: /resources\.cpu\.request \('-100m'\)/ },
  { title: 'HardenedDeployment: negative memory limit', build: hd({ resources: { cpu: { request: '100m' }, memory: { request: '256Mi', limit: '-1Gi' } } }), message: /resources\.memory\.limit \('-1Gi'\)/ },
  { title: 'HardenedDeployment: memory in MB', build: hd({ resources: { cpu: { request: '100m' }, memory: { request: '256MB', limit: '256Mi' } } }), message: /resources\.memory\.request \('256MB'\)/ },
  { title: 'HardenedDeployment: memory limit below request', build: hd({ resources: { cpu: { request: '100m' }, memory: { request: '512Mi', limit: '256Mi' } } }), message: /resources\.memory\.limit \('256Mi'\)/ },
  { title: 'HardenedDeployment: cpu limit below request', build: hd({ resources: { cpu: { request: '500m', limit: '250m' }, memory: { request: '256Mi', limit: '256Mi' } } }), message: /resources\.cpu\.limit \('250m'\)/ },
  { title: 'HardenedDeployment: Guaranteed declared with Burstable resources', build: hd({ qosClass: QosClass.GUARANTEED }), message: /qosClass \('Guaranteed'\)/ },
  // -------------------------------------------------------------- HardenedDeployment: scaling
  { title: 'HardenedDeployment: negative replicas', build: hd({ replicas: -1 }), message: /replicas \(-1\)/ },
  { title: 'HardenedDeployment: replicas and autoscaling both', build: hd({ replicas: 3, autoscaling: { maxReplicas: 5 } }), message: /replicas \(3\) or autoscaling/ },
  { title: 'HardenedDeployment: autoscaling min above max', build: hd({ autoscaling: { minReplicas: 6, maxReplicas: 3 } }), message: /autoscaling\.minReplicas \(6\)/ },
  { title: 'HardenedDeployment: autoscaling target 0%', build: hd({ autoscaling: { maxReplicas: 3, cpuUtilizationPercent: 0 } }), message: /autoscaling\.cpuUtilizationPercent \(0\)/ },
  { title: 'HardenedDeployment: maxSurge and maxUnavailable both zero', build: hd({ maxSurge: 0, maxUnavailable: 0 }), message: /maxSurge \(0\) and maxUnavailable \(0\)/ },
  { title: 'HardenedDeployment: maxSurge 150%', build: hd({ maxSurge: '150%' }), message: /maxSurge \('150%'\)/ },
  { title: 'HardenedDeployment: progress deadline not above minReadySeconds', build: hd({ minReadySeconds: 60, progressDeadlineSeconds: 30 }), message: /progressDeadlineSeconds \(30\)/ },
  { title: 'HardenedDeployment: disruption budget that blocks every drain', build: hd({ replicas: 2, disruptionBudget: DisruptionBudget.minAvailable(2) }), message: /disruptionBudget .*block every node drain/ },
  { title: 'HardenedDeployment: disruption budget on one replica (dropped)', build: hd({ replicas: 1, disruptionBudget: DisruptionBudget.maxUnavailable(1) }), message: /disruptionBudget.*replica/ },
  { title: 'HardenedDeployment: singleton autoscaled', build: hd({ singleton: { reason: 'one consumer' }, autoscaling: { maxReplicas: 2 } }), message: /singleton cannot be autoscaled/ },
  { title: 'HardenedDeployment: singleton without a reason', build: hd({ singleton: { reason: ' ' } }), message: /singleton\.reason is empty/ },
  { title: 'HardenedDeployment: singleton with 2 replicas', build: hd({ singleton: { reason: 'lock' }, replicas: 2 }), message: /replicas \(2\)/ },
  // ---------------------------------------------------------- HardenedDeployment: network peers
  { title: 'HardenedDeployment: CIDR with a /33 prefix', build: hd({ allowIngressFrom: [IngressPeer.cidr('10.0.0.0/33')] }), message: /allowIngressFrom\[0\].*10\.0\.0\.0\/33/ },
  { title: 'HardenedDeployment: CIDR without a prefix', build: hd({ allowIngressFrom: [IngressPeer.cidr('10.0.0.1')] }), message: /allowIngressFrom\[0\].*10\.0\.0\.1/ },
  { title: 'HardenedDeployment: CIDR with an octet over 255', build: hd({ allowIngressFrom: [IngressPeer.cidr('10.0.300.0/24')] }), message: /allowIngressFrom\[0\].*10\.0\.300\.0\/24/ },
  { title: 'HardenedDeployment: CIDR except outside the range', build: hd({ allowIngressFrom: [IngressPeer.cidr('10.0.0.0/16', ['10.1.0.0/24'])] }), message: /allowIngressFrom\[0\].*10\.1\.0\.0\/24/ },
  { title: 'HardenedDeployment: peer namespace name invalid', build: hd({ allowIngressFrom: [IngressPeer.namespace('Team_A')] }), message: /allowIngressFrom\[0\].*Team_A/ },
  { title: 'HardenedDeployment: empty pod selector admits every pod', build: hd({ allowIngressFrom: [IngressPeer.pods({})] }), message: /allowIngressFrom\[0\].*every pod/ },
  { title: 'HardenedDeployment: pod selector label value invalid', build: hd({ allowIngressFrom: [IngressPeer.pods({ app: 'a b' })] }), message: /allowIngressFrom\[0\].*'a b'/ },
  { title: 'HardenedDeployment: pod selector in an invalid namespace', build: hd({ allowIngressFrom: [IngressPeer.pods({ app: 'web' }, 'Web_NS')] }), message: /allowIngressFrom\[0\].*Web_NS/ },
  { title: 'HardenedDeployment: internal load balancer on a ClusterIP Service', build: hd({ internalLoadBalancer: Cloud.AWS }), message: /internalLoadBalancer \('aws'\)/ },
  { title: 'HardenedDeployment: LoadBalancer with no CIDR peer', build: hd({ serviceType: ServiceType.LOAD_BALANCER }), message: /serviceType \('LoadBalancer'\)/ },
  { title: 'HardenedDeployment: serviceType on a portless container', build: hd({ ports: [], liveness: Probe.exec(['true']), readiness: Probe.exec(['true']), serviceType: ServiceType.CLUSTER_IP }), message: /serviceType \('ClusterIP'\)/ },
  { title: 'HardenedDeployment: metrics on an unnamed port', build: hd({ ports: [{ number: 8080, name: 'http' }, { number: 9090 }], metrics: { port: 9090 } }), message: /metrics\.port \(9090\)/ },
  { title: 'HardenedDeployment: metrics interval in words', build: hd({ metrics: { port: 'http', interval: '30 seconds' } }), message: /metrics\.interval \('30 seconds'\)/ },
  { title: 'HardenedDeployment: metrics path relative', build: hd({ metrics: { port: 'http', path: 'metrics' } }), message: /metrics\.path \('metrics'\)/ },
  // ----------------------------------------------------------------- HardenedDeployment: pod
  { title: 'HardenedDeployment: root user', build: hd({ user: 0 }), message: /user \(0\)/ },
  { title: 'HardenedDeployment: negative group', build: hd({ group: -1 }), message: /group \(-1\)/ },
  { title: 'HardenedDeployment: grace period not above preStop sleep', build: hd({ preStopSleepSeconds: 30, terminationGracePeriodSeconds: 30 }), message: /terminationGracePeriodSeconds \(30\)/ },
  { title: 'HardenedDeployment: relative writable path', build: hd({ writablePaths: ['tmp'] }), message: /writablePaths\[0\] \('tmp'\)/ },
  { title: 'HardenedDeployment: writable path over the config mount', build: hd({ config: { 'a.conf': 'x' }, writablePaths: ['/etc/config'] }), message: /writablePaths\[0\] \('\/etc\/config'\)/ },
  { title: 'HardenedDeployment: configMountPath without config (no effect)', build: hd({ configMountPath: '/etc/app' }), message: /configMountPath \('\/etc\/app'\)/ },
  { title: 'HardenedDeployment: empty command (the image entrypoint runs)', build: hd({ command: [] }), message: /command .*empty/ },
  { title: 'HardenedDeployment: config key with a slash', build: hd({ config: { 'conf/app.yaml': 'x' } }), message: /config\['conf\/app\.yaml'\]/ },
  { title: 'HardenedDeployment: config over 1 MiB', build: hd({ config: { 'big.txt': 'x'.repeat(1024 * 1024 + 1) } }), message: /config .*1 MiB/ },
  // ---------------------------------------------------------------------------- BlueGreen
  { title: 'BlueGreenDeployment: name too long for the preview Service', build: blueGreen({ name: long(60) }), message: new RegExp(`name \\('${long(60)}'\\)`) },
  { title: 'BlueGreenDeployment: upper-case name', build: blueGreen({ name: 'Shop' }), message: /name \('Shop'\)/ },
  { title: 'BlueGreenDeployment: active green without a green copy', build: blueGreen({ active: 'green' }), message: /active \('green'\)/ },
  { title: 'BlueGreenDeployment: no ports', build: blueGreen({ ports: [] }), message: /ports is empty/ },
  { title: 'BlueGreenDeployment: negative idleReplicas', build: blueGreen({ green: { image: 'registry.example.com/shop/api:1.5.0' }, idleReplicas: -1 }), message: /idleReplicas \(-1\)/ },
  { title: 'BlueGreenDeployment: idleReplicas with one color (no effect)', build: blueGreen({ idleReplicas: 0 }), message: /idleReplicas \(0\)/ },
  { title: 'BlueGreenDeployment: singleton', build: blueGreen({ singleton: { reason: 'x' } }), message: /singleton cannot be set/ },
  { title: 'BlueGreenDeployment: green image upper-case', build: blueGreen({ green: { image: 'registry.example.com/Shop/api:1.5.0' } }), message: /green\.image \('registry\.example\.com\/Shop\/api:1\.5\.0'\)/ },
  { title: 'BlueGreenDeployment: blue image unpinned', build: blueGreen({ blue: { image: 'registry.example.com/shop/api' } }), message: /blue\.image \('registry\.example\.com\/shop\/api'\)/ },
  { title: 'BlueGreenDeployment: color config key invalid', build: blueGreen({ green: { image: 'registry.example.com/shop/api:1.5.0', config: { 'a b': 'x' } } }), message: /green\.config\['a b'\]/ },
  // ------------------------------------------------------------------------ HashedConfigMap
  { title: 'HashedConfigMap: key with a slash', build: (c) => new HashedConfigMap(c, 'cm', { data: { 'a/b': 'x' } }), message: /data\['a\/b'\]/ },
  { title: "HashedConfigMap: key '..'", build: (c) => new HashedConfigMap(c, 'cm', { data: { '..': 'x' } }), message: /data\['\.\.'\]/ },
  { title: "HashedConfigMap: key starting with '..'", build: (c) => new HashedConfigMap(c, 'cm', { data: { '..data': 'x' } }), message: /data\['\.\.data'\]/ },
  { title: 'HashedConfigMap: empty key', build: (c) => new HashedConfigMap(c, 'cm', { data: { '': 'x' } }), message: /data\[''\]/ },
  { title: 'HashedConfigMap: key over 253 characters', build: (c) => new HashedConfigMap(c, 'cm', { data: { [long(254, 'k')]: 'x' } }), message: /data\['k+'\]/ },
  { title: 'HashedConfigMap: over 1 MiB', build: (c) => new HashedConfigMap(c, 'cm', { data: { a: 'x'.repeat(600 * 1024), b: 'y'.repeat(600 * 1024) } }), message: /data .*1 MiB/ },
  { title: 'HashedConfigMap: upper-case base name', build: (c) => new HashedConfigMap(c, 'cm', { data: { a: 'x' }, baseName: 'App' }), message: /name \('App-[0-9a-f]{10}'\)/ },
  { title: 'HashedConfigMap: invalid namespace', build: (c) => new HashedConfigMap(c, 'cm', { data: { a: 'x' }, namespace: 'My_NS' }), message: /namespace \('My_NS'\)/ },
  { title: 'HashedConfigMap: invalid label value', build: (c) => new HashedConfigMap(c, 'cm', { data: { a: 'x' }, labels: { tier: 'a b' } }), message: /labels\['tier'\] \('a b'\)/ },
  // -------------------------------------------------------------------------- TeamNamespace
  { title: 'TeamNamespace: upper-case name', build: team({ name: 'Payments' }), message: /name \('Payments'\)/ },
  { title: 'TeamNamespace: team not a label value', build: team({ team: 'pay ments' }), message: /team \('pay ments'\)/ },
  { title: 'TeamNamespace: empty owner', build: team({ owner: ' ' }), message: /owner is empty/ },
  { title: 'TeamNamespace: expiry in the past', build: team({ expires: '2025-01-01' }), message: /expires \('2025-01-01'\)/ },
  { title: 'TeamNamespace: expiry month 13', build: team({ expires: '2027-13-01' }), message: /expires \('2027-13-01'\)/ },
  { title: 'TeamNamespace: reaper without expiry (no effect)', build: team({ reaper: {} }), message: /reaper is set but expires is not/ },
  { title: 'TeamNamespace: reaper namespace invalid', build: team({ expires: '2027-01-01', reaper: { namespace: 'Kit_System' } }), message: /reaper\.namespace \('Kit_System'\)/ },
  { title: "TeamNamespace: long name whose reaper CronJob name exceeds 52 characters", build: team({ name: long(60, 'p'), expires: '2027-01-01', reaper: {} }), message: new RegExp(`name \\('${long(60, 'p')}'\\).*reap`) },
  { title: 'TeamNamespace: negative cpu quota', build: team({ quota: { cpu: { requests: '-4' } } }), message: /quota\.cpu\.requests \('-4'\)/ },
  { title: 'TeamNamespace: negative storage quota', build: team({ quota: { storage: '-100Gi' } }), message: /quota\.storage \('-100Gi'\)/ },
  { title: 'TeamNamespace: memory quota in GB', build: team({ quota: { memory: { requests: '8GB' } } }), message: /quota\.memory\.requests \('8GB'\)/ },
  { title: 'TeamNamespace: pods quota 0', build: team({ quota: { pods: 0 } }), message: /quota\.pods \(0\)/ },
  { title: 'TeamNamespace: default request above default limit', build: team({ containerDefaults: { cpu: { request: '1', limit: '500m' }, memory: { request: '256Mi', limit: '512Mi' } } }), message: /containerDefaults\.cpu\.request \('1'\)/ },
  { title: 'TeamNamespace: negative default memory request', build: team({ containerDefaults: { cpu: { request: '100m' }, memory: { request: '-256Mi', limit: '512Mi' } } }), message: /containerDefaults\.memory\.request \('-256Mi'\)/ },
  { title: 'TeamNamespace: quota below one defaulted container', build: team({ quota: { memory: { requests: '128Mi' } } }), message: /quota\.memory\.requests \('128Mi'\)/ },
  { title: 'TeamNamespace: ServiceAccount subject with an invalid name', build: team({ access: { edit: [{ serviceAccount: { name: 'CI_Bot', namespace: 'ci' } }] } }), message: /access\.edit\[0\].*CI_Bot/ },
  { title: 'TeamNamespace: empty user subject', build: team({ access: { view: [{ user: '' }] } }), message: /access\.view\[0\]/ },
  { title: 'TeamNamespace: baseline without a reason', build: team({ podSecurity: { level: 'baseline', reason: '' } }), message: /podSecurity\.reason is empty/ },
  // --------------------------------------------------------------------------- AppNamespace
  { title: 'AppNamespace: underscore in name', build: (c) => new AppNamespace(c, 'ns', { name: 'my_app' }), message: /name \('my_app'\)/ },
  { title: 'AppNamespace: name over 63 characters', build: (c) => new AppNamespace(c, 'ns', { name: long(64) }), message: new RegExp(`name \\('${long(64)}'\\)`) },
  { title: 'AppNamespace: weakening pod security label', build: (c) => new AppNamespace(c, 'ns', { name: 'app', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } }), message: /labels\['pod-security\.kubernetes\.io\/enforce'\]/ },
  { title: 'AppNamespace: label key with a space', build: (c) => new AppNamespace(c, 'ns', { name: 'app', labels: { 'team name': 'x' } }), message: /labels\['team name'\]/ },
  { title: 'AppNamespace: label value over 63 characters', build: (c) => new AppNamespace(c, 'ns', { name: 'app', labels: { team: long(64, 't') } }), message: new RegExp(`labels\\['team'\\] \\('${long(64, 't')}'\\)`) },
  // ------------------------------------------------------------------------------- storage
  { title: 'DiskStorageClass: upper-case name', build: (c) => new DiskStorageClass(c, 'sc', { cloud: 'aws', name: 'GP3' }), message: /name \('GP3'\)/ },
  { title: 'DiskStorageClass: unknown AWS disk type', build: (c) => new DiskStorageClass(c, 'sc', { cloud: 'aws', name: 'fast', type: 'gp2' as never }), message: /type \('gp2'\)/ },
  { title: 'DiskStorageClass: iops on st1', build: (c) => new DiskStorageClass(c, 'sc', { cloud: 'aws', name: 'cold', type: 'st1', iops: 4000 }), message: /iops \(4000\)/ },
  { title: 'DiskStorageClass: throughput on io2', build: (c) => new DiskStorageClass(c, 'sc', { cloud: 'aws', name: 'fast', type: 'io2', throughputMiBps: 250 }), message: /throughputMiBps \(250\)/ },
  { title: 'DiskStorageClass: iops below gp3 baseline', build: (c) => new DiskStorageClass(c, 'sc', { cloud: 'aws', name: 'fast', iops: 100 }), message: /iops \(100\)/ },
  { title: 'DiskStorageClass: empty KMS key id', build: (c) => new DiskStorageClass(c, 'sc', { cloud: 'aws', name: 'fast', kmsKeyId: '' }), message: /kmsKeyId \(''\)/ },
  { title: 'DiskStorageClass: iops on an Azure disk (ignored)', build: (c) => new DiskStorageClass(c, 'sc', { cloud: 'azure', name: 'fast', iops: 5000 } as never), message: /iops \(5000\)/ },
  { title: 'DiskStorageClass: KMS key on an Azure disk (ignored)', build: (c) => new DiskStorageClass(c, 'sc', { cloud: 'azure', name: 'fast', kmsKeyId: 'alias/disks' } as never), message: /kmsKeyId \('alias\/disks'\)/ },
  { title: 'DiskStorageClass: unknown Azure SKU', build: (c) => new DiskStorageClass(c, 'sc', { cloud: 'azure', name: 'fast', type: 'Standard_LRS' as never }), message: /type \('Standard_LRS'\)/ },
  { title: 'ExternalService: name starting with a digit', build: (c) => new ExternalService(c, 'ext', { name: '1db', namespace: 'app', externalName: 'db.example.com' }), message: /name \('1db'\)/ },
  { title: 'ExternalService: IP address as externalName', build: (c) => new ExternalService(c, 'ext', { name: 'db', namespace: 'app', externalName: '10.0.0.5' }), message: /externalName \('10\.0\.0\.5'\)/ },
  { title: 'ExternalService: externalName not fully qualified', build: (c) => new ExternalService(c, 'ext', { name: 'db', namespace: 'app', externalName: 'db' }), message: /externalName \('db'\)/ },
  { title: 'ExternalService: invalid IPv4 address', build: (c) => new ExternalService(c, 'ext', { name: 'db', namespace: 'app', addresses: ['10.0.0.300'], ports: [{ port: 5432 }] }), message: /addresses\[0\] \('10\.0\.0\.300'\)/ },
  { title: 'ExternalService: loopback endpoint address', build: (c) => new ExternalService(c, 'ext', { name: 'db', namespace: 'app', addresses: ['127.0.0.1'], ports: [{ port: 5432 }] }), message: /addresses\[0\] \('127\.0\.0\.1'\)/ },
  { title: 'ExternalService: link-local endpoint address', build: (c) => new ExternalService(c, 'ext', { name: 'db', namespace: 'app', addresses: ['169.254.169.254'], ports: [{ port: 80 }] }), message: /addresses\[0\] \('169\.254\.169\.254'\)/ },
  { title: 'ExternalService: port 0', build: (c) => new ExternalService(c, 'ext', { name: 'db', namespace: 'app', addresses: ['10.0.0.5'], ports: [{ port: 0 }] }), message: /ports\[0\]\.port \(0\)/ },
  { title: 'ExternalService: duplicate port', build: (c) => new ExternalService(c, 'ext', { name: 'db', namespace: 'app', addresses: ['10.0.0.5'], ports: [{ port: 5432, name: 'pg' }, { port: 5432, name: 'pg2' }] }), message: /ports\[1\]\.port \(5432\)/ },
  { title: 'ExternalService: duplicate port name', build: (c) => new ExternalService(c, 'ext', { name: 'db', namespace: 'app', addresses: ['10.0.0.5'], ports: [{ port: 5432, name: 'pg' }, { port: 5433, name: 'pg' }] }), message: /ports\[1\]\.name \('pg'\)/ },
  { title: 'ExternalService: addresses and externalName both', build: (c) => new ExternalService(c, 'ext', { name: 'db', namespace: 'app', addresses: ['10.0.0.5'], externalName: 'db.example.com', ports: [{ port: 1 }] } as never), message: /addresses and externalName/ },
  // ------------------------------------------------------------------------- BackupSchedule
  { title: 'BackupSchedule: minute 61', build: (c) => new BackupSchedule(c, 'b', { name: 'nightly', schedule: '61 1 * * *' }), message: /schedule \('61 1 \* \* \*'\).*minute 61/ },
  { title: 'BackupSchedule: hour 25', build: (c) => new BackupSchedule(c, 'b', { name: 'nightly', schedule: '0 25 * * *' }), message: /schedule \('0 25 \* \* \*'\).*hour 25/ },
  { title: 'BackupSchedule: four fields', build: (c) => new BackupSchedule(c, 'b', { name: 'nightly', schedule: '0 1 * *' }), message: /schedule \('0 1 \* \*'\)/ },
  { title: 'BackupSchedule: day of month 32', build: (c) => new BackupSchedule(c, 'b', { name: 'nightly', schedule: '0 1 32 * *' }), message: /schedule \('0 1 32 \* \*'\)/ },
  { title: 'BackupSchedule: retention in days', build: (c) => new BackupSchedule(c, 'b', { name: 'nightly', retention: '30d' }), message: /retention \('30d'\)/ },
  { title: 'BackupSchedule: upper-case name', build: (c) => new BackupSchedule(c, 'b', { name: 'Nightly' }), message: /name \('Nightly'\)/ },
  { title: 'BackupSchedule: namespace both included and excluded', build: (c) => new BackupSchedule(c, 'b', { name: 'nightly', includedNamespaces: ['shop'], excludedNamespaces: ['shop'] }), message: /'shop' is both included and excluded/ },
  { title: 'BackupSchedule: invalid included namespace', build: (c) => new BackupSchedule(c, 'b', { name: 'nightly', includedNamespaces: ['Shop'] }), message: /includedNamespaces\[0\] \('Shop'\)/ },
  { title: 'BackupSchedule: label selector value invalid', build: (c) => new BackupSchedule(c, 'b', { name: 'nightly', labelSelector: { app: 'a b' } }), message: /labelSelector\['app'\] \('a b'\)/ },
  { title: 'BackupSchedule: empty label selector selects everything', build: (c) => new BackupSchedule(c, 'b', { name: 'nightly', labelSelector: {} }), message: /labelSelector.*every/ },
  { title: 'BackupSchedule: invalid storage location name', build: (c) => new BackupSchedule(c, 'b', { name: 'nightly', storageLocation: 'Primary_Bucket' }), message: /storageLocation \('Primary_Bucket'\)/ },
  // -------------------------------------------------------------------------------- access
  { title: "ReadOnlyAccess: name with '/'", build: (c) => new ReadOnlyAccess(c, 'ro', { name: 'kit/read-only', subjects: [{ group: 'sre' }] }), message: /name \('kit\/read-only'\)/ },
  { title: 'ReadOnlyAccess: no subjects', build: (c) => new ReadOnlyAccess(c, 'ro', { subjects: [] }), message: /subjects is empty/ },
  { title: 'ReadOnlyAccess: ServiceAccount subject with an invalid namespace', build: (c) => new ReadOnlyAccess(c, 'ro', { subjects: [{ serviceAccount: { name: 'bot', namespace: 'CI_NS' } }] }), message: /subjects\[0\].*CI_NS/ },
  { title: 'ReadOnlyAccess: empty group subject', build: (c) => new ReadOnlyAccess(c, 'ro', { subjects: [{ group: ' ' }] }), message: /subjects\[0\]/ },
  { title: 'CiDeployer: invalid ServiceAccount name', build: (c) => new CiDeployer(c, 'ci', { name: 'CI_Deployer', namespace: 'ci', targetNamespaces: ['shop'] }), message: /name \('CI_Deployer'\)/ },
  { title: 'CiDeployer: invalid namespace', build: (c) => new CiDeployer(c, 'ci', { name: 'deployer', namespace: 'CI', targetNamespaces: ['shop'] }), message: /namespace \('CI'\)/ },
  { title: 'CiDeployer: no target namespaces', build: (c) => new CiDeployer(c, 'ci', { name: 'deployer', namespace: 'ci', targetNamespaces: [] }), message: /targetNamespaces is empty/ },
  { title: 'CiDeployer: target namespace twice', build: (c) => new CiDeployer(c, 'ci', { name: 'deployer', namespace: 'ci', targetNamespaces: ['shop', 'shop'] }), message: /targetNamespaces .*'shop' twice/ },
  { title: 'CiDeployer: invalid target namespace', build: (c) => new CiDeployer(c, 'ci', { name: 'deployer', namespace: 'ci', targetNamespaces: ['shop_eu'] }), message: /targetNamespaces\[0\] \('shop_eu'\)/ },
  // --------------------------------------------------------------------------- cert issuers
  { title: 'LetsEncryptIssuers: invalid email', build: (c) => new LetsEncryptIssuers(c, 'le', { email: 'not-an-email', http01: Http01Solver.ingressClass('nginx') }), message: /email \('not-an-email'\)/ },
  { title: 'LetsEncryptIssuers: upper-case name', build: (c) => new LetsEncryptIssuers(c, 'le', { name: 'LE', email: 'ops@acme.dev', http01: Http01Solver.ingressClass('nginx') }), message: /name \('LE'\)/ },
  { title: 'LetsEncryptIssuers: name too long for the account key Secret', build: (c) => new LetsEncryptIssuers(c, 'le', { name: long(240, 'l'), email: 'ops@acme.dev', http01: Http01Solver.ingressClass('nginx') }), message: new RegExp(`name \\('${long(240, 'l')}'\\)`) },
  { title: 'LetsEncryptIssuers: gateway solver with no Gateway', build: (c) => new LetsEncryptIssuers(c, 'le', { email: 'ops@acme.dev', http01: Http01Solver.gateway() }), message: /http01 names no Gateway/ },
  { title: 'LetsEncryptIssuers: gateway namespace invalid', build: (c) => new LetsEncryptIssuers(c, 'le', { email: 'ops@acme.dev', http01: Http01Solver.gateway({ name: 'public', namespace: 'Envoy_GW' }) }), message: /http01\.gateways\[0\]\.namespace \('Envoy_GW'\)/ },
  { title: 'LetsEncryptIssuers: listener sectionName upper-case', build: (c) => new LetsEncryptIssuers(c, 'le', { email: 'ops@acme.dev', http01: Http01Solver.gateway({ name: 'public', namespace: 'gw', sectionName: 'HTTP' }) }), message: /http01\.gateways\[0\]\.sectionName \('HTTP'\)/ },
  { title: 'LetsEncryptIssuers: empty ingress class', build: (c) => new LetsEncryptIssuers(c, 'le', { email: 'ops@acme.dev', http01: Http01Solver.ingressClass('') }), message: /http01\.ingressClassName \(''\)/ },
  // ---------------------------------------------------------------------------- controllers
  { title: 'CertManager: zero replicas', build: (c) => new CertManager(c, 'cm', { replicas: 0 }), message: /replicas \(0\)/ },
  { title: 'CertManager: invalid namespace', build: (c) => new CertManager(c, 'cm', { namespace: 'Cert_Manager' }), message: /CertManager .*namespace \('Cert_Manager'\)/ },
  { title: 'EnvoyGateway: fractional replicas', build: (c) => new EnvoyGateway(c, 'eg', { replicas: 1.5 }), message: /replicas \(1\.5\)/ },
  { title: 'EnvoyGateway: invalid namespace', build: (c) => new EnvoyGateway(c, 'eg', { namespace: 'Envoy GW' }), message: /EnvoyGateway .*namespace \('Envoy GW'\)/ },
  { title: 'EnvoyGatewayClass: upper-case name', build: (c) => new EnvoyGatewayClass(c, 'gc', { name: 'Envoy' }), message: /name \('Envoy'\)/ },
  { title: 'IngressNginx: negative replicas', build: (c) => new IngressNginx(c, 'nginx', { replicas: -2 }), message: /replicas \(-2\)/ },
  { title: 'IngressNginx: invalid namespace', build: (c) => new IngressNginx(c, 'nginx', { namespace: 'Ingress_Nginx' }), message: /IngressNginx .*namespace \('Ingress_Nginx'\)/ },
  // ------------------------------------------------------------------ constructs owned elsewhere
  { title: 'HelmChartRelease: invalid namespace', build: release({ namespace: 'Monitoring' }), message: /namespace \('Monitoring'\)/ },
  { title: 'HelmChartRelease: upper-case release name', build: release({ releaseName: 'Metrics' }), message: /releaseName \('Metrics'\)/ },
  { title: 'HelmChartRelease: interval in words', build: release({ interval: '10 minutes' }), message: /interval \('10 minutes'\)/ },
  { title: 'HelmChartRelease: negative timeout', build: release({ timeout: '-5m' }), message: /timeout \('-5m'\)/ },
  { title: 'HelmChartRelease: workload with a negative cpu request', build: release({ workloads: [{ name: 'metrics-server', kind: 'Deployment', requests: { cpu: '-100m', memory: '64Mi' } }] }), message: /workloads\[0\]\.requests\.cpu \('-100m'\)/ },
  { title: 'StatefulMongo: password given as a literal', build: mongo({ admin: { username: { name: 'mongo-admin', key: 'username' }, password: 'hunter2-mongo' as never } }), message: /admin\.password/, secret: 'hunter2-mongo' },
  { title: 'StatefulMongo: two members', build: mongo({ members: 2 }), message: /members \(2\)/ },
  { title: 'StatefulMongo: invalid StorageClass name', build: mongo({ storage: { size: '20Gi', storageClass: 'GP3_Fast' } }), message: /storage\.storageClass \('GP3_Fast'\)/ },
  { title: 'StatefulMongo: negative storage size', build: mongo({ storage: { size: '-20Gi', storageClass: 'gp3' } }), message: /storage\.size \('-20Gi'\)/ },
  { title: 'StatefulMongo: backup schedule hour 25', build: mongo({ backup: { schedule: '0 25 * * *', size: '50Gi' } }), message: /backup\.schedule \('0 25 \* \* \*'\)/ },
  { title: 'StatefulMongo: upper-case image repository', build: mongo({ image: 'docker.io/Library/mongo:8.0.4' }), message: /image \('docker\.io\/Library\/mongo:8\.0\.4'\)/ },
  { title: 'StatefulMongo: keyfile Secret key invalid', build: mongo({ keyfile: { name: 'mongo-keyfile', key: 'key file' } }), message: /keyfile\.key \('key file'\)/ },
  { title: 'StatefulRedis: password given as a literal', build: redis({ password: 'hunter2-redis' as never }), message: /password/, secret: 'hunter2-redis' },
  { title: 'StatefulRedis: invalid namespace', build: redis({ namespace: 'Journal' }), message: /namespace \('Journal'\)/ },
  { title: 'StatefulRedis: negative memory', build: redis({ resources: { cpu: '100m', memory: '-1Gi' } }), message: /resources\.memory \('-1Gi'\)/ },
  { title: 'StatefulRedis: image with whitespace', build: redis({ image: 'redis:7.4.1 ' }), message: /image \('redis:7\.4\.1 '\)/ },
  { title: 'StatefulRedis: invalid StorageClass name', build: redis({ storage: { size: '10Gi', storageClass: 'Premium SSD' } }), message: /storage\.storageClass \('Premium SSD'\)/ },
  { title: 'EfkLogging: password given as a literal', build: efk({ elasticPassword: 'changeme-elastic' as never }), message: /elasticPassword/, secret: 'changeme-elastic' },
  { title: 'EfkLogging: retention of 0 days', build: efk({ retentionDays: 0 }), message: /retentionDays \(0\)/ },
  { title: 'EfkLogging: invalid StorageClass name', build: efk({ storage: { size: '50Gi', storageClass: 'GP3' } }), message: /storage\.storageClass \('GP3'\)/ },
  { title: 'EfkLogging: negative storage size', build: efk({ storage: { size: '-50Gi' } }), message: /storage\.size \('-50Gi'\)/ },
  { title: 'EfkLogging: invalid collector namespace', build: efk({ collectorNamespace: 'Logging_Agents' }), message: /collectorNamespace \('Logging_Agents'\)/ },
  { title: 'EfkLogging: Kibana peer CIDR invalid', build: efk({ kibanaAllowFrom: [IngressPeer.cidr('10.0.0.0/40')] }), message: /kibanaAllowFrom\[0\].*10\.0\.0\.0\/40/ },
  { title: 'MonitoringStack: invalid Grafana Secret name', build: monitoring({ grafanaAdmin: { secretName: 'Grafana_Admin' } }), message: /grafanaAdmin\.secretName \('Grafana_Admin'\)/ },
  { title: 'MonitoringStack: invalid Grafana Secret key', build: monitoring({ grafanaAdmin: { secretName: 'grafana-admin', passwordKey: 'admin password' } }), message: /grafanaAdmin\.passwordKey \('admin password'\)/ },
  { title: 'MonitoringStack: retention in words', build: monitoring({ retention: '10 days' }), message: /retention \('10 days'\)/ },
  { title: 'MonitoringStack: zero Prometheus replicas', build: monitoring({ prometheusReplicas: 0 }), message: /prometheusReplicas \(0\)/ },
  { title: 'MonitoringStack: invalid StorageClass name', build: monitoring({ storage: { storageClass: 'Fast_SSD' } }), message: /storage\.storageClass \('Fast_SSD'\)/ },
  { title: 'MonitoringStack: invalid namespace', build: monitoring({ namespace: 'Monitoring' }), message: /namespace \('Monitoring'\)/ },
  { title: 'IngressWithAuth: IP address as host', build: ingress((backend) => ({ routes: [{ host: '10.0.0.5', backend }] })), message: /routes\[0\]\.host \('10\.0\.0\.5'\)/ },
  { title: 'IngressWithAuth: upper-case host', build: ingress((backend) => ({ routes: [{ host: 'Todo.Acme.dev', backend }] })), message: /routes\[0\]\.host \('Todo\.Acme\.dev'\)/ },
  { title: 'IngressWithAuth: invalid backend Service name', build: ingress(() => ({ routes: [{ host: 'todo.acme.dev', backend: { name: 'Todo_API' }, port: 80 }] })), message: /routes\[0\]\.backend.*Todo_API/ },
  { title: 'IngressWithAuth: relative route path', build: ingress((backend) => ({ routes: [{ host: 'todo.acme.dev', path: 'api', backend }] })), message: /routes\[0\]\.path \('api'\)/ },
  { title: 'IngressWithAuth: no routes', build: ingress(() => ({ routes: [] })), message: /routes/ },
  { title: 'IngressWithAuth: plaintext password as a hash', build: ingress(() => ({ basicAuth: { users: BasicAuthUsers.hashed({ alice: 'plaintext-password' }) } })), message: /basicAuth\.users/, secret: 'plaintext-password' },
  { title: 'IngressWithAuth: invalid namespace', build: ingress(() => ({ namespace: 'Todo' })), message: /namespace \('Todo'\)/ },
  { title: 'FluxGitSync: http URL', build: (c) => new FluxGitSync(c, 'sync', { url: 'http://github.com/acme/fleet', path: './clusters/prod' }), message: /url \('http:\/\/github\.com\/acme\/fleet'\)/ },
  { title: 'FluxGitSync: interval in words', build: (c) => new FluxGitSync(c, 'sync', { url: 'https://github.com/acme/fleet', path: './clusters/prod', interval: '5 minutes' }), message: /interval \('5 minutes'\)/ },
  { title: 'FluxGitSync: invalid Secret name', build: (c) => new FluxGitSync(c, 'sync', { url: 'ssh://git@github.com/acme/fleet', path: './clusters/prod', secretName: 'Git_Key' }), message: /secretName \('Git_Key'\)/ },
  { title: 'FluxGitSync: upper-case name', build: (c) => new FluxGitSync(c, 'sync', { url: 'https://github.com/acme/fleet', path: './clusters/prod', name: 'Fleet' }), message: /name \('Fleet'\)/ },
  { title: 'FluxGitSync: branch with a space', build: (c) => new FluxGitSync(c, 'sync', { url: 'https://github.com/acme/fleet', path: './clusters/prod', branch: 'main branch' }), message: /branch \('main branch'\)/ },
  { title: 'WorkloadIdentity: invalid ServiceAccount name', build: (c) => new WorkloadIdentity(c, 'id', { cloud: 'azure', serviceAccount: { name: 'Reports_SA', namespace: 'reports' } }), message: /serviceAccount\.name \('Reports_SA'\)/ },
  { title: 'WorkloadIdentity: invalid ServiceAccount namespace', build: (c) => new WorkloadIdentity(c, 'id', { cloud: 'azure', serviceAccount: { name: 'reports', namespace: 'Reports' } }), message: /serviceAccount\.namespace \('Reports'\)/ },
  { title: 'WorkloadIdentity: Azure roles on AWS (no effect)', build: (c) => new WorkloadIdentity(c, 'id', { cloud: 'aws', serviceAccount: new kplus.ServiceAccount(c, 'sa', { metadata: { name: 'reports', namespace: 'reports' } }), awsPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::acme-reports/*'] }] }, azureRoles: [{ role: 'Reader', scope: '/subscriptions/x' }] as never }), message: /azureRoles/ },
  { title: 'ExternalDns: domain filter with an upper-case label', build: (c) => new ExternalDns(c, 'dns', { domainFilters: ['Example.com'], hostedZoneId: 'Z0123456789ABC', txtOwnerId: 'prod', region: 'eu-west-1' }), message: /domainFilters\[0\] \('Example\.com'\)/ },
  { title: 'ExternalDns: IP address as domain filter', build: (c) => new ExternalDns(c, 'dns', { domainFilters: ['10.0.0.1'], hostedZoneId: 'Z0123456789ABC', txtOwnerId: 'prod', region: 'eu-west-1' }), message: /domainFilters\[0\] \('10\.0\.0\.1'\)/ },
  { title: 'ExternalDns: empty TXT owner id', build: (c) => new ExternalDns(c, 'dns', { domainFilters: ['example.com'], hostedZoneId: 'Z0123456789ABC', txtOwnerId: '', region: 'eu-west-1' }), message: /txtOwnerId/ },
  { title: 'Velero: upper-case bucket', build: (c) => new Velero(c, 'velero', { bucket: 'Prod_Backups', region: 'eu-west-1' }), message: /bucket \('Prod_Backups'\)/ },
  { title: 'Velero: region not a region', build: (c) => new Velero(c, 'velero', { bucket: 'prod-backups', region: 'Europe West' }), message: /region \('Europe West'\)/ },
];

/** Whether `kase` is refused as it must be; undefined when it is, else what happened. */
function outcome(kase: Case): string | undefined {
  let error: unknown;
  try {
    kase.build(Testing.chart());
  } catch (e) {
    error = e;
  }
  if (error === undefined) return 'accepted';
  if (!(error instanceof PropsError)) return `threw ${(error as Error).name}: ${(error as Error).message.slice(0, 300)}`;
  if (!kase.message.test(error.message)) return `refused, but the message does not match ${kase.message}: ${error.message.slice(0, 300)}`;
  if (kase.secret !== undefined && error.message.includes(kase.secret)) return `refused, but the message shows the secret: ${error.message.slice(0, 300)}`;
  return undefined;
}

describe('bad-input corpus', () => {
  it('has at least 120 cases with unique titles', () => {
    assert.ok(CASES.length >= 120, `only ${CASES.length} cases`);
    assert.equal(new Set(CASES.map((c) => c.title)).size, CASES.length);
  });

  it('refuses at least 95% of the bad inputs, naming the field and value', () => {
    const failures = CASES.map((kase) => ({ title: kase.title, result: outcome(kase) })).filter((f) => f.result !== undefined);
    const refused = CASES.length - failures.length;
    const share = refused / CASES.length;
    console.log(`bad-input corpus: ${refused}/${CASES.length} refused (${(share * 100).toFixed(1)}%)`);
    for (const failure of failures) console.log(`  not refused: ${failure.title}: ${failure.result}`);
    assert.ok(share >= 0.95, `only ${refused}/${CASES.length} bad inputs refused; not refused:\n${failures.map((f) => `- ${f.title}: ${f.result}`).join('\n')}`);
  });
});
