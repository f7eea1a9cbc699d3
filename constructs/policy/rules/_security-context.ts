/**
 * Reading securityContext the way the Pod Security Standards do: the pod and each of its
 * containers own a securityContext, each with a path and a name for messages.
 */
import type { IPodSecurityContext, ISecurityContext } from 'kubernetes-models/v1';
import type { FindingDetails } from '../finding.js';
import type { ContainerList, ContainerLocation, PodSpecLocation } from '../../core/pod.js';
import { containersOf } from '../../core/pod.js';

/** The securityContext fields that exist both on the pod and on containers. */
export type SharedSecurityContext = Pick<
  ISecurityContext & IPodSecurityContext,
  'appArmorProfile' | 'runAsNonRoot' | 'runAsUser' | 'seLinuxOptions' | 'seccompProfile' | 'windowsOptions'
>;

/** The pod, or one of its containers, as the owner of a securityContext. */
export interface SecurityContextOwner {
  /** How messages name it: `the pod`, `container 'main'`, `init container 'migrate'`. */
  readonly label: string;
  /** Dotted path to its `securityContext`. */
  readonly path: string;
  readonly securityContext: SharedSecurityContext | undefined;
}

/** A container as the owner of a securityContext. */
export interface ContainerOwner extends SecurityContextOwner {
  readonly location: ContainerLocation;
  readonly securityContext: ISecurityContext | undefined;
}

/** How messages name the pod. */
export const POD_LABEL = 'the pod';

const LIST_LABELS: Readonly<Record<ContainerList, string>> = {
  containers: 'container',
  initContainers: 'init container',
  ephemeralContainers: 'ephemeral container',
};

/** `container 'main'`, `init container 'migrate'` or `ephemeral container 'debug'`. */
export function containerLabel(location: ContainerLocation): string {
  return `${LIST_LABELS[location.list]} '${location.container.name}'`;
}

/** The pod-level securityContext. */
export function podSecurityContextOf(pod: PodSpecLocation): IPodSecurityContext | undefined {
  return pod.spec.securityContext;
}

/** The pod as a securityContext owner. */
export function podOwner(pod: PodSpecLocation): SecurityContextOwner {
  return { label: POD_LABEL, path: `${pod.path}.securityContext`, securityContext: pod.spec.securityContext };
}

/** Every container, init container and ephemeral container as a securityContext owner. */
export function containerOwners(pod: PodSpecLocation): ContainerOwner[] {
  return containersOf(pod).map((location) => ({
    location,
    label: containerLabel(location),
    path: `${location.path}.securityContext`,
    securityContext: location.container.securityContext,
  }));
}

/** The pod, then every container: for controls whose field exists at both levels. */
export function securityContextOwners(pod: PodSpecLocation): SecurityContextOwner[] {
  return [podOwner(pod), ...containerOwners(pod)];
}

/** True when the pod declares `spec.os.name: windows` (some restricted controls are Linux-only). */
export function isWindowsPod(pod: PodSpecLocation): boolean {
  return pod.spec.os?.name === 'windows';
}

/** Dotted path of the pod template's metadata (`metadata` for a bare Pod). */
export function templateMetadataPath(pod: PodSpecLocation): string {
  return pod.path === 'spec' ? 'metadata' : pod.path.replace(/\.spec$/, '.metadata');
}

/** `<owner> has <field>=<value>`, or `<field> is not set on <owner>` when the value is undefined. */
export function describeSetting(owner: string, field: string, value: unknown): string {
  return value === undefined ? `${field} is not set on ${owner}` : `${owner} has ${field}=${JSON.stringify(value)}`;
}

/** A finding about `securityContext.<field>` of `owner`, which holds `value`. */
export function settingFinding(
  subject: string, owner: SecurityContextOwner, field: string, value: unknown, fix: string,
): FindingDetails {
  return {
    path: `${owner.path}.${field}`,
    message: `${subject}: ${describeSetting(owner.label, `securityContext.${field}`, value)}`,
    fix,
  };
}
