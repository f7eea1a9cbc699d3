export * from './flux-git-sync.js';
export * from './app-namespace.js';
export * from './team-namespace.js';
export * from './access.js';
export * from './storage.js';
export * from './backup-schedule.js';
export * from './efk-logging.js';
