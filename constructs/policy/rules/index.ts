export * from './pod-security.js';
export * from './workload.js';
export * from './default-rules.js';
export * from './plaintext-secrets.js';
export * from './field-validation.js';
export * from './api-objects.js';
export * from './crd-rules.js';
