/**
 * BackupSchedule: a typed Velero Schedule, validated by the CRD's own schema in the spine
 * (unknown fields reported, not dropped), with defaults, overrides and errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { BackupSchedule, validateManifests, type BackupScheduleProps, type ManifestObject } from '../../../constructs/index.js';

function synth(props: Partial<BackupScheduleProps> = {}): ManifestObject[] {
  const chart = Testing.chart();
  new BackupSchedule(chart, 'backup', { name: 'nightly', ...props });
  return Testing.synth(chart) as ManifestObject[];
}

async function errors(objects: ManifestObject[]) {
  return (await validateManifests(objects.map((object) => ({ object })))).errors.map((e) => e.message);
}

describe('BackupSchedule', () => {
  it('defaults: every namespace at 01:00 UTC daily, kept 30 days, volumes by snapshot', async () => {
    const objects = synth();
    assert.deepEqual(objects, [{
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { name: 'nightly', namespace: 'velero' },
      spec: {
        schedule: '0 1 * * *',
        useOwnerReferencesInBackup: false,
        template: { ttl: '720h', includedNamespaces: ['*'], snapshotVolumes: true },
      },
    }]);
    assert.deepEqual(await errors(objects), []);
  });

  it('overrides: namespaces, a label selector, file-system volume copies, a location, paused', async () => {
    const objects = synth({ schedule: '@every 6h', retention: '168h', includedNamespaces: ['fleetman', 'todo'], excludedNamespaces: ['kube-system'], labelSelector: { backup: 'yes' }, volumes: 'filesystem', storageLocation: 'primary', paused: true });
    assert.deepEqual((objects[0] as any).spec, { // eslint-disable-line @typescript-eslint/no-explicit-any
      schedule: '@every 6h',
      paused: true,
      useOwnerReferencesInBackup: false,
      template: {
        ttl: '168h', includedNamespaces: ['fleetman', 'todo'], excludedNamespaces: ['kube-system'], labelSelector: { matchLabels: { backup: 'yes' } },
        snapshotVolumes: false, defaultVolumesToFsBackup: true, storageLocation: 'primary',
      },
    });
    assert.deepEqual(await errors(objects), []);
  });

  it("the spine checks Velero objects against the CRD's schema, and reports fields the API server would drop", async () => {
    const [schedule] = synth();
    const broken = structuredClone(schedule) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    broken.spec.template.ttl = 720;
    broken.spec.template.snapshotVolume = true;
    const messages = await errors([broken]);
    assert.equal(messages.length, 2, messages.join('\n'));
    assert.ok(messages.some((m) => /spec\.template\.ttl/.test(m) && /must be string/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /spec\.template\.snapshotVolume/.test(m) && /is not a field of this kind \(the API server would drop it\)/.test(m)), messages.join('\n'));
  });

  const cases: [string, Partial<BackupScheduleProps>, string][] = [
    ['a schedule that is not cron', { schedule: 'nightly' }, "schedule ('nightly') is not a five-field cron schedule (it has 1 field); expected e.g. '0 1 * * *'"],
    ['a schedule with minute 61', { schedule: '61 3 * * *' }, "schedule ('61 3 * * *') has minute 61, outside 0-59; expected e.g. '0 1 * * *'"],
    ['a schedule with hour 25', { schedule: '0 25 * * *' }, "schedule ('0 25 * * *') has hour 25, outside 0-23; expected e.g. '0 1 * * *'"],
    ['a schedule with month 13', { schedule: '0 3 1 13 *' }, "schedule ('0 3 1 13 *') has month 13, outside 1-12; expected e.g. '0 1 * * *'"],
    ['a schedule with a backwards range', { schedule: '0 3 * * FRI-MON' }, "schedule ('0 3 * * FRI-MON') has day of week range FRI-MON, whose start is after its end; expected e.g. '0 1 * * *'"],
    ['a schedule with a time zone prefix', { schedule: 'TZ=UTC 0 3 * * *' }, "schedule ('TZ=UTC 0 3 * * *') sets a time zone in the schedule, which Kubernetes refuses; use the time zone field instead; expected e.g. '0 1 * * *'"],
    ['a retention that is not a duration', { retention: '30d' }, "retention ('30d') is not a positive Go duration; expected e.g. 720h for 30 days"],
    ['a zero retention', { retention: '0h' }, "retention ('0h') is not a positive Go duration; expected e.g. 720h for 30 days"],
    ['a namespace both in and out', { includedNamespaces: ['todo'], excludedNamespaces: ['todo'] }, "namespace 'todo' is both included and excluded"],
    ['a bad namespace', { includedNamespaces: ['Todo'] }, "includedNamespaces[0] ('Todo') must consist of lower case"],
  ];
  for (const [what, props, message] of cases) {
    it(`rejects ${what}`, () => {
      assert.throws(() => synth(props), (error: Error) => {
        assert.ok(error.message.startsWith(`BackupSchedule 'test/backup': ${message}`), error.message);
        return true;
      });
    });
  }
});
