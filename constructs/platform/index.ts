export * from './flux-git-sync.js';
