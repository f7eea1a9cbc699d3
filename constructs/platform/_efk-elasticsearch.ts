/**
 * The Elasticsearch part of EfkLogging: TLS from cert-manager, the headless and client
 * Services, the StatefulSet, its PodDisruptionBudget and NetworkPolicy, and the setup Job
 * (kibana_system password, the collector's user, the retention policy and index template).
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateSpecPrivateKeyEncoding, CertificateSpecUsages, ClusterIssuer, Issuer } from '../imports/cert-manager.js';
import { HashedConfigMap, contentHash } from '../workloads/hashed-config-map.js';
import { QOS_CLASS_ANNOTATION, QosClass } from '../core/qos.js';
import { parseQuantity } from '../core/quantity.js';
import { memberPlacement } from '../core/placement.js';
import {
  COLLECTOR_LABELS, CURL_IMAGE, CURL_UID, DATA_VIEW_LABELS, ELASTICSEARCH_IMAGE, ES_LABELS, ES_UID, INDEX_PREFIX, JSON_ESCAPE_FN, NAMES, PORTS,
  SETUP_LABELS, efkValidator, elasticsearchUrl, imageUser, partLabels, type ResolvedEfk,
} from './_efk-shared.js';
import { hardenedPodSpec } from '../workloads/pod-spec.js';
import type { PropsValidator } from '../core/errors.js';

const MIB = 1024 * 1024;
/**
 * The largest heap: below the ~32 GB threshold past which the JVM can no longer use
 * compressed object pointers (a 32g heap holds fewer objects than a 31g one).
 */
export const MAX_HEAP_MIB = 31 * 1024;

/**
 * The JVM heap for a memory limit: half of it (the other half is for the operating
 * system's file cache, which Lucene relies on, and for off-heap memory), rounded down to a
 * whole MiB and capped at 31g for compressed object pointers. `-Xms` and `-Xmx` are set
 * to it alike. Returned in the JVM's notation: `1g`, `1536m`.
 */
export function elasticsearchHeap(memoryLimit: string): string {
  const mib = Math.min(Math.floor(parseQuantity(memoryLimit) / 2 / MIB), MAX_HEAP_MIB);
  return mib % 1024 === 0 ? `${mib / 1024}g` : `${mib}m`;
}

const ES_HOME = '/usr/share/elasticsearch';
const CERTS = `${ES_HOME}/config/certs`;

/** The Secrets cert-manager writes. */
export const TLS_SECRETS = {
  transportCa: `${NAMES.elasticsearch}-transport-ca`,
  transport: `${NAMES.elasticsearch}-transport-tls`,
  http: `${NAMES.elasticsearch}-http-tls`,
  kibana: `${NAMES.kibana}-tls`,
  collectorCa: `${NAMES.collector}-es-ca`,
} as const;

/** The names of the cluster-scoped issuers and of the HTTP CA, prefixed with the namespace so that two stacks never collide. */
export function httpCaNames(namespace: string) {
  return { selfSigned: `${namespace}-elasticsearch-selfsigned`, ca: `${namespace}-elasticsearch-http-ca` };
}

/** The DNS names of the pods behind the headless Service. */
export function nodeDnsNames(namespace: string, nodes: number): string[] {
  return Array.from({ length: nodes }, (_, i) => `${NAMES.elasticsearch}-${i}.${NAMES.headless}.${namespace}.svc.cluster.local`);
}

/** elasticsearch.yml for the resolved props. */
export function elasticsearchConfig(efk: ResolvedEfk): string {
  const multi = efk.nodes > 1;
  const lines = [
    `cluster.name: ${NAMES.elasticsearch}`,
    'node.name: ${NODE_NAME}',
    'network.host: 0.0.0.0',
    ...(multi
      ? [
        `discovery.seed_hosts: ["${NAMES.headless}"]`,
        `cluster.initial_master_nodes: [${Array.from({ length: efk.nodes }, (_, i) => `"${NAMES.elasticsearch}-${i}"`).join(', ')}]`,
      ]
      : ['discovery.type: single-node']),
    // Without vm.max_map_count >= 262144 on the node, mmap-backed index files fail; niofs needs no sysctl.
    ...(efk.allowMmap ? [] : ['node.store.allow_mmap: false']),
    'xpack.security.enabled: true',
    'xpack.security.http.ssl.enabled: true',
    'xpack.security.http.ssl.key: certs/http/tls.key',
    'xpack.security.http.ssl.certificate: certs/http/tls.crt',
    'xpack.security.http.ssl.certificate_authorities: ["certs/http/ca.crt"]',
    ...(multi
      ? [
        'xpack.security.transport.ssl.enabled: true',
        // Peers connect by IP: the certificate is checked against the cluster's own private CA, not the host name.
        'xpack.security.transport.ssl.verification_mode: certificate',
        'xpack.security.transport.ssl.key: certs/transport/tls.key',
        'xpack.security.transport.ssl.certificate: certs/transport/tls.crt',
        'xpack.security.transport.ssl.certificate_authorities: ["certs/transport/ca.crt"]',
      ]
      : []),
  ];
  return `${lines.join('\n')}\n`;
}

const KEY = { algorithm: CertificateSpecPrivateKeyAlgorithm.RSA, size: 2048, encoding: CertificateSpecPrivateKeyEncoding.PKCS8 };

/** cert-manager objects: the private transport CA (multi-node) and the HTTP CA shared with the collector's namespace. */
function certificates(scope: Construct, efk: ResolvedEfk): void {
  const ns = efk.namespace;
  const labels = { ...ES_LABELS };
  if (efk.nodes > 1) {
    // Transport: a CA private to this namespace, so nothing else in the cluster can mint a peer certificate.
    new Issuer(scope, 'TransportSelfSigned', { metadata: { name: `${NAMES.elasticsearch}-selfsigned`, namespace: ns, labels }, spec: { selfSigned: {} } });
    new Certificate(scope, 'TransportCa', {
      metadata: { name: TLS_SECRETS.transportCa, namespace: ns, labels },
      spec: {
        isCa: true, commonName: `${NAMES.elasticsearch}-transport-ca`, secretName: TLS_SECRETS.transportCa, duration: '87600h', privateKey: KEY,
        issuerRef: { name: `${NAMES.elasticsearch}-selfsigned`, kind: 'Issuer', group: 'cert-manager.io' },
      },
    });
    new Issuer(scope, 'TransportIssuer', { metadata: { name: TLS_SECRETS.transportCa, namespace: ns, labels }, spec: { ca: { secretName: TLS_SECRETS.transportCa } } });
    new Certificate(scope, 'TransportCertificate', {
      metadata: { name: TLS_SECRETS.transport, namespace: ns, labels },
      spec: {
        secretName: TLS_SECRETS.transport, commonName: `${NAMES.headless}.${ns}.svc`, privateKey: KEY,
        dnsNames: [`*.${NAMES.headless}.${ns}.svc.cluster.local`, `*.${NAMES.headless}.${ns}.svc`, ...nodeDnsNames(ns, efk.nodes)],
        usages: [CertificateSpecUsages.SERVER_AUTH, CertificateSpecUsages.CLIENT_AUTH, CertificateSpecUsages.DIGITAL_SIGNATURE, CertificateSpecUsages.KEY_ENCIPHERMENT],
        issuerRef: { name: TLS_SECRETS.transportCa, kind: 'Issuer', group: 'cert-manager.io' },
      },
    });
  }

  // HTTP: the collector verifies Elasticsearch from another namespace, so this CA is a ClusterIssuer
  // (its key lives in cert-manager's namespace) and each namespace gets ca.crt from a Certificate of its own.
  const http = httpCaNames(ns);
  new ClusterIssuer(scope, 'HttpSelfSigned', { metadata: { name: http.selfSigned, labels }, spec: { selfSigned: {} } });
  new Certificate(scope, 'HttpCa', {
    metadata: { name: http.ca, namespace: efk.certManagerNamespace, labels },
    spec: {
      isCa: true, commonName: http.ca, secretName: http.ca, duration: '87600h', privateKey: KEY,
      issuerRef: { name: http.selfSigned, kind: 'ClusterIssuer', group: 'cert-manager.io' },
    },
  });
  new ClusterIssuer(scope, 'HttpIssuer', { metadata: { name: http.ca, labels }, spec: { ca: { secretName: http.ca } } });
  const serverCertificate = (id: string, secretName: string, service: string, namespace: string, extra: string[] = []) => new Certificate(scope, id, {
    metadata: { name: secretName, namespace, labels },
    spec: {
      secretName, commonName: `${service}.${namespace}.svc`, privateKey: KEY,
      dnsNames: [`${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`, ...extra],
      usages: [CertificateSpecUsages.SERVER_AUTH, CertificateSpecUsages.DIGITAL_SIGNATURE, CertificateSpecUsages.KEY_ENCIPHERMENT],
      issuerRef: { name: http.ca, kind: 'ClusterIssuer', group: 'cert-manager.io' },
    },
  });
  // localhost: the probes ask the node itself.
  serverCertificate('HttpCertificate', TLS_SECRETS.http, NAMES.elasticsearch, ns, [
    NAMES.elasticsearch, `${NAMES.elasticsearch}.${ns}`, `*.${NAMES.headless}.${ns}.svc`, `*.${NAMES.headless}.${ns}.svc.cluster.local`, 'localhost',
  ]);
  serverCertificate('KibanaCertificate', TLS_SECRETS.kibana, NAMES.kibana, ns, [NAMES.kibana, `${NAMES.kibana}.${ns}`]);
  new Certificate(scope, 'CollectorCa', {
    metadata: { name: TLS_SECRETS.collectorCa, namespace: efk.collectorNamespace, labels: { ...COLLECTOR_LABELS } },
    spec: {
      // Only ca.crt of this Secret is mounted: it is how the HTTP CA reaches the collector's namespace.
      secretName: TLS_SECRETS.collectorCa, commonName: `${NAMES.collector}.${efk.collectorNamespace}`, privateKey: KEY,
      usages: [CertificateSpecUsages.CLIENT_AUTH, CertificateSpecUsages.DIGITAL_SIGNATURE],
      issuerRef: { name: http.ca, kind: 'ClusterIssuer', group: 'cert-manager.io' },
    },
  });
}

/** Builds every Elasticsearch object under `scope`. */
export function addElasticsearch(scope: Construct, efk: ResolvedEfk): void {
  const ns = efk.namespace;
  const multi = efk.nodes > 1;
  certificates(scope, efk);

  new ApiObject(scope, 'Headless', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: NAMES.headless, namespace: ns, labels: { ...ES_LABELS } },
    spec: {
      clusterIP: 'None',
      // Peers find each other while the cluster forms, before any node is ready.
      publishNotReadyAddresses: true,
      selector: { ...ES_LABELS },
      ports: [{ name: 'http', port: PORTS.http, targetPort: PORTS.http }, { name: 'transport', port: PORTS.transport, targetPort: PORTS.transport }],
    },
  });
  new ApiObject(scope, 'Client', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: NAMES.elasticsearch, namespace: ns, labels: { ...ES_LABELS } },
    spec: { selector: { ...ES_LABELS }, ports: [{ name: 'https', port: PORTS.http, targetPort: PORTS.http }] },
  });

  const config = new HashedConfigMap(scope, 'Config', {
    baseName: `${NAMES.elasticsearch}-config`, namespace: ns, labels: { ...ES_LABELS },
    data: { 'elasticsearch.yml': elasticsearchConfig(efk) },
  });

  const resources = { requests: { cpu: efk.resources.cpu, memory: efk.resources.memory }, limits: { cpu: efk.resources.cpu, memory: efk.resources.memory } };
  const small = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '100m', memory: '128Mi' } };
  const health = `curl --silent --fail --cacert ${CERTS}/http/ca.crt -u "elastic:$ELASTIC_PASSWORD" "https://localhost:${PORTS.http}/_cluster/health?local=true"`;
  new ApiObject(scope, 'Resource', {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: NAMES.elasticsearch, namespace: ns, labels: { ...ES_LABELS } },
    spec: {
      serviceName: NAMES.headless,
      replicas: efk.nodes,
      podManagementPolicy: 'Parallel',
      updateStrategy: { type: 'RollingUpdate' },
      selector: { matchLabels: { ...ES_LABELS } },
      template: {
        metadata: { labels: { ...ES_LABELS }, annotations: { [QOS_CLASS_ANNOTATION]: QosClass.GUARANTEED.name } },
        spec: hardenedPodSpec(efkValidator(scope), {
          ...imageUser(ES_UID),
          terminationGracePeriodSeconds: 120,
          ...memberPlacement(ES_LABELS, multi),
          initContainers: [{
            // The root filesystem is read-only: the config directory (keystore, elasticsearch.yml) is an emptyDir, seeded from the image.
            name: 'config',
            image: ELASTICSEARCH_IMAGE,
            command: ['sh', '-c', `cp -R ${ES_HOME}/config/. /mnt/config/ && cp /mnt/settings/elasticsearch.yml /mnt/config/elasticsearch.yml`],
            resources: small,
            volumeMounts: [{ name: 'config', mountPath: '/mnt/config' }, { name: 'settings', mountPath: '/mnt/settings', readOnly: true }],
          }],
          containers: [{
            name: 'elasticsearch',
            image: ELASTICSEARCH_IMAGE,
            env: [
              { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'ES_JAVA_OPTS', value: `-Xms${efk.heap} -Xmx${efk.heap}` },
              { name: 'ELASTIC_PASSWORD', valueFrom: { secretKeyRef: { name: efk.elasticPassword.name, key: efk.elasticPassword.key } } },
            ],
            ports: [{ name: 'http', containerPort: PORTS.http }, { name: 'transport', containerPort: PORTS.transport }],
            resources,
            startupProbe: { tcpSocket: { port: PORTS.http }, periodSeconds: 10, failureThreshold: 60, timeoutSeconds: 5 },
            livenessProbe: { tcpSocket: { port: PORTS.transport }, periodSeconds: 20, failureThreshold: 6, timeoutSeconds: 5 },
            readinessProbe: { exec: { command: ['sh', '-c', health] }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 5 },
            volumeMounts: [
              { name: 'data', mountPath: `${ES_HOME}/data` },
              { name: 'config', mountPath: `${ES_HOME}/config` },
              { name: 'http-tls', mountPath: `${CERTS}/http`, readOnly: true },
              ...(multi ? [{ name: 'transport-tls', mountPath: `${CERTS}/transport`, readOnly: true }] : []),
              { name: 'logs', mountPath: `${ES_HOME}/logs` },
              { name: 'tmp', mountPath: '/tmp' },
            ],
          }],
          volumes: [
            { name: 'config', emptyDir: { sizeLimit: '64Mi' } },
            { name: 'settings', configMap: { name: config.name } },
            { name: 'http-tls', secret: { secretName: TLS_SECRETS.http, defaultMode: 0o440 } },
            ...(multi ? [{ name: 'transport-tls', secret: { secretName: TLS_SECRETS.transport, defaultMode: 0o440 } }] : []),
            { name: 'logs', emptyDir: { sizeLimit: '1Gi' } },
            { name: 'tmp', emptyDir: { sizeLimit: '1Gi' } },
          ],
        }),
      },
      volumeClaimTemplates: [{
        metadata: { name: 'data', labels: { ...ES_LABELS } },
        spec: {
          accessModes: ['ReadWriteOnce'],
          ...(efk.storage.storageClass !== undefined && { storageClassName: efk.storage.storageClass }),
          resources: { requests: { storage: efk.storage.size } },
        },
      }],
    },
  });

  if (multi) {
    new ApiObject(scope, 'Budget', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: NAMES.elasticsearch, namespace: ns, labels: { ...ES_LABELS } },
      // One node at a time: the masters keep their quorum and every shard keeps a copy.
      spec: { maxUnavailable: 1, selector: { matchLabels: { ...ES_LABELS } } },
    });
  }

  new ApiObject(scope, 'NetworkPolicy', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: NAMES.elasticsearch, namespace: ns, labels: { ...ES_LABELS } },
    spec: {
      podSelector: { matchLabels: { ...ES_LABELS } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            { podSelector: { matchLabels: { ...COLLECTOR_LABELS } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': efk.collectorNamespace } } },
            { podSelector: { matchLabels: { ...partLabels(NAMES.kibana) } } },
            { podSelector: { matchLabels: { ...SETUP_LABELS } } },
            { podSelector: { matchLabels: { ...DATA_VIEW_LABELS } } },
          ],
          ports: [{ protocol: 'TCP', port: PORTS.http }],
        },
        { from: [{ podSelector: { matchLabels: { ...ES_LABELS } } }], ports: [{ protocol: 'TCP', port: PORTS.transport }] },
      ],
    },
  });

  addSetupJob(scope, efk);
}

/** The setup Job's script: every step is a PUT or POST that sets the same state again when re-run. */
export function setupScript(efk: ResolvedEfk): string {
  const es = elasticsearchUrl(efk.namespace);
  const replicas = efk.nodes > 1 ? 1 : 0;
  const policy = JSON.stringify({ policy: { phases: { hot: { min_age: '0ms', actions: {} }, delete: { min_age: `${efk.retentionDays}d`, actions: { delete: {} } } } } });
  const template = JSON.stringify({
    index_patterns: [`${INDEX_PREFIX}-*`],
    priority: 200,
    template: { settings: { 'index.lifecycle.name': NAMES.lifecyclePolicy, 'index.number_of_shards': 1, 'index.number_of_replicas': replicas } },
  });
  const role = JSON.stringify({ cluster: [], indices: [{ names: [`${INDEX_PREFIX}-*`], privileges: ['create_doc', 'create_index', 'auto_configure'] }] });
  return [
    'set -eu',
    JSON_ESCAPE_FN,
    `es() { method="$1"; path="$2"; shift 2; curl --silent --show-error --fail-with-body --cacert /tls/ca.crt -u "elastic:$ELASTIC_PASSWORD" -H 'Content-Type: application/json' -X "$method" "${es}$path" "$@"; echo; }`,
    `until es GET '/_cluster/health?wait_for_status=yellow&timeout=30s' >/dev/null; do echo 'waiting for Elasticsearch'; sleep 5; done`,
    // Setting a password to the value it has is a no-op: safe to re-run, and a changed Secret is applied.
    'es POST /_security/user/kibana_system/_password -d "{\\"password\\":\\"$(json "$KIBANA_SYSTEM_PASSWORD")\\"}"',
    `es PUT /_security/role/${NAMES.collectorRole} -d '${role}'`,
    `es PUT /_security/user/${NAMES.collectorUser} -d "{\\"password\\":\\"$(json "$COLLECTOR_PASSWORD")\\",\\"roles\\":[\\"${NAMES.collectorRole}\\"]}"`,
    `es PUT /_ilm/policy/${NAMES.lifecyclePolicy} -d '${policy}'`,
    `es PUT /_index_template/${NAMES.indexTemplate} -d '${template}'`,
    `echo 'Elasticsearch set up: kibana_system, ${NAMES.collectorUser}, ${NAMES.lifecyclePolicy} (${efk.retentionDays} days), template ${NAMES.indexTemplate}'`,
  ].join('\n');
}

/** A hardened curl Job pod in the Elasticsearch namespace, with the HTTP CA and the given Secret keys in its environment. */
export function curlJobPod(v: PropsValidator, labels: Record<string, string>, script: string, env: { name: string; secret: { name: string; key: string } }[], caSecret: string) {
  return {
    metadata: { labels },
    spec: hardenedPodSpec(v, {
      ...imageUser(CURL_UID),
      restartPolicy: 'OnFailure',
      containers: [{
        name: 'setup',
        image: CURL_IMAGE,
        command: ['sh', '-c', script],
        env: env.map((e) => ({ name: e.name, valueFrom: { secretKeyRef: { name: e.secret.name, key: e.secret.key } } })),
        resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '64Mi' } },
        volumeMounts: [{ name: 'tls', mountPath: '/tls', readOnly: true }],
      }],
      // Only the CA certificate: the Job never sees a private key.
      volumes: [{ name: 'tls', secret: { secretName: caSecret, items: [{ key: 'ca.crt', path: 'ca.crt' }] } }],
    }),
  };
}

/** A Job's name with a hash of its pod template: a changed setting is a new Job (a Job's template cannot be changed in place). */
export function jobName(base: string, template: unknown): string {
  return `${base}-${contentHash({ template: JSON.stringify(template) })}`;
}

function addSetupJob(scope: Construct, efk: ResolvedEfk): void {
  const template = curlJobPod(efkValidator(scope), { ...SETUP_LABELS }, setupScript(efk), [
    { name: 'ELASTIC_PASSWORD', secret: efk.elasticPassword },
    { name: 'KIBANA_SYSTEM_PASSWORD', secret: efk.kibanaSystemPassword },
    { name: 'COLLECTOR_PASSWORD', secret: efk.collectorPassword },
  ], TLS_SECRETS.http);
  new ApiObject(scope, 'Setup', {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: jobName(`${NAMES.elasticsearch}-setup`, template), namespace: efk.namespace, labels: { ...SETUP_LABELS } },
    spec: { backoffLimit: 20, activeDeadlineSeconds: 3600, template },
  });
}
