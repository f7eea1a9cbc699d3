import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Testing } from 'cdk8s';
import {
  Cloud, DisruptionBudget, HardenedDeployment, IngressPeer, ServiceType,
} from '../../../constructs/index.js';
import { minimalProps, portlessProps, synthDeployment } from './_deployment-fixtures.js';

describe('HardenedDeployment replicas and autoscaling', () => {
  it('replicas sets the replica count', () => {
    const { deployment, workload } = synthDeployment(minimalProps({ replicas: 5 }));
    assert.equal(deployment.spec.replicas, 5);
    assert.equal(workload.replicas, 5);
  });

  it('autoscaling creates an autoscaling/v2 HPA targeting the Deployment', () => {
    const { hpa, deployment, workload } = synthDeployment(minimalProps({
      autoscaling: { minReplicas: 2, maxReplicas: 10, cpuUtilizationPercent: 70 },
    }));
    assert.equal(hpa.apiVersion, 'autoscaling/v2');
    assert.equal(hpa.metadata.name, deployment.metadata.name);
    assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
    assert.equal(hpa.spec.minReplicas, 2);
    assert.equal(hpa.spec.maxReplicas, 10);
    assert.deepEqual(hpa.spec.metrics, [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
    ]);
    assert.ok(workload.autoscaler);
  });

  it('autoscaling leaves the replicas field out of the Deployment', () => {
    const { deployment, workload } = synthDeployment(minimalProps({ autoscaling: { maxReplicas: 4 } }));
    assert.equal('replicas' in deployment.spec, false);
    assert.equal(workload.replicas, undefined);
  });

  it('autoscaling keeps the PodDisruptionBudget', () => {
    const { pdb, deployment } = synthDeployment(minimalProps({ autoscaling: { maxReplicas: 4 } }));
    assert.equal(pdb.spec.maxUnavailable, 1);
    assert.deepEqual(pdb.spec.selector, deployment.spec.selector);
  });

  it('autoscaling defaults to minReplicas 1 and 80% cpu utilization', () => {
    const { hpa } = synthDeployment(minimalProps({ autoscaling: { maxReplicas: 4 } }));
    assert.equal(hpa.spec.minReplicas, 1);
    assert.deepEqual(hpa.spec.metrics, [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
    ]);
  });

  it('autoscaling expresses the seed case: cpu 400%, 1 to 4 replicas', () => {
    const { hpa, deployment, pdb } = synthDeployment(minimalProps({
      autoscaling: { cpuUtilizationPercent: 400, minReplicas: 1, maxReplicas: 4 },
    }));
    assert.equal(hpa.spec.minReplicas, 1);
    assert.equal(hpa.spec.maxReplicas, 4);
    assert.deepEqual(hpa.spec.metrics, [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 400 } } },
    ]);
    assert.equal(deployment.spec.replicas, undefined);
    assert.ok(pdb);
  });

  it('autoscaling on memory only has no cpu metric', () => {
    const { hpa } = synthDeployment(minimalProps({ autoscaling: { maxReplicas: 4, memoryUtilizationPercent: 75 } }));
    assert.deepEqual(hpa.spec.metrics, [
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 75 } } },
    ]);
  });

  it('autoscaling on cpu and memory has both metrics', () => {
    const { hpa } = synthDeployment(minimalProps({ autoscaling: { maxReplicas: 4, cpuUtilizationPercent: 60, memoryUtilizationPercent: 75 } }));
    assert.deepEqual(hpa.spec.metrics.map((m: { resource: { name: string; target: { averageUtilization: number } } }) => [
      m.resource.name, m.resource.target.averageUtilization,
    ]), [['cpu', 60], ['memory', 75]]);
  });

  it('autoscaling with minReplicas equal to maxReplicas is accepted', () => {
    const { hpa } = synthDeployment(minimalProps({ autoscaling: { minReplicas: 3, maxReplicas: 3 } }));
    assert.equal(hpa.spec.minReplicas, 3);
    assert.equal(hpa.spec.maxReplicas, 3);
  });
});

describe('HardenedDeployment disruption budget and rolling update', () => {
  it('disruptionBudget minAvailable as a number', () => {
    const { pdb } = synthDeployment(minimalProps({ replicas: 3, disruptionBudget: DisruptionBudget.minAvailable(2) }));
    assert.equal(pdb.spec.minAvailable, 2);
    assert.equal(pdb.spec.maxUnavailable, undefined);
    assert.equal(pdb.spec.unhealthyPodEvictionPolicy, 'AlwaysAllow');
  });

  it('disruptionBudget minAvailable as a percentage', () => {
    const { pdb } = synthDeployment(minimalProps({ replicas: 4, disruptionBudget: DisruptionBudget.minAvailable('50%') }));
    assert.equal(pdb.spec.minAvailable, '50%');
    assert.equal(pdb.spec.maxUnavailable, undefined);
  });

  it('disruptionBudget maxUnavailable as a number', () => {
    const { pdb } = synthDeployment(minimalProps({ replicas: 6, disruptionBudget: DisruptionBudget.maxUnavailable(2) }));
    assert.equal(pdb.spec.maxUnavailable, 2);
    assert.equal(pdb.spec.minAvailable, undefined);
  });

  it('disruptionBudget maxUnavailable as a percentage', () => {
    const { pdb } = synthDeployment(minimalProps({ replicas: 2, disruptionBudget: DisruptionBudget.maxUnavailable('25%') }));
    assert.equal(pdb.spec.maxUnavailable, '25%');
  });

  it('disruptionBudget minAvailable below the HPA minimum is accepted', () => {
    const { pdb } = synthDeployment(minimalProps({ autoscaling: { minReplicas: 3, maxReplicas: 6 }, disruptionBudget: DisruptionBudget.minAvailable(2) }));
    assert.equal(pdb.spec.minAvailable, 2);
  });

  it('maxSurge and maxUnavailable set the rolling update', () => {
    const { deployment } = synthDeployment(minimalProps({ maxSurge: 1, maxUnavailable: '10%' }));
    assert.deepEqual(deployment.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '10%' } });
  });

  it('maxSurge 0 is accepted with some unavailability', () => {
    const { deployment } = synthDeployment(minimalProps({ maxSurge: 0, maxUnavailable: 1 }));
    assert.deepEqual(deployment.spec.strategy.rollingUpdate, { maxSurge: 0, maxUnavailable: 1 });
  });

  it('minReadySeconds and progressDeadlineSeconds are set', () => {
    const { deployment } = synthDeployment(minimalProps({ minReadySeconds: 0, progressDeadlineSeconds: 300 }));
    assert.equal(deployment.spec.minReadySeconds, 0);
    assert.equal(deployment.spec.progressDeadlineSeconds, 300);
  });
});

describe('HardenedDeployment exposure', () => {
  it('serviceType NODE_PORT with a cidr peer', () => {
    const { service, networkPolicy } = synthDeployment(minimalProps({
      serviceType: ServiceType.NODE_PORT, allowIngressFrom: [IngressPeer.cidr('10.0.0.0/8')],
    }));
    assert.equal(service.spec.type, 'NodePort');
    assert.deepEqual(networkPolicy.spec.ingress, [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
  });

  it('serviceType LOAD_BALANCER with a cidr peer is a public load balancer', () => {
    const { service } = synthDeployment(minimalProps({
      serviceType: ServiceType.LOAD_BALANCER, allowIngressFrom: [IngressPeer.cidr('0.0.0.0/0')],
    }));
    assert.equal(service.spec.type, 'LoadBalancer');
    assert.equal(service.metadata.annotations, undefined);
  });

  it('internalLoadBalancer Cloud.AWS annotates the Service', () => {
    const { service } = synthDeployment(minimalProps({
      serviceType: ServiceType.LOAD_BALANCER, internalLoadBalancer: Cloud.AWS, allowIngressFrom: [IngressPeer.cidr('10.0.0.0/16')],
    }));
    assert.equal(service.spec.type, 'LoadBalancer');
    assert.deepEqual(service.metadata.annotations, {
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
      'service.beta.kubernetes.io/aws-load-balancer-internal': 'true',
    });
  });

  it('internalLoadBalancer Cloud.AZURE annotates the Service', () => {
    const { service, deployment } = synthDeployment(minimalProps({
      serviceType: ServiceType.LOAD_BALANCER, internalLoadBalancer: Cloud.AZURE, allowIngressFrom: [IngressPeer.cidr('10.1.0.0/16')],
    }));
    assert.deepEqual(service.metadata.annotations, { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' });
    assert.equal(deployment.metadata.annotations, undefined);
  });

  it('allowIngressFrom a namespace admits its pods on the workload ports', () => {
    const { networkPolicy } = synthDeployment(minimalProps({
      ports: [{ number: 8080, name: 'http' }, { number: 5353, name: 'dns', protocol: 'UDP' }],
      allowIngressFrom: [IngressPeer.namespace('ingress-nginx')],
    }));
    assert.deepEqual(networkPolicy.spec.ingress, [{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
      ports: [{ port: 8080, protocol: 'TCP' }, { port: 5353, protocol: 'UDP' }],
    }]);
    assert.deepEqual(networkPolicy.spec.policyTypes, ['Ingress']);
  });

  it('allowIngressFrom pods, in the same namespace or another', () => {
    const { networkPolicy } = synthDeployment(minimalProps({
      allowIngressFrom: [IngressPeer.pods({ app: 'web' }), IngressPeer.pods({ app: 'probe' }, 'monitoring')],
    }));
    assert.deepEqual(networkPolicy.spec.ingress[0].from, [
      { podSelector: { matchLabels: { app: 'web' } } },
      {
        podSelector: { matchLabels: { app: 'probe' } },
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
      },
    ]);
  });

  it('allowIngressFrom a cidr with exceptions', () => {
    const { networkPolicy } = synthDeployment(minimalProps({
      allowIngressFrom: [IngressPeer.cidr('10.0.0.0/8', ['10.1.0.0/16'])],
    }));
    assert.deepEqual(networkPolicy.spec.ingress[0].from, [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }]);
  });

  it('allowIngressFrom another workload selects its pods in its namespace', () => {
    const chart = Testing.chart();
    const web = new HardenedDeployment(chart, 'web', minimalProps({ name: 'web', namespace: 'frontend' }));
    new HardenedDeployment(chart, 'api', minimalProps({ name: 'api', namespace: 'backend', allowIngressFrom: [IngressPeer.workload(web)] }));
    const manifests = Testing.synth(chart);
    const policy = manifests.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'api');
    const webDeployment = manifests.find((o) => o.kind === 'Deployment' && o.metadata.name === 'web');
    assert.deepEqual(policy.spec.ingress, [{
      from: [{
        podSelector: { matchLabels: { ...web.selectorLabels } },
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'frontend' } },
      }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    }]);
    for (const [key, value] of Object.entries(web.selectorLabels)) assert.equal(webDeployment.spec.template.metadata.labels[key], value);
  });

  it('allowIngressFrom another workload in no namespace selects only its pods', () => {
    const chart = Testing.chart();
    const web = new HardenedDeployment(chart, 'web', minimalProps({ name: 'web' }));
    new HardenedDeployment(chart, 'api', minimalProps({ name: 'api', allowIngressFrom: [IngressPeer.workload(web)] }));
    const policy = Testing.synth(chart).find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'api');
    assert.deepEqual(policy.spec.ingress[0].from, [{ podSelector: { matchLabels: { ...web.selectorLabels } } }]);
  });

  it('allowIngressFrom without ports admits the peers on every port', () => {
    const { networkPolicy } = synthDeployment(portlessProps({ allowIngressFrom: [IngressPeer.namespace('monitoring')] }));
    assert.deepEqual(networkPolicy.spec.ingress, [{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
    }]);
  });

  it('allowIngressFrom several peers puts them in one rule', () => {
    const { networkPolicy } = synthDeployment(minimalProps({
      allowIngressFrom: [IngressPeer.namespace('a'), IngressPeer.cidr('192.168.0.0/24')],
    }));
    assert.equal(networkPolicy.spec.ingress.length, 1);
    assert.equal(networkPolicy.spec.ingress[0].from.length, 2);
  });
});
