/**
 * From what an order's entries already posted to what its outcome says, as new correcting
 * entries: the ledger is never edited (docs/settlement.md). Per ambassador, an order holds
 * `pending` (granted, not yet credited) and `available` (credited). The outcome wants, for the
 * attributed ambassador, pending = reward − credited and available = credited, and nothing for
 * anyone else (an order attributed anew gives back what the former ambassador held).
 *
 * The moves, in the order they are posted (each keeps pending ≥ 0):
 *   grant      rewards_expense → pending        more reward than was granted
 *   credit     pending → available               an installment fell due
 *   uncredit   available → pending               credited too early (the plan was split after all)
 *   void       pending → rewards_expense         less reward, not yet credited
 *   clawback   available → rewards_expense       less reward than was credited (may leave available
 *                                                below zero: the ambassador's debt, repaid by later credits)
 */

export interface Holding {
  ambassadorId: string;
  pendingYunqi: number;
  availableYunqi: number;
}

export type MoveKind = 'grant' | 'credit' | 'uncredit' | 'void' | 'clawback';

export interface Move {
  kind: MoveKind;
  ambassadorId: string;
  yunqi: number;
}

/** The moves for one ambassador from (pending, available) to (wantPending, wantAvailable). */
function movesFor(ambassadorId: string, have: { p: number; a: number }, want: { p: number; a: number }): Move[] {
  const moves: Move[] = [];
  const add = (kind: MoveKind, yunqi: number) => yunqi > 0 && moves.push({ kind, ambassadorId, yunqi });
  let dP = want.p - have.p;
  let dA = want.a - have.a;
  // Between pending and available first: a credit or an uncredit where both change opposite ways.
  const credit = dA > 0 && dP < 0 ? Math.min(dA, -dP) : 0;
  const uncredit = dA < 0 && dP > 0 ? Math.min(-dA, dP) : 0;
  dA += uncredit - credit;
  dP += credit - uncredit;
  // What is left reaches rewards_expense: available that must still rise is granted, then credited.
  const grant = Math.max(0, dP) + Math.max(0, dA);
  add('grant', grant);
  add('credit', credit + Math.max(0, dA));
  add('uncredit', uncredit);
  add('void', Math.max(0, -dP));
  add('clawback', Math.max(0, -dA));
  return moves;
}

/** Every move that makes the holdings equal the outcome (none when they already are). */
export function ledgerMoves(holdings: readonly Holding[], want: { ambassadorId: string | null; rewardYunqi: number; creditedYunqi: number }): Move[] {
  const ids = new Set(holdings.map((h) => h.ambassadorId));
  if (want.ambassadorId) ids.add(want.ambassadorId);
  const moves: Move[] = [];
  for (const id of [...ids].sort()) {
    const h = holdings.find((x) => x.ambassadorId === id) ?? { pendingYunqi: 0, availableYunqi: 0 };
    const target = id === want.ambassadorId ? { p: want.rewardYunqi - want.creditedYunqi, a: want.creditedYunqi } : { p: 0, a: 0 };
    moves.push(...movesFor(id, { p: h.pendingYunqi, a: h.availableYunqi }, target));
  }
  return moves;
}
