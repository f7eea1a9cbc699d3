export * from './workloads/index.js';
export * from './platform/index.js';
export * from './policy/index.js';
export { EnvValue, ServiceType, Secret, ConfigMap } from './_plus.js';
export * from './data/index.js';
