/**
 * A payout provider that pays nobody: it records payouts in Postgres (at most one per idempotency
 * key) and can be told to misbehave, so `npm start` and the tests can drive every path of the
 * withdrawal workflow. Faults live in local_payout_faults, per withdrawal ('withdrawal:<id>',
 * i.e. the idempotency key) or per ambassador ('ambassador:<id>'); the withdrawal's own wins:
 *  - transient: the call fails before paying (retryable), `remaining` times (NULL: always);
 *  - reject:    the call is refused for good (PayoutRejectedError);
 *  - timeout:   the payout IS made, but the answer is lost (PayoutTimeoutError after `hangMs`):
 *               the retry with the same key must find it, not pay again;
 *  - hang:      no answer for `hang_ms` (default `hangMs`), then the payout is made and answered;
 *               a call cancelled meanwhile (its AbortSignal) pays nothing.
 * simulateLatePayout makes the payout an abandoned attempt would make late, after its caller gave
 * up (the reconciliation of late payouts is tested with it).
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

export type PayoutFaultMode = 'transient' | 'reject' | 'timeout' | 'hang';

export interface PayoutFault {
  mode: PayoutFaultMode;
  /** How many calls misbehave (undefined: every call). */
  times?: number;
  message?: string;
  /** hang: how long the call waits before it pays and answers (default: the provider's hangMs). */
  hangMs?: number;
}

export type PayoutFaultTarget = { withdrawalId: string } | { ambassadorId: string };

const targetKey = (t: PayoutFaultTarget) => ('withdrawalId' in t ? `withdrawal:${t.withdrawalId}` : `ambassador:${t.ambassadorId}`);

/** Tell the local provider to misbehave for one withdrawal or for every payout of an ambassador. */
export async function setPayoutFault(sql: Sql, target: PayoutFaultTarget, fault: PayoutFault): Promise<void> {
  await sql`
    INSERT INTO local_payout_faults (target, mode, remaining, message, hang_ms)
    VALUES (${targetKey(target)}, ${fault.mode}, ${fault.times ?? null}, ${fault.message ?? null}, ${fault.hangMs ?? null})
    ON CONFLICT (target) DO UPDATE SET mode = EXCLUDED.mode, remaining = EXCLUDED.remaining, message = EXCLUDED.message, hang_ms = EXCLUDED.hang_ms`;
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

/** Waits `ms`, or less when `signal` aborts; answers whether it was aborted. */
function wait(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (aborted: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(aborted);
    };
    const onAbort = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

type Tx = Sql;
type Decided = { fault?: PayoutFaultMode; message?: string | null; hangMs?: number | null; providerRef?: string };

const log = (tx: Tx, req: PayoutRequest, outcome: string) =>
  tx`INSERT INTO local_payout_calls (idempotency_key, ambassador_id, net_yunqi, outcome) VALUES (${req.idempotencyKey}, ${req.ambassadorId}, ${req.netYunqi}, ${outcome})`;

/** Executes the payout for the key (at most one per key); a key used for another payout is refused. */
async function execute(tx: Tx, req: PayoutRequest, outcomeIfNew: string, outcomeIfReplayed: string): Promise<Decided> {
  const { idempotencyKey: key, ambassadorId, netYunqi } = req;
  const ref = `lp_${crypto.randomBytes(9).toString('base64url')}`;
  const [inserted] = await tx<{ provider_ref: string }[]>`
    INSERT INTO local_payouts (idempotency_key, ambassador_id, net_yunqi, provider_ref)
    VALUES (${key}, ${ambassadorId}, ${netYunqi}, ${ref})
    ON CONFLICT (idempotency_key) DO NOTHING RETURNING provider_ref`;
  if (inserted) {
    await log(tx, req, outcomeIfNew);
    return { providerRef: inserted.provider_ref };
  }
  const [prior] = await tx<{ provider_ref: string; ambassador_id: string; net_yunqi: number }[]>`
    SELECT provider_ref, ambassador_id, net_yunqi FROM local_payouts WHERE idempotency_key = ${key}`;
  if (!prior || prior.ambassador_id !== ambassadorId || prior.net_yunqi !== netYunqi) {
    await log(tx, req, 'rejected');
    return { fault: 'reject', message: `idempotency key ${key} was used for another payout` };
  }
  await log(tx, req, outcomeIfReplayed);
  return { providerRef: prior.provider_ref };
}

/**
 * An attempt abandoned by its caller that pays all the same, later (as a real provider may
 * complete a request the caller stopped waiting for): the payout is made now, unless one exists.
 */
export async function simulateLatePayout(sql: Sql, req: PayoutRequest): Promise<PayoutResult> {
  const out = (await sql.begin((tx) => execute(tx as unknown as Tx, req, 'paid_late', 'replayed'))) as Decided;
  if (!out.providerRef) throw new PayoutRejectedError(out.message ?? 'refused');
  return { providerRef: out.providerRef };
}

export class LocalPayoutProvider implements PayoutProvider {
  constructor(
    private readonly sql: Sql,
    private readonly opts: { hangMs?: number } = {},
  ) {}

  async pay(req: PayoutRequest, opts: { signal?: AbortSignal } = {}): Promise<PayoutResult> {
    const { idempotencyKey: key, ambassadorId } = req;
    // Decide the fault (and count it down) and execute the payout in one transaction.
    const decide = (payNow: boolean) =>
      this.sql.begin(async (t) => {
        const tx = t as unknown as Tx;
        const faults = await tx<{ target: string; mode: PayoutFaultMode; remaining: number | null; message: string | null; hang_ms: number | null }[]>`
          SELECT target, mode, remaining, message, hang_ms FROM local_payout_faults
           WHERE target IN (${`withdrawal:${key}`}, ${`ambassador:${ambassadorId}`})
           ORDER BY target LIKE 'withdrawal:%' DESC
           LIMIT 1 FOR UPDATE`;
        const fault = payNow ? undefined : faults[0] && (faults[0].remaining === null || faults[0].remaining > 0) ? faults[0] : undefined;
        if (fault && fault.remaining !== null) {
          await tx`UPDATE local_payout_faults SET remaining = remaining - 1 WHERE target = ${fault.target}`;
        }
        if (fault?.mode === 'transient' || fault?.mode === 'reject') {
          await log(tx, req, fault.mode === 'transient' ? 'transient' : 'rejected');
          return { fault: fault.mode, message: fault.message } satisfies Decided;
        }
        if (fault?.mode === 'hang') return { fault: 'hang', message: fault.message, hangMs: fault.hang_ms } satisfies Decided;
        const out = await execute(tx, req, fault?.mode === 'timeout' ? 'timeout' : 'paid', fault?.mode === 'timeout' ? 'timeout' : 'replayed');
        return out.fault ? out : { ...out, fault: fault?.mode, message: fault?.message };
      }) as Promise<Decided>;
    let outcome = await decide(false);
    if (outcome.fault === 'hang') {
      // A slow provider: no answer for a while; a cancelled call pays nothing.
      if (await wait(outcome.hangMs ?? this.opts.hangMs ?? 50, opts.signal)) {
        await log(this.sql, req, 'cancelled');
        throw new PayoutUnavailableError('local payout provider: the call was cancelled before the payout (simulated)');
      }
      outcome = await decide(true);
    }
    switch (outcome.fault) {
      case 'transient':
        throw new PayoutUnavailableError(outcome.message ?? 'local payout provider: temporarily unavailable (simulated)');
      case 'reject':
        throw new PayoutRejectedError(outcome.message ?? 'local payout provider: payout refused (simulated)');
      case 'timeout':
        await wait(this.opts.hangMs ?? 50, opts.signal);
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
