export * from './workloads/index.js';
export * from './platform/index.js';
export * from './policy/index.js';
export { EnvValue, ServiceType, Secret, ConfigMap } from './core/plus.js';
export * from './data/index.js';
export { PropsError, PropsValidator, type PropsProblem } from './core/errors.js';
export { AZURE_TENANT_ID, clusterValue, clusterValuesIn, identityClientIdValue, substituteClusterValues } from './core/cluster-values.js';
