/**
 * The objects that hand an environment's cluster to Flux: the sync of the environment's
 * directory in the GitOps repository. `pulumi up` applies them once Flux is installed;
 * from then on Flux applies everything `npm run synth` committed there.
 */
import { App, Chart, type AppProps } from 'cdk8s';
import { FluxGitSync } from '../constructs/index.js';
import type { Environment } from './environment.js';

/** Builds the GitOps bootstrap App of an environment whose deploy mode is `gitops`. */
export function buildBootstrap(env: Environment, props: AppProps = {}): App {
  if (env.deploy.mode !== 'gitops') {
    throw new Error(`${env.source}: k8s-platform-kit:deploy.mode is '${env.deploy.mode}'; a GitOps bootstrap needs mode 'gitops'`);
  }
  const app = new App(props);
  const chart = new Chart(app, 'gitops-bootstrap');
  new FluxGitSync(chart, 'Sync', {
    url: env.deploy.url,
    branch: env.deploy.branch,
    path: env.deploy.path ?? `./dist/${env.name}`,
    interval: env.deploy.interval,
    ...(env.deploy.secretName !== undefined && { secretName: env.deploy.secretName }),
  });
  return app;
}
