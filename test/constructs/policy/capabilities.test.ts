/**
 * The capability contract on single objects: what each kind of object needs from the
 * cluster, and the finding when the cluster does not provide it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CAPABILITY_RULE_ID, PROVIDES_ANNOTATION, REQUIRES_ANNOTATION, capabilityNeeds, checkCapabilities, releasedCapabilities,
  validateManifests, type ClusterCapabilities, type ManifestObject,
} from '../../../constructs/index.js';

const NOTHING: ClusterCapabilities = {
  name: "environment 'test' (EKS cluster kit-test)",
  provided: [],
  howToProvide: { 'network-policy': 'set k8s-platform-kit:cluster.addons.networkPolicy: true in Pulumi.test.yaml' },
};

const needs = (object: ManifestObject) => capabilityNeeds(object).map((n) => `${n.capability} @ ${n.path}`);

const deployment = (resources: Record<string, unknown>): ManifestObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'trainer', namespace: 'ml' },
  spec: { template: { spec: { containers: [{ name: 'train', image: 'ghcr.io/acme/train:1.0.0', resources }] } } },
});

describe('capabilityNeeds', () => {
  it('derives each need from kind, annotations, class names, metrics and resource requests, with the field path', () => {
    assert.deepEqual(needs({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny' } }), ['network-policy @ kind']);
    assert.deepEqual(needs({
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'edge', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' } },
    }), ['aws-load-balancer-controller @ metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-type"]']);
    assert.deepEqual(needs({ apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: { name: 'nightly' } }), ['velero @ kind']);
    assert.deepEqual(needs({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'api' } }), ['prometheus-operator @ kind']);
    assert.deepEqual(needs({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'tls' } }), ['cert-manager @ kind']);
    assert.deepEqual(needs({
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'edge' },
      spec: { listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }, { name: 'app', port: 443, protocol: 'HTTPS', hostname: 'app.example.com' }] },
    }), ['gateway-api @ kind', 'dns-automation @ spec.listeners[1].hostname']);
    assert.deepEqual(needs({
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api' },
      spec: { metrics: [{ type: 'External' }, { type: 'Resource', resource: { name: 'cpu' } }] },
    }), ['metrics-server @ spec.metrics[1]']);
    assert.deepEqual(needs(deployment({ limits: { 'nvidia.com/gpu': '1' } })),
      ['nvidia-gpu @ spec.template.spec.containers[0].resources.limits["nvidia.com/gpu"]']);
    assert.deepEqual(needs({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web' }, spec: { ingressClassName: 'nginx', rules: [{ host: 'web.example.com' }] } }),
      ['ingress-nginx @ spec.ingressClassName', 'dns-automation @ spec.rules[0].host']);
  });

  it('does not ask for the AWS Load Balancer Controller for the in-tree `nlb` type, and asks for nothing on a plain Deployment', () => {
    assert.deepEqual(needs({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'legacy', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' } } }), []);
    assert.deepEqual(needs(deployment({ requests: { cpu: '1' } })), []);
  });

  it('adds the capabilities an object declares in its requires annotation', () => {
    const object: ManifestObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'restore', annotations: { [REQUIRES_ANNOTATION]: 'velero, dns-automation' } } };
    assert.deepEqual(needs(object), [
      `velero @ metadata.annotations["${REQUIRES_ANNOTATION}"]`,
      `dns-automation @ metadata.annotations["${REQUIRES_ANNOTATION}"]`,
    ]);
  });
});

describe('checkCapabilities', () => {
  const policy: ManifestObject = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'todo' } };

  it('reports a need the cluster lacks with the capability, the reason, the cluster and the config key that provides it', () => {
    assert.deepEqual(checkCapabilities(policy, NOTHING), [{
      ruleId: CAPABILITY_RULE_ID,
      severity: 'error',
      path: 'kind',
      message: "needs network-policy (NetworkPolicy enforcement by the CNI) because of its kind NetworkPolicy, which only a policy-enforcing CNI applies; environment 'test' (EKS cluster kit-test) does not provide it",
      fix: 'set k8s-platform-kit:cluster.addons.networkPolicy: true in Pulumi.test.yaml',
    }]);
  });

  it('says so when the environment cannot provide a capability at all', () => {
    const [finding] = checkCapabilities({ apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: { name: 'nightly' } }, NOTHING);
    assert.equal(finding?.fix, 'this environment cannot provide it: remove the object or the field that needs it');
  });

  it('accepts a need the cluster provides, or a release among the objects provides', () => {
    assert.deepEqual(checkCapabilities(policy, { ...NOTHING, provided: [{ capability: 'network-policy', source: 'the VPC CNI' }] }), []);
    assert.deepEqual(checkCapabilities(policy, NOTHING, ['network-policy']), []);
  });

  it('rejects an unknown capability name in the requires annotation, listing the known ones', () => {
    const object: ManifestObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', annotations: { [REQUIRES_ANNOTATION]: 'veleros' } } };
    const [finding] = checkCapabilities(object, NOTHING);
    assert.equal(finding?.message, `${REQUIRES_ANNOTATION} names 'veleros', which is not a capability`);
    assert.match(finding?.fix ?? '', /^name capabilities from: network-policy, aws-load-balancer-controller, .*velero/);
  });
});

describe('the capability check in validateManifests', () => {
  const schedule: ManifestObject = {
    apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: { name: 'nightly', namespace: 'velero' },
    spec: { schedule: '0 3 * * *', template: { ttl: '720h0m0s' } },
  };
  const veleroRelease: ManifestObject = {
    apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'velero', namespace: 'velero', annotations: { [PROVIDES_ANNOTATION]: 'velero' } },
    spec: { interval: '30m', chart: { spec: { chart: 'velero', version: '12.1.0', sourceRef: { kind: 'HelmRepository', name: 'velero' } } } },
  };

  it('fails an object whose capability neither the cluster nor any release provides, and cannot be waived', async () => {
    const waived = { ...schedule, metadata: { ...schedule.metadata, annotations: { [`k8s-platform-kit.dev/exception.${CAPABILITY_RULE_ID}`]: 'installed later' } } };
    const report = await validateManifests([{ object: waived }], { cluster: NOTHING });
    assert.deepEqual(report.errors.filter((f) => f.ruleId === CAPABILITY_RULE_ID).map((f) => f.object), ['Schedule/velero/nightly']);
  });

  it('passes it when a HelmRelease validated with it provides the capability', async () => {
    assert.deepEqual(releasedCapabilities([veleroRelease]), ['velero']);
    const report = await validateManifests([{ object: schedule }, { object: veleroRelease }], { cluster: NOTHING });
    assert.deepEqual(report.errors.filter((f) => f.ruleId === CAPABILITY_RULE_ID), []);
  });

  it('does not check capabilities when no cluster is given', async () => {
    const report = await validateManifests([{ object: schedule }]);
    assert.deepEqual(report.findings.filter((f) => f.ruleId === CAPABILITY_RULE_ID), []);
  });
});
