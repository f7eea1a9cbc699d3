/**
 * The Kibana part of EfkLogging: a HardenedDeployment serving HTTPS, and the Job that
 * creates the `logstash-*` data view for the user.
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import * as kplus from '../core/plus.js';
import { HardenedDeployment } from '../workloads/hardened-deployment.js';
import { IngressPeer } from '../workloads/exposure.js';
import { Probe } from '../workloads/probe.js';
import { QosClass } from '../core/qos.js';
import { TLS_SECRETS, curlJobPod, jobName } from './_efk-elasticsearch.js';
import { DATA_VIEW_LABELS, ES_UID, INDEX_PREFIX, KIBANA_IMAGE, NAMES, PORTS, efkValidator, elasticsearchUrl, type ResolvedEfk } from './_efk-shared.js';

const KIBANA_CERTS = '/usr/share/kibana/config/certs';

/** The in-cluster URL of Kibana. */
export function kibanaUrl(namespace: string): string {
  return `https://${NAMES.kibana}.${namespace}.svc:${PORTS.kibana}`;
}

/** The data view Job's script: creates or overrides the data view, then makes it the default. */
export function dataViewScript(efk: ResolvedEfk): string {
  const dataView = JSON.stringify({
    override: true,
    data_view: { id: NAMES.dataView, title: `${INDEX_PREFIX}-*`, name: `${INDEX_PREFIX}-*`, timeFieldName: '@timestamp' },
  });
  const defaultView = JSON.stringify({ data_view_id: NAMES.dataView, force: true });
  return [
    'set -eu',
    `kb() { method="$1"; path="$2"; shift 2; curl --silent --show-error --fail-with-body --cacert /tls/ca.crt -u "elastic:$ELASTIC_PASSWORD" -H 'kbn-xsrf: true' -H 'Content-Type: application/json' -X "$method" "${kibanaUrl(efk.namespace)}$path" "$@"; echo; }`,
    `until kb GET /api/status >/dev/null; do echo 'waiting for Kibana'; sleep 10; done`,
    // override: re-running replaces the data view with the same one instead of failing or duplicating it.
    `kb POST /api/data_views/data_view -d '${dataView}' >/dev/null`,
    `kb POST /api/data_views/default -d '${defaultView}'`,
    `echo 'data view ${INDEX_PREFIX}-* (time field @timestamp) is the default'`,
  ].join('\n');
}

/** Builds Kibana and its data view Job under `scope`; returns the Deployment. */
export function addKibana(scope: Construct, efk: ResolvedEfk): HardenedDeployment {
  const ns = efk.namespace;
  const secret = (id: string, name: string) => kplus.Secret.fromSecretName(scope, id, name);
  const kibanaSystem = secret('KibanaSystemSecret', efk.kibanaSystemPassword.name);
  const kibana = new HardenedDeployment(scope, 'Kibana', {
    name: NAMES.kibana,
    namespace: ns,
    image: KIBANA_IMAGE,
    labels: { 'app.kubernetes.io/part-of': 'efk-logging' },
    // One replica: without a shared xpack.security.encryptionKey, a second one would log users out.
    replicas: 1,
    user: ES_UID,
    group: ES_UID,
    ports: [{ number: PORTS.kibana, name: 'https' }],
    resources: { cpu: { request: '500m', limit: '1' }, memory: { request: '1Gi', limit: '1Gi' } },
    qosClass: QosClass.BURSTABLE,
    startup: Probe.tcpSocket({ periodSeconds: 10, failureThreshold: 30 }),
    liveness: Probe.tcpSocket({ periodSeconds: 20, failureThreshold: 3 }),
    // /login answers 200 once Kibana can serve, and 503 while it cannot reach Elasticsearch.
    readiness: Probe.httpGet('/login', { scheme: 'HTTPS', periodSeconds: 10, timeoutSeconds: 5 }),
    env: [
      { name: 'SERVER_NAME', value: kplus.EnvValue.fromValue(NAMES.kibana) },
      { name: 'SERVER_SSL_ENABLED', value: kplus.EnvValue.fromValue('true') },
      { name: 'SERVER_SSL_CERTIFICATE', value: kplus.EnvValue.fromValue(`${KIBANA_CERTS}/tls.crt`) },
      { name: 'SERVER_SSL_KEY', value: kplus.EnvValue.fromValue(`${KIBANA_CERTS}/tls.key`) },
      { name: 'ELASTICSEARCH_HOSTS', value: kplus.EnvValue.fromValue(elasticsearchUrl(ns)) },
      { name: 'ELASTICSEARCH_USERNAME', value: kplus.EnvValue.fromValue('kibana_system') },
      { name: 'ELASTICSEARCH_PASSWORD', value: kplus.EnvValue.fromSecretValue({ secret: kibanaSystem, key: efk.kibanaSystemPassword.key }) },
      // The Kibana certificate's Secret carries the HTTP CA, which also signed Elasticsearch's certificate.
      { name: 'ELASTICSEARCH_SSL_CERTIFICATEAUTHORITIES', value: kplus.EnvValue.fromValue(`${KIBANA_CERTS}/ca.crt`) },
      { name: 'ELASTICSEARCH_SSL_VERIFICATIONMODE', value: kplus.EnvValue.fromValue('full') },
    ],
    writablePaths: ['/usr/share/kibana/data', '/tmp'],
    allowIngressFrom: [IngressPeer.pods(DATA_VIEW_LABELS), ...efk.kibanaAllowFrom],
  });
  const certs = kplus.Volume.fromSecret(scope, 'KibanaTlsVolume', secret('KibanaTlsSecret', TLS_SECRETS.kibana), { name: 'tls', defaultMode: 0o440 });
  kibana.deployment.containers[0]?.mount(KIBANA_CERTS, certs, { readOnly: true });

  const template = curlJobPod(efkValidator(scope), { ...DATA_VIEW_LABELS }, dataViewScript(efk), [{ name: 'ELASTIC_PASSWORD', secret: efk.elasticPassword }], TLS_SECRETS.kibana);
  new ApiObject(scope, 'DataView', {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: jobName(`${NAMES.kibana}-data-view`, template), namespace: ns, labels: { ...DATA_VIEW_LABELS } },
    spec: { backoffLimit: 20, activeDeadlineSeconds: 3600, template },
  });
  return kibana;
}
