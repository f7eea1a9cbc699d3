/**
 * How a construct declares a policy exception on the object it writes: an annotation that
 * names the rule and says why. The validation spine reads them (policy/exceptions.ts).
 */
import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';

/** The annotation key prefix; the rule id follows the slash. */
export const EXCEPTION_ANNOTATION_PREFIX = 'exceptions.k8s-platform-kit.dev/';

/**
 * Declares on a synthesized object (an `ApiObject`, or a construct whose default child is
 * one, such as every cdk8s-plus resource) that it is excepted from `ruleId`, and why.
 */
export function addPolicyException(target: IConstruct, ruleId: string, reason: string): void {
  const apiObject = ApiObject.isApiObject(target) ? target : ApiObject.of(target);
  apiObject.metadata.addAnnotation(`${EXCEPTION_ANNOTATION_PREFIX}${ruleId}`, reason);
}
