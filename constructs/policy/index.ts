export * from './finding.js';
export * from './schema.js';
export * from './exceptions.js';
export * from './validate.js';
export * from './rules/index.js';
export * from './cdk8s-validation.js';
export { podSpecOf, containersOf, describeObject, type PodSpecLocation, type ContainerLocation, type ContainerList } from './_pod.js';
export { dns1123LabelProblem, dns1123SubdomainProblem, dns1035LabelProblem, qualifiedNameProblem, labelValueProblem } from './_names.js';
export * from './warnings.js';
