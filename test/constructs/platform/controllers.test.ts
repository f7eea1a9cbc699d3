/**
 * The controllers' namespaces and the IngressController each hands to the edge: one source
 * (INGRESS_CONTROLLER_DEFAULTS) for the names, and the proxies where the controller runs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import {
  EnvoyGateway, EnvoyGatewayClass, INGRESS_CONTROLLER_DEFAULTS, IngressController, IngressNginx,
} from '../../../constructs/index.js';

describe('EnvoyGateway', () => {
  it('defaults: the namespace and GatewayClass IngressController.envoyGateway() assumes', () => {
    const chart = Testing.chart();
    const gateway = new EnvoyGateway(chart, 'Gateway');
    const controller = gateway.ingressController(new EnvoyGatewayClass(chart, 'Class'));
    assert.equal(gateway.namespace, INGRESS_CONTROLLER_DEFAULTS.envoyGatewayNamespace);
    assert.deepEqual(controller, IngressController.envoyGateway());
  });

  it('hands its namespace and its GatewayClass to the controller, and the proxies peer follows', () => {
    const chart = Testing.chart();
    const gateway = new EnvoyGateway(chart, 'Gateway', { namespace: 'proxies' });
    const controller = gateway.ingressController(new EnvoyGatewayClass(chart, 'Class', { name: 'public' }));
    assert.deepEqual([controller.kind, controller.className, controller.proxyNamespace], ['envoy-gateway', 'public', 'proxies']);
    assert.deepEqual(controller.proxies.peer, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'proxies' } } });
    assert.equal(gateway.ingressController().className, INGRESS_CONTROLLER_DEFAULTS.gatewayClassName);
  });
});

describe('IngressNginx', () => {
  it('defaults: the namespace and IngressClass IngressController.ingressNginx() assumes', () => {
    const nginx = new IngressNginx(Testing.chart(), 'Nginx');
    assert.equal(nginx.namespace, INGRESS_CONTROLLER_DEFAULTS.ingressNginxNamespace);
    assert.deepEqual(nginx.ingressController, IngressController.ingressNginx());
  });

  it('hands its namespace to the controller', () => {
    const nginx = new IngressNginx(Testing.chart(), 'Nginx', { namespace: 'nginx-system' });
    assert.deepEqual([nginx.ingressController.kind, nginx.ingressController.proxyNamespace], ['ingress-nginx', 'nginx-system']);
  });
});
