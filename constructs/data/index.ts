export * from './stateful-mongo.js';
export * from './stateful-redis.js';
export type { DataStoreClient, DataStoreClientWorkload } from './clients.js';
