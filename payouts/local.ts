/**
 * A payout provider that pays nobody: it records payouts in Postgres (at most one per idempotency
 * key) and can be told to misbehave, so `npm start` and the tests can drive every path of the
 * withdrawal workflow. Faults live in local_payout_faults, per withdrawal ('withdrawal:<id>',
 * i.e. the idempotency key) or per ambassador ('ambassador:<id>'); the withdrawal's own wins:
 *  - transient: the call fails before paying (retryable), `remaining` times (NULL: always);
 *  - reject:    the call is refused for good (PayoutRejectedError);
 *  - timeout:   the payout IS made, but the answer is lost (PayoutTimeoutError after `hangMs`):
 *               the retry with the same key must find it, not pay again.
 * Every call is logged in local_payout_calls.
 */
import crypto from 'node:crypto';
import type { Sql } from '../db/client';
import {
  PayoutRejectedError,
  PayoutTimeoutError,
  PayoutUnavailableError,
  type PayoutProvider,
  type PayoutRequest,
  type PayoutResult,
} from './provider';

export type PayoutFaultMode = 'transient' | 'reject' | 'timeout';

export interface PayoutFault {
  mode: PayoutFaultMode;
  /** How many calls misbehave (undefined: every call). */
  times?: number;
  message?: string;
}

export type PayoutFaultTarget = { withdrawalId: string } | { ambassadorId: string };

const targetKey = (t: PayoutFaultTarget) => ('withdrawalId' in t ? `withdrawal:${t.withdrawalId}` : `ambassador:${t.ambassadorId}`);

/** Tell the local provider to misbehave for one withdrawal or for every payout of an ambassador. */
export async function setPayoutFault(sql: Sql, target: PayoutFaultTarget, fault: PayoutFault): Promise<void> {
  await sql`
    INSERT INTO local_payout_faults (target, mode, remaining, message)
    VALUES (${targetKey(target)}, ${fault.mode}, ${fault.times ?? null}, ${fault.message ?? null})
    ON CONFLICT (target) DO UPDATE SET mode = EXCLUDED.mode, remaining = EXCLUDED.remaining, message = EXCLUDED.message`;
}

export async function clearPayoutFault(sql: Sql, target: PayoutFaultTarget): Promise<void> {
  await sql`DELETE FROM local_payout_faults WHERE target = ${targetKey(target)}`;
}

export interface LocalPayoutCall {
  idempotency_key: string;
  ambassador_id: string;
  net_yunqi: number;
  outcome: string;
}

export async function localPayoutCalls(sql: Sql, idempotencyKey: string): Promise<LocalPayoutCall[]> {
  return sql<LocalPayoutCall[]>`
    SELECT idempotency_key, ambassador_id, net_yunqi, outcome FROM local_payout_calls
     WHERE idempotency_key = ${idempotencyKey} ORDER BY id`;
}

export class LocalPayoutProvider implements PayoutProvider {
  constructor(
    private readonly sql: Sql,
    private readonly opts: { hangMs?: number } = {},
  ) {}

  async pay(req: PayoutRequest): Promise<PayoutResult> {
    const { idempotencyKey: key, ambassadorId, netYunqi } = req;
    // Decide the fault (and count it down) and execute the payout in one transaction.
    const outcome = await this.sql.begin(async (tx) => {
      const faults = await tx<{ target: string; mode: PayoutFaultMode; remaining: number | null; message: string | null }[]>`
        SELECT target, mode, remaining, message FROM local_payout_faults
         WHERE target IN (${`withdrawal:${key}`}, ${`ambassador:${ambassadorId}`})
         ORDER BY target LIKE 'withdrawal:%' DESC
         LIMIT 1 FOR UPDATE`;
      const fault = faults[0] && (faults[0].remaining === null || faults[0].remaining > 0) ? faults[0] : undefined;
      if (fault && fault.remaining !== null) {
        await tx`UPDATE local_payout_faults SET remaining = remaining - 1 WHERE target = ${fault.target}`;
      }
      const log = (o: string) =>
        tx`INSERT INTO local_payout_calls (idempotency_key, ambassador_id, net_yunqi, outcome) VALUES (${key}, ${ambassadorId}, ${netYunqi}, ${o})`;
      if (fault?.mode === 'transient' || fault?.mode === 'reject') {
        await log(fault.mode === 'transient' ? 'transient' : 'rejected');
        return { fault: fault.mode, message: fault.message } as const;
      }
      const ref = `lp_${crypto.randomBytes(9).toString('base64url')}`;
      const [inserted] = await tx<{ provider_ref: string }[]>`
        INSERT INTO local_payouts (idempotency_key, ambassador_id, net_yunqi, provider_ref)
        VALUES (${key}, ${ambassadorId}, ${netYunqi}, ${ref})
        ON CONFLICT (idempotency_key) DO NOTHING RETURNING provider_ref`;
      let providerRef = inserted?.provider_ref;
      if (!providerRef) {
        const [prior] = await tx<{ provider_ref: string; ambassador_id: string; net_yunqi: number }[]>`
          SELECT provider_ref, ambassador_id, net_yunqi FROM local_payouts WHERE idempotency_key = ${key}`;
        if (!prior || prior.ambassador_id !== ambassadorId || prior.net_yunqi !== netYunqi) {
          await log('rejected');
          return { fault: 'reject', message: `idempotency key ${key} was used for another payout` } as const;
        }
        providerRef = prior.provider_ref;
      }
      await log(fault?.mode === 'timeout' ? 'timeout' : inserted ? 'paid' : 'replayed');
      return { fault: fault?.mode === 'timeout' ? ('timeout' as const) : undefined, providerRef, message: fault?.message };
    });
    switch (outcome.fault) {
      case 'transient':
        throw new PayoutUnavailableError(outcome.message ?? 'local payout provider: temporarily unavailable (simulated)');
      case 'reject':
        throw new PayoutRejectedError(outcome.message ?? 'local payout provider: payout refused (simulated)');
      case 'timeout':
        await new Promise((resolve) => setTimeout(resolve, this.opts.hangMs ?? 50));
        throw new PayoutTimeoutError(outcome.message ?? 'local payout provider: no answer in time (simulated; the payout was made)');
      default:
        return { providerRef: outcome.providerRef! };
    }
  }

  async find(idempotencyKey: string): Promise<PayoutResult | null> {
    const [row] = await this.sql<{ provider_ref: string }[]>`SELECT provider_ref FROM local_payouts WHERE idempotency_key = ${idempotencyKey}`;
    return row ? { providerRef: row.provider_ref } : null;
  }
}
