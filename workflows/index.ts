/** Every workflow the worker hosts (the production bundle's entry point). */
export * from './associations';
export * from './orders';
export * from './withdrawals';
export * from './reconciliation';
