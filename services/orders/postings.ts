/**
 * The ledger side of a settlement: the moves that bring an order's entries to its outcome
 * (domain/settlement/ledger-diff.ts), posted as new entries, each saying why and referencing the
 * entry it corrects (reversesEntry). Keys are unique per order and step, so a repeated settlement
 * finds nothing left to post.
 */
import { ledgerMoves, type Holding, type Move, type OrderOutcome } from '../../domain/settlement';
import type { Sql } from '../../db/client';
import { ambassador, postEntry, system, type EntryInput, type Posting } from '../../ledger';

export interface PriorEntry {
  id: number;
  kind: string;
  ambassador_id: string | null;
  idempotency_key: string;
}

const RULE: Record<string, string> = {
  REFUND_IN_REVIEW: 'R-REV-1',
  FULL_REFUND: 'R-REV-2',
  REFUNDED_TO_ZERO: 'R-REV-2',
  CHEATING: 'R-REV-2',
  SAME_PERSON: 'R-REV-2',
  IDENTITY_CHANGED: 'R-SAME-2',
};

function postings(m: Move): Posting[] {
  const pending = ambassador(m.ambassadorId, 'pending');
  const available = ambassador(m.ambassadorId, 'available');
  const expense = system('rewards_expense');
  switch (m.kind) {
    case 'grant':
      return [{ account: expense, amountYunqi: -m.yunqi }, { account: pending, amountYunqi: m.yunqi }];
    case 'credit':
      return [{ account: pending, amountYunqi: -m.yunqi }, { account: available, amountYunqi: m.yunqi }];
    case 'uncredit':
      return [{ account: available, amountYunqi: -m.yunqi }, { account: pending, amountYunqi: m.yunqi }];
    case 'void':
      return [{ account: pending, amountYunqi: -m.yunqi }, { account: expense, amountYunqi: m.yunqi }];
    case 'clawback':
      return [{ account: available, amountYunqi: -m.yunqi }, { account: expense, amountYunqi: m.yunqi }];
  }
}

/** Net postings of several moves (accounts whose amounts cancel out are left out). */
function net(moves: Move[]): Posting[] {
  const sums = new Map<string, Posting>();
  for (const p of moves.flatMap(postings)) {
    const k = `${p.account.ambassadorId ?? ''}:${p.account.kind}`;
    const prev = sums.get(k);
    sums.set(k, { account: p.account, amountYunqi: (prev?.amountYunqi ?? 0) + p.amountYunqi });
  }
  return [...sums.values()].filter((p) => p.amountYunqi !== 0);
}

/** The kind of a correcting entry: a clawback when credited yunqi go back, a void when only pending ones do. */
function correctionKind(moves: Move[]): string {
  if (moves.some((m) => m.kind === 'clawback')) return 'reward.clawback';
  if (moves.every((m) => m.kind === 'void')) return 'reward.voided';
  return 'reward.adjusted';
}

/**
 * Posts what an order's outcome still needs, per ambassador: a first grant, the credits (one entry;
 * `order:<id>:installment:<n>` when it is one installment), and one correcting entry for the rest
 * (more or less reward, uncredited, voided, clawed back) that references the grant it corrects.
 * `because` says what made the settlement run, when it was not this order's own step.
 */
export async function postOrderMoves(
  tx: Sql,
  input: { orderId: string; outcome: OrderOutcome; holdings: Holding[]; prior: PriorEntry[]; newlyCredited: number[]; because: string | null },
): Promise<number> {
  const { orderId, outcome } = input;
  const moves = ledgerMoves(input.holdings, { ambassadorId: outcome.assessment.ambassadorId, rewardYunqi: outcome.rewardYunqi, creditedYunqi: outcome.creditedYunqi });
  const keys = new Set(input.prior.map((e) => e.idempotency_key));
  let seq = input.prior.length;
  const unique = (preferred: string | null) => {
    let k = preferred && !keys.has(preferred) ? preferred : null;
    while (!k || keys.has(k)) k = `order:${orderId}:entry:${++seq}`;
    keys.add(k);
    return k;
  };
  const grantOf = (ambassadorId: string) => input.prior.find((e) => e.kind === 'reward.granted' && e.ambassador_id === ambassadorId)?.id ?? null;
  const base = { orderId, ruleSetVersion: outcome.assessment.ruleSetVersion || null };
  const because = input.because ? { because: input.because } : {};
  let posted = 0;
  const post = async (entry: EntryInput) => {
    posted++;
    return postEntry(tx, entry);
  };
  for (const ambassadorId of [...new Set(moves.map((m) => m.ambassadorId))]) {
    const mine = moves.filter((m) => m.ambassadorId === ambassadorId);
    const grant = mine.find((m) => m.kind === 'grant');
    const credit = mine.find((m) => m.kind === 'credit');
    const rest = mine.filter((m) => m !== credit && (m !== grant || grantOf(ambassadorId) !== null));
    if (grant && grantOf(ambassadorId) === null) {
      const e = await post({
        ...base,
        idempotencyKey: unique(`order:${orderId}:granted`),
        kind: 'reward.granted',
        ambassadorId,
        explanation: { ...((outcome.assessment.commission ?? {}) as unknown as Record<string, unknown>), ...because },
        postings: postings(grant),
      });
      input.prior.push({ id: e.entryId, kind: 'reward.granted', ambassador_id: ambassadorId, idempotency_key: `order:${orderId}:granted` });
    }
    if (credit) {
      const single = input.newlyCredited.length === 1 ? input.newlyCredited[0]! : null;
      await post({
        ...base,
        idempotencyKey: unique(single !== null ? `order:${orderId}:installment:${single}` : null),
        kind: 'reward.credited',
        ambassadorId,
        installment: single,
        explanation: { installments: input.newlyCredited, of: outcome.installments.length, yunqi: credit.yunqi, ...because },
        postings: postings(credit),
      });
    }
    const correction = net(rest);
    if (correction.length >= 2) {
      const attributed = outcome.assessment.ambassadorId === ambassadorId;
      await post({
        ...base,
        idempotencyKey: unique(null),
        kind: correctionKind(rest),
        ambassadorId,
        reversesEntry: grantOf(ambassadorId),
        explanation: {
          rule: attributed ? (RULE[outcome.reasonCode ?? ''] ?? 'R-ORD-9') : 'R-ATTR-5',
          reasonCode: attributed ? outcome.reasonCode : 'ATTRIBUTED_ELSEWHERE',
          rewardYunqi: attributed ? outcome.rewardYunqi : 0,
          moves: rest.map((m) => ({ kind: m.kind, yunqi: m.yunqi })),
          ...because,
        },
        postings: correction,
      });
    }
  }
  return posted;
}
