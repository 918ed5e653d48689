/**
 * Ledger fixtures written directly to Postgres, as the ambassador-join and order-settlement code
 * would leave them (so withdrawal tests do not depend on the order workflow): an ambassador with a
 * hashed token, orders, and reward entries posted with postEntry under the order code's keys.
 */
import crypto from 'node:crypto';
import type { Sql } from '../../db/client';
import { hashToken, newToken } from '../../lib/tokens';
import { ambassador, ledgerEntryProblems, ledgerInconsistencies, postEntry, system } from '../../ledger';

let seq = 0;
const uniq = (p: string) => `${p}${process.pid}x${++seq}x${crypto.randomBytes(3).toString('hex')}`;

export interface FixtureAmbassador {
  id: string;
  token: string;
  kind: 'individual' | 'enterprise';
  auth: string;
}

/** An ambassador; only sha256(token) is stored. */
export async function createAmbassador(sql: Sql, opts: { kind?: 'individual' | 'enterprise'; id?: string } = {}): Promise<FixtureAmbassador> {
  const id = opts.id ?? uniq('amb');
  const kind = opts.kind ?? 'individual';
  const token = newToken('amb');
  await sql`
    INSERT INTO ambassadors (id, usercode, account_id, kind, display_name, real_name_verified, token_hash, joined_at, rule_set_version)
    VALUES (${id}, ${`uc_${id}`}, ${`acct_${id}`}, ${kind}, ${`Ambassador ${id}`}, true, ${hashToken(token)}, now(), '2024-06-01')`;
  return { id, token, kind, auth: `Bearer ${token}` };
}

async function insertOrder(sql: Sql, ambassadorId: string, orderId: string, state: string, rewardYunqi: number, creditedYunqi: number) {
  // granted_yunqi comes with the order-settlement migration (005).
  await sql`
    INSERT INTO orders (order_id, customer_id, body_hash, body, placed_at, ambassador_id, state, reward_yunqi, granted_yunqi,
                        credited_yunqi, workflow_id)
    VALUES (${orderId}, ${`cust_${orderId}`}, 'fixture', ${sql.json({ fixture: true })}, now() - interval '90 days', ${ambassadorId},
            ${state}, ${rewardYunqi}, ${rewardYunqi}, ${creditedYunqi}, ${`order:${orderId}`})`;
}

/** reward.granted: rewards_expense −R, pending +R (the review period passed). */
export async function grantReward(sql: Sql, ambassadorId: string, orderId: string, rewardYunqi: number): Promise<void> {
  await postEntry(sql, {
    idempotencyKey: `order:${orderId}:granted`,
    kind: 'reward.granted',
    ambassadorId,
    orderId,
    postings: [
      { account: system('rewards_expense'), amountYunqi: -rewardYunqi },
      { account: ambassador(ambassadorId, 'pending'), amountYunqi: rewardYunqi },
    ],
  });
}

/** reward.credited: pending −x, available +x (installment n). */
export async function creditInstallment(sql: Sql, ambassadorId: string, orderId: string, n: number, yunqi: number): Promise<void> {
  await postEntry(sql, {
    idempotencyKey: `order:${orderId}:installment:${n}`,
    kind: 'reward.credited',
    ambassadorId,
    orderId,
    installment: n,
    postings: [
      { account: ambassador(ambassadorId, 'pending'), amountYunqi: -yunqi },
      { account: ambassador(ambassadorId, 'available'), amountYunqi: yunqi },
    ],
  });
}

/** reward.clawback: available −x, rewards_expense +x (a refund after crediting; may leave a debt). */
export async function clawback(sql: Sql, ambassadorId: string, orderId: string, yunqi: number, key = uniq('cb')): Promise<void> {
  await postEntry(sql, {
    idempotencyKey: `order:${orderId}:clawback:${key}`,
    kind: 'reward.clawback',
    ambassadorId,
    orderId,
    postings: [
      { account: ambassador(ambassadorId, 'available'), amountYunqi: -yunqi },
      { account: system('rewards_expense'), amountYunqi: yunqi },
    ],
  });
}

/** reward.voided: pending −y, rewards_expense +y (invalid before crediting). */
export async function voidPending(sql: Sql, ambassadorId: string, orderId: string, yunqi: number, key = uniq('void')): Promise<void> {
  await postEntry(sql, {
    idempotencyKey: `order:${orderId}:voided:${key}`,
    kind: 'reward.voided',
    ambassadorId,
    orderId,
    postings: [
      { account: ambassador(ambassadorId, 'pending'), amountYunqi: -yunqi },
      { account: system('rewards_expense'), amountYunqi: yunqi },
    ],
  });
}

/** A completed valid order (R-PAY-3): reward granted and every installment credited. */
export async function completedOrder(
  sql: Sql,
  ambassadorId: string,
  rewardYunqi: number,
  opts: { orderId?: string; split?: boolean } = {},
): Promise<string> {
  const orderId = opts.orderId ?? uniq('ord');
  await insertOrder(sql, ambassadorId, orderId, 'completed', rewardYunqi, rewardYunqi);
  await grantReward(sql, ambassadorId, orderId, rewardYunqi);
  if (opts.split) {
    const first = Math.ceil(rewardYunqi / 2);
    await creditInstallment(sql, ambassadorId, orderId, 1, first);
    await creditInstallment(sql, ambassadorId, orderId, 2, rewardYunqi - first);
  } else {
    await creditInstallment(sql, ambassadorId, orderId, 1, rewardYunqi);
  }
  return orderId;
}

/** An order whose reward is split and only the first half is credited: not yet complete (R-PAY-3). */
export async function halfCreditedOrder(sql: Sql, ambassadorId: string, rewardYunqi: number): Promise<string> {
  const orderId = uniq('ord');
  const first = Math.ceil(rewardYunqi / 2);
  await insertOrder(sql, ambassadorId, orderId, 'crediting', rewardYunqi, first);
  await grantReward(sql, ambassadorId, orderId, rewardYunqi);
  await creditInstallment(sql, ambassadorId, orderId, 1, first);
  return orderId;
}

/** Fails the test if any cached balance disagrees with its postings, or postings do not sum to 0. */
export async function expectLedgerSound(sql: Sql): Promise<void> {
  const bad = await ledgerInconsistencies(sql);
  if (bad.length) throw new Error(`ledger inconsistencies: ${JSON.stringify(bad)}`);
  const problems = await ledgerEntryProblems(sql);
  if (problems.length) throw new Error(`ledger entry problems: ${JSON.stringify(problems)}`);
}
