/**
 * The collector part of EfkLogging: Fluent Bit as a DaemonSet in a namespace of its own,
 * the only part of the kit whose Pod Security level is below restricted, and why.
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { addPolicyException } from '../core/exceptions.js';
import { HashedConfigMap } from '../workloads/hashed-config-map.js';
import { QOS_CLASS_ANNOTATION, QosClass } from '../core/qos.js';
import { privilegedNamespace } from './app-namespace.js';
import { TLS_SECRETS } from './_efk-elasticsearch.js';
import { COLLECTOR_LABELS, FLUENT_BIT_IMAGE, INDEX_PREFIX, NAMES, PORTS, efkValidator, type ResolvedEfk } from './_efk-shared.js';
import { hardenedPodSpec } from '../workloads/pod-spec.js';

/** Where the collector keeps its file offsets and its filesystem buffer, on the node. */
export const COLLECTOR_STATE_PATH = '/var/lib/fluent-bit';

/** Why the collector's namespace enforces `privileged` rather than `restricted` or `baseline`. */
export const COLLECTOR_POD_SECURITY_REASON = 'Fluent Bit mounts hostPath volumes (/var/log/pods, /var/log/containers and its state directory) '
  + 'and runs as root to read log files that only root may read; the baseline level already forbids hostPath volumes, so only privileged admits it. '
  + 'Every other control is still met: no privileged container, no capabilities, no host namespaces, read-only root filesystem.';

/**
 * The rules the collector's DaemonSet is excepted from, each with its reason. Nothing else
 * in EfkLogging carries an exception.
 */
export const COLLECTOR_EXCEPTIONS: Readonly<Record<string, string>> = {
  'pss-host-path-volumes': 'reads container logs from /var/log/pods and /var/log/containers on each node (read-only), '
    + `and keeps file offsets and its buffer in ${COLLECTOR_STATE_PATH} so that a restart neither loses nor repeats logs`,
  'pss-volume-types': 'hostPath is the only volume type that reaches the node\'s log files; see pss-host-path-volumes',
  'pss-run-as-non-root': 'the container runtime writes log files as root with mode 0640, so only root can read them; '
    + 'root here has no capabilities, no privilege escalation and a read-only root filesystem',
  'pss-run-as-user': 'runs as uid 0 explicitly (see pss-run-as-non-root) rather than relying on the image default',
  'kit-service-account-token': 'the kubernetes filter reads pod and namespace metadata from the API server (get, list and watch on pods and namespaces, nothing else)',
};

/** The Fluent Bit configuration (classic format): tail → kubernetes metadata → Elasticsearch daily `logstash-YYYY.MM.DD` indices. */
export function fluentBitConfig(efk: ResolvedEfk): string {
  return `[SERVICE]
    Daemon            Off
    Flush             5
    Log_Level         info
    Parsers_File      /fluent-bit/etc/parsers.conf
    HTTP_Server       On
    HTTP_Listen       0.0.0.0
    HTTP_Port         ${PORTS.collector}
    Health_Check      On
    storage.path      ${COLLECTOR_STATE_PATH}/buffer/
    storage.sync      normal
    storage.backlog.mem_limit 16M
    storage.max_chunks_up     32

[INPUT]
    Name              tail
    Tag               kube.*
    Path              /var/log/containers/*.log
    multiline.parser  cri, docker
    DB                ${COLLECTOR_STATE_PATH}/tail.db
    DB.locking        true
    Buffer_Max_Size   1M
    Skip_Long_Lines   On
    Refresh_Interval  10
    storage.type      filesystem
    storage.pause_on_chunks_overlimit On

[FILTER]
    Name                kubernetes
    Match               kube.*
    Kube_URL            https://kubernetes.default.svc:443
    Kube_CA_File        /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
    Kube_Token_File     /var/run/secrets/kubernetes.io/serviceaccount/token
    Merge_Log           On
    Keep_Log            Off
    K8S-Logging.Parser  On
    K8S-Logging.Exclude On
    Labels              On
    Annotations         Off

[OUTPUT]
    Name                es
    Match               kube.*
    Host                ${NAMES.elasticsearch}.${efk.namespace}.svc
    Port                ${PORTS.http}
    HTTP_User           ${NAMES.collectorUser}
    HTTP_Passwd         \${ES_PASSWORD}
    tls                 On
    tls.verify          On
    tls.verify_hostname On
    tls.ca_file         /es-tls/ca.crt
    Logstash_Format     On
    Logstash_Prefix     ${INDEX_PREFIX}
    Logstash_DateFormat %Y.%m.%d
    Suppress_Type_Name  On
    Replace_Dots        On
    Trace_Error         On
    Retry_Limit         False
    storage.total_limit_size 2G
`;
}

/** Builds the collector's namespace, RBAC, configuration, DaemonSet and NetworkPolicy under `scope`. */
export function addCollector(scope: Construct, efk: ResolvedEfk): void {
  const ns = efk.collectorNamespace;
  const labels = { ...COLLECTOR_LABELS };
  privilegedNamespace(scope, 'CollectorNamespace', ns, COLLECTOR_POD_SECURITY_REASON);

  new ApiObject(scope, 'CollectorServiceAccount', {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: NAMES.collector, namespace: ns, labels },
    automountServiceAccountToken: false,
  });
  const clusterName = `${ns}-${NAMES.collector}`;
  new ApiObject(scope, 'CollectorClusterRole', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: clusterName, labels },
    // What the kubernetes filter reads, and nothing else.
    rules: [{ apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] }],
  });
  new ApiObject(scope, 'CollectorClusterRoleBinding', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: clusterName, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterName },
    subjects: [{ kind: 'ServiceAccount', name: NAMES.collector, namespace: ns }],
  });

  const config = new HashedConfigMap(scope, 'CollectorConfig', {
    baseName: `${NAMES.collector}-config`, namespace: ns, labels, data: { 'fluent-bit.conf': fluentBitConfig(efk) },
  });

  const daemonSet = new ApiObject(scope, 'Collector', {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: NAMES.collector, namespace: ns, labels },
    spec: {
      selector: { matchLabels: labels },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels, annotations: { [QOS_CLASS_ANNOTATION]: QosClass.BURSTABLE.name } },
        spec: hardenedPodSpec(efkValidator(scope), {
          serviceAccountName: NAMES.collector,
          // The kubernetes filter calls the API server: the token is mounted here and nowhere else.
          mountServiceAccountToken: true,
          priorityClassName: efk.collectorPriorityClassName,
          // A log collector runs on every node, whatever its taints.
          tolerations: [{ operator: 'Exists' }],
          // Root, for the root-owned log files (COLLECTOR_EXCEPTIONS); no fsGroup: its writable
          // volume is a hostPath, which fsGroup does not change.
          identity: { user: 0, group: 0, fsGroup: false, rootReason: COLLECTOR_EXCEPTIONS['pss-run-as-non-root'] ?? '' },
          containerIdentity: { user: 0, root: true },
          terminationGracePeriodSeconds: 30,
          containers: [{
            name: 'fluent-bit',
            image: FLUENT_BIT_IMAGE,
            command: ['/fluent-bit/bin/fluent-bit'],
            args: ['--workdir=/fluent-bit/etc', '--config=/fluent-bit/etc/conf/fluent-bit.conf'],
            env: [{ name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: efk.collectorPassword.name, key: efk.collectorPassword.key } } }],
            ports: [{ name: 'http', containerPort: PORTS.collector }],
            // Memory is bounded by storage.max_chunks_up (32 chunks of ~2 MB) and the backlog limit; the rest waits on disk.
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
            livenessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 20, failureThreshold: 3, timeoutSeconds: 5 },
            readinessProbe: { httpGet: { path: '/api/v2/health', port: 'http' }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 5 },
            volumeMounts: [
              { name: 'config', mountPath: '/fluent-bit/etc/conf', readOnly: true },
              { name: 'pods', mountPath: '/var/log/pods', readOnly: true },
              { name: 'containers', mountPath: '/var/log/containers', readOnly: true },
              { name: 'state', mountPath: COLLECTOR_STATE_PATH },
              { name: 'es-tls', mountPath: '/es-tls', readOnly: true },
            ],
          }],
          volumes: [
            { name: 'config', configMap: { name: config.name } },
            { name: 'pods', hostPath: { path: '/var/log/pods', type: 'Directory' } },
            { name: 'containers', hostPath: { path: '/var/log/containers', type: 'Directory' } },
            { name: 'state', hostPath: { path: COLLECTOR_STATE_PATH, type: 'DirectoryOrCreate' } },
            { name: 'es-tls', secret: { secretName: TLS_SECRETS.collectorCa, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          ],
        }),
      },
    },
  });
  for (const [ruleId, reason] of Object.entries(COLLECTOR_EXCEPTIONS)) addPolicyException(daemonSet, ruleId, reason);

  new ApiObject(scope, 'CollectorNetworkPolicy', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: NAMES.collector, namespace: ns, labels },
    // The collector only sends; nothing connects to it.
    spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [] },
  });
}
