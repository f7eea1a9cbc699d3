/**
 * What the parts of {@link EfkLogging} share: object names, labels, pinned images, the
 * resolved props and the hardened security contexts.
 */
import type { IConstruct } from 'constructs';
import { PropsValidator } from '../core/errors.js';
import type { SecretKeyRef } from '../core/secret-ref.js';
import type { HardenedPodSpecInput } from '../workloads/pod-spec.js';
import type { IngressPeer } from '../workloads/exposure.js';

/** Elasticsearch, pinned (the official image; Kibana must run the same version). */
export const ELASTICSEARCH_IMAGE = 'docker.elastic.co/elasticsearch/elasticsearch:8.19.15';
/** Kibana, pinned to the version of {@link ELASTICSEARCH_IMAGE}. */
export const KIBANA_IMAGE = 'docker.elastic.co/kibana/kibana:8.19.15';
/** Fluent Bit, pinned to the appVersion of the fluent-bit chart 0.58.1. */
export const FLUENT_BIT_IMAGE = 'cr.fluentbit.io/fluent/fluent-bit:5.1.1';
/** curl for the setup Jobs, pinned. */
export const CURL_IMAGE = 'curlimages/curl:8.11.1';

/** Names of the objects in the Elasticsearch namespace (the construct owns the namespace, so they are fixed). */
export const NAMES = {
  elasticsearch: 'elasticsearch',
  headless: 'elasticsearch-headless',
  kibana: 'kibana',
  collector: 'fluent-bit',
  /** The Elasticsearch user the collector writes as, and its role. */
  collectorUser: 'fluent-bit',
  collectorRole: 'logstash-writer',
  /** The ILM policy and index template of the collector's indices. */
  lifecyclePolicy: 'logstash-retention',
  indexTemplate: 'logstash',
  /** The Kibana data view's id. */
  dataView: 'logstash',
} as const;

/** The index prefix: the collector writes `logstash-YYYY.MM.DD`, matched by `logstash-*`. */
export const INDEX_PREFIX = 'logstash';

export const PORTS = { http: 9200, transport: 9300, kibana: 5601, collector: 2020 } as const;

/** Every prop of EfkLogging, validated, with its default resolved. */
export interface ResolvedEfk {
  readonly namespace: string;
  readonly collectorNamespace: string;
  readonly nodes: number;
  readonly storage: { readonly size: string; readonly storageClass?: string };
  readonly resources: { readonly cpu: string; readonly memory: string };
  readonly heap: string;
  readonly retentionDays: number;
  readonly allowMmap: boolean;
  readonly elasticPassword: SecretKeyRef;
  readonly kibanaSystemPassword: SecretKeyRef;
  readonly collectorPassword: SecretKeyRef;
  readonly certManagerNamespace: string;
  readonly collectorPriorityClassName: string;
  readonly kibanaAllowFrom: readonly IngressPeer[];
}

/** `app.kubernetes.io/name` and `instance` labels of one part. */
export function partLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'efk-logging' };
}

export const ES_LABELS = partLabels(NAMES.elasticsearch);
export const SETUP_LABELS = partLabels('elasticsearch-setup');
export const DATA_VIEW_LABELS = partLabels('kibana-setup');
export const COLLECTOR_LABELS = partLabels(NAMES.collector);

/** The Elasticsearch user of the official image (uid 1000). */
export const ES_UID = 1000;
/** The curl_user of the curl image. */
export const CURL_UID = 100;

/**
 * Who a pod of the Elasticsearch namespace runs as: the image's own user (`uid`, its group
 * alike), stated on each container too, as the official images expect.
 */
export function imageUser(uid: number): Pick<HardenedPodSpecInput, 'identity' | 'containerIdentity'> {
  return { identity: { user: uid, group: uid }, containerIdentity: { user: uid, group: uid } };
}

/** The validator of a part of EfkLogging (its resolved props are checked already; this guards the kit's own constants). */
export function efkValidator(scope: IConstruct): PropsValidator {
  return new PropsValidator('EfkLogging', scope);
}

/** The in-cluster URL of the Elasticsearch client Service. */
export function elasticsearchUrl(namespace: string): string {
  return `https://${NAMES.elasticsearch}.${namespace}.svc:${PORTS.http}`;
}

/** A shell function that escapes a value for a JSON string (backslashes and double quotes). */
export const JSON_ESCAPE_FN = 'json() { printf \'%s\' "$1" | sed -e \'s/\\\\/\\\\\\\\/g\' -e \'s/"/\\\\"/g\'; }';
