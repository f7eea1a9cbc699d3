export * from './finding.js';
export * from './schema.js';
export * from './exceptions.js';
export * from './validate.js';
export * from './rules/index.js';
export * from './cdk8s-validation.js';
export { podSpecOf, containersOf, describeObject } from './_pod.js';
