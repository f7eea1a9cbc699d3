/**
 * Jobs and CronJobs on the hardening path every kit pod takes (restricted security context,
 * pinned image, requests and limits with a declared QoS class, hashed configuration), with
 * the batch defaults a production cluster wants: bounded retries and run time, finished
 * Jobs cleaned up, evictions not counted as failures, and, for CronJobs, no overlapping
 * runs, a starting deadline, short histories and an explicit time zone.
 */
import { ApiObject, Chart, Cron, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from '../core/plus.js';
import { CRONJOB_NAME_MAX, cronScheduleProblem, timeZoneProblem } from '../core/names.js';
import { PropsValidator } from '../core/errors.js';
import { NAME_LABEL, applyPodHardening, podProps, resolvePod, type PodJson, type ResolvedPod } from './_hardening.js';
import { addFinalTransform } from './_final-patch.js';
import type { HashedConfigMap } from './hashed-config-map.js';
import { TopologySpread, type HardenedPodProps } from './options.js';
import type { QosClass } from '../core/qos.js';

/** The defaults of {@link HardenedJobProps} and {@link HardenedCronJobProps}. */
export const JOB_DEFAULTS = {
  backoffLimit: 3,
  /** Retries beyond this need an explicit `activeDeadlineSeconds`, so that a failing Job ends. */
  maxBackoffLimitWithoutDeadline: 10,
  activeDeadlineSeconds: 3600,
  ttlSecondsAfterFinished: 86_400,
  concurrencyPolicy: 'Forbid' as CronConcurrency,
  startingDeadlineSeconds: 300,
  successfulJobsHistoryLimit: 3,
  failedJobsHistoryLimit: 1,
  timeZone: 'Etc/UTC',
} as const;

/** What a CronJob does when a run is due while the previous one still runs. */
export type CronConcurrency = 'Forbid' | 'Allow' | 'Replace';

/** The pod props of a Job: a hardened pod without probes, ports or a preStop hook, which a run-to-completion pod has no use for. */
export interface HardenedJobPodProps extends Omit<HardenedPodProps, 'liveness' | 'readiness' | 'startup' | 'ports' | 'preStopSleepSeconds'> {
  /**
   * Retries before the Job is marked failed. Above 10 only with an explicit `activeDeadlineSeconds`.
   * @default 3
   */
  readonly backoffLimit?: number;
  /**
   * Seconds the Job may run, retries included, before it is stopped and marked failed.
   * @default 3600
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * Seconds a finished Job (and its pods and logs) is kept before it is deleted.
   * @default 86400 (one day)
   */
  readonly ttlSecondsAfterFinished?: number;
  /**
   * Exit codes of the main container that mean retrying is pointless: the Job fails at once
   * (a pod failure policy rule). Pods evicted or preempted (condition `DisruptionTarget`)
   * never count against `backoffLimit`, whatever this says.
   * @default - none: every non-zero exit is retried
   */
  readonly failOnExitCodes?: readonly number[];
}

/** Properties of {@link HardenedJob}. */
export type HardenedJobProps = HardenedJobPodProps;

/**
 * Properties of {@link HardenedCronJob}. Its Jobs are kept by the history limits, so they
 * take no `ttlSecondsAfterFinished` (which would delete them behind the limits' back).
 */
export interface HardenedCronJobProps extends Omit<HardenedJobPodProps, 'ttlSecondsAfterFinished'> {
  /** The schedule: five cron fields (minute hour day month weekday), range-checked, or a descriptor such as `@daily`. */
  readonly schedule: string;
  /**
   * The IANA time zone the schedule is read in.
   * @default 'Etc/UTC'
   */
  readonly timeZone?: string;
  /**
   * What happens when a run is due while the previous one still runs.
   * @default 'Forbid'
   */
  readonly concurrencyPolicy?: CronConcurrency;
  /**
   * Seconds after its time a missed run may still start (at least 10: the controller checks every 10 seconds).
   * @default 300
   */
  readonly startingDeadlineSeconds?: number;
  /**
   * Finished Jobs kept, successful.
   * @default 3
   */
  readonly successfulJobsHistoryLimit?: number;
  /**
   * Finished Jobs kept, failed.
   * @default 1
   */
  readonly failedJobsHistoryLimit?: number;
  /**
   * Create the CronJob suspended: no run starts until it is resumed.
   * @default false
   */
  readonly suspend?: boolean;
}

/** What a Job pod is, for {@link resolvePod}: no probes, no preStop sleep, no spread. */
const JOB_POD = { probes: false, preStopSleepSeconds: 0, topologySpread: TopologySpread.NONE } as const;

/** A Job's props as the shared hardening path reads them: the pod props without the probes, ports and hook, which {@link JOB_POD} tells it not to ask for. */
const podOf = (props: HardenedJobPodProps): HardenedPodProps => props as unknown as HardenedPodProps;

/** The Job fields of both constructs, validated. */
interface ResolvedJob {
  readonly backoffLimit: number;
  readonly activeDeadlineSeconds: number;
  readonly ttlSecondsAfterFinished?: number;
  readonly podFailurePolicy: Record<string, unknown>;
}

function resolveJob(v: PropsValidator, props: HardenedJobPodProps, cron: boolean): ResolvedJob {
  const props_ = props as HardenedJobPodProps & Record<string, unknown>;
  if (cron && props.ttlSecondsAfterFinished !== undefined) {
    throw v.error({ field: 'ttlSecondsAfterFinished', value: props.ttlSecondsAfterFinished, problem: "conflicts with the history limits, which keep a CronJob's finished Jobs", expected: 'successfulJobsHistoryLimit and failedJobsHistoryLimit instead' });
  }
  for (const field of ['liveness', 'readiness', 'startup', 'ports', 'preStopSleepSeconds']) {
    if (props_[field] !== undefined) throw v.error({ field, problem: 'is not a prop of a Job: its pods run to completion, with no probes, ports or preStop hook', expected: `no ${field}` });
  }
  const backoffLimit = props.backoffLimit ?? JOB_DEFAULTS.backoffLimit;
  v.wholeNumber('backoffLimit', backoffLimit, 0);
  if (backoffLimit > JOB_DEFAULTS.maxBackoffLimitWithoutDeadline && props.activeDeadlineSeconds === undefined) {
    throw v.error({
      field: 'backoffLimit', value: backoffLimit,
      problem: `allows more than ${JOB_DEFAULTS.maxBackoffLimitWithoutDeadline} retries with no activeDeadlineSeconds of its own, so a failing Job could retry for hours`,
      expected: `at most ${JOB_DEFAULTS.maxBackoffLimitWithoutDeadline}, or an explicit activeDeadlineSeconds`,
    });
  }
  const activeDeadlineSeconds = props.activeDeadlineSeconds ?? JOB_DEFAULTS.activeDeadlineSeconds;
  v.wholeNumber('activeDeadlineSeconds', activeDeadlineSeconds, 1);
  const ttlSecondsAfterFinished = cron ? undefined : props.ttlSecondsAfterFinished ?? JOB_DEFAULTS.ttlSecondsAfterFinished;
  if (ttlSecondsAfterFinished !== undefined) v.wholeNumber('ttlSecondsAfterFinished', ttlSecondsAfterFinished, 0);
  const codes = props.failOnExitCodes ?? [];
  codes.forEach((code, i) => v.wholeNumber(`failOnExitCodes[${i}]`, code, 1, 255));
  if (new Set(codes).size !== codes.length) throw v.error({ field: 'failOnExitCodes', value: codes, problem: 'lists a code twice', expected: 'each exit code once' });
  const rules: Record<string, unknown>[] = [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }];
  if (codes.length > 0) rules.push({ action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [...codes].sort((a, b) => a - b) } });
  return { backoffLimit, activeDeadlineSeconds, ...(ttlSecondsAfterFinished !== undefined && { ttlSecondsAfterFinished }), podFailurePolicy: { rules } };
}

/** The NetworkPolicy of a batch pod: no ingress at all (nothing connects to a Job). */
function isolation(scope: Construct, resolved: ResolvedPod, namespace: string | undefined): ApiObject {
  return new ApiObject(scope, 'NetworkPolicy', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: resolved.name, ...(namespace !== undefined && { namespace }), labels: { ...resolved.labels } },
    spec: { podSelector: { matchLabels: { [NAME_LABEL]: resolved.name } }, policyTypes: ['Ingress'] },
  });
}

/** Writes the pod failure policy (which cdk8s-plus-27 has no prop for) into the Job spec at `jobSpecOf(json)`. */
function addPodFailurePolicy(workload: kplus.Workload, job: ResolvedJob, jobSpecOf: (json: Record<string, unknown>) => Record<string, unknown>): void {
  addFinalTransform(ApiObject.of(workload), (json) => {
    const spec = jobSpecOf(json);
    spec.podFailurePolicy = structuredClone(job.podFailurePolicy);
    return json;
  });
}

/**
 * A Job hardened by default: the restricted pod of every kit workload, `restartPolicy: Never`
 * with a pod failure policy (evictions are not failures; listed exit codes fail at once),
 * bounded retries and run time, cleanup a day after it finishes, and a NetworkPolicy that
 * admits no ingress. Probes, ports and the preStop hook of long-running workloads are not
 * props of a Job.
 */
export class HardenedJob extends Construct {
  /** The Job (construct id `Resource`). */
  public readonly job: kplus.Job;
  /** The Job's name. */
  public readonly name: string;
  /** The namespace: the one given, else the chart's, if either is set. */
  public readonly namespace?: string;
  /** The QoS class the pods get. */
  public readonly qosClass: QosClass;
  /** The NetworkPolicy isolating the pods. */
  public readonly networkPolicy: ApiObject;
  /** The content-hashed ConfigMap, when `config` was given. */
  public readonly config?: HashedConfigMap;

  constructor(scope: Construct, id: string, props: HardenedJobProps) {
    super(scope, id);
    const v = new PropsValidator('HardenedJob', this);
    const job = resolveJob(v, props, false);
    const resolved = resolvePod(v, this, podOf(props), JOB_POD);
    v.check('name', resolved.name, (name) => (name.length > 63 ? `is ${name.length} characters; a Job's name becomes the job-name label of its pods, at most 63` : undefined));
    this.name = resolved.name;
    this.qosClass = resolved.qosClass;
    const namespace = props.namespace ?? Chart.of(this).namespace;
    if (namespace !== undefined) this.namespace = namespace;
    this.job = new kplus.Job(this, 'Resource', {
      metadata: { name: this.name, ...(props.namespace !== undefined && { namespace: props.namespace }), labels: { ...resolved.labels } },
      backoffLimit: job.backoffLimit,
      activeDeadline: Duration.seconds(job.activeDeadlineSeconds),
      ttlAfterFinished: Duration.seconds(job.ttlSecondsAfterFinished ?? JOB_DEFAULTS.ttlSecondsAfterFinished),
      restartPolicy: kplus.RestartPolicy.NEVER,
      ...podProps(podOf(props), resolved, this),
    });
    const config = applyPodHardening({ kind: 'HardenedJob', scope: this, workload: this.job, props: podOf(props), resolved });
    if (config) this.config = config;
    addPodFailurePolicy(this.job, job, (json) => (json as { spec: Record<string, unknown> }).spec);
    this.networkPolicy = isolation(this, resolved, props.namespace);
  }
}

const CRON_CONCURRENCY: readonly CronConcurrency[] = ['Forbid', 'Allow', 'Replace'];

/**
 * A CronJob hardened by default: each run a {@link HardenedJob}'s pod and limits, with no
 * overlapping runs (`Forbid`), a five-minute starting deadline, three successful and one
 * failed Job kept, and the schedule read in an explicit time zone (`Etc/UTC`). The schedule's
 * fields are range-checked, and the name is short enough for the Jobs it creates.
 */
export class HardenedCronJob extends Construct {
  /** The CronJob (construct id `Resource`). */
  public readonly cronJob: kplus.CronJob;
  /** The CronJob's name. */
  public readonly name: string;
  /** The namespace: the one given, else the chart's, if either is set. */
  public readonly namespace?: string;
  /** The QoS class the pods get. */
  public readonly qosClass: QosClass;
  /** The NetworkPolicy isolating the pods. */
  public readonly networkPolicy: ApiObject;
  /** The content-hashed ConfigMap, when `config` was given. */
  public readonly config?: HashedConfigMap;

  constructor(scope: Construct, id: string, props: HardenedCronJobProps) {
    super(scope, id);
    const v = new PropsValidator('HardenedCronJob', this);
    const job = resolveJob(v, props, true);
    const resolved = resolvePod(v, this, podOf(props), JOB_POD);
    v.check('name', resolved.name, (name) => (name.length > CRONJOB_NAME_MAX ? `is ${name.length} characters; a CronJob's Jobs add 11 to it and become label values of at most 63` : undefined), `at most ${CRONJOB_NAME_MAX} characters`);
    v.check('schedule', props.schedule, (schedule) => (typeof schedule === 'string' ? cronScheduleProblem(schedule) : 'is not a string'), "five fields, e.g. '30 2 * * *', or a descriptor such as '@daily'");
    const timeZone = props.timeZone ?? JOB_DEFAULTS.timeZone;
    v.check('timeZone', timeZone, timeZoneProblem, "an IANA time zone, e.g. 'Europe/Berlin'");
    const concurrencyPolicy = props.concurrencyPolicy ?? JOB_DEFAULTS.concurrencyPolicy;
    v.check('concurrencyPolicy', concurrencyPolicy, (p) => (CRON_CONCURRENCY.includes(p) ? undefined : 'is not a concurrency policy'), CRON_CONCURRENCY.join(', '));
    const startingDeadlineSeconds = props.startingDeadlineSeconds ?? JOB_DEFAULTS.startingDeadlineSeconds;
    v.wholeNumber('startingDeadlineSeconds', startingDeadlineSeconds, 10);
    const successful = props.successfulJobsHistoryLimit ?? JOB_DEFAULTS.successfulJobsHistoryLimit;
    const failed = props.failedJobsHistoryLimit ?? JOB_DEFAULTS.failedJobsHistoryLimit;
    v.wholeNumber('successfulJobsHistoryLimit', successful, 0);
    v.wholeNumber('failedJobsHistoryLimit', failed, 0);
    this.name = resolved.name;
    this.qosClass = resolved.qosClass;
    const namespace = props.namespace ?? Chart.of(this).namespace;
    if (namespace !== undefined) this.namespace = namespace;
    this.cronJob = new kplus.CronJob(this, 'Resource', {
      metadata: { name: this.name, ...(props.namespace !== undefined && { namespace: props.namespace }), labels: { ...resolved.labels } },
      schedule: Cron.schedule({}),
      timeZone,
      concurrencyPolicy: concurrencyPolicy as kplus.ConcurrencyPolicy,
      startingDeadline: Duration.seconds(startingDeadlineSeconds),
      successfulJobsRetained: successful,
      failedJobsRetained: failed,
      suspend: props.suspend ?? false,
      backoffLimit: job.backoffLimit,
      activeDeadline: Duration.seconds(job.activeDeadlineSeconds),
      restartPolicy: kplus.RestartPolicy.NEVER,
      ...podProps(podOf(props), resolved, this),
    });
    const jobSpecOf = (json: Record<string, unknown>) => (json as { spec: { jobTemplate: { spec: Record<string, unknown> } } }).spec.jobTemplate.spec;
    const config = applyPodHardening({
      kind: 'HardenedCronJob', scope: this, workload: this.cronJob, props: podOf(props), resolved,
      templateOf: (json) => jobSpecOf(json).template as { spec: PodJson },
    });
    if (config) this.config = config;
    // The schedule as given: cdk8s's Cron renders only its own field builder's output.
    const schedule = props.schedule;
    addFinalTransform(ApiObject.of(this.cronJob), (json) => {
      (json as { spec: { schedule: string } }).spec.schedule = schedule;
      return json;
    });
    addPodFailurePolicy(this.cronJob, job, jobSpecOf);
    this.networkPolicy = isolation(this, resolved, props.namespace);
  }
}
