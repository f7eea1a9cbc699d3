/**
 * EfkLogging: the objects and defaults of a small (one node) and a large (three nodes)
 * stack, the heap rule, retention, TLS, the collector's exceptions, the validation spine,
 * no password in the output, and each kind of bad input.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { EfkLogging, COLLECTOR_EXCEPTIONS, elasticsearchHeap, type EfkLoggingProps } from '../../../constructs/platform/efk-logging.js';
import { validateManifests } from '../../../constructs/policy/validate.js';
import type { ManifestObject } from '../../../constructs/policy/finding.js';
import { IngressPeer } from '../../../constructs/workloads/exposure.js';

const ref = (key: string) => ({ name: 'es-credentials', key });
const BASE: EfkLoggingProps = {
  storage: { size: '50Gi', storageClass: 'gp3' },
  elasticPassword: ref('elastic'),
  kibanaSystemPassword: ref('kibana_system'),
  collectorPassword: ref('fluent-bit'),
};

function build(props: Partial<EfkLoggingProps> = {}) {
  const chart = Testing.chart();
  const efk = new EfkLogging(chart, 'efk', { ...BASE, ...props });
  return { efk, objects: Testing.synth(chart) as ManifestObject[] };
}

/* eslint-disable @typescript-eslint/no-explicit-any */
const find = (objects: ManifestObject[], kind: string, name?: string): any => {
  // Hashed names (`-<10 hex digits>`: ConfigMaps and Jobs) are found by their base name.
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata?.name?.replace(/-[0-9a-f]{10}$/, '') === name));
  assert.ok(found, `no ${kind}${name ? `/${name}` : ''}`);
  return found;
};
const ids = (objects: ManifestObject[]) => objects.map((o) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name?.replace(/-[0-9a-f]{10}$/, '-<hash>')}`);
const script = (job: any): string => job.spec.template.spec.containers[0].command[2];

describe('EfkLogging small (defaults: one node)', () => {
  const { efk, objects } = build();
  const sts = find(objects, 'StatefulSet');
  const pod = sts.spec.template.spec;
  const es = pod.containers[0];
  const yml: string = find(objects, 'ConfigMap', 'elasticsearch-config').data['elasticsearch.yml'];

  it('makes the namespaces, Elasticsearch, Kibana, the collector, their TLS and Jobs', () => {
    assert.deepEqual(ids(objects), [
      'Namespace//logging',
      'NetworkPolicy/logging/default-deny-ingress',
      'ClusterIssuer//logging-elasticsearch-selfsigned',
      'Certificate/cert-manager/logging-elasticsearch-http-ca',
      'ClusterIssuer//logging-elasticsearch-http-ca',
      'Certificate/logging/elasticsearch-http-tls',
      'Certificate/logging/kibana-tls',
      'Certificate/logging-collector/fluent-bit-es-ca',
      'Service/logging/elasticsearch-headless',
      'Service/logging/elasticsearch',
      'ConfigMap/logging/elasticsearch-config-<hash>',
      'StatefulSet/logging/elasticsearch',
      'NetworkPolicy/logging/elasticsearch',
      'Job/logging/elasticsearch-setup-<hash>',
      'Deployment/logging/kibana',
      'Service/logging/kibana',
      'NetworkPolicy/logging/kibana',
      'Job/logging/kibana-data-view-<hash>',
      'Namespace//logging-collector',
      'ServiceAccount/logging-collector/fluent-bit',
      'ClusterRole//logging-collector-fluent-bit',
      'ClusterRoleBinding//logging-collector-fluent-bit',
      'ConfigMap/logging-collector/fluent-bit-config-<hash>',
      'DaemonSet/logging-collector/fluent-bit',
      'NetworkPolicy/logging-collector/fluent-bit',
    ]);
    assert.equal(efk.elasticsearchUrl, 'https://elasticsearch.logging.svc:9200');
    assert.equal(efk.kibanaUrl, 'https://kibana.logging.svc:5601');
  });

  it('one single-node Elasticsearch, no transport CA, no PDB, spread preferred', () => {
    assert.equal(sts.spec.replicas, 1);
    assert.match(yml, /^discovery\.type: single-node$/m);
    assert.doesNotMatch(yml, /transport\.ssl|initial_master_nodes/);
    assert.equal(objects.some((o) => o.kind === 'PodDisruptionBudget' || o.kind === 'Issuer'), false);
    assert.equal(pod.affinity, undefined);
    assert.equal(pod.topologySpreadConstraints[0].whenUnsatisfiable, 'ScheduleAnyway');
  });

  it('pins the official image, derives the heap from the memory limit, Guaranteed QoS', () => {
    assert.equal(es.image, 'docker.elastic.co/elasticsearch/elasticsearch:8.19.15');
    assert.equal(find(objects, 'Deployment').spec.template.spec.containers[0].image, 'docker.elastic.co/kibana/kibana:8.19.15');
    assert.deepEqual(es.resources, { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '1', memory: '2Gi' } });
    assert.deepEqual(es.env.find((e: any) => e.name === 'ES_JAVA_OPTS'), { name: 'ES_JAVA_OPTS', value: '-Xms1g -Xmx1g' });
    assert.equal(efk.heap, '1g');
    assert.equal(sts.spec.template.metadata.annotations['k8s-platform-kit.dev/qos-class'], 'Guaranteed');
    assert.deepEqual(pod.initContainers[0].resources, { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '100m', memory: '128Mi' } });
  });

  it('persists data on a claim template with the given class and size', () => {
    assert.deepEqual(sts.spec.volumeClaimTemplates[0].spec, { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '50Gi' } } });
    assert.equal(sts.spec.serviceName, 'elasticsearch-headless');
    const headless = find(objects, 'Service', 'elasticsearch-headless');
    assert.equal(headless.spec.clusterIP, 'None');
    assert.equal(headless.spec.publishNotReadyAddresses, true);
  });

  it('needs no vm.max_map_count: mmap off, no privileged or sysctl init container', () => {
    assert.match(yml, /^node\.store\.allow_mmap: false$/m);
    assert.deepEqual(pod.initContainers.map((c: any) => [c.name, c.securityContext.privileged]), [['config', undefined]]);
    assert.equal(pod.securityContext.sysctls, undefined);
  });

  it('security on, HTTP TLS from cert-manager, the elastic password from the Secret', () => {
    assert.match(yml, /^xpack\.security\.enabled: true$/m);
    assert.match(yml, /^xpack\.security\.http\.ssl\.enabled: true$/m);
    assert.deepEqual(es.env.find((e: any) => e.name === 'ELASTIC_PASSWORD'), { name: 'ELASTIC_PASSWORD', valueFrom: { secretKeyRef: { name: 'es-credentials', key: 'elastic' } } });
    const http = find(objects, 'Certificate', 'elasticsearch-http-tls');
    assert.deepEqual(http.spec.issuerRef, { name: 'logging-elasticsearch-http-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' });
    assert.ok(http.spec.dnsNames.includes('elasticsearch.logging.svc'));
  });

  it('readiness asks the node for cluster health; restricted, read-only, uid 1000', () => {
    assert.match(es.readinessProbe.exec.command[2], /_cluster\/health\?local=true/);
    assert.deepEqual(es.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, capabilities: { drop: ['ALL'] } });
  });

  it('lets only the collector, Kibana and the setup Jobs reach 9200, and only peers 9300', () => {
    const ingress = find(objects, 'NetworkPolicy', 'elasticsearch').spec.ingress;
    assert.deepEqual(ingress, [
      {
        from: [
          { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'fluent-bit', 'app.kubernetes.io/part-of': 'efk-logging' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'logging-collector' } } },
          { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'kibana', 'app.kubernetes.io/part-of': 'efk-logging' } } },
          { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'elasticsearch-setup', 'app.kubernetes.io/part-of': 'efk-logging' } } },
          { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'kibana-setup', 'app.kubernetes.io/part-of': 'efk-logging' } } },
        ],
        ports: [{ protocol: 'TCP', port: 9200 }],
      },
      { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'elasticsearch', 'app.kubernetes.io/part-of': 'efk-logging' } } }], ports: [{ protocol: 'TCP', port: 9300 }] },
    ]);
  });

  it('retention: a 30-day ILM delete phase attached to logstash-* by an index template, no replicas on one node', () => {
    const setup = script(find(objects, 'Job', 'elasticsearch-setup'));
    assert.ok(setup.includes(`es PUT /_ilm/policy/logstash-retention -d '{"policy":{"phases":{"hot":{"min_age":"0ms","actions":{}},"delete":{"min_age":"30d","actions":{"delete":{}}}}}}'`));
    assert.ok(setup.includes(`es PUT /_index_template/logstash -d '{"index_patterns":["logstash-*"],"priority":200,"template":{"settings":{"index.lifecycle.name":"logstash-retention","index.number_of_shards":1,"index.number_of_replicas":0}}}'`));
    assert.equal(objects.some((o) => o.kind === 'CronJob'), false);
  });

  it('names each Job after its template, so a changed setting is a new Job rather than an immutable-field error', () => {
    const jobs = (o: ManifestObject[]) => o.filter((x) => x.kind === 'Job').map((x) => x.metadata?.name);
    assert.deepEqual(jobs(build().objects), jobs(objects));
    const [setup, dataView] = jobs(build({ retentionDays: 40 }).objects);
    assert.notEqual(setup, jobs(objects)[0]);
    assert.equal(dataView, jobs(objects)[1]);
  });

  it('sets up kibana_system and a write-only collector user, idempotently', () => {
    const setup = script(find(objects, 'Job', 'elasticsearch-setup'));
    assert.ok(setup.includes('es POST /_security/user/kibana_system/_password -d "{\\"password\\":\\"$(json "$KIBANA_SYSTEM_PASSWORD")\\"}"'));
    assert.ok(setup.includes(`es PUT /_security/role/logstash-writer -d '{"cluster":[],"indices":[{"names":["logstash-*"],"privileges":["create_doc","create_index","auto_configure"]}]}'`));
    assert.ok(setup.includes('es PUT /_security/user/fluent-bit -d "{\\"password\\":\\"$(json "$COLLECTOR_PASSWORD")\\",\\"roles\\":[\\"logstash-writer\\"]}"'));
    assert.match(setup, /until es GET '\/_cluster\/health\?wait_for_status=yellow&timeout=30s'/);
  });

  it('creates the logstash-* data view on @timestamp with override, as the default', () => {
    const job = find(objects, 'Job', 'kibana-data-view');
    const text = script(job);
    assert.ok(text.includes(`kb POST /api/data_views/data_view -d '{"override":true,"data_view":{"id":"logstash","title":"logstash-*","name":"logstash-*","timeFieldName":"@timestamp"}}'`));
    assert.ok(text.includes(`kb POST /api/data_views/default -d '{"data_view_id":"logstash","force":true}'`));
    assert.match(text, /"https:\/\/kibana\.logging\.svc:5601\$path"/);
    const podSpec = job.spec.template.spec;
    assert.equal(podSpec.containers[0].image, 'curlimages/curl:8.11.1');
    assert.deepEqual(podSpec.volumes, [{ name: 'tls', secret: { secretName: 'kibana-tls', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }]);
  });

  it('Kibana serves HTTPS, logs in as kibana_system, trusts the HTTP CA, admits the data view Job', () => {
    const kibana = find(objects, 'Deployment').spec.template.spec.containers[0];
    const env = Object.fromEntries(kibana.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    assert.equal(env.ELASTICSEARCH_HOSTS, 'https://elasticsearch.logging.svc:9200');
    assert.equal(env.ELASTICSEARCH_USERNAME, 'kibana_system');
    assert.deepEqual(env.ELASTICSEARCH_PASSWORD, { secretKeyRef: { name: 'es-credentials', key: 'kibana_system' } });
    assert.equal(env.ELASTICSEARCH_SSL_CERTIFICATEAUTHORITIES, '/usr/share/kibana/config/certs/ca.crt');
    assert.equal(env.SERVER_SSL_ENABLED, 'true');
    assert.deepEqual(kibana.readinessProbe.httpGet, { path: '/login', port: 5601, scheme: 'HTTPS' });
    assert.deepEqual(find(objects, 'NetworkPolicy', 'kibana').spec.ingress[0].from, [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'kibana-setup', 'app.kubernetes.io/part-of': 'efk-logging' } } }]);
  });
});

describe('EfkLogging large (three nodes)', () => {
  const { objects } = build({ nodes: 3, resources: { cpu: '2', memory: '8Gi' } });
  const sts = find(objects, 'StatefulSet');
  const pod = sts.spec.template.spec;
  const yml: string = find(objects, 'ConfigMap', 'elasticsearch-config').data['elasticsearch.yml'];

  it('forms a cluster of three masters through the headless Service', () => {
    assert.equal(sts.spec.replicas, 3);
    assert.match(yml, /^discovery\.seed_hosts: \["elasticsearch-headless"\]$/m);
    assert.match(yml, /^cluster\.initial_master_nodes: \["elasticsearch-0", "elasticsearch-1", "elasticsearch-2"\]$/m);
    assert.doesNotMatch(yml, /single-node/);
  });

  it('transport TLS from a private cert-manager CA: self-signed Issuer, CA Certificate, CA Issuer, node Certificate', () => {
    assert.deepEqual(find(objects, 'Issuer', 'elasticsearch-selfsigned').spec, { selfSigned: {} });
    const ca = find(objects, 'Certificate', 'elasticsearch-transport-ca');
    assert.equal(ca.spec.isCA, true);
    assert.deepEqual(ca.spec.issuerRef, { name: 'elasticsearch-selfsigned', kind: 'Issuer', group: 'cert-manager.io' });
    assert.deepEqual(find(objects, 'Issuer', 'elasticsearch-transport-ca').spec, { ca: { secretName: 'elasticsearch-transport-ca' } });
    const node = find(objects, 'Certificate', 'elasticsearch-transport-tls');
    assert.deepEqual(node.spec.issuerRef, { name: 'elasticsearch-transport-ca', kind: 'Issuer', group: 'cert-manager.io' });
    assert.deepEqual(node.spec.dnsNames, [
      '*.elasticsearch-headless.logging.svc.cluster.local', '*.elasticsearch-headless.logging.svc',
      'elasticsearch-0.elasticsearch-headless.logging.svc.cluster.local', 'elasticsearch-1.elasticsearch-headless.logging.svc.cluster.local',
      'elasticsearch-2.elasticsearch-headless.logging.svc.cluster.local',
    ]);
    assert.match(yml, /^xpack\.security\.transport\.ssl\.verification_mode: certificate$/m);
    assert.ok(pod.volumes.some((v: any) => v.secret?.secretName === 'elasticsearch-transport-tls'));
  });

  it('keeps quorum through drains, never two nodes on one host, spread over zones', () => {
    assert.deepEqual(find(objects, 'PodDisruptionBudget').spec, { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'elasticsearch', 'app.kubernetes.io/part-of': 'efk-logging' } } });
    assert.equal(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey, 'kubernetes.io/hostname');
    assert.equal(pod.topologySpreadConstraints[0].whenUnsatisfiable, 'DoNotSchedule');
  });

  it('half the memory limit as heap, one replica per index', () => {
    assert.deepEqual(pod.containers[0].env.find((e: any) => e.name === 'ES_JAVA_OPTS').value, '-Xms4g -Xmx4g');
    assert.match(script(find(objects, 'Job', 'elasticsearch-setup')), /"index\.number_of_replicas":1/);
  });

  it('passes the validation spine with nothing waived but the collector', async () => {
    const report = await validateManifests(objects.map((object) => ({ object })));
    assert.deepEqual(report.errors, []);
    assert.deepEqual(report.warnings, []);
    assert.deepEqual([...new Set(report.waived.map((f) => `${f.object} ${f.ruleId}`))].sort(), Object.keys(COLLECTOR_EXCEPTIONS).map((r) => `DaemonSet/logging-collector/fluent-bit ${r}`).sort());
  });
});

describe('EfkLogging overrides', () => {
  it('retention, namespaces, mmap, Kibana clients and the priority class', () => {
    const { efk, objects } = build({
      retentionDays: 45, namespace: 'efk', collectorNamespace: 'efk-collector', allowMmap: true,
      kibanaAllowFrom: [IngressPeer.namespace('envoy-gateway-system')], collectorPriorityClassName: 'logging-critical',
    });
    assert.equal(efk.retentionDays, 45);
    assert.match(script(find(objects, 'Job', 'elasticsearch-setup')), /"delete":\{"min_age":"45d"/);
    const yml: string = find(objects, 'ConfigMap', 'elasticsearch-config').data['elasticsearch.yml'];
    assert.doesNotMatch(yml, /allow_mmap/);
    assert.equal(find(objects, 'DaemonSet').metadata.namespace, 'efk-collector');
    assert.equal(find(objects, 'DaemonSet').spec.template.spec.priorityClassName, 'logging-critical');
    assert.match(find(objects, 'ConfigMap', 'fluent-bit-config').data['fluent-bit.conf'], /Host\s+elasticsearch\.efk\.svc\n/);
    assert.deepEqual(find(objects, 'NetworkPolicy', 'kibana').spec.ingress[0].from[1], { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } } });
  });
});

describe('elasticsearchHeap', () => {
  it('is half the memory limit, in MiB when not whole GiB, capped at 31g for compressed oops', () => {
    assert.equal(elasticsearchHeap('2Gi'), '1g');
    assert.equal(elasticsearchHeap('3Gi'), '1536m');
    assert.equal(elasticsearchHeap('1000Mi'), '500m');
    assert.equal(elasticsearchHeap('62Gi'), '31g');
    assert.equal(elasticsearchHeap('128Gi'), '31g');
  });
});

describe('EfkLogging bad input', () => {
  const cases: [string, Partial<EfkLoggingProps>, string][] = [
    ['two nodes (split brain)', { nodes: 2 }, 'nodes (2) is even: 2 master-eligible nodes need 2 for a quorum, so losing 1 stops the cluster and a network split leaves neither half a majority (split brain: no quorum on either side); expected an odd number: 1 or 3'],
    ['four nodes', { nodes: 4 }, 'nodes (4) is even: 4 master-eligible nodes need 3 for a quorum, so losing 2 stops the cluster and a network split leaves neither half a majority (split brain: no quorum on either side); expected an odd number: 3 or 5'],
    ['no nodes', { nodes: 0 }, 'nodes (0) is not a whole number >= 1; expected 1 (small) or an odd number from 3 (large)'],
    ['a storage size that is not a quantity', { storage: { size: '50GB' } }, "storage.size ('50GB') is not a positive Kubernetes quantity; expected e.g. '50Gi' or '2Gi'"],
    ['a memory that is not a quantity', { resources: { cpu: '1', memory: '2 gigs' } }, "resources.memory ('2 gigs') is not a positive Kubernetes quantity; expected e.g. '50Gi' or '2Gi'"],
    ['a cpu that is not a quantity', { resources: { cpu: 'one', memory: '2Gi' } }, "resources.cpu ('one') is not a positive Kubernetes quantity; expected e.g. '1' or '500m'"],
    ['too little memory for a heap', { resources: { cpu: '1', memory: '512Mi' } }, "resources.memory ('512Mi') is below 1Gi: the heap is half of it and Elasticsearch needs at least 512m of heap"],
    ['retention below a day', { retentionDays: 0 }, 'retentionDays (0) is not a whole number of days from 1 to 365; expected e.g. 30 (seed 004 keeps 30 to 45 days)'],
    ['retention in a unit', { retentionDays: '30d' as unknown as number }, "retentionDays ('30d') is not a whole number of days from 1 to 365; expected e.g. 30 (seed 004 keeps 30 to 45 days)"],
    ['retention of a fraction of a day', { retentionDays: 1.5 }, 'retentionDays (1.5) is not a whole number of days from 1 to 365'],
    ['a missing elastic password reference', { elasticPassword: undefined as never }, "elasticPassword is missing; expected a reference to a key of a Secret, e.g. { name: 'elasticsearch-credentials', key: 'elastic' }"],
    ['a Secret reference without a name', { collectorPassword: { key: 'fluent-bit' } as never }, "collectorPassword.name is missing; expected the name of the Secret, e.g. { name: 'elasticsearch-credentials', key: 'fluent-bit' }"],
    ['the collector in the restricted namespace', { collectorNamespace: 'logging' }, "collectorNamespace ('logging') is the same as namespace: the collector needs a namespace of its own"],
    ['a namespace that is not a DNS label', { namespace: 'Logging' }, "namespace ('Logging') must consist of lower case"],
  ];
  for (const [what, props, message] of cases) {
    it(`throws on ${what}`, () => {
      assert.throws(() => build(props), (error: Error) => {
        assert.ok(error.message.startsWith(`EfkLogging 'test/efk': ${message}`), error.message);
        return true;
      });
    });
  }

  it('throws on a literal password without repeating it', () => {
    assert.throws(() => build({ kibanaSystemPassword: 'hunter2-secret' as never }), (error: Error) => {
      assert.equal(error.message, "EfkLogging 'test/efk': kibanaSystemPassword is a string, not a Secret reference (the value is not shown: it may be the secret); expected a reference to a key of a Secret, e.g. { name: 'elasticsearch-credentials', key: 'kibana_system' }");
      assert.doesNotMatch(error.message, /hunter2/);
      return true;
    });
  });
});
