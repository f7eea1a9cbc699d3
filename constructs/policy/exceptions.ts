/**
 * Policy exceptions: an annotation on the object names the rule it is excepted from and
 * says why. `exceptions.k8s-platform-kit.dev/pss-host-path-volumes: "reads /var/log/pods"`.
 * A missing reason, or an exception for a rule that does not exist, is itself an error.
 */
import { Severity, type Finding, type ManifestObject } from './finding.js';
import { describeObject } from '../core/pod.js';

import { EXCEPTION_ANNOTATION_PREFIX, addPolicyException } from '../core/exceptions.js';

export { EXCEPTION_ANNOTATION_PREFIX, addPolicyException };

/** The id under which malformed exceptions are reported. They cannot themselves be waived. */
export const EXCEPTION_RULE_ID = 'policy-exception';

/** The exceptions an object declares, rule id → reason. */
export function exceptionsOf(object: ManifestObject): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(object.metadata?.annotations ?? {})) {
    if (key.startsWith(EXCEPTION_ANNOTATION_PREFIX)) out.set(key.slice(EXCEPTION_ANNOTATION_PREFIX.length), String(value));
  }
  return out;
}

/** Findings for exceptions that have no reason or name an unknown rule. */
export function checkExceptions(object: ManifestObject, knownRuleIds: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  const id = describeObject(object);
  for (const [ruleId, reason] of exceptionsOf(object)) {
    const path = `metadata.annotations.${EXCEPTION_ANNOTATION_PREFIX}${ruleId}`;
    if (!knownRuleIds.has(ruleId)) {
      findings.push({
        ruleId: EXCEPTION_RULE_ID, severity: Severity.ERROR, path,
        message: `${id}: exception names unknown rule '${ruleId}'`,
        fix: `Use one of the rule ids: ${[...knownRuleIds].sort().join(', ')}.`,
      });
    } else if (reason.trim() === '') {
      findings.push({
        ruleId: EXCEPTION_RULE_ID, severity: Severity.ERROR, path,
        message: `${id}: exception for rule '${ruleId}' has no reason`,
        fix: `Set the annotation value to the reason the object needs the exception, e.g. '${EXCEPTION_ANNOTATION_PREFIX}${ruleId}: "<why>"'.`,
      });
    }
  }
  return findings;
}
