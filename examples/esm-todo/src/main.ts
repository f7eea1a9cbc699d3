/**
 * A todo API as a service team would write it: one HardenedDeployment with autoscaling,
 * Prometheus metrics and configuration that rolls the pods when it changes, validated
 * (schema + policy) before anything is written.
 *
 *   npm run build && npm run synth [-- <outdir>]
 */
import { App, Chart } from 'cdk8s';
import { HardenedDeployment, IngressPeer, Probe, assertValid } from 'k8s-platform-kit';

const app = new App({ outdir: process.argv[2] ?? 'dist' });
const chart = new Chart(app, 'todo', { namespace: 'todo' });

const api = new HardenedDeployment(chart, 'Api', {
  name: 'todoapi',
  image: 'ghcr.io/acme/todoapi:1.2.0',
  ports: [{ number: 8080, name: 'http' }],
  resources: { cpu: { request: '100m' }, memory: { request: '128Mi', limit: '256Mi' } },
  liveness: Probe.httpGet('/healthz'),
  readiness: Probe.httpGet('/ready'),
  autoscaling: { minReplicas: 2, maxReplicas: 6, cpuUtilizationPercent: 70 },
  metrics: { port: 'http' },
  config: { LOG_LEVEL: 'info' },
  allowIngressFrom: [IngressPeer.namespace('envoy-gateway-system')],
});

const report = await assertValid(app);
app.synth();
console.log(JSON.stringify({ objects: report.objectCount, qos: api.qosClass.name, outdir: app.outdir }));
