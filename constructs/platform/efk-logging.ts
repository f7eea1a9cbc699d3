/**
 * EfkLogging: the EFK stack of seed 004 (Elasticsearch, a log collector, Kibana, with the
 * `logstash-*` index pattern and 30 to 45 days of history), hardened:
 *
 * - Elasticsearch as a StatefulSet of one node (small) or an odd number of three or more
 *   (large) with a quorum, security on, TLS from cert-manager on HTTP and, between nodes,
 *   on transport; heap derived from the memory limit; no privileged sysctl container;
 * - Fluent Bit as a DaemonSet in a namespace of its own, the one place the Pod Security
 *   level is below restricted, each waived rule annotated with its reason;
 * - Kibana as a HardenedDeployment, with the data view created for the user;
 * - retention as an index lifecycle policy inside Elasticsearch, set up by an idempotent Job.
 */
import { elasticsearchNodesProblem, LOG_RETENTION_DAYS_RANGE, logRetentionDaysProblem } from '../core/config-checks.js';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { checkSecretKeyRef, type SecretKeyRef } from '../core/secret-ref.js';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../core/names.js';
import { PropsValidator } from '../core/errors.js';
import type { HardenedDeployment } from '../workloads/hardened-deployment.js';
import { ingressPeerProblem, type IngressPeer } from '../workloads/exposure.js';
import { compareQuantities, isQuantity } from '../core/quantity.js';
import { RESTRICTED_POD_SECURITY_LABELS } from './app-namespace.js';
import { addCollector } from './_efk-collector.js';
import { addElasticsearch, elasticsearchHeap } from './_efk-elasticsearch.js';
import { addKibana, kibanaUrl } from './_efk-kibana.js';
import { NAMES, elasticsearchUrl, type ResolvedEfk } from './_efk-shared.js';

export { CURL_IMAGE, ELASTICSEARCH_IMAGE, FLUENT_BIT_IMAGE, KIBANA_IMAGE } from './_efk-shared.js';
export { MAX_HEAP_MIB, elasticsearchHeap } from './_efk-elasticsearch.js';
export { COLLECTOR_EXCEPTIONS } from './_efk-collector.js';

/** The defaults of {@link EfkLoggingProps}, resolved once in the constructor. */
export const EFK_DEFAULTS = {
  namespace: 'logging',
  collectorNamespace: 'logging-collector',
  nodes: 1,
  resources: { cpu: '1', memory: '2Gi' },
  retentionDays: 30,
  allowMmap: false,
  certManagerNamespace: 'cert-manager',
  collectorPriorityClassName: 'system-node-critical',
} as const;

/** The retention bounds: at least a day, at most a year of daily indices. */
export const RETENTION_DAYS_RANGE = LOG_RETENTION_DAYS_RANGE;

/** The smallest memory limit per node: half of it is the heap, and Elasticsearch needs 512m of heap. */
export const MIN_NODE_MEMORY = '1Gi';

/** Properties of {@link EfkLogging}. */
export interface EfkLoggingProps {
  /**
   * The namespace of Elasticsearch, Kibana and the setup Jobs, created by the construct and
   * enforcing the restricted Pod Security Standard.
   * @default 'logging'
   */
  readonly namespace?: string;
  /**
   * The collector's own namespace, created by the construct with Pod Security level
   * `privileged` (hostPath volumes need it). Must differ from `namespace`.
   * @default 'logging-collector'
   */
  readonly collectorNamespace?: string;
  /**
   * Elasticsearch nodes, each master-eligible and a data node: 1 for a small environment,
   * or an odd number (3, 5, 7) for a quorum. An even count is an error. Fixed at creation: a
   * single node runs with `discovery.type: single-node` and cannot grow into a cluster.
   * @default 1
   */
  readonly nodes?: number;
  /** Each node's volume (a PersistentVolumeClaim from the StatefulSet's claim template). */
  readonly storage: {
    /** A Kubernetes quantity, e.g. `50Gi`. */
    readonly size: string;
    /** @default - the cluster's default StorageClass */
    readonly storageClass?: string;
  };
  /**
   * CPU and memory per node; requests equal limits (Guaranteed). The JVM heap is half the
   * memory, at most 31g. Memory must be at least 1Gi.
   * @default { cpu: '1', memory: '2Gi' }
   */
  readonly resources?: { readonly cpu: string; readonly memory: string };
  /**
   * The `elastic` superuser's password: a key of a Secret in `namespace`. Used by the nodes
   * (bootstrap password), the probes and the setup Jobs; never written into the manifests.
   */
  readonly elasticPassword: SecretKeyRef;
  /** The password the setup Job gives the built-in `kibana_system` user, which Kibana logs in as: a key of a Secret in `namespace`. */
  readonly kibanaSystemPassword: SecretKeyRef;
  /**
   * The password of the `fluent-bit` user the collector writes as (it may only create
   * `logstash-*` indices and documents). A Secret with this name and key must exist in both
   * `namespace` (read by the setup Job) and `collectorNamespace` (read by the collector).
   */
  readonly collectorPassword: SecretKeyRef;
  /**
   * Days a daily `logstash-YYYY.MM.DD` index is kept before the index lifecycle policy
   * deletes it; a whole number from 1 to 365.
   * @default 30
   */
  readonly retentionDays?: number;
  /**
   * Let Elasticsearch memory-map its index files. Only when every node that may run it has
   * `vm.max_map_count` >= 262144 (set through the node pool); otherwise the nodes fail.
   * @default false - `node.store.allow_mmap: false`: no sysctl needed, somewhat slower searches
   * @see https://www.elastic.co/guide/en/elasticsearch/reference/current/vm-max-map-count.html
   */
  readonly allowMmap?: boolean;
  /**
   * Who may reach Kibana on 5601 (HTTPS), e.g. an ingress controller's namespace.
   * @default - only the data view Job
   */
  readonly kibanaAllowFrom?: readonly IngressPeer[];
  /**
   * The namespace cert-manager keeps ClusterIssuer keys in (its `--cluster-resource-namespace`),
   * where the HTTP CA is created.
   * @default 'cert-manager'
   */
  readonly certManagerNamespace?: string;
  /**
   * The collector's PriorityClass, so that it is scheduled (and kept) on full nodes.
   * @default 'system-node-critical'
   */
  readonly collectorPriorityClassName?: string;
}

/** Elasticsearch, Fluent Bit and Kibana, with retention, TLS and least-privilege users. */
export class EfkLogging extends Construct {
  /** The Elasticsearch and Kibana namespace. */
  public readonly namespace: string;
  /** The collector's namespace. */
  public readonly collectorNamespace: string;
  /** Elasticsearch nodes. */
  public readonly nodes: number;
  /** The JVM heap of each node (`-Xms` and `-Xmx`), e.g. `1g`. */
  public readonly heap: string;
  /** Days an index is kept. */
  public readonly retentionDays: number;
  /** `https://elasticsearch.<namespace>.svc:9200` */
  public readonly elasticsearchUrl: string;
  /** `https://kibana.<namespace>.svc:5601` */
  public readonly kibanaUrl: string;
  /** Kibana. */
  public readonly kibana: HardenedDeployment;

  constructor(scope: Construct, id: string, props: EfkLoggingProps) {
    super(scope, id);
    const efk = resolve(this, props);
    this.namespace = efk.namespace;
    this.collectorNamespace = efk.collectorNamespace;
    this.nodes = efk.nodes;
    this.heap = efk.heap;
    this.retentionDays = efk.retentionDays;
    this.elasticsearchUrl = elasticsearchUrl(efk.namespace);
    this.kibanaUrl = kibanaUrl(efk.namespace);

    new ApiObject(this, 'Namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: efk.namespace, labels: { ...RESTRICTED_POD_SECURITY_LABELS } },
    });
    new ApiObject(this, 'DefaultDeny', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny-ingress', namespace: efk.namespace },
      // The setup Jobs accept nothing; Elasticsearch and Kibana have policies of their own that admit their clients.
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [] },
    });
    addElasticsearch(this, efk);
    this.kibana = addKibana(this, efk);
    addCollector(this, efk);
  }
}

const PASSWORDS = ['elasticPassword', 'kibanaSystemPassword', 'collectorPassword'] as const;

/** Validates the props and resolves their defaults. */
function resolve(scope: Construct, props: EfkLoggingProps): ResolvedEfk {
  const v = new PropsValidator('EfkLogging', scope);
  const namespace = props.namespace ?? EFK_DEFAULTS.namespace;
  const collectorNamespace = props.collectorNamespace ?? EFK_DEFAULTS.collectorNamespace;
  const certManagerNamespace = props.certManagerNamespace ?? EFK_DEFAULTS.certManagerNamespace;
  for (const [field, value] of [['namespace', namespace], ['collectorNamespace', collectorNamespace], ['certManagerNamespace', certManagerNamespace]] as const) {
    v.check(field, value, dns1123LabelProblem);
  }
  if (collectorNamespace === namespace) {
    throw v.error({
      field: 'collectorNamespace', value: collectorNamespace,
      problem: 'is the same as namespace: the collector needs a namespace of its own, the only one below the restricted Pod Security level',
    });
  }

  const nodes = props.nodes ?? EFK_DEFAULTS.nodes;
  const nodesProblem = elasticsearchNodesProblem(nodes);
  if (nodesProblem) {
    const odd = typeof nodes === 'number' && Number.isInteger(nodes) && nodes > 1 && nodes % 2 === 0;
    throw v.error({ field: 'nodes', value: nodes, problem: nodesProblem, expected: odd ? `an odd number: ${nodes - 1} or ${nodes + 1}` : '1 (small) or an odd number from 3 (large)' });
  }

  const resources = props.resources ?? EFK_DEFAULTS.resources;
  for (const [field, value] of [['storage.size', props.storage?.size], ['resources.cpu', resources.cpu], ['resources.memory', resources.memory]] as const) {
    if (!isQuantity(value) || typeof value !== 'string' || compareQuantities(value, 0) <= 0) {
      throw v.error({ field, value, problem: 'is not a positive Kubernetes quantity', expected: `e.g. ${field === 'resources.cpu' ? "'1' or '500m'" : "'50Gi' or '2Gi'"}` });
    }
  }
  if (compareQuantities(resources.memory, MIN_NODE_MEMORY) < 0) {
    throw v.error({ field: 'resources.memory', value: resources.memory, problem: `is below ${MIN_NODE_MEMORY}: the heap is half of it and Elasticsearch needs at least 512m of heap` });
  }
  if (props.storage.storageClass !== undefined) v.check('storage.storageClass', props.storage.storageClass, dns1123SubdomainProblem);

  const retentionDays = props.retentionDays ?? EFK_DEFAULTS.retentionDays;
  const retentionProblem = logRetentionDaysProblem(retentionDays);
  if (retentionProblem) throw v.error({ field: 'retentionDays', value: retentionDays, problem: retentionProblem, expected: 'e.g. 30 (seed 004 keeps 30 to 45 days)' });

  for (const field of PASSWORDS) checkSecretRef(v, field, props[field]);

  const collectorPriorityClassName = props.collectorPriorityClassName ?? EFK_DEFAULTS.collectorPriorityClassName;
  v.check('collectorPriorityClassName', collectorPriorityClassName, dns1123SubdomainProblem);

  return {
    namespace,
    collectorNamespace,
    nodes,
    storage: props.storage,
    resources,
    heap: elasticsearchHeap(resources.memory),
    retentionDays,
    allowMmap: props.allowMmap ?? EFK_DEFAULTS.allowMmap,
    elasticPassword: props.elasticPassword,
    kibanaSystemPassword: props.kibanaSystemPassword,
    collectorPassword: props.collectorPassword,
    certManagerNamespace,
    collectorPriorityClassName,
    kibanaAllowFrom: checkedPeers(v, 'kibanaAllowFrom', props.kibanaAllowFrom ?? []),
  };
}

/** A password's Secret key reference (the shared check: a literal is refused without being shown). */
function checkSecretRef(v: PropsValidator, field: string, ref: unknown): void {
  const key = field === 'elasticPassword' ? 'elastic' : field === 'kibanaSystemPassword' ? 'kibana_system' : NAMES.collectorUser;
  checkSecretKeyRef(v, field, ref, `{ name: 'elasticsearch-credentials', key: '${key}' }`);
}

/** The peers, each checked as the Deployment that admits them checks it, under the user's prop. */
function checkedPeers(v: PropsValidator, field: string, peers: readonly IngressPeer[]): readonly IngressPeer[] {
  peers.forEach((peer, i) => {
    const problem = ingressPeerProblem(peer);
    if (problem) throw v.error({ field: `${field}[${i}]`, problem });
  });
  return peers;
}
