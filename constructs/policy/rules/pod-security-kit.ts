/**
 * The kit's two pod hardening rules beyond the Pod Security Standards: a read-only root
 * filesystem, and no service account token unless the workload asks for one (by an
 * exception annotation, `exceptions.k8s-platform-kit.dev/kit-service-account-token`).
 */
import { Severity } from '../finding.js';
import { podRule } from './_pod-rule.js';
import { containerOwners, describeSetting, isWindowsPod, POD_LABEL, settingFinding } from './_security-context.js';

/**
 * Every container mounts its root filesystem read-only. Windows pods are exempt: the API
 * forbids `readOnlyRootFilesystem` when `spec.os.name` is windows.
 */
export const KIT_READ_ONLY_ROOT_FILESYSTEM = podRule({
  id: 'kit-read-only-root-filesystem',
  severity: Severity.ERROR,
  description: 'Containers must set readOnlyRootFilesystem: true.',
}, ({ pod, subject }) => (isWindowsPod(pod) ? [] : containerOwners(pod)
  .filter((owner) => owner.securityContext?.readOnlyRootFilesystem !== true)
  .map((owner) => settingFinding(subject, owner, 'readOnlyRootFilesystem', owner.securityContext?.readOnlyRootFilesystem,
    `Set securityContext.readOnlyRootFilesystem: true on ${owner.label}; mount an emptyDir where it must write.`))));

/** The pod spec sets `automountServiceAccountToken: false`, so no API token is mounted by default. */
export const KIT_SERVICE_ACCOUNT_TOKEN = podRule({
  id: 'kit-service-account-token',
  severity: Severity.WARNING,
  description: 'Pods should set automountServiceAccountToken: false unless they call the Kubernetes API.',
}, ({ pod, subject }) => (pod.spec.automountServiceAccountToken === false ? [] : [{
  path: `${pod.path}.automountServiceAccountToken`,
  message: `${subject}: ${describeSetting(POD_LABEL, 'automountServiceAccountToken', pod.spec.automountServiceAccountToken)}`,
  fix: 'Set automountServiceAccountToken: false on the pod spec; if the workload calls the Kubernetes API, '
    + 'add the annotation exceptions.k8s-platform-kit.dev/kit-service-account-token with the reason instead.',
}]));

/** The kit's pod hardening rules. */
export const POD_SECURITY_KIT_RULES = [KIT_READ_ONLY_ROOT_FILESYSTEM, KIT_SERVICE_ACCOUNT_TOKEN] as const;
