/**
 * The Pulumi entry point (`main` in Pulumi.yaml): `pulumi up --stack <env>`. Reads the
 * stack's configuration from the engine (the same Pulumi.<env>.yaml `npm run synth` reads),
 * validates it with the same loader, and builds the environment's platform. In GitOps mode
 * that includes comparing the charts with the environment's committed directory (`deploy.path`),
 * found from the working directory, which `pulumi` sets to the project's.
 *
 * A cloud deploy refuses the example values the shipped stack files carry (examples.ts).
 * With K8S_PLATFORM_KIT_LOCAL_KUBECONFIG set, the program runs in local mode (`local.ts`):
 * no cloud resources, the environment's Kubernetes objects go to that local cluster.
 */
import * as pulumi from '@pulumi/pulumi';
import { APPS_SCHEMA } from '../charts/environment.js';
import { assertNoShippedExamples, decodeEngineConfig, parseEnvironment } from '../constructs/environment/index.js';
import { localTargetFrom } from './local.js';
import { platformStack, type PlatformOutputs } from './program.js';

export default async function main(): Promise<PlatformOutputs> {
  const stack = pulumi.getStack();
  const env = parseEnvironment(stack, decodeEngineConfig(pulumi.runtime.allConfig()), {
    apps: APPS_SCHEMA,
    source: `Pulumi.${stack}.yaml`,
  });
  const local = localTargetFrom(process.env);
  // A cloud deploy with an example id, zone or repository of the shipped files would reach
  // someone else's (or no) account: refused before anything is registered.
  if (!local) assertNoShippedExamples(env);
  const { outputs } = await platformStack(env, { local });
  return outputs;
}
