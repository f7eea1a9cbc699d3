/**
 * `kit-qos-declared`: a workload that declares its QoS class on its pod template gets it.
 */
import type { IContainer } from 'kubernetes-models/v1';
import { Severity, finding } from '../finding.js';
import type { Finding, ManifestObject, PolicyRule } from '../finding.js';
import { containersOf, describeObject, podSpecOf } from '../../core/pod.js';
import { QOS_CLASS_ANNOTATION, QosClass, explainQosClass } from '../../core/qos.js';
import type { QosExplanation } from '../../core/qos.js';
import { isQuantity } from '../../core/quantity.js';
import { podMetadataPath } from './_selector.js';

/** The classes a workload may declare: BestEffort pods are evicted first and are never wanted. */
const DECLARABLE: readonly QosClass[] = [QosClass.GUARANTEED, QosClass.BURSTABLE];

/** How to reach the declared class from each computed one. */
function fixFor(declared: QosClass, computed: QosClass): string {
  if (declared === QosClass.GUARANTEED) {
    return 'Give every container and init container cpu and memory limits equal to its requests, '
      + `or declare ${QosClass.BURSTABLE.name} in the ${QOS_CLASS_ANNOTATION} annotation.`;
  }
  if (computed === QosClass.GUARANTEED) {
    return 'Set a cpu or memory request below its limit in one container, '
      + `or declare ${QosClass.GUARANTEED.name} in the ${QOS_CLASS_ANNOTATION} annotation.`;
  }
  return 'Set cpu and memory requests (and a memory limit) on the containers.';
}

/**
 * `kit-qos-declared`: a pod template that declares its QoS class in the
 * `k8s-platform-kit.dev/qos-class` annotation has that class.
 */
export const KIT_QOS_DECLARED: PolicyRule = {
  id: 'kit-qos-declared',
  severity: Severity.ERROR,
  description: `A pod template that declares its QoS class in the ${QOS_CLASS_ANNOTATION} annotation (Guaranteed or Burstable) has that class.`,
  check: checkQosDeclared,
};

function checkQosDeclared(object: ManifestObject): Finding[] {
  const pod = podSpecOf(object);
  const declaredName = pod?.templateMetadata.annotations?.[QOS_CLASS_ANNOTATION];
  if (!pod || declaredName === undefined) return [];
  const path = `${podMetadataPath(pod)}.annotations[${JSON.stringify(QOS_CLASS_ANNOTATION)}]`;

  const declared = DECLARABLE.find((qos) => qos.name === declaredName);
  if (!declared) {
    return [finding(KIT_QOS_DECLARED, {
      path,
      message: `${describeObject(object)}: annotation ${QOS_CLASS_ANNOTATION} is '${declaredName}'; a workload may only declare ${DECLARABLE.map((qos) => qos.name).join(' or ')}.`,
      fix: `Set the ${QOS_CLASS_ANNOTATION} annotation to ${DECLARABLE.map((qos) => qos.name).join(' or ')}, or remove it.`,
    })];
  }

  const containers = containersOf(pod, ['containers', 'initContainers']).map((location) => location.container as IContainer);
  const explanation = explainIfValid(containers);
  // Invalid quantities are reported by kit-resources; the class cannot be computed until they are fixed.
  if (!explanation || explanation.qosClass === declared) return [];
  return [finding(KIT_QOS_DECLARED, {
    path,
    message: `${describeObject(object)} declares QoS class ${declared.name} (annotation ${QOS_CLASS_ANNOTATION}) but its containers make it ${explanation.qosClass.name}: ${explanation.reason}.`,
    fix: fixFor(declared, explanation.qosClass),
  })];
}

function explainIfValid(containers: readonly IContainer[]): QosExplanation | undefined {
  const values = containers.flatMap((container) => [
    ...Object.values(container.resources?.requests ?? {}),
    ...Object.values(container.resources?.limits ?? {}),
  ]);
  return values.every(isQuantity) ? explainQosClass(containers) : undefined;
}
