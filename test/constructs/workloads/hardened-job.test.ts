/**
 * HardenedJob and HardenedCronJob: the batch defaults, the shared hardened pod, the pod
 * failure policy, isolation, validation by the spine, the escape hatch, and a clear error
 * for each bad prop.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { HardenedCronJob, HardenedJob, JOB_DEFAULTS, Probe, QosClass, validateApp, type HardenedCronJobProps, type HardenedJobProps } from '../../../constructs/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const BASE: HardenedJobProps = {
  name: 'migrate',
  image: 'registry.example.com/migrate:1.0.0',
  resources: { cpu: { request: '100m' }, memory: { request: '128Mi', limit: '128Mi' } },
};
const CRON: HardenedCronJobProps = { ...BASE, name: 'report', schedule: '30 2 * * *' };

function build(make: (chart: Chart) => void): { app: App; objects: any[] } {
  const app = new App();
  make(new Chart(app, 'c', { namespace: 'batch' }));
  return { app, objects: app.charts.flatMap((chart) => chart.toJson()) };
}

describe('HardenedJob', () => {
  it('runs the hardened pod to completion: Never restarted, bounded retries and run time, cleaned up after a day, evictions not counted', async () => {
    const { app, objects } = build((chart) => new HardenedJob(chart, 'Migrate', BASE));
    const job = objects.find((o) => o.kind === 'Job');
    assert.deepEqual(
      [job.spec.backoffLimit, job.spec.activeDeadlineSeconds, job.spec.ttlSecondsAfterFinished, job.spec.template.spec.restartPolicy],
      [3, 3600, 86_400, 'Never'],
    );
    assert.deepEqual(job.spec.podFailurePolicy, { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] });
    const pod = job.spec.template.spec;
    const main = pod.containers[0];
    assert.deepEqual([main.livenessProbe, main.readinessProbe, main.startupProbe, main.lifecycle, pod.topologySpreadConstraints], [undefined, undefined, undefined, undefined, undefined]);
    assert.deepEqual(main.securityContext.capabilities, { drop: ['ALL'] });
    assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
    // A memory limit equal to its request but no CPU limit: Burstable.
    assert.equal(job.spec.template.metadata.annotations['k8s-platform-kit.dev/qos-class'], 'Burstable');
    const policy = objects.find((o) => o.kind === 'NetworkPolicy');
    assert.deepEqual(policy.spec, { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'migrate' } }, policyTypes: ['Ingress'] });
    const report = await validateApp(app);
    assert.deepEqual(report.errors.map((f) => `${f.ruleId} ${f.path}`), []);
  });

  it('fails at once on the listed exit codes, keeps config hashed, and exposes what it built', () => {
    let built: HardenedJob | undefined;
    const { objects } = build((chart) => {
      built = new HardenedJob(chart, 'Migrate', { ...BASE, failOnExitCodes: [42, 3], config: { 'app.yaml': 'x: 1' }, backoffLimit: 20, activeDeadlineSeconds: 7200 });
    });
    const job = objects.find((o) => o.kind === 'Job');
    assert.deepEqual(job.spec.podFailurePolicy.rules[1], { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [3, 42] } });
    assert.deepEqual([job.spec.backoffLimit, job.spec.activeDeadlineSeconds], [20, 7200]);
    assert.match(job.spec.template.spec.volumes[0].configMap.name, /^migrate-config-[0-9a-f]{10}$/);
    assert.deepEqual([built?.name, built?.namespace, built?.qosClass], ['migrate', 'batch', QosClass.BURSTABLE]);
    assert.equal(built?.config?.configMap.name, job.spec.template.spec.volumes[0].configMap.name);
  });

  it('keeps the escape hatch: a JSON patch of a field the kit sets wins', () => {
    const { objects } = build((chart) => {
      const job = new HardenedJob(chart, 'Migrate', BASE);
      ApiObject.of(job.job).addJsonPatch(JsonPatch.replace('/spec/backoffLimit', 0));
    });
    assert.equal(objects.find((o) => o.kind === 'Job').spec.backoffLimit, 0);
  });

  const refuses: [string, Partial<HardenedJobProps> & Record<string, unknown>, string][] = [
    ['more than 10 retries with no deadline of its own', { backoffLimit: 11 },
      "HardenedJob 'c/Migrate': backoffLimit (11) allows more than 10 retries with no activeDeadlineSeconds of its own, so a failing Job could retry for hours; expected at most 10, or an explicit activeDeadlineSeconds"],
    ['a probe (from JavaScript)', { liveness: Probe.httpGet('/') },
      "HardenedJob 'c/Migrate': liveness is not a prop of a Job: its pods run to completion, with no probes, ports or preStop hook; expected no liveness"],
    ['an exit code out of range', { failOnExitCodes: [0] },
      "HardenedJob 'c/Migrate': failOnExitCodes[0] (0) must be a whole number from 1 to 255"],
    ['an exit code twice', { failOnExitCodes: [3, 3] },
      "HardenedJob 'c/Migrate': failOnExitCodes ([3,3]) lists a code twice; expected each exit code once"],
    ['a zero deadline', { activeDeadlineSeconds: 0 },
      "HardenedJob 'c/Migrate': activeDeadlineSeconds (0) must be a whole number >= 1"],
  ];
  for (const [title, props, message] of refuses) {
    it(`refuses ${title}, naming the prop and the value`, () => {
      assert.throws(() => build((chart) => new HardenedJob(chart, 'Migrate', { ...BASE, ...props } as HardenedJobProps)), (error: Error) => {
        assert.equal(error.message, message);
        return true;
      });
    });
  }
});

describe('HardenedCronJob', () => {
  it('runs each Job as HardenedJob does, with no overlap, a starting deadline, short histories and an explicit time zone', async () => {
    const { app, objects } = build((chart) => new HardenedCronJob(chart, 'Report', CRON));
    const cron = objects.find((o) => o.kind === 'CronJob');
    const { spec } = cron;
    assert.deepEqual(
      [spec.schedule, spec.timeZone, spec.concurrencyPolicy, spec.startingDeadlineSeconds, spec.successfulJobsHistoryLimit, spec.failedJobsHistoryLimit, spec.suspend],
      ['30 2 * * *', JOB_DEFAULTS.timeZone, 'Forbid', 300, 3, 1, false],
    );
    assert.deepEqual([spec.jobTemplate.spec.backoffLimit, spec.jobTemplate.spec.activeDeadlineSeconds, spec.jobTemplate.spec.ttlSecondsAfterFinished], [3, 3600, undefined]);
    assert.deepEqual(spec.jobTemplate.spec.podFailurePolicy.rules[0], { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] });
    assert.equal(spec.jobTemplate.spec.template.spec.restartPolicy, 'Never');
    assert.equal(spec.jobTemplate.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem, true);
    const report = await validateApp(app);
    assert.deepEqual(report.errors.map((f) => `${f.ruleId} ${f.path}`), []);
  });

  it('takes descriptors, other time zones and policies', () => {
    const { objects } = build((chart) => new HardenedCronJob(chart, 'Report', { ...CRON, schedule: '@weekly', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Replace', suspend: true }));
    const { spec } = objects.find((o) => o.kind === 'CronJob');
    assert.deepEqual([spec.schedule, spec.timeZone, spec.concurrencyPolicy, spec.suspend], ['@weekly', 'Europe/Berlin', 'Replace', true]);
  });

  const refuses: [string, Partial<HardenedCronJobProps> & Record<string, unknown>, string][] = [
    ['a minute out of range', { schedule: '61 * * * *' },
      "HardenedCronJob 'c/Report': schedule ('61 * * * *') has minute 61, outside 0-59; expected five fields, e.g. '30 2 * * *', or a descriptor such as '@daily'"],
    ['an unknown time zone', { timeZone: 'Mars/Olympus' },
      "HardenedCronJob 'c/Report': timeZone ('Mars/Olympus') is not a time zone of the IANA database; expected an IANA time zone, e.g. 'Europe/Berlin'"],
    ['a starting deadline the controller could miss', { startingDeadlineSeconds: 5 },
      "HardenedCronJob 'c/Report': startingDeadlineSeconds (5) must be a whole number >= 10"],
    ['a TTL, which fights the history limits', { ttlSecondsAfterFinished: 60 },
      "HardenedCronJob 'c/Report': ttlSecondsAfterFinished (60) conflicts with the history limits, which keep a CronJob's finished Jobs; expected successfulJobsHistoryLimit and failedJobsHistoryLimit instead"],
    ['a name too long for its Jobs', { name: 'a'.repeat(53) },
      `HardenedCronJob 'c/Report': name ('${'a'.repeat(53)}') is 53 characters; a CronJob's Jobs add 11 to it and become label values of at most 63; expected at most 52 characters`],
    ['an unknown concurrency policy', { concurrencyPolicy: 'Queue' as never },
      "HardenedCronJob 'c/Report': concurrencyPolicy ('Queue') is not a concurrency policy; expected Forbid, Allow, Replace"],
  ];
  for (const [title, props, message] of refuses) {
    it(`refuses ${title}, naming the prop and the value`, () => {
      assert.throws(() => build((chart) => new HardenedCronJob(chart, 'Report', { ...CRON, ...props } as HardenedCronJobProps)), (error: Error) => {
        assert.equal(error.message, message);
        return true;
      });
    });
  }
});
