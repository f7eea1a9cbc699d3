export * from './load.js';
export * from './rules.js';
export * from './schema.js';
export * from './versions.js';
export * from './machine-types.js';
export * from './cidr.js';
export * from './platform.js';
