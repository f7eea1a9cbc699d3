/**
 * HelmChartRelease types its values by the chart's defaults: a value whose type differs
 * from the default's at its key, or a number that would not survive serialization, is
 * refused with the path, the value and the default's type; open paths and null pass.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { HelmChart, HelmChartRelease, mistypedValues, type HelmValues } from '../../../constructs/platform/helm-release.js';

const release = (values: HelmValues) => new HelmChartRelease(Testing.chart(), 'metrics', { chart: HelmChart.METRICS_SERVER, namespace: 'monitoring', values });
const EXPECTED = "expected a value of the type metrics-server 3.13.1's values.yaml gives the key, or the path declared open in HelmChart if the chart takes several";

describe('Helm values typed by the chart\'s defaults', () => {
  it('refuses a string where the default is a number, naming the path, the value and the type', () => {
    assert.throws(() => release({ replicas: 'two' }), {
      message: `HelmChartRelease 'test/metrics': values.replicas ('two') is a string; the chart's default is a number; ${EXPECTED}`,
    });
  });

  it('refuses a number where the default is a boolean, and a map where the default is a scalar', () => {
    assert.throws(() => release({ hostNetwork: { enabled: 1 } }), {
      message: `HelmChartRelease 'test/metrics': values.hostNetwork.enabled (1) is a number; the chart's default is a boolean; ${EXPECTED}`,
    });
    assert.throws(() => release({ image: { tag: { version: 'v0.8.0' } } }), {
      message: `HelmChartRelease 'test/metrics': values.image.tag ({"version":"v0.8.0"}) is a map; the chart's default is a string; ${EXPECTED}`,
    });
    assert.throws(() => release({ image: 'registry.k8s.io/metrics-server/metrics-server:v0.8.0' }), {
      message: `HelmChartRelease 'test/metrics': values.image ('registry.k8s.io/metrics-server/metrics-server:v0.8.0') is a string; the chart's default is a map; ${EXPECTED}`,
    });
  });

  it('refuses NaN and Infinity, which would reach Helm as null, also under open paths', () => {
    assert.throws(() => release({ replicas: Number.NaN }), {
      message: `HelmChartRelease 'test/metrics': values.replicas (NaN) is NaN; the chart's default is a number; ${EXPECTED}`,
    });
    assert.deepEqual(mistypedValues(HelmChart.METRICS_SERVER, { podAnnotations: { ratio: Infinity } }), [
      { path: 'podAnnotations.ratio', value: Infinity, problem: 'is not a finite number, and would reach Helm as null (which removes the key)' },
    ]);
  });

  it('accepts values of the default\'s type, null anywhere, and anything under an open path', () => {
    assert.deepEqual(mistypedValues(HelmChart.METRICS_SERVER, {
      replicas: 2, hostNetwork: { enabled: false }, image: { tag: 'v0.8.0' }, tolerations: [{ key: 'a', operator: 'Exists' }],
      podAnnotations: { 'a/b': 'c' }, podDisruptionBudget: { minAvailable: null },
    }), []);
    assert.doesNotThrow(() => release({ replicas: 2, image: { tag: 'v0.8.0' } }));
  });
});
