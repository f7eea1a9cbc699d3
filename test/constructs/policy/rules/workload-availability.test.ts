import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  KIT_HPA_REPLICAS, KIT_PDB, autoscalersOf, isScaleTargetOf, replicasOf, scaleTargetOf,
} from '../../../../constructs/policy/rules/workload-availability.js';
import { asKind, asPod, check, deployment, hpa, pdb, summarize } from './_workload-fixtures.js';

/** Deployment/web managed by an HPA: no spec.replicas. */
function autoscaled() {
  const web = deployment();
  delete web.spec.replicas;
  return web;
}

describe('kit-pdb: workloads need a PodDisruptionBudget', () => {
  it('passes a replicated Deployment with a matching PDB', () => {
    assert.deepEqual(check(KIT_PDB, deployment(), pdb()), []);
  });

  it('passes a single-replica Deployment without a PDB, and ignores other kinds', () => {
    const single = deployment();
    single.spec.replicas = 1;
    assert.deepEqual(check(KIT_PDB, single), []);
    const defaulted = deployment();
    delete defaulted.spec.replicas;
    assert.deepEqual(check(KIT_PDB, defaulted), []);
    assert.deepEqual(check(KIT_PDB, asKind(deployment(), 'DaemonSet')), []);
    assert.deepEqual(check(KIT_PDB, asPod(deployment())), []);
  });

  it('fails a replicated Deployment without a PDB', () => {
    const findings = check(KIT_PDB, deployment());
    assert.deepEqual(summarize(findings), [{
      ruleId: 'kit-pdb',
      path: 'spec.replicas',
      message: 'Deployment/web runs 3 replicas (spec.replicas) but no PodDisruptionBudget (policy/v1) in the same, unspecified namespace selects its pod labels {app=web}, so a node drain may evict all of its pods at once.',
    }]);
    assert.equal(findings[0]?.fix, 'Add a policy/v1 PodDisruptionBudget in the same, unspecified namespace whose spec.selector.matchLabels is {app=web}, with spec.maxUnavailable: 1.');
  });

  it('fails when the only PDB is in another namespace, selects other pods, has no selector or is policy/v1beta1', () => {
    const web = deployment('web', 'shop');
    const others = [pdb('web'), pdb('api', undefined, 'shop'), { ...pdb('web', undefined, 'shop'), spec: { maxUnavailable: 1 } }, { ...pdb('web', undefined, 'shop'), apiVersion: 'policy/v1beta1' }];
    assert.deepEqual(summarize(check(KIT_PDB, web, ...others)), [{
      ruleId: 'kit-pdb',
      path: 'spec.replicas',
      message: 'Deployment/shop/web runs 3 replicas (spec.replicas) but no PodDisruptionBudget (policy/v1) in namespace \'shop\' selects its pod labels {app=web}, so a node drain may evict all of its pods at once.',
    }]);
  });

  it('accepts a PDB with an empty selector (every pod in the namespace)', () => {
    assert.deepEqual(check(KIT_PDB, deployment(), { ...pdb(), spec: { selector: {}, maxUnavailable: 1 } }), []);
  });

  it('fails an HPA-scaled Deployment without a PDB', () => {
    const web = autoscaled();
    assert.deepEqual(summarize(check(KIT_PDB, web, hpa())), [{
      ruleId: 'kit-pdb',
      path: 'spec.template.metadata.labels',
      message: 'Deployment/web is scaled by HorizontalPodAutoscaler/web but no PodDisruptionBudget (policy/v1) in the same, unspecified namespace selects its pod labels {app=web}, so a node drain may evict all of its pods at once.',
    }]);
    assert.deepEqual(check(KIT_PDB, web, hpa(), pdb()), []);
  });

  it('applies to StatefulSets', () => {
    assert.equal(check(KIT_PDB, asKind(deployment(), 'StatefulSet')).length, 1);
  });
});

describe('kit-pdb: a PodDisruptionBudget must allow evictions', () => {
  it('passes maxUnavailable 1 and minAvailable below the replicas', () => {
    assert.deepEqual(check(KIT_PDB, pdb(), deployment()), []);
    assert.deepEqual(check(KIT_PDB, pdb('web', { minAvailable: 2 }), deployment()), []);
    assert.deepEqual(check(KIT_PDB, pdb('web', { minAvailable: '50%' }), deployment()), []);
    assert.deepEqual(check(KIT_PDB, pdb('web', { maxUnavailable: '10%' }), deployment()), []);
  });

  it('fails maxUnavailable 0 and "0%"', () => {
    const findings = check(KIT_PDB, pdb('web', { maxUnavailable: 0 }), deployment());
    assert.deepEqual(summarize(findings), [{
      ruleId: 'kit-pdb',
      path: 'spec.maxUnavailable',
      message: 'PodDisruptionBudget/web has spec.maxUnavailable 0, so it blocks every voluntary eviction: node drains and cluster upgrades hang.',
    }]);
    assert.equal(findings[0]?.fix, 'Set spec.maxUnavailable to 1 (or a percentage above 0%).');
    assert.equal(check(KIT_PDB, pdb('web', { maxUnavailable: '0%' }))[0]?.message,
      'PodDisruptionBudget/web has spec.maxUnavailable "0%", so it blocks every voluntary eviction: node drains and cluster upgrades hang.');
  });

  it('fails minAvailable "100%" whatever it selects', () => {
    assert.deepEqual(summarize(check(KIT_PDB, pdb('web', { minAvailable: '100%' }))), [{
      ruleId: 'kit-pdb',
      path: 'spec.minAvailable',
      message: 'PodDisruptionBudget/web has spec.minAvailable "100%", so it blocks every voluntary eviction: node drains and cluster upgrades hang.',
    }]);
  });

  it('fails minAvailable at or above the replicas of the workloads it selects', () => {
    const findings = check(KIT_PDB, pdb('web', { minAvailable: 3 }), deployment());
    assert.deepEqual(summarize(findings), [{
      ruleId: 'kit-pdb',
      path: 'spec.minAvailable',
      message: 'PodDisruptionBudget/web has spec.minAvailable 3 and selects Deployment/web (3 replicas): 3 pods in all, so it blocks every voluntary eviction: node drains and cluster upgrades hang.',
    }]);
    assert.equal(findings[0]?.fix, 'Lower spec.minAvailable below 3 (the pods it selects), or replace it with spec.maxUnavailable: 1.');
  });

  it('rounds a percentage up, as the disruption controller does', () => {
    assert.equal(check(KIT_PDB, pdb('web', { minAvailable: '90%' }), deployment())[0]?.message,
      'PodDisruptionBudget/web has spec.minAvailable "90%" (3 pods, rounded up) and selects Deployment/web (3 replicas): 3 pods in all, so it blocks every voluntary eviction: node drains and cluster upgrades hang.');
  });

  it('counts an HPA-scaled workload at its minReplicas', () => {
    assert.equal(check(KIT_PDB, pdb('web', { minAvailable: 2 }), autoscaled(), hpa())[0]?.message,
      'PodDisruptionBudget/web has spec.minAvailable 2 and selects Deployment/web (2 replicas at the minReplicas of HorizontalPodAutoscaler/web): 2 pods in all, so it blocks every voluntary eviction: node drains and cluster upgrades hang.');
  });

  it('cannot judge minAvailable when it selects nothing or a DaemonSet', () => {
    assert.deepEqual(check(KIT_PDB, pdb('web', { minAvailable: 5 })), []);
    assert.deepEqual(check(KIT_PDB, pdb('web', { minAvailable: 5 }), asKind(deployment(), 'DaemonSet')), []);
  });
});

describe('kit-hpa-replicas', () => {
  it('passes an HPA whose target leaves spec.replicas unset', () => {
    assert.deepEqual(check(KIT_HPA_REPLICAS, hpa(), autoscaled()), []);
  });

  it('fails an HPA whose target sets spec.replicas', () => {
    const findings = check(KIT_HPA_REPLICAS, hpa(), deployment());
    assert.deepEqual(summarize(findings), [{
      ruleId: 'kit-hpa-replicas',
      path: 'spec.scaleTargetRef',
      message: 'HorizontalPodAutoscaler/web scales Deployment/web, which sets spec.replicas to 3: every apply resets the replica count the autoscaler chose.',
    }]);
    assert.equal(findings[0]?.fix, 'Remove spec.replicas from Deployment/web and let HorizontalPodAutoscaler/web own the replica count through spec.minReplicas.');
  });

  it('fails an HPA whose target is not in the context (other namespace, kind or group)', () => {
    const elsewhere = deployment('web', 'shop');
    delete elsewhere.spec.replicas;
    const statefulSet = asKind(autoscaled(), 'StatefulSet');
    const findings = check(KIT_HPA_REPLICAS, hpa(), elsewhere, statefulSet, { ...autoscaled(), apiVersion: 'example.com/v1' });
    assert.deepEqual(summarize(findings), [{
      ruleId: 'kit-hpa-replicas',
      path: 'spec.scaleTargetRef',
      message: 'HorizontalPodAutoscaler/web targets Deployment/web (apps/v1), which is not among the objects validated with it in the same, unspecified namespace, so it scales nothing deployed with it.',
    }]);
  });

  it('fails minReplicas above maxReplicas, including the default of 1', () => {
    assert.deepEqual(summarize(check(KIT_HPA_REPLICAS, hpa('web', { minReplicas: 5, maxReplicas: 3 }), autoscaled())), [{
      ruleId: 'kit-hpa-replicas',
      path: 'spec.minReplicas',
      message: 'HorizontalPodAutoscaler/web has spec.minReplicas 5 above spec.maxReplicas 3.',
    }]);
    const defaulted = hpa('web', { maxReplicas: 0 });
    delete (defaulted.spec as { minReplicas?: number }).minReplicas;
    assert.equal(check(KIT_HPA_REPLICAS, defaulted, autoscaled())[0]?.message, 'HorizontalPodAutoscaler/web has spec.minReplicas 1 (the default) above spec.maxReplicas 0.');
  });

  it('fails a missing maxReplicas', () => {
    const noMax = hpa();
    delete (noMax.spec as { maxReplicas?: number }).maxReplicas;
    assert.deepEqual(summarize(check(KIT_HPA_REPLICAS, noMax, autoscaled())), [{
      ruleId: 'kit-hpa-replicas',
      path: 'spec.maxReplicas',
      message: 'HorizontalPodAutoscaler/web has no spec.maxReplicas (found: null); the API server requires it.',
    }]);
  });

  it('reads autoscaling/v1 too, and ignores other objects', () => {
    assert.equal(check(KIT_HPA_REPLICAS, { ...hpa(), apiVersion: 'autoscaling/v1' }, deployment()).length, 1);
    assert.deepEqual(check(KIT_HPA_REPLICAS, deployment()), []);
  });
});

describe('HPA look-ups', () => {
  it('match on kind, name, namespace and API group', () => {
    const web = autoscaled();
    const scaler = hpa();
    assert.equal(isScaleTargetOf(scaler, web), true);
    assert.equal(isScaleTargetOf({ ...scaler, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' } } }, web), true);
    assert.equal(isScaleTargetOf(scaler, deployment('web', 'shop')), false);
    assert.deepEqual(autoscalersOf({ objects: [web, scaler] }, web), [scaler]);
    assert.equal(scaleTargetOf({ objects: [scaler, web] }, scaler), web);
    assert.equal(replicasOf(deployment()), 3);
    assert.equal(replicasOf(web), undefined);
  });
});
