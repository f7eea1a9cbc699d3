/**
 * The API server's field validation as policy rules: for each family a value the API server
 * refuses is found at its path with the value and what is allowed, and a valid one passes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  API_CONFIG_MAP, API_CRON_SCHEDULE, API_ENDPOINT_ADDRESSES, API_NETWORK_CIDRS, API_PORTS, API_PROBES, API_QUANTITIES,
  CONFIG_MAP_MAX_BYTES, endpointAddressProblem, portNameProblem,
} from '../../../../constructs/policy/rules/field-validation.js';
import type { ManifestObject, PolicyRule } from '../../../../constructs/policy/finding.js';
import { deployment, mainContainer } from './_workload-fixtures.js';

const C0 = 'spec.template.spec.containers[0]';
const found = (rule: PolicyRule, object: ManifestObject) => rule.check(object, { objects: [object] }).map((f) => `${f.path}: ${f.message}`);

describe('api-probes', () => {
  it('passes the fixture\'s probes', () => assert.deepEqual(found(API_PROBES, deployment()), []));

  it('finds negative and zero timings, a liveness successThreshold above 1, an exec probe without a command, and two handlers', () => {
    const web = deployment('web', 'shop');
    mainContainer(web).livenessProbe = { exec: { command: [] }, initialDelaySeconds: -5, periodSeconds: 0, successThreshold: 2 };
    mainContainer(web).readinessProbe = { httpGet: { path: '/ready', port: 8080 }, tcpSocket: { port: 8080 } };
    assert.deepEqual(found(API_PROBES, web), [
      `${C0}.livenessProbe.initialDelaySeconds: Deployment/shop/web: ${C0}.livenessProbe.initialDelaySeconds is -5; the API server takes a whole number >= 0.`,
      `${C0}.livenessProbe.periodSeconds: Deployment/shop/web: ${C0}.livenessProbe.periodSeconds is 0; the API server takes a whole number >= 1.`,
      `${C0}.livenessProbe.successThreshold: Deployment/shop/web: ${C0}.livenessProbe.successThreshold is 2; a livenessProbe must have successThreshold 1.`,
      `${C0}.livenessProbe.exec.command: Deployment/shop/web: ${C0}.livenessProbe.exec.command is empty; an exec probe needs a command.`,
      `${C0}.readinessProbe: Deployment/shop/web: ${C0}.readinessProbe has 2 handlers (httpGet, tcpSocket); the API server takes exactly one.`,
    ]);
  });
});

describe('api-ports', () => {
  it('portNameProblem follows the IANA service name rules', () => {
    assert.equal(portNameProblem('http'), undefined);
    assert.equal(portNameProblem('metrics-exporter-x'), 'is 18 characters; a port name has at most 15');
    assert.equal(portNameProblem('HTTP'), 'is not lower-case letters, digits and -, starting and ending with a letter or digit');
    assert.equal(portNameProblem('a--b'), "has '--', which a port name may not");
    assert.equal(portNameProblem('8080'), 'has no letter; a port name needs one');
  });

  it('finds a container port out of range and a duplicate port name', () => {
    const web = deployment('web', 'shop');
    mainContainer(web).ports = [{ containerPort: 70000, name: 'http' }, { containerPort: 9090, name: 'http' }];
    assert.deepEqual(found(API_PORTS, web), [
      `${C0}.ports[0].containerPort: Deployment/shop/web: ${C0}.ports[0].containerPort is 70000; expected 1 to 65535.`,
      `${C0}.ports[1].name: Deployment/shop/web: ${C0}.ports[1].name ('http') is the name of another port of the container.`,
    ]);
  });

  it('finds duplicate Service ports, an unnamed port among several, and passes a valid Service', () => {
    const service = (ports: unknown[]): ManifestObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports } });
    assert.deepEqual(found(API_PORTS, service([{ port: 80, targetPort: 'http' }, { port: 80, name: 'again' }])), [
      'spec.ports[0].name: Service/shop/web: spec.ports[0].name is not set; a Service with several ports names each.',
      'spec.ports[1].port: Service/shop/web: spec.ports[1].port (80/TCP) is the port and protocol of another port of the Service.',
    ]);
    assert.deepEqual(found(API_PORTS, service([{ name: 'http', port: 80, targetPort: 'http' }, { name: 'dns', port: 53, protocol: 'UDP' }])), []);
  });
});

describe('api-configmap', () => {
  const configMap = (data: Record<string, string>): ManifestObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'shop' }, data });

  it('finds a key Kubernetes forbids and a ConfigMap over 1 MiB; passes a valid one', () => {
    assert.deepEqual(found(API_CONFIG_MAP, configMap({ 'app config.yaml': 'x', '..': 'y' })), [
      'data["app config.yaml"]: ConfigMap/shop/app: data["app config.yaml"] (key \'app config.yaml\') may contain only letters, digits, \'-\', \'_\' and \'.\'.',
      'data[".."]: ConfigMap/shop/app: data[".."] (key \'..\') may not be \'..\'.',
    ]);
    assert.deepEqual(found(API_CONFIG_MAP, configMap({ big: 'x'.repeat(CONFIG_MAP_MAX_BYTES) })), [
      `data: ConfigMap/shop/app: data holds ${CONFIG_MAP_MAX_BYTES + 3} bytes; a ConfigMap holds at most 1048576 (1 MiB).`,
    ]);
    assert.deepEqual(found(API_CONFIG_MAP, configMap({ 'nginx.conf': 'events {}' })), []);
  });
});

describe('api-cron-schedule', () => {
  const cronJob = (schedule: string): ManifestObject => ({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'reap', namespace: 'ops' }, spec: { schedule, jobTemplate: {} } });

  it('finds minute 61 and hour 25, and passes a valid schedule and a descriptor', () => {
    assert.deepEqual(found(API_CRON_SCHEDULE, cronJob('61 3 * * *')), ['spec.schedule: CronJob/ops/reap: spec.schedule ("61 3 * * *") has minute 61, outside 0-59.']);
    assert.deepEqual(found(API_CRON_SCHEDULE, cronJob('0 25 * * *')), ['spec.schedule: CronJob/ops/reap: spec.schedule ("0 25 * * *") has hour 25, outside 0-23.']);
    assert.deepEqual(found(API_CRON_SCHEDULE, cronJob('*/15 0-6 1,15 JAN-MAR MON-FRI')), []);
    assert.deepEqual(found(API_CRON_SCHEDULE, cronJob('@daily')), []);
  });
});

describe('api-quantities', () => {
  it('finds a negative quota and LimitRange value and a zero storage request; passes valid ones', () => {
    const quota: ManifestObject = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'team' }, spec: { hard: { 'requests.cpu': '-1', pods: '10' } } };
    assert.deepEqual(found(API_QUANTITIES, quota), ['spec.hard["requests.cpu"]: ResourceQuota/team/q: spec.hard["requests.cpu"] ("-1") is negative.']);
    const limits: ManifestObject = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'l', namespace: 'team' }, spec: { limits: [{ type: 'Container', default: { memory: '-128Mi' }, defaultRequest: { cpu: '100m' } }] } };
    assert.deepEqual(found(API_QUANTITIES, limits), ['spec.limits[0].default["memory"]: LimitRange/team/l: spec.limits[0].default["memory"] ("-128Mi") is negative.']);
    const claim: ManifestObject = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'db' }, spec: { resources: { requests: { storage: '0' } } } };
    assert.deepEqual(found(API_QUANTITIES, claim), ['spec.resources.requests["storage"]: PersistentVolumeClaim/db/data: spec.resources.requests["storage"] ("0") is not above zero.']);
  });
});

describe('api-endpoint-addresses', () => {
  it('endpointAddressProblem refuses loopback, link-local, multicast and this-network addresses', () => {
    assert.equal(endpointAddressProblem('10.0.0.12'), undefined);
    assert.equal(endpointAddressProblem('127.0.0.1'), 'is a loopback address, which may not be an endpoint');
    assert.equal(endpointAddressProblem('169.254.169.254'), 'is a link-local address, which may not be an endpoint');
    assert.equal(endpointAddressProblem('224.0.0.1'), 'is a multicast address, which may not be an endpoint');
    assert.equal(endpointAddressProblem('db.internal'), 'is not an IPv4 address');
  });

  it('finds a loopback address in an EndpointSlice', () => {
    const slice: ManifestObject = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'db-1', namespace: 'db' }, addressType: 'IPv4', endpoints: [{ addresses: ['10.1.2.3', '127.0.0.1'] }] };
    assert.deepEqual(found(API_ENDPOINT_ADDRESSES, slice), ['endpoints[0].addresses[1]: EndpointSlice/db/db-1: endpoints[0].addresses[1] ("127.0.0.1") is a loopback address, which may not be an endpoint.']);
  });
});

describe('api-network-cidrs', () => {
  it('finds an invalid CIDR and an except range that is not a strict subset; passes a valid ipBlock', () => {
    const policy = (ipBlock: unknown): ManifestObject => ({
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'egress', namespace: 'shop' },
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock }] }] },
    });
    assert.deepEqual(found(API_NETWORK_CIDRS, policy({ cidr: '10.0.0.0/33' })), ['spec.egress[0].to[0].ipBlock.cidr: NetworkPolicy/shop/egress: spec.egress[0].to[0].ipBlock.cidr ("10.0.0.0/33") is not an IPv4 CIDR.']);
    assert.deepEqual(found(API_NETWORK_CIDRS, policy({ cidr: '10.0.0.0/16', except: ['10.1.0.0/24', '10.0.0.0/16'] })), [
      'spec.egress[0].to[0].ipBlock.except[0]: NetworkPolicy/shop/egress: spec.egress[0].to[0].ipBlock.except[0] ("10.1.0.0/24") is not a strict subset of cidr 10.0.0.0/16.',
      'spec.egress[0].to[0].ipBlock.except[1]: NetworkPolicy/shop/egress: spec.egress[0].to[0].ipBlock.except[1] ("10.0.0.0/16") is not a strict subset of cidr 10.0.0.0/16.',
    ]);
    assert.deepEqual(found(API_NETWORK_CIDRS, policy({ cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] })), []);
  });
});
