import { App, Chart, type AppProps } from 'cdk8s';
import { AppNamespace, IngressController, PriorityClasses, type IngressRoute } from '../constructs/index.js';
import { BackupLocationsChart, ClusterAddOnsChart, hasClusterAddOns } from './cluster-addons.js';
import { EdgeChart } from './edge.js';
import type { Environment } from './environment.js';
import { FleetmanChart } from './fleetman.js';
import { JournalChart } from './journal.js';
import { PLATFORM_STORAGE_CLASS, addPlatformCharts } from './platform.js';
import { TodoApiChart } from './todoapi.js';

/**
 * Puts an environment's charts together. The only place charts are composed: `npm run
 * synth`, `cdk8s synth` and the Pulumi program all call it.
 *
 * Chart dependencies are the order Flux applies them in (each chart is a directory with a
 * Flux Kustomization that `dependsOn` the charts it depends on): the platform's controllers
 * first (their releases install the CRDs the rest use), then the platform's configuration
 * and the apps, then the edge, which routes to the apps.
 */
export function buildApp(env: Environment, props: AppProps = {}): App {
  const app = new App(props);
  // The cluster's own controllers: everything else waits for them.
  const addons = hasClusterAddOns(env) ? new ClusterAddOnsChart(app, 'addons', { env }) : undefined;
  // Velero's locations need the CRDs its release installs.
  const locations = addons?.velero && new BackupLocationsChart(app, 'backup-locations', { velero: addons.velero });
  if (addons && locations) locations.addDependency(addons);
  const namespaces = new Chart(app, 'namespaces');
  new AppNamespace(namespaces, 'Apps', { name: env.apps.namespace });
  // The platform's priority classes, before any workload that names one.
  new PriorityClasses(namespaces, 'Priorities');
  const platform = env.platform && addPlatformCharts(app, env, env.platform);
  // Backups go to the default location.
  if (locations) platform?.backups?.addDependency(locations);
  // The apps admit the edge's proxies: the platform's controller, or without a platform the kit's default one.
  const edge = platform?.controllers.ingressController ?? IngressController.envoyGateway();
  const scrapedBy = platform?.controllers.monitoring.scrapers;
  const storageClass = platform ? { storageClass: PLATFORM_STORAGE_CLASS } : {};
  const apps: Chart[] = [];
  const routes: IngressRoute[] = [];
  const domain = env.platform?.domain;

  const todoapi = new TodoApiChart(app, 'todoapi', { namespace: env.apps.namespace, ...env.apps.todoapi, edge });
  todoapi.addDependency(namespaces);
  apps.push(todoapi);
  if (domain) routes.push({ host: `todo.${domain}`, backend: todoapi.api, public: true });

  const { fleetman: fleetmanSettings, journal: journalSettings } = env.apps;
  if (fleetmanSettings) {
    const fleetman = new FleetmanChart(app, 'fleetman', { ...storageClass, ...fleetmanSettings, edge, scrapedBy });
    apps.push(fleetman);
    const host = fleetmanSettings.host ?? (domain && `fleetman.${domain}`);
    if (host) {
      routes.push(
        { host, backend: { name: fleetman.webapp.serviceName, namespace: fleetmanSettings.namespace }, port: 8080, public: true },
        { host: `queue.${host}`, backend: fleetman.queue, port: 8161 },
      );
    }
  }
  if (journalSettings) {
    const journal = new JournalChart(app, 'journal', { ...storageClass, ...journalSettings, edge });
    apps.push(journal);
    const host = journalSettings.host ?? (domain && `journal.${domain}`);
    if (host) {
      routes.push(
        { host, path: '/api', backend: journal.api, public: true },
        { host, path: '/', backend: journal.files, public: true },
      );
    }
  }

  if (platform && env.platform) {
    for (const chart of apps) chart.addDependency(platform.controllers);
    const monitoring = platform.controllers.monitoring;
    routes.push({ host: `grafana.${env.platform.domain}`, backend: { name: monitoring.grafanaServiceName, namespace: monitoring.namespace }, port: 80 });
    const edgeChart = new EdgeChart(app, 'edge', { env, settings: env.platform, routes, controller: edge });
    edgeChart.addDependency(platform.config, ...apps);
  }
  // The charts that wait for nothing else wait for the cluster's controllers; the rest follow them.
  if (addons) for (const chart of app.charts) if (chart !== addons && chart.node.dependencies.length === 0) chart.addDependency(addons);
  return app;
}
