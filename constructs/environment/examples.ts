/**
 * The example values the shipped stack files carry where only the user knows the real one
 * (an Entra ID group, a subscription, an AWS account, a hosted zone, a Git repository, an
 * address range, a domain). Synth and local mode take them as they are; a deploy to a cloud
 * refuses them (`pulumi preview` fails), so a stack never reaches a real account with an
 * identity, zone or repository that is not the user's.
 */
import { cidrsOverlap } from './cidr.js';
import { EnvironmentConfigError, type Environment } from './load.js';
import type { ConfigProblem } from './rules.js';

/** One kind of example value: how to recognise it and what replaces it. */
export interface ShippedExample {
  /** What the value stands for, in the message. */
  readonly what: string;
  /** Whether `value` is this example. */
  readonly matches: (value: string) => boolean;
  /** What to put instead. */
  readonly replaceWith: string;
}

/** The address ranges reserved for documentation (RFC 5737), which no network has. */
const DOCUMENTATION_RANGES = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'];

/** The example domain of the shipped files and docs. */
const EXAMPLE_DOMAIN = 'acme.dev';

/** The example values of the shipped stack files. */
export const SHIPPED_EXAMPLES: readonly ShippedExample[] = [
  {
    what: "dev's example Entra ID admin group",
    matches: (v) => v === '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f',
    replaceWith: 'the object id of your cluster admins\' Entra ID group (`az ad group show --group <name> --query id -o tsv`)',
  },
  {
    what: 'the example subscription id',
    matches: (v) => v === '00000000-0000-4000-8000-000000000000',
    replaceWith: 'your subscription id (`az account show --query id -o tsv`)',
  },
  {
    what: 'the AWS documentation account id',
    matches: (v) => v === '111122223333',
    replaceWith: 'your AWS account id (`aws sts get-caller-identity --query Account --output text`)',
  },
  {
    what: 'an example Route 53 hosted zone id',
    matches: (v) => /^Z0[A-Z0-9]*EXAMPLE[0-9]*$/.test(v),
    replaceWith: 'your hosted zone\'s id (`aws route53 list-hosted-zones-by-name --dns-name <domain>`)',
  },
  {
    what: 'the example GitOps repository',
    matches: (v) => /^(https|ssh):\/\/([^/]*@)?github\.com[/:]example-org\//.test(v),
    replaceWith: 'the URL of your GitOps repository',
  },
  {
    what: 'an address range reserved for documentation (RFC 5737)',
    matches: (v) => /^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/.test(v) && DOCUMENTATION_RANGES.some((range) => cidrsOverlap(v.includes('/') ? v : `${v}/32`, range)),
    replaceWith: 'the public address range your deployer and admins come from',
  },
  {
    what: `the example domain ${EXAMPLE_DOMAIN}`,
    matches: (v) => v === EXAMPLE_DOMAIN || v.endsWith(`.${EXAMPLE_DOMAIN}`) || v.endsWith(`@${EXAMPLE_DOMAIN}`),
    replaceWith: 'a domain (or an address at a domain) you own',
  },
];

/** Every string in `value` with its key path (`cluster.adminGroupObjectIds[0]`). */
function strings(value: unknown, path: string, out: [string, string][]): [string, string][] {
  if (typeof value === 'string') out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((item, i) => strings(item, `${path}[${i}]`, out));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) strings(item, path === '' ? key : `${path}.${key}`, out);
  }
  return out;
}

/** The keys of an environment that hold a shipped example value, each with what replaces it. */
export function shippedExampleProblems(env: Environment): ConfigProblem[] {
  const settings = { cluster: env.cluster, deploy: env.deploy, platform: env.platform, apps: env.apps };
  const problems: ConfigProblem[] = [];
  for (const [key, value] of strings(settings, '', [])) {
    const example = SHIPPED_EXAMPLES.find((e) => e.matches(value));
    if (example) {
      problems.push({
        key,
        message: `is '${value}', ${example.what}, which the kit ships as a placeholder; replace it with ${example.replaceWith} before deploying to a cloud (docs/stacks.md, "The example values")`,
      });
    }
  }
  return problems;
}

/** Throws EnvironmentConfigError when the environment still holds a shipped example value (a deploy to a cloud calls it first). */
export function assertNoShippedExamples(env: Environment): void {
  const problems = shippedExampleProblems(env);
  if (problems.length > 0) throw new EnvironmentConfigError(env.source, problems);
}
