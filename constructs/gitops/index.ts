export * from './drift.js';
export * from './graph.js';
