import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KIT_QOS_DECLARED } from '../../../../constructs/policy/rules/workload-qos.js';
import { QOS_CLASS_ANNOTATION } from '../../../../constructs/core/qos.js';
import type { TestWorkload } from './_workload-fixtures.js';
import { asCronJob, asPod, check, deployment, mainContainer, podOf, summarize } from './_workload-fixtures.js';

const PATH = 'spec.template.metadata.annotations["k8s-platform-kit.dev/qos-class"]';

function declaring(qosClass: string): TestWorkload {
  const web = deployment();
  web.spec.template.metadata.annotations = { [QOS_CLASS_ANNOTATION]: qosClass };
  return web;
}

describe('kit-qos-declared', () => {
  it('ignores workloads that declare nothing', () => {
    assert.deepEqual(check(KIT_QOS_DECLARED, deployment()), []);
  });

  it('passes a declared Burstable workload that is Burstable', () => {
    assert.deepEqual(check(KIT_QOS_DECLARED, declaring('Burstable')), []);
  });

  it('passes a declared Guaranteed workload that is Guaranteed', () => {
    const web = declaring('Guaranteed');
    mainContainer(web).resources = { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } };
    assert.deepEqual(check(KIT_QOS_DECLARED, web), []);
  });

  it('fails a declared Guaranteed workload whose container has no cpu limit', () => {
    const findings = check(KIT_QOS_DECLARED, declaring('Guaranteed'));
    assert.deepEqual(summarize(findings), [{
      ruleId: 'kit-qos-declared',
      path: PATH,
      message: 'Deployment/web declares QoS class Guaranteed (annotation k8s-platform-kit.dev/qos-class) but its containers make it Burstable: container \'app\' has no cpu limit.',
    }]);
    assert.equal(findings[0]?.fix, 'Give every container and init container cpu and memory limits equal to its requests, or declare Burstable in the k8s-platform-kit.dev/qos-class annotation.');
  });

  it('counts init containers', () => {
    const web = declaring('Guaranteed');
    mainContainer(web).resources = { limits: { cpu: '1', memory: '1Gi' } };
    podOf(web).initContainers = [{ name: 'migrate', resources: { requests: { cpu: '1', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } } }];
    assert.deepEqual(summarize(check(KIT_QOS_DECLARED, web)), [{
      ruleId: 'kit-qos-declared',
      path: PATH,
      message: 'Deployment/web declares QoS class Guaranteed (annotation k8s-platform-kit.dev/qos-class) but its containers make it Burstable: container \'migrate\' requests memory 512Mi but limits it to 1Gi.',
    }]);
  });

  it('fails a declared Burstable workload that is Guaranteed', () => {
    const web = declaring('Burstable');
    mainContainer(web).resources = { limits: { cpu: '500m', memory: '256Mi' } };
    const findings = check(KIT_QOS_DECLARED, web);
    assert.deepEqual(summarize(findings), [{
      ruleId: 'kit-qos-declared',
      path: PATH,
      message: 'Deployment/web declares QoS class Burstable (annotation k8s-platform-kit.dev/qos-class) but its containers make it Guaranteed: every container has cpu and memory limits equal to its requests.',
    }]);
    assert.equal(findings[0]?.fix, 'Set a cpu or memory request below its limit in one container, or declare Guaranteed in the k8s-platform-kit.dev/qos-class annotation.');
  });

  it('fails a declared Burstable workload that is BestEffort', () => {
    const web = declaring('Burstable');
    delete mainContainer(web).resources;
    assert.deepEqual(summarize(check(KIT_QOS_DECLARED, web)), [{
      ruleId: 'kit-qos-declared',
      path: PATH,
      message: 'Deployment/web declares QoS class Burstable (annotation k8s-platform-kit.dev/qos-class) but its containers make it BestEffort: no container sets a cpu or memory request or limit.',
    }]);
  });

  it('fails a declared BestEffort or unknown class', () => {
    assert.deepEqual(summarize(check(KIT_QOS_DECLARED, declaring('BestEffort'))), [{
      ruleId: 'kit-qos-declared',
      path: PATH,
      message: 'Deployment/web: annotation k8s-platform-kit.dev/qos-class is \'BestEffort\'; a workload may only declare Guaranteed or Burstable.',
    }]);
    assert.equal(check(KIT_QOS_DECLARED, declaring('gold'))[0]?.fix, 'Set the k8s-platform-kit.dev/qos-class annotation to Guaranteed or Burstable, or remove it.');
  });

  it('leaves invalid quantities to kit-resources', () => {
    const web = declaring('Guaranteed');
    mainContainer(web).resources!.limits!.memory = '256MB';
    assert.deepEqual(check(KIT_QOS_DECLARED, web), []);
  });

  it('reads the annotation of a Pod and of a CronJob template', () => {
    const web = declaring('Guaranteed');
    assert.deepEqual(check(KIT_QOS_DECLARED, asPod(web)).map((f) => f.path), ['metadata.annotations["k8s-platform-kit.dev/qos-class"]']);
    assert.deepEqual(check(KIT_QOS_DECLARED, asCronJob(web)).map((f) => f.path), ['spec.jobTemplate.spec.template.metadata.annotations["k8s-platform-kit.dev/qos-class"]']);
  });
});
