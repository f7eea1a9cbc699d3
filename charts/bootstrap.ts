/**
 * The objects that hand an environment's cluster to Flux: the sync of the environment's
 * Flux directory in the GitOps repository (`<path>/flux`, where `npm run synth` writes one
 * Flux Kustomization per chart directory). `pulumi up` applies them once Flux is installed;
 * from then on Flux applies the Kustomizations, and they apply everything `npm run synth`
 * committed, chart by chart, in dependency order.
 */
import { App, Chart, type AppProps } from 'cdk8s';
import { FluxGitSync, clusterValue } from '../constructs/index.js';
import { FLUX_DIRECTORY, type GitOpsOptions } from '../constructs/gitops/index.js';
import type { Environment } from './environment.js';

/** The environment's directory in the GitOps repository, relative to its root: `deploy.path`, or `./dist/<env>`. */
export function repositoryPathOf(env: Environment): string {
  const path = env.deploy.mode === 'gitops' ? env.deploy.path : undefined;
  return (path ?? `./dist/${env.name}`).replace(/\/+$/, '');
}

/** How `npm run synth` lays out the environment's GitOps directory: where Flux finds it and how often it reconciles. */
export function gitopsOptionsOf(env: Environment): GitOpsOptions {
  return {
    repositoryPath: repositoryPathOf(env),
    ...(env.deploy.mode === 'gitops' && { interval: env.deploy.interval }),
    ...(env.deploy.mode === 'gitops' && env.deploy.decryption && {
      decryption: env.deploy.decryption.secretName !== undefined ? { secretName: env.deploy.decryption.secretName } : {},
    }),
  };
}

/**
 * Builds the GitOps bootstrap App of an environment whose deploy mode is `gitops`.
 * `clusterValues` are those the environment's directories hold (`clusterValuesOf(plan)`):
 * the sync substitutes each, with the placeholder `pulumi up` fills in when it applies it.
 */
export function buildBootstrap(env: Environment, props: AppProps = {}, clusterValues: readonly string[] = []): App {
  if (env.deploy.mode !== 'gitops') {
    throw new Error(`${env.source}: k8s-platform-kit:deploy.mode is '${env.deploy.mode}'; a GitOps bootstrap needs mode 'gitops'`);
  }
  const app = new App(props);
  const chart = new Chart(app, 'gitops-bootstrap');
  new FluxGitSync(chart, 'Sync', {
    url: env.deploy.url,
    branch: env.deploy.branch,
    path: `${repositoryPathOf(env)}/${FLUX_DIRECTORY}`,
    interval: env.deploy.interval,
    ...(env.deploy.secretName !== undefined && { secretName: env.deploy.secretName }),
    ...(clusterValues.length > 0 && { substitute: Object.fromEntries(clusterValues.map((name) => [name, clusterValue(name)])) }),
  });
  return app;
}
