export * from './drift.js';
export * from './graph.js';
export * from './render.js';
export * from './layout.js';
export * from './chart-kustomizations.js';
export * from './synth.js';
export * from './validated-render.js';
