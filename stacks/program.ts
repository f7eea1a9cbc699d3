/**
 * The Pulumi program for one environment: providers from the environment's region, the
 * cluster (EKS or AKS), a Kubernetes provider from its kubeconfig, and the environment's
 * charts on top, applied directly or through Flux. Everything is composed here from the
 * components in this folder; `stacks/index.ts` only loads the environment and calls it.
 */
import * as aws from '@pulumi/aws';
import * as azure from '@pulumi/azure-native';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { buildApp } from '../charts/app.js';
import { buildBootstrap } from '../charts/bootstrap.js';
import type { Environment } from '../charts/environment.js';
import { assertValid } from '../constructs/index.js';
import { checkCapacity, objectsOf } from '../constructs/capacity/index.js';
import { AksCluster } from './aks.js';
import { AppDeployment, FluxBootstrap } from './deploy.js';
import { EksCluster } from './eks.js';

/** The stack's outputs. */
export interface PlatformOutputs {
  readonly cloud: string;
  readonly clusterName: string;
  readonly kubeconfig: pulumi.Output<string>;
  readonly deployMode: string;
}

/** The resources a platform stack created, for callers (and tests) that look inside. */
export interface Platform {
  readonly cluster: EksCluster | AksCluster;
  readonly kubernetes: k8s.Provider;
  readonly deployment: AppDeployment | FluxBootstrap;
  readonly outputs: PlatformOutputs;
}

/** Builds an environment's whole stack. Validation of every App, then the capacity check, come first. */
export async function platformStack(env: Environment): Promise<Platform> {
  const app = buildApp(env);
  const appReport = await assertValid(app);
  // Capacity comes next: in strict mode a failing scenario stops the program before any
  // resource is registered; otherwise `pulumi preview` and `up` show the problems as warnings.
  const capacity = checkCapacity(env, objectsOf(app));
  for (const warning of capacity.warnings) void pulumi.log.warn(warning);
  const sync = env.deploy.mode === 'gitops' ? buildBootstrap(env) : undefined;
  const gitops = sync && { sync, report: await assertValid(sync) };

  const tags = { 'k8s-platform-kit.dev/environment': env.name, 'k8s-platform-kit.dev/tier': env.tier };
  const cluster = env.cloud === 'aws'
    ? new EksCluster(env.name, { cluster: env.cluster, region: env.region }, {
      providers: [new aws.Provider(`${env.name}-aws`, { region: env.region as aws.Region, defaultTags: { tags } })],
    })
    : new AksCluster(env.name, { cluster: env.cluster, region: env.region }, {
      providers: [new azure.Provider(`${env.name}-azure`, { location: env.region })],
    });

  const kubernetes = new k8s.Provider(`${env.name}-k8s`, {
    kubeconfig: cluster.kubeconfig,
  }, { dependsOn: [cluster] });
  const opts = { providers: [kubernetes], dependsOn: [cluster] };
  const deployment = gitops
    ? new FluxBootstrap(`${env.name}-gitops`, gitops, opts)
    : new AppDeployment(`${env.name}-apps`, { app, report: appReport }, opts);

  return {
    cluster,
    kubernetes,
    deployment,
    outputs: {
      cloud: env.cloud,
      clusterName: env.cluster.name,
      kubeconfig: cluster.kubeconfig,
      deployMode: env.deploy.mode,
    },
  };
}
