/**
 * EfkLogging's collector: Fluent Bit's namespace and why it is privileged, its declared
 * exceptions (and that they are the only ones in the stack), RBAC, hardening, bounded
 * buffers, the daily logstash indices, and no password anywhere in the output.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { COLLECTOR_EXCEPTIONS, EfkLogging, type EfkLoggingProps } from '../../../constructs/platform/efk-logging.js';
import type { ManifestObject } from '../../../constructs/policy/finding.js';
import { validateManifests } from '../../../constructs/policy/validate.js';

const BASE: EfkLoggingProps = {
  storage: { size: '50Gi' },
  elasticPassword: { name: 'es-elastic', key: 'password' },
  kibanaSystemPassword: { name: 'es-kibana-system', key: 'password' },
  collectorPassword: { name: 'es-fluent-bit', key: 'password' },
};

function synth(props: Partial<EfkLoggingProps> = {}): ManifestObject[] {
  const chart = Testing.chart();
  new EfkLogging(chart, 'efk', { ...BASE, ...props });
  return Testing.synth(chart) as ManifestObject[];
}

/* eslint-disable @typescript-eslint/no-explicit-any */
const find = (objects: ManifestObject[], kind: string, namespace?: string): any => {
  const found = objects.find((o) => o.kind === kind && (namespace === undefined || o.metadata?.namespace === namespace));
  assert.ok(found, `no ${kind}`);
  return found;
};

describe('EfkLogging collector', () => {
  const objects = synth();
  const daemonSet = find(objects, 'DaemonSet');
  const pod = daemonSet.spec.template.spec;
  const container = pod.containers[0];
  const conf: string = (objects.find((o) => o.metadata?.name?.startsWith('fluent-bit-config-')) as any).data['fluent-bit.conf'];

  it('lives in a namespace of its own that enforces privileged, saying why; Elasticsearch and Kibana stay restricted', () => {
    const namespace = objects.find((o) => o.kind === 'Namespace' && o.metadata?.name === 'logging-collector');
    assert.deepEqual(namespace?.metadata?.labels, {
      'pod-security.kubernetes.io/enforce': 'privileged',
      'pod-security.kubernetes.io/enforce-version': 'v1.34',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    assert.match(namespace?.metadata?.annotations?.['k8s-platform-kit.dev/pod-security-reason'] ?? '', /the baseline level already forbids hostPath volumes, so only privileged admits it/);
    const restricted = objects.find((o) => o.kind === 'Namespace' && o.metadata?.name === 'logging');
    assert.equal(restricted?.metadata?.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');
    assert.equal(daemonSet.metadata.namespace, 'logging-collector');
  });

  it('declares exactly its exceptions, each with a reason, and nothing else in the stack declares one', () => {
    const annotations = daemonSet.metadata.annotations as Record<string, string>;
    assert.deepEqual(Object.keys(annotations).sort(), [
      'exceptions.k8s-platform-kit.dev/kit-service-account-token',
      'exceptions.k8s-platform-kit.dev/pss-host-path-volumes',
      'exceptions.k8s-platform-kit.dev/pss-run-as-non-root',
      'exceptions.k8s-platform-kit.dev/pss-run-as-user',
      'exceptions.k8s-platform-kit.dev/pss-volume-types',
    ]);
    assert.match(annotations['exceptions.k8s-platform-kit.dev/pss-host-path-volumes'] ?? '', /^reads container logs from \/var\/log\/pods and \/var\/log\/containers/);
    assert.match(annotations['exceptions.k8s-platform-kit.dev/pss-run-as-non-root'] ?? '', /only root can read them/);
    const others = objects.filter((o) => o !== daemonSet && Object.keys(o.metadata?.annotations ?? {}).some((k) => k.startsWith('exceptions.k8s-platform-kit.dev/')));
    assert.deepEqual(others, []);
  });

  it('the waived findings are exactly the declared exceptions', async () => {
    const report = await validateManifests(objects.map((object) => ({ object })));
    assert.deepEqual(report.errors, []);
    assert.deepEqual(report.warnings, []);
    assert.deepEqual([...new Set(report.waived.map((f) => `${f.object} ${f.ruleId}`))].sort(), [
      'DaemonSet/logging-collector/fluent-bit kit-service-account-token',
      'DaemonSet/logging-collector/fluent-bit pss-host-path-volumes',
      'DaemonSet/logging-collector/fluent-bit pss-run-as-non-root',
      'DaemonSet/logging-collector/fluent-bit pss-run-as-user',
      'DaemonSet/logging-collector/fluent-bit pss-volume-types',
    ]);
    assert.deepEqual(Object.keys(COLLECTOR_EXCEPTIONS).sort(), ['kit-service-account-token', 'pss-host-path-volumes', 'pss-run-as-non-root', 'pss-run-as-user', 'pss-volume-types']);
  });

  it('without its exceptions the DaemonSet fails exactly those rules', async () => {
    const bare = { ...daemonSet, metadata: { ...daemonSet.metadata, annotations: {} } };
    const report = await validateManifests(objects.map((object) => ({ object: object === daemonSet ? bare : object })));
    assert.deepEqual([...new Set(report.errors.map((f) => f.ruleId))].sort(), ['pss-host-path-volumes', 'pss-run-as-non-root', 'pss-run-as-user', 'pss-volume-types']);
    assert.deepEqual(report.warnings.map((f) => f.ruleId), ['kit-service-account-token']);
  });

  it('is otherwise restricted: read-only log mounts, read-only root, no capabilities, no escalation, RuntimeDefault seccomp', () => {
    assert.deepEqual(container.securityContext, {
      allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: false, runAsUser: 0, capabilities: { drop: ['ALL'] },
    });
    assert.deepEqual(pod.securityContext.seccompProfile, { type: 'RuntimeDefault' });
    assert.deepEqual(container.volumeMounts.map((m: any) => [m.mountPath, m.readOnly ?? false]), [
      ['/fluent-bit/etc/conf', true], ['/var/log/pods', true], ['/var/log/containers', true], ['/var/lib/fluent-bit', false], ['/es-tls', true],
    ]);
    assert.deepEqual(pod.volumes.filter((v: any) => v.hostPath).map((v: any) => v.hostPath), [
      { path: '/var/log/pods', type: 'Directory' }, { path: '/var/log/containers', type: 'Directory' }, { path: '/var/lib/fluent-bit', type: 'DirectoryOrCreate' },
    ]);
    assert.equal(pod.hostNetwork, undefined);
    assert.equal(container.image, 'cr.fluentbit.io/fluent/fluent-bit:5.1.1');
  });

  it('runs on every node, with a priority class and bounded memory', () => {
    assert.deepEqual(pod.tolerations, [{ operator: 'Exists' }]);
    assert.equal(pod.priorityClassName, 'system-node-critical');
    assert.deepEqual(container.resources, { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } });
    assert.match(conf, /storage\.max_chunks_up\s+32\n/);
    assert.match(conf, /storage\.backlog\.mem_limit 16M\n/);
    assert.match(conf, /storage\.type\s+filesystem\n/);
    assert.match(conf, /storage\.total_limit_size 2G\n/);
  });

  it('may only get, list and watch pods and namespaces', () => {
    assert.deepEqual(find(objects, 'ClusterRole').rules, [{ apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] }]);
    assert.deepEqual(find(objects, 'ClusterRoleBinding').subjects, [{ kind: 'ServiceAccount', name: 'fluent-bit', namespace: 'logging-collector' }]);
    assert.equal(pod.serviceAccountName, 'fluent-bit');
  });

  it('tails container logs, adds Kubernetes metadata, writes daily logstash-YYYY.MM.DD indices over verified TLS', () => {
    assert.match(conf, /Path\s+\/var\/log\/containers\/\*\.log\n/);
    assert.match(conf, /\[FILTER\]\n\s+Name\s+kubernetes\n/);
    for (const line of ['Name                es', 'Host                elasticsearch.logging.svc', 'Port                9200', 'Logstash_Format     On',
      'Logstash_Prefix     logstash', 'Logstash_DateFormat %Y.%m.%d', 'Suppress_Type_Name  On', 'tls                 On', 'tls.verify          On', 'tls.verify_hostname On',
      'tls.ca_file         /es-tls/ca.crt', 'HTTP_User           fluent-bit', 'HTTP_Passwd         ${ES_PASSWORD}']) {
      assert.ok(conf.includes(`\n    ${line}\n`), line);
    }
    assert.deepEqual(container.env, [{ name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: 'es-fluent-bit', key: 'password' } } }]);
    assert.deepEqual(pod.volumes.find((v: any) => v.name === 'es-tls'), { name: 'es-tls', secret: { secretName: 'fluent-bit-es-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] } });
  });

  it('accepts no ingress', () => {
    assert.deepEqual(find(objects, 'NetworkPolicy', 'logging-collector').spec, { podSelector: {}, policyTypes: ['Ingress'], ingress: [] });
  });
});

describe('EfkLogging secrets', () => {
  it('puts no password in the output: every credential is a Secret reference', () => {
    for (const nodes of [1, 3]) {
      const objects = synth({ nodes });
      const text = JSON.stringify(objects);
      assert.equal(objects.some((o) => o.kind === 'Secret'), false);
      for (const variable of ['ELASTIC_PASSWORD', 'KIBANA_SYSTEM_PASSWORD', 'COLLECTOR_PASSWORD', 'ES_PASSWORD', 'ELASTICSEARCH_PASSWORD']) {
        assert.doesNotMatch(text, new RegExp(`"name":"${variable}","value"`), variable);
      }
      const references: string[] = [];
      JSON.parse(text, (key, value) => {
        if (key === 'secretKeyRef') references.push(`${value.name}/${value.key}`);
        return value;
      });
      // Elasticsearch, Kibana, the collector and the two Jobs (the setup Job reads all three passwords).
      assert.deepEqual(references.sort(), [
        'es-elastic/password', 'es-elastic/password', 'es-elastic/password', 'es-fluent-bit/password', 'es-fluent-bit/password',
        'es-kibana-system/password', 'es-kibana-system/password',
      ]);
    }
  });
});
