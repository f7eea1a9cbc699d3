export * from './nodes.js';
export * from './workloads.js';
export * from './scheduler.js';
export * from './add-ons.js';
export * from './prices.js';
export * from './plan.js';
export * from './report.js';
export * from './check.js';
