/** Every workflow the worker hosts (the bundle entry point). */
export * from './probe';
export * from './association';
export * from './order';
export * from './withdrawal';
