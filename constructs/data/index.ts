export * from './stateful-mongo.js';
export * from './stateful-redis.js';
export * from './clients.js';
