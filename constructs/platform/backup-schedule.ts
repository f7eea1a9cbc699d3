/**
 * BackupSchedule: a Velero Schedule (typed from the pinned CRD, constructs/imports/velero.ts)
 * that backs up namespaces on a cron schedule, keeps each backup for a retention period and
 * captures volumes by snapshot or by file-system copy.
 */
import { Construct } from 'constructs';
import { Schedule } from '../imports/velero.js';
import { cronScheduleProblem, dns1123LabelProblem, dns1123SubdomainProblem, labelValueProblem, qualifiedNameProblem } from '../core/names.js';
import { PropsValidator } from '../core/errors.js';

/** Properties of {@link BackupSchedule}. */
export interface BackupScheduleProps {
  /** The Schedule's name; backups are named `<name>-<timestamp>`. */
  readonly name: string;
  /**
   * Velero's namespace.
   * @default 'velero'
   */
  readonly namespace?: string;
  /**
   * Five-field cron schedule (UTC), or `@every <duration>`.
   * @default '0 1 * * *' (01:00 daily)
   */
  readonly schedule?: string;
  /**
   * How long each backup is kept, as a Go duration.
   * @default '720h' (30 days)
   */
  readonly retention?: string;
  /**
   * Namespaces to back up; an empty list means every namespace too.
   * @default - every namespace (`['*']`)
   */
  readonly includedNamespaces?: readonly string[];
  /**
   * Namespaces to leave out; none may also be in `includedNamespaces`.
   * @default - none
   */
  readonly excludedNamespaces?: readonly string[];
  /**
   * Back up only objects with these labels.
   * @default - every object of the included namespaces
   */
  readonly labelSelector?: Readonly<Record<string, string>>;
  /**
   * Volumes: `snapshot` (the cloud's disk snapshots), `filesystem` (file-level copy by the
   * node agent, for volumes without snapshot support), or `none`.
   * @default 'snapshot'
   */
  readonly volumes?: 'snapshot' | 'filesystem' | 'none';
  /**
   * The BackupStorageLocation.
   * @default - Velero's default location
   */
  readonly storageLocation?: string;
  /**
   * Stops new backups without deleting the schedule.
   * @default false
   */
  readonly paused?: boolean;
}

/** The defaults of {@link BackupScheduleProps}, resolved once in the constructor. */
export const BACKUP_SCHEDULE_DEFAULTS = {
  namespace: 'velero',
  schedule: '0 1 * * *',
  retention: '720h',
  volumes: 'snapshot',
} as const;

const GO_DURATION = /^(\d+h)?(\d+m)?(\d+s)?$/;

/** Seconds in a Go duration of hours, minutes and seconds (`720h`, `1h30m`), as a backup retention takes it; NaN when it is not one. */
export function goDurationSeconds(value: string): number {
  const match = GO_DURATION.exec(value);
  if (!match || value === '') return Number.NaN;
  const [, h = '0h', m = '0m', s = '0s'] = match;
  return parseInt(h, 10) * 3600 + parseInt(m, 10) * 60 + parseInt(s, 10);
}

function scheduleProblem(schedule: string): string | undefined {
  if (/^@every \S+$/.test(schedule)) {
    const duration = schedule.slice('@every '.length);
    return goDurationSeconds(duration) > 0 ? undefined : 'has an @every duration that is not a Go duration such as 6h or 30m';
  }
  return cronScheduleProblem(schedule) && "is not a five-field cron schedule or '@every <duration>'";
}

/** A Velero backup schedule. */
export class BackupSchedule extends Construct {
  /** The Velero Schedule. */
  public readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: BackupScheduleProps) {
    super(scope, id);
    const v = new PropsValidator('BackupSchedule', this);
    const namespace = props.namespace ?? BACKUP_SCHEDULE_DEFAULTS.namespace;
    v.check('name', props.name, dns1123SubdomainProblem);
    v.check('namespace', namespace, dns1123LabelProblem);
    const cron = props.schedule ?? BACKUP_SCHEDULE_DEFAULTS.schedule;
    const cronProblem = scheduleProblem(cron);
    if (cronProblem) throw v.error({ field: 'schedule', value: cron, problem: cronProblem, expected: "e.g. '0 1 * * *'" });
    const retention = props.retention ?? BACKUP_SCHEDULE_DEFAULTS.retention;
    if (!(goDurationSeconds(retention) > 0)) {
      throw v.error({ field: 'retention', value: retention, problem: 'is not a positive Go duration', expected: 'e.g. 720h for 30 days' });
    }
    for (const [field, list] of [['includedNamespaces', props.includedNamespaces], ['excludedNamespaces', props.excludedNamespaces]] as const) {
      (list ?? []).forEach((ns, i) => v.check(`${field}[${i}]`, ns, dns1123LabelProblem));
    }
    const overlap = (props.includedNamespaces ?? []).find((ns) => (props.excludedNamespaces ?? []).includes(ns));
    if (overlap) throw v.conflict(`namespace '${overlap}' is both included and excluded`);
    for (const [key, value] of Object.entries(props.labelSelector ?? {})) {
      const problem = qualifiedNameProblem(key) ?? labelValueProblem(value);
      if (problem) throw v.error({ field: `labelSelector['${key}']`, value, problem });
    }
    const volumes = props.volumes ?? BACKUP_SCHEDULE_DEFAULTS.volumes;

    this.schedule = new Schedule(this, 'Resource', {
      metadata: { name: props.name, namespace },
      spec: {
        schedule: cron,
        ...(props.paused !== undefined && { paused: props.paused }),
        useOwnerReferencesInBackup: false,
        template: {
          ttl: retention,
          includedNamespaces: props.includedNamespaces && props.includedNamespaces.length > 0 ? [...props.includedNamespaces] : ['*'],
          ...(props.excludedNamespaces && props.excludedNamespaces.length > 0 && { excludedNamespaces: [...props.excludedNamespaces] }),
          ...(props.labelSelector && { labelSelector: { matchLabels: { ...props.labelSelector } } }),
          snapshotVolumes: volumes === 'snapshot',
          ...(volumes === 'filesystem' && { defaultVolumesToFsBackup: true }),
          ...(props.storageLocation !== undefined && { storageLocation: props.storageLocation }),
        },
      },
    });
  }
}
