/**
 * The controls of the Pod Security Standards *baseline* profile (Kubernetes v1.34), one
 * policy rule per control. Every field is read at every level the standard names: the pod,
 * and each of `containers`, `initContainers` and `ephemeralContainers`.
 *
 * The baseline *Seccomp* control lives in `pod-security-restricted.ts`: `pss-seccomp`
 * enforces the restricted form, which includes the baseline one.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
 */
import type { IContainer, IEphemeralContainer, ILifecycleHandler, IProbe } from 'kubernetes-models/v1';
import type { FindingDetails } from '../finding.js';
import { Severity } from '../finding.js';
import { podRule } from './_pod-rule.js';
import {
  containerOwners, describeSetting, podOwner, podSecurityContextOf, POD_LABEL, securityContextOwners,
  settingFinding, templateMetadataPath,
} from './_security-context.js';

/** Pod fields that share a host namespace. PSS baseline "Host Namespaces": allowed undefined or false. */
const HOST_NAMESPACE_FIELDS = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

/** PSS baseline "Capabilities": the only capabilities `capabilities.add` may list. */
const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP',
  'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

/** PSS baseline "Host Probes / Lifecycle Hooks" (v1.34+): the probes whose httpGet/tcpSocket `host` must be unset. */
const PROBE_FIELDS = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
/** The lifecycle hooks whose httpGet/tcpSocket `host` must be unset (same control). */
const LIFECYCLE_HOOK_FIELDS = ['postStart', 'preStop'] as const;
/** The handler actions that carry a `host` field. */
const HOST_ACTIONS = ['httpGet', 'tcpSocket'] as const;

/** PSS baseline "AppArmor": allowed `appArmorProfile.type` values (undefined is also allowed). */
const APPARMOR_PROFILE_TYPES: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost']);
/** PSS baseline "AppArmor": the legacy per-container annotation, restricted on the pod (template) metadata. */
const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
/** PSS baseline "AppArmor": allowed legacy annotation values, besides `localhost/<profile>`. */
const APPARMOR_ANNOTATION_VALUES: ReadonlySet<string> = new Set(['', 'runtime/default']);
const APPARMOR_LOCALHOST_PREFIX = 'localhost/';

/** PSS baseline "SELinux": allowed `seLinuxOptions.type` values (container_engine_t since v1.31); undefined too. */
const SELINUX_TYPES: ReadonlySet<string> = new Set([
  '', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t',
]);
/** PSS baseline "SELinux": options that must be undefined or "". */
const SELINUX_UNSET_OPTIONS = ['user', 'role'] as const;

/** PSS baseline "/proc Mount Type": allowed `procMount` values (undefined is also allowed). */
const PROC_MOUNT_TYPES: ReadonlySet<string> = new Set(['Default']);

/**
 * PSS baseline "Sysctls": the safe sysctls, the only names `securityContext.sysctls` may list.
 * As listed by the v1.34 standard (the admission controller of v1.32+ also accepts
 * net.ipv4.tcp_rmem and net.ipv4.tcp_wmem; the standard does not list them).
 */
const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

const list = (values: ReadonlySet<string>): string => [...values].filter((v) => v !== '').join(', ');

/** HostProcess: `windowsOptions.hostProcess` must be undefined or false, on the pod and every container. */
export const PSS_HOST_PROCESS = podRule({
  id: 'pss-host-process',
  severity: Severity.ERROR,
  description: 'Pods and containers must not run as Windows HostProcess containers.',
}, ({ pod, subject }) => securityContextOwners(pod)
  .filter((owner) => owner.securityContext?.windowsOptions?.hostProcess === true)
  .map((owner) => settingFinding(subject, owner, 'windowsOptions.hostProcess', true,
    `Remove securityContext.windowsOptions.hostProcess from ${owner.label} (or set it to false).`)));

/** Host Namespaces: hostNetwork, hostPID and hostIPC must be undefined or false. */
export const PSS_HOST_NAMESPACES = podRule({
  id: 'pss-host-namespaces',
  severity: Severity.ERROR,
  description: 'Pods must not share the host network, PID or IPC namespace.',
}, ({ pod, subject }) => HOST_NAMESPACE_FIELDS
  .filter((field) => pod.spec[field] === true)
  .map((field) => ({
    path: `${pod.path}.${field}`,
    message: `${subject}: ${describeSetting(POD_LABEL, field, true)}`,
    fix: `Remove ${field} from the pod spec (or set ${field}: false).`,
  })));

/** Privileged Containers: `privileged` must be undefined or false on every container. */
export const PSS_PRIVILEGED = podRule({
  id: 'pss-privileged',
  severity: Severity.ERROR,
  description: 'Containers must not be privileged.',
}, ({ pod, subject }) => containerOwners(pod)
  .filter((owner) => owner.securityContext?.privileged === true)
  .map((owner) => settingFinding(subject, owner, 'privileged', true,
    `Remove securityContext.privileged from ${owner.label} (or set it to false).`)));

/** Capabilities (baseline): `capabilities.add` may list only the default capabilities. */
export const PSS_CAPABILITIES_BASELINE = podRule({
  id: 'pss-capabilities-baseline',
  severity: Severity.ERROR,
  description: 'Containers may add only the default capabilities (no NET_RAW, SYS_ADMIN, ...).',
}, ({ pod, subject }) => containerOwners(pod).flatMap((owner) => (owner.securityContext?.capabilities?.add ?? [])
  .flatMap((capability, i) => (BASELINE_CAPABILITIES.has(capability) ? [] : [
    settingFinding(subject, owner, `capabilities.add[${i}]`, capability,
      `Remove ${capability} from securityContext.capabilities.add on ${owner.label}; `
      + `the baseline profile allows adding only ${list(BASELINE_CAPABILITIES)}.`),
  ]))));

/** HostPath Volumes: no volume may be a hostPath volume. */
export const PSS_HOST_PATH_VOLUMES = podRule({
  id: 'pss-host-path-volumes',
  severity: Severity.ERROR,
  description: 'Pods must not mount hostPath volumes.',
}, ({ pod, subject }) => (pod.spec.volumes ?? []).flatMap((volume, i) => (volume.hostPath == null ? [] : [{
  path: `${pod.path}.volumes[${i}].hostPath`,
  message: `${subject}: volume '${volume.name}' has hostPath=${JSON.stringify(volume.hostPath)}`,
  fix: `Replace hostPath volume '${volume.name}' with an emptyDir, configMap, secret, projected or persistentVolumeClaim volume.`,
}])));

/** Host Ports: `ports[*].hostPort` must be undefined or 0 on every container. */
export const PSS_HOST_PORTS = podRule({
  id: 'pss-host-ports',
  severity: Severity.ERROR,
  description: 'Containers must not bind host ports.',
}, ({ pod, subject }) => containerOwners(pod).flatMap(({ location, label }) => (location.container.ports ?? [])
  .flatMap((port, i) => (!port.hostPort ? [] : [{
    path: `${location.path}.ports[${i}].hostPort`,
    message: `${subject}: ${label} has ports[${i}].hostPort=${port.hostPort}`,
    fix: `Remove hostPort from port ${port.containerPort} of ${label}; reach the pod through a Service instead.`,
  }]))));

/** The probes and lifecycle hooks of a container, with their field paths relative to the container. */
function handlersOf(container: IContainer | IEphemeralContainer): { field: string; handler?: IProbe | ILifecycleHandler }[] {
  return [
    ...PROBE_FIELDS.map((field) => ({ field, handler: container[field] })),
    ...LIFECYCLE_HOOK_FIELDS.map((hook) => ({ field: `lifecycle.${hook}`, handler: container.lifecycle?.[hook] })),
  ];
}

/** Host Probes / Lifecycle Hooks (v1.34+): httpGet and tcpSocket `host` must be undefined or "". */
export const PSS_HOST_PROBES = podRule({
  id: 'pss-host-probes',
  severity: Severity.ERROR,
  description: 'Probes and lifecycle hooks must not set a host (they must target the pod itself).',
}, ({ pod, subject }) => containerOwners(pod).flatMap(({ location, label }) => handlersOf(location.container)
  .flatMap(({ field, handler }) => HOST_ACTIONS.flatMap((action): FindingDetails[] => {
    const host = handler?.[action]?.host;
    return !host ? [] : [{
      path: `${location.path}.${field}.${action}.host`,
      message: `${subject}: ${label} has ${field}.${action}.host=${JSON.stringify(host)}`,
      fix: `Remove host from ${field}.${action} on ${label}; probes and hooks must target the pod's own IP.`,
    }];
  }))));

function appArmorAnnotationAllowed(value: string): boolean {
  return APPARMOR_ANNOTATION_VALUES.has(value) || value.startsWith(APPARMOR_LOCALHOST_PREFIX);
}

/** AppArmor: `appArmorProfile.type` and the legacy annotations must not select an unconfined profile. */
export const PSS_APPARMOR = podRule({
  id: 'pss-apparmor',
  severity: Severity.ERROR,
  description: 'Pods and containers must not override the default AppArmor profile with Unconfined.',
}, ({ pod, subject }) => [
  ...securityContextOwners(pod).flatMap((owner) => {
    const profile = owner.securityContext?.appArmorProfile;
    return !profile || APPARMOR_PROFILE_TYPES.has(profile.type) ? [] : [
      settingFinding(subject, owner, 'appArmorProfile.type', profile.type,
        `Set securityContext.appArmorProfile.type: RuntimeDefault (or Localhost) on ${owner.label}.`),
    ];
  }),
  ...Object.entries(pod.templateMetadata.annotations ?? {})
    .filter(([key, value]) => key.startsWith(APPARMOR_ANNOTATION_PREFIX) && !appArmorAnnotationAllowed(String(value)))
    .map(([key, value]) => ({
      path: `${templateMetadataPath(pod)}.annotations.${key}`,
      message: `${subject}: ${describeSetting(POD_LABEL, `annotation ${key}`, value)}`,
      fix: `Set annotation ${key} to "runtime/default" or "localhost/<profile>", `
        + 'or remove it and set securityContext.appArmorProfile.type: RuntimeDefault.',
    })),
]);

/** SELinux: `seLinuxOptions.type` must be a container type; `user` and `role` must be unset. */
export const PSS_SELINUX = podRule({
  id: 'pss-selinux',
  severity: Severity.ERROR,
  description: 'Pods and containers must not set a custom SELinux type, user or role.',
}, ({ pod, subject }) => securityContextOwners(pod).flatMap((owner) => {
  const options = owner.securityContext?.seLinuxOptions;
  if (!options) return [];
  const findings: FindingDetails[] = [];
  if (options.type !== undefined && !SELINUX_TYPES.has(options.type)) {
    findings.push(settingFinding(subject, owner, 'seLinuxOptions.type', options.type,
      `Set securityContext.seLinuxOptions.type to one of ${list(SELINUX_TYPES)} on ${owner.label}, or remove it.`));
  }
  for (const option of SELINUX_UNSET_OPTIONS) {
    if (options[option]) {
      findings.push(settingFinding(subject, owner, `seLinuxOptions.${option}`, options[option],
        `Remove securityContext.seLinuxOptions.${option} from ${owner.label}.`));
    }
  }
  return findings;
}));

/** /proc Mount Type: `procMount` must be undefined or Default. */
export const PSS_PROC_MOUNT = podRule({
  id: 'pss-proc-mount',
  severity: Severity.ERROR,
  description: 'Containers must keep the default /proc masks (procMount: Default).',
}, ({ pod, subject }) => containerOwners(pod).flatMap((owner) => {
  const procMount = owner.securityContext?.procMount;
  return procMount === undefined || PROC_MOUNT_TYPES.has(procMount) ? [] : [
    settingFinding(subject, owner, 'procMount', procMount,
      `Remove securityContext.procMount from ${owner.label} (or set it to Default).`),
  ];
}));

/** Sysctls: the pod may set only the safe sysctls. */
export const PSS_SYSCTLS = podRule({
  id: 'pss-sysctls',
  severity: Severity.ERROR,
  description: 'Pods may set only the safe (namespaced, isolated) sysctls.',
}, ({ pod, subject }) => (podSecurityContextOf(pod)?.sysctls ?? []).flatMap((sysctl, i) => (SAFE_SYSCTLS.has(sysctl.name) ? [] : [
  settingFinding(subject, podOwner(pod), `sysctls[${i}].name`, sysctl.name,
    `Remove sysctl ${sysctl.name} from the pod's securityContext.sysctls; only ${list(SAFE_SYSCTLS)} are allowed.`),
])));

/** Every baseline control except Seccomp (see `PSS_SECCOMP`), in the order of the standard. */
export const POD_SECURITY_BASELINE_RULES = [
  PSS_HOST_PROCESS, PSS_HOST_NAMESPACES, PSS_PRIVILEGED, PSS_CAPABILITIES_BASELINE, PSS_HOST_PATH_VOLUMES,
  PSS_HOST_PORTS, PSS_HOST_PROBES, PSS_APPARMOR, PSS_SELINUX, PSS_PROC_MOUNT, PSS_SYSCTLS,
] as const;
