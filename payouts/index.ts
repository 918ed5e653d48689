/** Payout providers: the interface the withdrawal workflow pays through, and the local one. */
export * from './provider';
export * from './local';
