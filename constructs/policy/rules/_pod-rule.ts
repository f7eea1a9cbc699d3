/**
 * The shape shared by the pod-security rules: find the pod spec of the object, run a
 * check on it, and stamp each finding with the rule's id and severity.
 */
import type { Finding, FindingDetails, ManifestObject, PolicyRule } from '../finding.js';
import { finding } from '../finding.js';
import type { PodSpecLocation } from '../../core/pod.js';
import { describeObject, podSpecOf } from '../../core/pod.js';

/** What a pod check sees. */
export interface PodCheckInput {
  readonly object: ManifestObject;
  readonly pod: PodSpecLocation;
  /** `Kind/namespace/name`: the prefix of every message. */
  readonly subject: string;
}

/** A check of one pod spec; returns the details of each finding. */
export type PodCheck = (input: PodCheckInput) => FindingDetails[];

/** A rule that runs `check` on the pod spec of any pod-bearing object and returns `[]` for every other object. */
export function podRule(meta: Omit<PolicyRule, 'check'>, check: PodCheck): PolicyRule {
  return {
    ...meta,
    check: (object: ManifestObject): Finding[] => {
      const pod = podSpecOf(object);
      if (!pod) return [];
      return check({ object, pod, subject: describeObject(object) }).map((details) => finding(meta, details));
    },
  };
}
