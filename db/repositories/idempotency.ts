/**
 * Idempotency-Key for money-moving POSTs (Stripe's habit): the first answer to (ambassador,
 * scope, key) is stored with a hash of the normalized request, in the same transaction as the
 * work it describes. The same key and request replays that answer; the same key with another
 * request is refused (422 idempotency_key_reused). Run it while holding a lock that serializes
 * the ambassador's requests (ledger/locks.ts withAmbassadorLock), so two concurrent
 * requests with one key cannot both do the work.
 */
import { canonicalHash } from '../../lib/canonical-hash';
import type { Sql } from '../client';

export interface StoredAnswer {
  status: number;
  body: unknown;
}

export class IdempotencyKeyReusedError extends Error {
  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was already used with a different request`);
  }
}

/** sha256 of the normalized request, key order aside. */
export const requestHash = canonicalHash;

/**
 * Answers the stored answer for the key, or computes, stores and answers a new one. Answers with
 * status ≥ 500 are not stored (a retry may do better).
 */
export async function idempotentAnswer(
  tx: Sql,
  id: { ambassadorId: string; scope: string; key: string; requestHash: string },
  compute: () => Promise<StoredAnswer>,
): Promise<StoredAnswer & { replayed: boolean }> {
  const [prior] = await tx<{ request_hash: string; response_status: number; response_body: unknown }[]>`
    SELECT request_hash, response_status, response_body FROM idempotency_keys
     WHERE ambassador_id = ${id.ambassadorId} AND scope = ${id.scope} AND key = ${id.key}`;
  if (prior) {
    if (prior.request_hash !== id.requestHash) throw new IdempotencyKeyReusedError(id.key);
    return { status: prior.response_status, body: prior.response_body, replayed: true };
  }
  const answer = await compute();
  if (answer.status < 500) {
    await tx`
      INSERT INTO idempotency_keys (ambassador_id, scope, key, request_hash, response_status, response_body)
      VALUES (${id.ambassadorId}, ${id.scope}, ${id.key}, ${id.requestHash}, ${answer.status}, ${tx.json(answer.body as never)})`;
  }
  return { ...answer, replayed: false };
}
