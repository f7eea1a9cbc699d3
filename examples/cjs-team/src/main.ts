/**
 * A platform team's shared development cluster, in a CommonJS project: a team namespace
 * with quota, LimitRange defaults, default-deny networking, RBAC and an expiry date, plus
 * a CI deployer limited to that namespace. Validated before anything is written.
 *
 *   npm run build && npm run synth [-- <outdir>]
 */
import { App, Chart } from 'cdk8s';
import { CiDeployer, TeamNamespace, assertValid } from 'k8s-platform-kit';

async function main(): Promise<void> {
  const app = new App({ outdir: process.argv[2] ?? 'dist' });
  const chart = new Chart(app, 'team-payments');

  const team = new TeamNamespace(chart, 'Payments', {
    name: 'payments-dev',
    team: 'payments',
    owner: 'alice@example.com',
    purpose: 'payments service development',
    expires: '2099-12-31',
    quota: { cpu: { requests: '4', limits: '8' }, memory: { requests: '8Gi', limits: '16Gi' }, pods: 30 },
    access: { edit: [{ group: 'payments-developers' }], view: [{ group: 'new-joiners' }] },
  });
  new CiDeployer(chart, 'Ci', { name: 'payments-ci', namespace: 'ci', targetNamespaces: [team.name] });

  const report = await assertValid(app);
  app.synth();
  console.log(JSON.stringify({ objects: report.objectCount, namespace: team.name, outdir: app.outdir }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
