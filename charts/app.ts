import { App, type AppProps } from 'cdk8s';
import type { Environment } from './environment.js';
import { TodoApiChart } from './todoapi.js';

/**
 * Puts an environment's charts together. The only place charts are composed: `npm run
 * synth`, `cdk8s synth` and the Pulumi program all call it.
 */
export function buildApp(env: Environment, props: AppProps = {}): App {
  const app = new App(props);
  new TodoApiChart(app, 'todoapi', { namespace: env.apps.namespace, ...env.apps.todoapi });
  return app;
}
