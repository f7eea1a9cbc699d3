import { App, Chart, type AppProps } from 'cdk8s';
import { AppNamespace } from '../constructs/index.js';
import type { Environment } from './environment.js';
import { TodoApiChart } from './todoapi.js';

/**
 * Puts an environment's charts together. The only place charts are composed: `npm run
 * synth`, `cdk8s synth` and the Pulumi program all call it.
 */
export function buildApp(env: Environment, props: AppProps = {}): App {
  const app = new App(props);
  const namespaces = new Chart(app, 'namespaces');
  new AppNamespace(namespaces, 'Apps', { name: env.apps.namespace });
  const todoapi = new TodoApiChart(app, 'todoapi', { namespace: env.apps.namespace, ...env.apps.todoapi });
  todoapi.addDependency(namespaces);
  return app;
}
