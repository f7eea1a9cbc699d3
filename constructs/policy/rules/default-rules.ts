import type { PolicyRule } from '../finding.js';
import { POD_SECURITY_RULES } from './pod-security.js';
import { WORKLOAD_RULES } from './workload.js';
import { SECRET_RULES } from './plaintext-secrets.js';
import { FIELD_VALIDATION_RULES } from './field-validation.js';
import { API_OBJECT_RULES } from './api-objects.js';
import { API_CRD_RULES } from './crd-rules.js';

/** Every rule the kit enforces by default: the restricted Pod Security Standard, the workload rules, no secret in plain text, the API server's field and object validation, and the CEL rules of the pinned CRDs. */
export const DEFAULT_RULES: readonly PolicyRule[] = [...POD_SECURITY_RULES, ...WORKLOAD_RULES, ...SECRET_RULES, ...FIELD_VALIDATION_RULES, ...API_OBJECT_RULES, API_CRD_RULES];
