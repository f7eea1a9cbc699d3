/**
 * The Pulumi entry point (`main` in Pulumi.yaml): `pulumi up --stack <env>`. Reads the
 * stack's configuration from the engine (the same Pulumi.<env>.yaml `npm run synth` reads),
 * validates it with the same loader, and builds the environment's platform.
 */
import * as pulumi from '@pulumi/pulumi';
import { APPS_SCHEMA } from '../charts/environment.js';
import { decodeEngineConfig, parseEnvironment } from '../constructs/environment/index.js';
import { platformStack, type PlatformOutputs } from './program.js';

export default async function main(): Promise<PlatformOutputs> {
  const stack = pulumi.getStack();
  const env = parseEnvironment(stack, decodeEngineConfig(pulumi.runtime.allConfig()), {
    apps: APPS_SCHEMA,
    source: `Pulumi.${stack}.yaml`,
  });
  const { outputs } = await platformStack(env);
  return outputs;
}
