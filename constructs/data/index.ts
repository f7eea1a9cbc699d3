export * from './stateful-mongo.js';
