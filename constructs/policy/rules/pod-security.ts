/**
 * The pod security rules the kit enforces: every control of the Pod Security Standards
 * (baseline and restricted, Kubernetes v1.34) and the kit's own pod hardening rules.
 */
import type { PolicyRule } from '../finding.js';
import { POD_SECURITY_BASELINE_RULES } from './pod-security-baseline.js';
import { POD_SECURITY_KIT_RULES } from './pod-security-kit.js';
import { POD_SECURITY_RESTRICTED_RULES } from './pod-security-restricted.js';

export * from './pod-security-baseline.js';
export * from './pod-security-restricted.js';
export * from './pod-security-kit.js';

/** Baseline, then restricted, then the kit's rules. */
export const POD_SECURITY_RULES: readonly PolicyRule[] = [
  ...POD_SECURITY_BASELINE_RULES, ...POD_SECURITY_RESTRICTED_RULES, ...POD_SECURITY_KIT_RULES,
];
