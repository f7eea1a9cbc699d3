import type { PolicyRule } from '../finding.js';
import { POD_SECURITY_RULES } from './pod-security.js';
import { WORKLOAD_RULES } from './workload.js';

/** Every rule the kit enforces by default: the restricted Pod Security Standard and the workload rules. */
export const DEFAULT_RULES: readonly PolicyRule[] = [...POD_SECURITY_RULES, ...WORKLOAD_RULES];
