/**
 * BackupSchedule: a Velero Schedule (typed from the pinned CRD, constructs/imports/velero.ts)
 * that backs up namespaces on a cron schedule, keeps each backup for a retention period and
 * captures volumes by snapshot or by file-system copy.
 */
import { backupRetentionProblem, backupScheduleProblem, goDurationSeconds } from '../core/config-checks.js';
import { Construct } from 'constructs';
import { Schedule } from '../imports/velero.js';
import { dns1123LabelProblem, dns1123SubdomainProblem, labelValueProblem, qualifiedNameProblem } from '../core/names.js';
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

export { goDurationSeconds };

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
    const cronProblem = backupScheduleProblem(cron);
    if (cronProblem) throw v.error({ field: 'schedule', value: cron, problem: cronProblem, expected: "e.g. '0 1 * * *'" });
    const retention = props.retention ?? BACKUP_SCHEDULE_DEFAULTS.retention;
    const retentionProblem = backupRetentionProblem(retention);
    if (retentionProblem) {
      throw v.error({ field: 'retention', value: retention, problem: retentionProblem, expected: 'e.g. 720h for 30 days' });
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
    if (props.labelSelector !== undefined && Object.keys(props.labelSelector).length === 0) {
      throw v.error({ field: 'labelSelector', value: props.labelSelector, problem: 'has no labels, so it selects every resource', expected: 'the labels to back up, or no labelSelector to back up everything' });
    }
    if (props.storageLocation !== undefined) {
      v.check('storageLocation', props.storageLocation, (location) => {
        const problem = dns1123SubdomainProblem(location);
        return problem && `is not a BackupStorageLocation name: it ${problem}`;
      });
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
