/** The settlement model: one customer's facts in, every order's outcome out (docs/settlement.md). */
export * from './facts';
export * from './outcome';
export { applyAdjustments, installmentsAt } from './adjustments';
export { associationAt, levelAt, settleCustomer } from './customer';
export { ledgerMoves, type Holding, type Move, type MoveKind } from './ledger-diff';
