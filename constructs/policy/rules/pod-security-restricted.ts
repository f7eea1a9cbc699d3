/**
 * The controls the Pod Security Standards *restricted* profile adds to baseline
 * (Kubernetes v1.34), one policy rule per control, plus Seccomp, whose restricted form
 * includes the baseline one.
 *
 * Pod-level and container-level fields are read as the standard reads them: a container
 * that leaves `runAsNonRoot` or `seccompProfile` unset inherits an allowed pod-level value;
 * an explicit container value is judged on its own, whatever the pod says; a disallowed
 * pod-level value is a finding even when every container overrides it.
 *
 * Privilege Escalation, Seccomp and Capabilities are Linux-only controls: for a pod with
 * `spec.os.name: windows` only the part of Seccomp that baseline also has (no explicit
 * Unconfined) applies.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
import type { FindingDetails } from '../finding.js';
import { Severity } from '../finding.js';
import type { PodSpecLocation } from '../../core/pod.js';
import { podRule } from './_pod-rule.js';
import type { SharedSecurityContext } from './_security-context.js';
import {
  containerOwners, describeSetting, isWindowsPod, podOwner, securityContextOwners, settingFinding,
} from './_security-context.js';

/**
 * PSS restricted "Volume Types": every volume must set one of these sources. (The
 * admission controller of v1.33+ also accepts `image`; the v1.34 standard does not list it.)
 */
const RESTRICTED_VOLUME_SOURCES: ReadonlySet<string> = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
]);

/** PSS restricted "Seccomp" (and baseline "Seccomp"): allowed `seccompProfile.type` values. */
const SECCOMP_PROFILE_TYPES: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost']);

/** PSS restricted "Capabilities": `capabilities.drop` must include this. */
const DROP_ALL = 'ALL';
/** PSS restricted "Capabilities": the only capabilities `capabilities.add` may list. */
const RESTRICTED_CAPABILITIES: ReadonlySet<string> = new Set(['NET_BIND_SERVICE']);

const list = (values: ReadonlySet<string>): string => [...values].join(', ');

/** Volume Types: every volume uses one of the allowed sources. */
export const PSS_VOLUME_TYPES = podRule({
  id: 'pss-volume-types',
  severity: Severity.ERROR,
  description: `Pods may use only ${list(RESTRICTED_VOLUME_SOURCES)} volumes.`,
}, ({ pod, subject }) => (pod.spec.volumes ?? []).flatMap((volume, i): FindingDetails[] => {
  const sources = Object.entries(volume).filter(([key, value]) => key !== 'name' && value != null).map(([key]) => key);
  // A volume with no source is defaulted to emptyDir by the API server, which the standard allows.
  const source = sources[0];
  if (source === undefined || sources.some((s) => RESTRICTED_VOLUME_SOURCES.has(s))) return [];
  return [{
    path: `${pod.path}.volumes[${i}].${source}`,
    message: `${subject}: volume '${volume.name}' uses volume source ${source}`,
    fix: `Replace volume '${volume.name}' with a ${list(RESTRICTED_VOLUME_SOURCES)} volume `
      + `(storage such as ${source} is reached through a persistentVolumeClaim).`,
  }];
}));

/** Privilege Escalation: every container sets `allowPrivilegeEscalation: false` explicitly (Linux only). */
export const PSS_PRIVILEGE_ESCALATION = podRule({
  id: 'pss-privilege-escalation',
  severity: Severity.ERROR,
  description: 'Containers must set allowPrivilegeEscalation: false.',
}, ({ pod, subject }) => (isWindowsPod(pod) ? [] : containerOwners(pod)
  .filter((owner) => owner.securityContext?.allowPrivilegeEscalation !== false)
  .map((owner) => settingFinding(subject, owner, 'allowPrivilegeEscalation', owner.securityContext?.allowPrivilegeEscalation,
    `Set securityContext.allowPrivilegeEscalation: false on ${owner.label}.`))));

/** A securityContext control whose pod-level value containers inherit unless they set their own. */
interface InheritedControl {
  /** The field, relative to `securityContext`. */
  readonly field: string;
  readonly read: (context: SharedSecurityContext | undefined) => string | boolean | undefined;
  readonly allowed: (value: string | boolean) => boolean;
  /** The value fixes suggest. */
  readonly suggestion: string;
}

/**
 * Findings for an inherited control: a disallowed pod value; a disallowed container value;
 * and, when `requireSet`, a container that sets nothing and does not inherit an allowed pod value.
 */
function inheritedControlFindings(
  subject: string, pod: PodSpecLocation, control: InheritedControl, requireSet: boolean,
): FindingDetails[] {
  const { field, read, allowed, suggestion } = control;
  const podLevel = podOwner(pod);
  const podValue = read(podLevel.securityContext);
  const findings: FindingDetails[] = [];
  if (podValue !== undefined && !allowed(podValue)) {
    findings.push(settingFinding(subject, podLevel, field, podValue, `Set securityContext.${field}: ${suggestion} on the pod.`));
  }
  const inherited = podValue !== undefined && allowed(podValue);
  for (const owner of containerOwners(pod)) {
    const value = read(owner.securityContext);
    if (value !== undefined && !allowed(value)) {
      findings.push(settingFinding(subject, owner, field, value, `Set securityContext.${field}: ${suggestion} on ${owner.label}.`));
    } else if (value === undefined && requireSet && !inherited) {
      const podState = podValue === undefined
        ? `nor on ${podLevel.label}`
        : `and ${describeSetting(podLevel.label, `securityContext.${field}`, podValue)}`;
      findings.push({
        path: `${owner.path}.${field}`,
        message: `${subject}: securityContext.${field} is not set on ${owner.label} ${podState}`,
        fix: `Set securityContext.${field}: ${suggestion} on the pod (inherited by every container) or on ${owner.label}.`,
      });
    }
  }
  return findings;
}

const RUN_AS_NON_ROOT: InheritedControl = {
  field: 'runAsNonRoot',
  read: (context) => context?.runAsNonRoot,
  allowed: (value) => value === true,
  suggestion: 'true',
};

const SECCOMP_PROFILE: InheritedControl = {
  field: 'seccompProfile.type',
  read: (context) => context?.seccompProfile?.type,
  allowed: (value) => typeof value === 'string' && SECCOMP_PROFILE_TYPES.has(value),
  suggestion: 'RuntimeDefault (or Localhost)',
};

/** Running as Non-root: `runAsNonRoot: true` on the pod (inherited) or on every container; never false. */
export const PSS_RUN_AS_NON_ROOT = podRule({
  id: 'pss-run-as-non-root',
  severity: Severity.ERROR,
  description: 'Containers must run with runAsNonRoot: true (set on the pod or on each container).',
}, ({ pod, subject }) => inheritedControlFindings(subject, pod, RUN_AS_NON_ROOT, true));

/** Running as Non-root user: `runAsUser` is never 0, on the pod or on any container. */
export const PSS_RUN_AS_USER = podRule({
  id: 'pss-run-as-user',
  severity: Severity.ERROR,
  description: 'Pods and containers must not set runAsUser: 0.',
}, ({ pod, subject }) => securityContextOwners(pod)
  .filter((owner) => owner.securityContext?.runAsUser === 0)
  .map((owner) => settingFinding(subject, owner, 'runAsUser', 0,
    `Set securityContext.runAsUser to a non-zero UID on ${owner.label} (or remove it and rely on the image's non-root user).`)));

/**
 * Seccomp: `seccompProfile.type` is RuntimeDefault or Localhost, on the pod (inherited) or on
 * every container, and never Unconfined. For Windows pods only the ban on other values applies.
 */
export const PSS_SECCOMP = podRule({
  id: 'pss-seccomp',
  severity: Severity.ERROR,
  description: 'Containers must run with the RuntimeDefault or Localhost seccomp profile (set on the pod or on each container).',
}, ({ pod, subject }) => inheritedControlFindings(subject, pod, SECCOMP_PROFILE, !isWindowsPod(pod)));

/** Capabilities (restricted): every container drops ALL and adds nothing but NET_BIND_SERVICE (Linux only). */
export const PSS_CAPABILITIES_RESTRICTED = podRule({
  id: 'pss-capabilities-restricted',
  severity: Severity.ERROR,
  description: 'Containers must drop ALL capabilities and may add back only NET_BIND_SERVICE.',
}, ({ pod, subject }) => (isWindowsPod(pod) ? [] : containerOwners(pod).flatMap((owner) => {
  const capabilities = owner.securityContext?.capabilities;
  const findings: FindingDetails[] = [];
  if (!(capabilities?.drop ?? []).includes(DROP_ALL)) {
    findings.push(settingFinding(subject, owner, 'capabilities.drop', capabilities?.drop,
      `Set securityContext.capabilities.drop: ["${DROP_ALL}"] on ${owner.label}.`));
  }
  (capabilities?.add ?? []).forEach((capability, i) => {
    if (!RESTRICTED_CAPABILITIES.has(capability)) {
      findings.push(settingFinding(subject, owner, `capabilities.add[${i}]`, capability,
        `Remove ${capability} from securityContext.capabilities.add on ${owner.label}; `
        + `the restricted profile allows adding only ${list(RESTRICTED_CAPABILITIES)}.`));
    }
  });
  return findings;
})));

/** The restricted controls (and Seccomp), in the order of the standard. */
export const POD_SECURITY_RESTRICTED_RULES = [
  PSS_VOLUME_TYPES, PSS_PRIVILEGE_ESCALATION, PSS_RUN_AS_NON_ROOT, PSS_RUN_AS_USER, PSS_SECCOMP,
  PSS_CAPABILITIES_RESTRICTED,
] as const;
