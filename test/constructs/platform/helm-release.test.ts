/**
 * HelmChartRelease: the Flux objects it writes, their round trip through helmReleasesOf
 * (the Pulumi path), the validation spine, and the values check against the pinned
 * chart's values.yaml.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { HelmChart, HelmChartRelease, RELEASE_WORKLOADS_ANNOTATION, unknownValueKeys, type HelmChartReleaseProps } from '../../../constructs/platform/helm-release.js';
import { CHART_VALUE_KEYS } from '../../../constructs/imports/chart-values.js';
import { validateManifests } from '../../../constructs/policy/validate.js';
import type { ManifestObject } from '../../../constructs/policy/finding.js';
import { helmReleasesOf } from '../../../stacks/_flux-releases.js';

function build(props: Partial<HelmChartReleaseProps> = {}) {
  const chart = Testing.chart();
  const release = new HelmChartRelease(chart, 'metrics', { chart: HelmChart.METRICS_SERVER, namespace: 'monitoring', ...props });
  return { release, objects: Testing.synth(chart) as ManifestObject[] };
}

describe('HelmChartRelease defaults', () => {
  const { release, objects } = build({ values: { replicas: 2 } });

  it('writes a HelmRepository and a HelmRelease pinned to the exact chart version', () => {
    assert.deepEqual(objects[0], {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmRepository',
      metadata: { name: 'metrics-server', namespace: 'monitoring' },
      spec: { interval: '12h', url: 'https://kubernetes-sigs.github.io/metrics-server/' },
    });
    assert.deepEqual(objects[1], {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'metrics-server', namespace: 'monitoring' },
      spec: {
        chart: { spec: { chart: 'metrics-server', sourceRef: { kind: 'HelmRepository', name: 'metrics-server' }, version: '3.13.1' } },
        install: { createNamespace: false, crds: 'CreateReplace', remediation: { retries: 3 } },
        interval: '30m',
        releaseName: 'metrics-server',
        timeout: '10m',
        upgrade: { cleanupOnFail: true, crds: 'CreateReplace', remediation: { remediateLastFailure: true, retries: 3, strategy: 'rollback' } },
        values: { replicas: 2 },
      },
    });
    assert.equal(release.releaseName, 'metrics-server');
  });

  it('round-trips through helmReleasesOf: Pulumi installs the same release', () => {
    const { releases, rest } = helmReleasesOf(objects);
    assert.deepEqual(rest, []);
    assert.deepEqual(releases, [{
      name: 'metrics-server',
      namespace: 'monitoring',
      chart: 'metrics-server',
      version: '3.13.1',
      repository: 'https://kubernetes-sigs.github.io/metrics-server/',
      values: { replicas: 2 },
      createNamespace: false,
    }]);
    // The same release as the Flux objects: name, chart, version, repository, values and namespace handling.
    const [repository, helmRelease] = objects as unknown as { metadata: { namespace: string }; spec: Record<string, any> }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual(releases[0], {
      name: helmRelease?.spec.releaseName,
      namespace: helmRelease?.metadata.namespace,
      chart: helmRelease?.spec.chart.spec.chart,
      version: helmRelease?.spec.chart.spec.version,
      repository: repository?.spec.url,
      values: helmRelease?.spec.values,
      createNamespace: helmRelease?.spec.install.createNamespace,
    });
  });

  it('passes the validation spine (Flux schemas)', async () => {
    const report = await validateManifests(objects.map((object) => ({ object })));
    assert.deepEqual(report.errors, []);
  });
});

describe('HelmChartRelease overrides', () => {
  it('release name, createNamespace, interval and timeout', () => {
    const { objects } = build({ releaseName: 'ms', createNamespace: true, interval: '1h', timeout: '5m' });
    const spec = (objects[1] as unknown as { spec: Record<string, any> }).spec; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(objects[0]?.metadata?.name, 'ms');
    assert.deepEqual([spec.releaseName, spec.interval, spec.timeout, spec.install.createNamespace, spec.chart.spec.sourceRef.name], ['ms', '1h', '5m', true, 'ms']);
    assert.equal(helmReleasesOf(objects).releases[0]?.createNamespace, true);
  });

  it('an OCI chart gets an OCI HelmRepository, and still round-trips', async () => {
    const { objects } = build({ chart: HelmChart.ENVOY_GATEWAY, namespace: 'envoy-gateway-system', releaseName: 'eg' });
    assert.deepEqual((objects[0] as unknown as { spec: unknown }).spec, { interval: '12h', type: 'oci', url: 'oci://docker.io/envoyproxy' });
    assert.deepEqual(helmReleasesOf(objects).releases.map((r) => [r.chart, r.version, r.repository]), [['gateway-helm', 'v1.9.0', 'oci://docker.io/envoyproxy']]);
    assert.deepEqual((await validateManifests(objects.map((object) => ({ object })))).errors, []);
  });

  it("copies the values: changing the caller's object afterwards changes nothing", () => {
    const values = { args: ['--kubelet-insecure-tls'] };
    const { release } = build({ values });
    values.args.push('--v=6');
    assert.deepEqual(release.values, { args: ['--kubelet-insecure-tls'] });
  });
});

describe('HelmChartRelease workloads', () => {
  const workloads: HelmChartReleaseProps['workloads'] = [
    { name: 'metrics-server', kind: 'Deployment', requests: { cpu: '50m', memory: '100Mi' } },
    { name: 'agent', kind: 'DaemonSet', requests: { cpu: '10m', memory: '32Mi' }, tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }] },
    { name: 'store', kind: 'StatefulSet', replicas: 3, requests: { cpu: '1', memory: '2Gi' } },
  ];

  it('none by default: no annotation', () => {
    const { release, objects } = build();
    assert.deepEqual(release.workloads, []);
    assert.equal(objects[1]?.metadata?.annotations, undefined);
  });

  it('are recorded on the HelmRelease as the workloads annotation, as exact JSON with replicas resolved', () => {
    const { release, objects } = build({ workloads });
    assert.deepEqual(objects[1]?.metadata, {
      name: 'metrics-server',
      namespace: 'monitoring',
      annotations: {
        'k8s-platform-kit.dev/workloads': '[{"name":"metrics-server","kind":"Deployment","replicas":1,"requests":{"cpu":"50m","memory":"100Mi"}},'
          + '{"name":"agent","kind":"DaemonSet","requests":{"cpu":"10m","memory":"32Mi"},"tolerations":[{"operator":"Exists","effect":"NoSchedule"}]},'
          + '{"name":"store","kind":"StatefulSet","replicas":3,"requests":{"cpu":"1","memory":"2Gi"}}]',
      },
    });
    assert.equal(RELEASE_WORKLOADS_ANNOTATION, 'k8s-platform-kit.dev/workloads');
    assert.deepEqual(release.workloads[0], { name: 'metrics-server', kind: 'Deployment', replicas: 1, requests: { cpu: '50m', memory: '100Mi' } });
    assert.deepEqual(objects[0]?.metadata, { name: 'metrics-server', namespace: 'monitoring' }, 'the HelmRepository has no annotation');
  });

  it('pass the validation spine, and helmReleasesOf (the Pulumi path) ignores the annotation', async () => {
    const { objects } = build({ values: { replicas: 2 }, workloads });
    assert.deepEqual((await validateManifests(objects.map((object) => ({ object })))).errors, []);
    const { releases, rest } = helmReleasesOf(objects);
    assert.deepEqual(rest, []);
    assert.deepEqual(releases, helmReleasesOf(build({ values: { replicas: 2 } }).objects).releases);
  });

  const cases: [string, unknown, string][] = [
    ['a CPU request that is not a quantity', [workloads[0], { name: 'x', kind: 'Deployment', requests: { cpu: 'x', memory: '1Gi' } }],
      "workloads[1].requests.cpu ('x') is not a Kubernetes quantity; expected e.g. '100m' or '0.5'"],
    ['a negative memory request', [{ name: 'x', kind: 'Deployment', requests: { cpu: '1', memory: '-1Gi' } }],
      "workloads[0].requests.memory ('-1Gi') is negative; expected a quantity >= 0"],
    ['missing requests', [{ name: 'x', kind: 'Deployment' }],
      "workloads[0].requests is missing; expected { name, kind, replicas?, requests: { cpu, memory } }"],
    ['a missing memory request', [{ name: 'x', kind: 'Deployment', requests: { cpu: '1' } }],
      "workloads[0].requests.memory is missing; expected { cpu, memory }, e.g. { cpu: '100m', memory: '128Mi' }"],
    ['a kind the planner does not count', [{ name: 'x', kind: 'Job', requests: { cpu: '1', memory: '1Gi' } }],
      "workloads[0].kind ('Job') is not a kind the planner counts; expected 'Deployment', 'StatefulSet' or 'DaemonSet'"],
    ['a name that is not a DNS subdomain', [{ name: 'Grafana', kind: 'Deployment', requests: { cpu: '1', memory: '1Gi' } }],
      "workloads[0].name ('Grafana') must consist of lower case"],
    ['replicas on a DaemonSet', [{ name: 'x', kind: 'DaemonSet', replicas: 2, requests: { cpu: '1', memory: '1Gi' } }],
      'workloads[0].replicas is set on a DaemonSet, which runs one pod on every node it tolerates; leave it out'],
    ['replicas that are not a whole number', [{ name: 'x', kind: 'Deployment', replicas: 1.5, requests: { cpu: '1', memory: '1Gi' } }],
      'workloads[0].replicas (1.5) must be a whole number >= 0'],
    ['the same workload twice', [workloads[0], workloads[0]],
      'workloads[1] (Deployment/metrics-server) is declared twice (also workloads[0]); give each workload of the release its own name'],
    ['a toleration with an unknown effect', [{ name: 'x', kind: 'DaemonSet', requests: { cpu: '1', memory: '1Gi' }, tolerations: [{ operator: 'Exists', effect: 'Never' }] }],
      "workloads[0].tolerations[0].effect ('Never') is not 'NoSchedule', 'PreferNoSchedule' or 'NoExecute'"],
    ['a toleration with neither a key nor Exists', [{ name: 'x', kind: 'DaemonSet', requests: { cpu: '1', memory: '1Gi' }, tolerations: [{ value: 'spot' }] }],
      "workloads[0].tolerations[0].key is missing; only operator 'Exists' may leave it out"],
    ['workloads that are not a list', { name: 'x' }, 'workloads ({"name":"x"}) is not a list'],
  ];
  for (const [what, given, message] of cases) {
    it(`throws on ${what}`, () => {
      assert.throws(() => build({ workloads: given as HelmChartReleaseProps['workloads'] }), (error: Error) => {
        assert.ok(error.message.startsWith(`HelmChartRelease 'test/metrics': ${message}`), error.message);
        return true;
      });
    });
  }
});

describe('HelmChartRelease values check', () => {
  it('every pinned chart is indexed at its version', () => {
    for (const chart of [HelmChart.KUBE_PROMETHEUS_STACK, HelmChart.METRICS_SERVER, HelmChart.FLUENT_BIT, HelmChart.ENVOY_GATEWAY, HelmChart.INGRESS_NGINX,
      HelmChart.AWS_LOAD_BALANCER_CONTROLLER, HelmChart.CLUSTER_AUTOSCALER, HelmChart.EXTERNAL_DNS, HelmChart.VELERO, HelmChart.NVIDIA_DEVICE_PLUGIN]) {
      assert.ok(Object.values(CHART_VALUE_KEYS).some((entry) => entry.version === chart.version && entry.keys === chart.valueKeys), String(chart));
    }
    assert.deepEqual(Object.keys(CHART_VALUE_KEYS).sort(), [
      'aws-load-balancer-controller', 'cluster-autoscaler', 'envoy-gateway', 'external-dns', 'fluent-bit',
      'ingress-nginx', 'kube-prometheus-stack', 'metrics-server', 'nvidia-device-plugin', 'velero',
    ]);
  });

  it('accepts keys values.yaml has, and anything under an empty map, a list or a null', () => {
    assert.deepEqual(unknownValueKeys(HelmChart.KUBE_PROMETHEUS_STACK, {
      prometheus: { prometheusSpec: { retention: '7d', storageSpec: { volumeClaimTemplate: { spec: {} } }, additionalScrapeConfigs: [{ job_name: 'x' }] } },
      commonLabels: { anything: 'goes' },
      metrics: undefined,
    }), []);
  });

  it('accepts anything under an open path: subcharts and documented free-form maps', () => {
    assert.deepEqual(unknownValueKeys(HelmChart.KUBE_PROMETHEUS_STACK, {
      grafana: { persistence: { enabled: true } },
      'kube-state-metrics': { anyKey: 1 },
      alertmanager: { config: { time_intervals: [] } },
    }), []);
    assert.deepEqual(unknownValueKeys(HelmChart.METRICS_SERVER, { resources: { limits: { memory: '200Mi' } } }), []);
  });

  it('finds misspelt keys, with the closest key at their level', () => {
    assert.deepEqual(unknownValueKeys(HelmChart.KUBE_PROMETHEUS_STACK, {
      prometheus: { prometheusSpec: { retension: '7d' } },
      alertmanger: { enabled: true },
      'weird.key': 1,
    }), [
      { path: 'prometheus.prometheusSpec.retension', suggestion: 'retention' },
      { path: 'alertmanger', suggestion: 'alertmanager' },
      { path: '["weird.key"]' },
    ]);
  });

  it('throws at construction, naming the construct, the key and the chart version', () => {
    assert.throws(() => build({ values: { serviceMonitor: { enabled: true, intervall: '30s' } } }), {
      message: "HelmChartRelease 'test/metrics': values.serviceMonitor.intervall is not a key of metrics-server 3.13.1's values.yaml, so Helm would ignore it (did you mean 'interval'?); expected only keys the chart defines, or the path declared open in HelmChart if the chart documents it as free-form",
    });
  });
});

describe('HelmChartRelease bad input', () => {
  const cases: [string, Partial<HelmChartReleaseProps>, string][] = [
    ['a namespace that is not a DNS label', { namespace: 'Monitoring' }, "namespace ('Monitoring') must consist of lower case"],
    ['a release name that is not a DNS label', { releaseName: 'metrics_server' }, "releaseName ('metrics_server') must consist of lower case"],
    ['an interval that is not a Go duration', { interval: '30 minutes' }, "interval ('30 minutes') is not a Go duration; expected e.g. '30m' or '1h'"],
    ['values that are not a map', { values: ['a'] as never }, 'values (["a"]) is not a map of chart values'],
  ];
  for (const [what, props, message] of cases) {
    it(`throws on ${what}`, () => {
      assert.throws(() => build(props), (error: Error) => {
        assert.ok(error.message.startsWith(`HelmChartRelease 'test/metrics': ${message}`), error.message);
        return true;
      });
    });
  }
});
