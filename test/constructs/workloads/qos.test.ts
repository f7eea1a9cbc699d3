import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QOS_CLASS_ANNOTATION, QosClass, computeQosClass, explainQosClass } from '../../../constructs/core/qos.js';
import { QuantityError } from '../../../constructs/core/quantity.js';

const exact = (cpu: string, memory: string) => ({ requests: { cpu, memory }, limits: { cpu, memory } });

describe('QosClass', () => {
  it('has the three Kubernetes classes', () => {
    assert.equal(QosClass.GUARANTEED.name, 'Guaranteed');
    assert.equal(QosClass.BURSTABLE.name, 'Burstable');
    assert.equal(QosClass.BEST_EFFORT.name, 'BestEffort');
    assert.equal(String(QosClass.BURSTABLE), 'Burstable');
  });

  it('of() returns the same instance', () => {
    assert.equal(QosClass.of('Guaranteed'), QosClass.GUARANTEED);
    assert.equal(QosClass.of('BestEffort'), QosClass.BEST_EFFORT);
  });

  it('throws for an unknown name', () => {
    assert.throws(() => QosClass.of('guaranteed'), {
      message: '\'guaranteed\' is not a QoS class: expected one of Guaranteed, Burstable, BestEffort',
    });
  });

  it('declares the annotation key', () => {
    assert.equal(QOS_CLASS_ANNOTATION, 'k8s-platform-kit.dev/qos-class');
  });
});

describe('computeQosClass', () => {
  it('is BestEffort without requests or limits', () => {
    assert.equal(computeQosClass([{}, { resources: {} }]), QosClass.BEST_EFFORT);
    assert.equal(computeQosClass([]), QosClass.BEST_EFFORT);
  });

  it('ignores resources other than cpu and memory', () => {
    assert.equal(computeQosClass([{ resources: { requests: { 'ephemeral-storage': '1Gi' }, limits: { 'nvidia.com/gpu': 1 } } }]), QosClass.BEST_EFFORT);
  });

  it('ignores zero quantities', () => {
    assert.equal(computeQosClass([{ resources: { requests: { cpu: '0', memory: '0Mi' } } }]), QosClass.BEST_EFFORT);
  });

  it('is Guaranteed when every container has cpu and memory limits equal to its requests', () => {
    assert.equal(computeQosClass([{ resources: exact('500m', '256Mi') }, { resources: exact('1', '1Gi') }]), QosClass.GUARANTEED);
  });

  it('compares quantities by value, not by spelling', () => {
    assert.equal(computeQosClass([{ resources: { requests: { cpu: '0.5', memory: '268435456' }, limits: { cpu: '500m', memory: '256Mi' } } }]), QosClass.GUARANTEED);
  });

  it('defaults a missing request to the limit (limit-only is Guaranteed)', () => {
    assert.equal(computeQosClass([{ resources: { limits: { cpu: '1', memory: '1Gi' } } }]), QosClass.GUARANTEED);
  });

  it('defaults per resource: a cpu request below its limit stays', () => {
    const explanation = explainQosClass([{ name: 'app', resources: { requests: { cpu: '500m' }, limits: { cpu: '1', memory: '1Gi' } } }]);
    assert.equal(explanation.qosClass, QosClass.BURSTABLE);
    assert.equal(explanation.reason, 'container \'app\' requests cpu 500m but limits it to 1');
  });

  it('is Burstable when a container has no cpu limit', () => {
    const explanation = explainQosClass([{ name: 'app', resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '1Gi' } } }]);
    assert.equal(explanation.qosClass, QosClass.BURSTABLE);
    assert.equal(explanation.reason, 'container \'app\' has no cpu limit');
  });

  it('is Burstable with requests only', () => {
    assert.equal(computeQosClass([{ resources: { requests: { cpu: '100m' } } }]), QosClass.BURSTABLE);
  });

  it('is Burstable when an explicit zero request sits under a limit', () => {
    const explanation = explainQosClass([{ name: 'app', resources: { requests: { cpu: '0' }, limits: { cpu: '1', memory: '1Gi' } } }]);
    assert.equal(explanation.qosClass, QosClass.BURSTABLE);
    assert.equal(explanation.reason, 'container \'app\' requests cpu 0 but limits it to 1');
  });

  it('treats a zero limit as no limit', () => {
    const explanation = explainQosClass([{ name: 'app', resources: { limits: { cpu: '0', memory: '1Gi' } } }]);
    assert.equal(explanation.qosClass, QosClass.BURSTABLE);
    assert.equal(explanation.reason, 'container \'app\' has a zero cpu limit');
  });

  it('is Burstable when one of several containers has no limits', () => {
    const explanation = explainQosClass([
      { name: 'app', resources: exact('1', '1Gi') },
      { name: 'sidecar', resources: { requests: { cpu: '100m', memory: '64Mi' } } },
    ]);
    assert.equal(explanation.qosClass, QosClass.BURSTABLE);
    assert.equal(explanation.reason, 'container \'sidecar\' has no cpu limit; container \'sidecar\' has no memory limit');
  });

  it('counts init containers: an init container without limits makes the pod Burstable', () => {
    const app = { name: 'app', resources: exact('1', '1Gi') };
    const init = { name: 'migrate', resources: { requests: { cpu: '100m', memory: '64Mi' } } };
    assert.equal(computeQosClass([app]), QosClass.GUARANTEED);
    assert.equal(computeQosClass([app, init]), QosClass.BURSTABLE);
  });

  it('counts init containers: a container without resources keeps a pod from BestEffort', () => {
    assert.equal(computeQosClass([{ name: 'app' }, { name: 'init', resources: { requests: { memory: '64Mi' } } }]), QosClass.BURSTABLE);
  });

  it('compares sums across containers, as Kubernetes does', () => {
    // Neither container has requests equal to limits, but the sums match: Kubernetes says Guaranteed.
    const containers = [
      { name: 'a', resources: { requests: { cpu: '300m', memory: '1Gi' }, limits: { cpu: '200m', memory: '1Gi' } } },
      { name: 'b', resources: { requests: { cpu: '100m', memory: '1Gi' }, limits: { cpu: '200m', memory: '1Gi' } } },
    ];
    assert.equal(computeQosClass(containers), QosClass.GUARANTEED);
  });

  it('sums exactly: 100m + 200m requests equal a 300m limit split differently', () => {
    const containers = [
      { name: 'a', resources: { requests: { cpu: '100m', memory: '1Gi' }, limits: { cpu: '0.15', memory: '1Gi' } } },
      { name: 'b', resources: { requests: { cpu: '200m', memory: '1Gi' }, limits: { cpu: '150m', memory: '1Gi' } } },
    ];
    assert.equal(computeQosClass(containers), QosClass.GUARANTEED);
  });

  it('names each container whose request differs from its limit when the sums differ', () => {
    const explanation = explainQosClass([
      { name: 'a', resources: exact('1', '1Gi') },
      { name: 'b', resources: { requests: { cpu: '1', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } } },
    ]);
    assert.equal(explanation.qosClass, QosClass.BURSTABLE);
    assert.equal(explanation.reason, 'container \'b\' requests memory 512Mi but limits it to 1Gi');
  });

  it('explains Guaranteed and BestEffort', () => {
    assert.equal(explainQosClass([{ resources: exact('1', '1Gi') }]).reason, 'every container has cpu and memory limits equal to its requests');
    assert.equal(explainQosClass([{}]).reason, 'no container sets a cpu or memory request or limit');
  });

  it('names unnamed containers by position', () => {
    assert.equal(explainQosClass([{ resources: { requests: { cpu: '1' } } }]).reason, 'container \'#0\' has no cpu limit; container \'#0\' has no memory limit');
  });

  it('throws QuantityError for an invalid cpu or memory value', () => {
    assert.throws(() => computeQosClass([{ resources: { limits: { memory: '1GB' } } }]), QuantityError);
  });
});
