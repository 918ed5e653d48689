/** Every workflow the worker hosts (the bundle entry point). */
export * from './probe';
