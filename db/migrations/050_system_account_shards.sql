-- System accounts spread over shards (issue 16: no hot rows). Every reward grant posts to
-- rewards_expense, so with one system account every grant in the system waited for the one
-- balance row's lock (held until its transaction commits). Each system account kind
-- (rewards_expense, tax_payable, payout_clearing) is now 64 accounts, shards 0..63; an entry's
-- system postings go to the shard chosen by a hash of the entry's ambassador, so grants for
-- different ambassadors wait on a shared row only when their ambassadors hash alike (1 in 64),
-- and one ambassador's entries always use one shard. A kind's balance is the sum of its shards
-- (ledger/index.ts systemBalance); every shard is an ordinary account, with its cached balance
-- and postings, so ledger_inconsistencies() and ledger_entry_problems() prove it as before.
--
-- The existing system account of each kind becomes shard 0 with its balance and postings; the
-- other shards start at zero. Callers name a system account by kind (`system('rewards_expense')`
-- in ledger/index.ts); the ledger resolves the shard (ledger_account_id with a shard key below).
-- More shards later: insert the accounts of the next shard numbers (contiguous from 0); the hash
-- is taken modulo the number of shards, and any shard is a correct place for any entry.

ALTER TABLE ledger_accounts ADD COLUMN shard int NOT NULL DEFAULT 0;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_shard_of_system CHECK (shard >= 0 AND (ambassador_id IS NULL OR shard = 0));

-- One account per ambassador and kind as before (a plain UNIQUE: ambassador accounts are never
-- NULL, so ON CONFLICT (ambassador_id, kind) still finds its arbiter), one per system kind and
-- shard (the partial index).
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_ambassador_id_kind_key;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_ambassador_id_kind_key UNIQUE (ambassador_id, kind);
CREATE UNIQUE INDEX ledger_accounts_system_shard ON ledger_accounts (kind, shard) WHERE ambassador_id IS NULL;

INSERT INTO ledger_accounts (ambassador_id, kind, shard)
SELECT NULL, k, s FROM unnest(ARRAY['rewards_expense', 'tax_payable', 'payout_clearing']) AS k CROSS JOIN generate_series(1, 63) AS s
ORDER BY k, s;

-- The system account of `p_kind` for entries of `p_shard_key` (the entry's ambassador; NULL or
-- '' for entries of system accounts alone): shard hash(key) mod the number of shards.
CREATE FUNCTION ledger_system_account_id(p_kind text, p_shard_key text) RETURNS bigint LANGUAGE plpgsql STABLE AS $$
DECLARE n int; v bigint;
BEGIN
  SELECT count(*) INTO n FROM ledger_accounts WHERE ambassador_id IS NULL AND kind = p_kind;
  IF n = 0 THEN RAISE EXCEPTION 'system account % is missing', p_kind USING ERRCODE = 'foreign_key_violation'; END IF;
  SELECT id INTO v FROM ledger_accounts
   WHERE ambassador_id IS NULL AND kind = p_kind AND shard = (hashtext(coalesce(p_shard_key, '')) & 2147483647) % n;
  IF v IS NULL THEN RAISE EXCEPTION 'system account % has no shard % of %', p_kind, (hashtext(coalesce(p_shard_key, '')) & 2147483647) % n, n USING ERRCODE = 'foreign_key_violation'; END IF;
  RETURN v;
END $$;

-- The account's id: an ambassador's (created when missing, as 007's ledger_account_id), or the
-- system account's shard for `p_shard_key`. What ledger/index.ts calls.
CREATE FUNCTION ledger_account_id(p_ambassador text, p_kind text, p_shard_key text) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  IF p_ambassador IS NULL THEN RETURN ledger_system_account_id(p_kind, p_shard_key); END IF;
  RETURN ledger_account_id(p_ambassador, p_kind);
END $$;

-- 007's two-argument form stays for SQL callers; a system account there is the shard of no key.
CREATE OR REPLACE FUNCTION ledger_account_id(p_ambassador text, p_kind text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE v bigint;
BEGIN
  IF p_ambassador IS NULL THEN RETURN ledger_system_account_id(p_kind, NULL); END IF;
  SELECT id INTO v FROM ledger_accounts WHERE ambassador_id = p_ambassador AND kind = p_kind;
  IF v IS NULL THEN
    INSERT INTO ledger_accounts (ambassador_id, kind) VALUES (p_ambassador, p_kind)
    ON CONFLICT (ambassador_id, kind) DO NOTHING RETURNING id INTO v;
    IF v IS NULL THEN
      SELECT id INTO v FROM ledger_accounts WHERE ambassador_id = p_ambassador AND kind = p_kind;
    END IF;
  END IF;
  RETURN v;
END $$;

-- 007's entry from JSON (postEntries' path), now with each system posting on the shard of the
-- entry's ambassador.
CREATE OR REPLACE FUNCTION ledger_post_entry(p_entry jsonb) RETURNS TABLE (entry_id bigint, duplicate boolean) LANGUAGE plpgsql AS $$
DECLARE v_id bigint; v_ids bigint[]; v_amts bigint[];
BEGIN
  SELECT array_agg(x.account_id ORDER BY x.account_id), array_agg(x.amount ORDER BY x.account_id) INTO v_ids, v_amts
    FROM (SELECT r.account_id, sum(r.amount)::bigint AS amount
            FROM (SELECT ledger_account_id(p->>'ambassadorId', p->>'kind', p_entry->>'ambassadorId') AS account_id, (p->>'amountYunqi')::bigint AS amount
                    FROM jsonb_array_elements(p_entry->'postings') AS p) r
           GROUP BY r.account_id) x;
  INSERT INTO journal_entries (idempotency_key, kind, ambassador_id, order_id, installment, withdrawal_id, reverses_entry,
                               rule_set_version, explanation, account_ids, amounts)
  VALUES (p_entry->>'idempotencyKey', p_entry->>'kind', p_entry->>'ambassadorId', p_entry->>'orderId',
          (p_entry->>'installment')::int, p_entry->>'withdrawalId', (p_entry->>'reversesEntry')::bigint,
          p_entry->>'ruleSetVersion', coalesce(p_entry->'explanation', '{}'::jsonb), coalesce(v_ids, '{}'), coalesce(v_amts, '{}'))
  ON CONFLICT (idempotency_key) DO NOTHING
  RETURNING id INTO v_id;
  IF v_id IS NULL THEN
    RETURN QUERY SELECT j.id, true FROM journal_entries j WHERE j.idempotency_key = p_entry->>'idempotencyKey';
    RETURN;
  END IF;
  RETURN QUERY SELECT v_id, false;
END $$;

-- A system kind's balance: the sum of its shards.
CREATE FUNCTION ledger_system_balance(p_kind text) RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT coalesce(sum(b.balance_yunqi), 0)::bigint
    FROM ledger_accounts a JOIN account_balances b ON b.account_id = a.id
   WHERE a.ambassador_id IS NULL AND a.kind = p_kind;
$$;
