-- Postings move into their journal entry's row, and one row trigger per entry checks it and keeps
-- the cached balances. A credit used to cost an entry row, two posting rows with three indexes
-- each, four foreign-key checks, two per-posting triggers and a deferred check at commit; it is
-- now one row, one trigger and one balance UPDATE per account (issue 6: single credits at half
-- the rate of a plain insert; `npm run bench:ledger`).
--
-- journal_entries.account_ids and .amounts are the postings: account ids strictly ascending (so
-- each account once, and balance rows are locked in one order by every entry: no deadlock), each
-- amount a non-zero integer, the amounts summing to zero, at least two. `postings` is now a view
-- over those arrays, with the columns readers used (entry_id, account_id, amount_yunqi) and the
-- posting's position in its entry.
--
-- journal_entries_apply (AFTER INSERT, per row) refuses an entry that breaks those rules, adds
-- each amount to its account's cached balance, refuses an unknown account, and refuses an
-- ambassador's account on an entry whose ambassador_id names someone else, so "the entries that
-- touch ambassador A" are exactly the entries with ambassador_id = A (the statement query uses
-- that index). It fires for every INSERT, whoever writes it: an entry cannot be written without
-- its postings and its balances. Entries stay append-only (002's triggers), so an entry is
-- balanced for ever, and so are its postings. A row that ON CONFLICT DO NOTHING skips is not
-- inserted and fires nothing.
--
-- Dropped: the postings table (after copying its rows into the entries), the deferred
-- journal_entries_balanced check and created_xid (006), the per-posting trigger and the
-- foreign keys that the trigger makes redundant (journal_entries.ambassador_id: an entry touching
-- an ambassador's account names its owner, and accounts reference ambassadors).
-- ledger_accounts becomes append-only too: an account id always means the same account, which
-- lets writers cache it (ledger/index.ts).

ALTER TABLE journal_entries ADD COLUMN account_ids bigint[], ADD COLUMN amounts bigint[];

-- Copy the existing postings into their entries (the append-only trigger is off for this one
-- statement, inside this migration's transaction).
ALTER TABLE journal_entries DISABLE TRIGGER journal_entries_append_only;
UPDATE journal_entries j
   SET account_ids = p.ids, amounts = p.amts
  FROM (SELECT entry_id, array_agg(account_id ORDER BY account_id) AS ids, array_agg(amount ORDER BY account_id) AS amts
          FROM (SELECT entry_id, account_id, sum(amount_yunqi)::bigint AS amount FROM postings GROUP BY entry_id, account_id) per_account
         GROUP BY entry_id) p
 WHERE p.entry_id = j.id;
ALTER TABLE journal_entries ENABLE TRIGGER journal_entries_append_only;
ALTER TABLE journal_entries ALTER COLUMN account_ids SET NOT NULL, ALTER COLUMN amounts SET NOT NULL;

DROP TABLE postings;   -- with its triggers; ledger_apply_posting goes below
DROP FUNCTION ledger_apply_posting();
DROP TRIGGER journal_entries_balanced ON journal_entries;
DROP FUNCTION ledger_check_entry();
ALTER TABLE journal_entries DROP COLUMN created_xid;
ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_ambassador_id_fkey;

CREATE VIEW postings AS
  SELECT j.id AS entry_id, p.position::int AS position, p.account_id, p.amount_yunqi
    FROM journal_entries j
   CROSS JOIN LATERAL unnest(j.account_ids, j.amounts) WITH ORDINALITY AS p(account_id, amount_yunqi, position);

-- The owner of each balance row, for the trigger's check (NULL for system accounts).
ALTER TABLE account_balances ADD COLUMN ambassador_id text;
UPDATE account_balances b SET ambassador_id = a.ambassador_id FROM ledger_accounts a WHERE a.id = b.account_id;

CREATE OR REPLACE FUNCTION ledger_account_created() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO account_balances (account_id, ambassador_id) VALUES (NEW.id, NEW.ambassador_id);
  RETURN NEW;
END $$;

-- An ambassador's four accounts are created with the ambassador, in its transaction (and now for
-- every existing ambassador): a writer that caches account ids (ledger/index.ts) then only ever
-- sees ids of committed accounts, unless the ambassador itself is rolled back.
CREATE FUNCTION ledger_ambassador_accounts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ledger_accounts (ambassador_id, kind)
  SELECT NEW.id, k FROM unnest(ARRAY['pending', 'available', 'reserved', 'paid_out']) AS k
  ON CONFLICT (ambassador_id, kind) DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER ambassadors_ledger_accounts AFTER INSERT ON ambassadors
  FOR EACH ROW EXECUTE FUNCTION ledger_ambassador_accounts();
INSERT INTO ledger_accounts (ambassador_id, kind)
SELECT a.id, k FROM ambassadors a CROSS JOIN unnest(ARRAY['pending', 'available', 'reserved', 'paid_out']) AS k
ON CONFLICT (ambassador_id, kind) DO NOTHING;

CREATE TRIGGER ledger_accounts_append_only BEFORE UPDATE OR DELETE ON ledger_accounts
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_accounts_no_truncate BEFORE TRUNCATE ON ledger_accounts
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- Kept short on purpose: every plpgsql expression is an executor call, and this runs for every
-- entry. The arrays are copied into local variables once (NEW.amounts[i] would copy the whole
-- array on every access). One loop checks each posting and applies it; a refusal part-way
-- aborts the statement, updates included. The owner check is part of the UPDATE, and the error
-- path finds out which rule failed.
CREATE FUNCTION ledger_apply_entry() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids   bigint[] := NEW.account_ids;
  amts  bigint[] := NEW.amounts;
  n     int := cardinality(ids);
  total bigint := 0;
  prev  bigint := 0;
BEGIN
  IF n < 2 OR n <> cardinality(amts) THEN
    RAISE EXCEPTION 'journal entry % does not balance (% postings, % amounts; it needs at least two postings, summing to zero)',
      NEW.idempotency_key, n, cardinality(amts) USING ERRCODE = 'check_violation';
  END IF;
  FOR i IN 1 .. n LOOP
    IF (ids[i] > prev AND amts[i] <> 0) IS NOT TRUE THEN
      RAISE EXCEPTION 'journal entry %: account ids must be ascending, each account once, and every amount non-zero (accounts %, amounts %)',
        NEW.idempotency_key, ids, amts USING ERRCODE = 'check_violation';
    END IF;
    UPDATE account_balances SET balance_yunqi = balance_yunqi + amts[i]
     WHERE account_id = ids[i] AND (ambassador_id IS NULL OR ambassador_id = NEW.ambassador_id);
    IF NOT FOUND THEN
      IF EXISTS (SELECT FROM account_balances WHERE account_id = ids[i]) THEN
        RAISE EXCEPTION 'journal entry %: account % belongs to another ambassador than the entry''s (%)', NEW.idempotency_key, ids[i], NEW.ambassador_id
          USING ERRCODE = 'check_violation';
      END IF;
      RAISE EXCEPTION 'journal entry %: account % does not exist', NEW.idempotency_key, ids[i] USING ERRCODE = 'foreign_key_violation';
    END IF;
    prev := ids[i];
    total := total + amts[i];
  END LOOP;
  IF total <> 0 THEN
    RAISE EXCEPTION 'journal entry % does not balance (sum %, % postings; it needs at least two, summing to zero)', NEW.idempotency_key, total, n
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER journal_entries_apply AFTER INSERT ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_apply_entry();

-- One entry from JSON, resolving account references ({ambassadorId, kind}) to ids and creating
-- missing ambassador accounts (postEntries' path, and a one-call form for SQL users; postEntry in
-- ledger/index.ts resolves ids itself and inserts directly). Postings to the same account are
-- added together.
CREATE OR REPLACE FUNCTION ledger_post_entry(p_entry jsonb) RETURNS TABLE (entry_id bigint, duplicate boolean) LANGUAGE plpgsql AS $$
DECLARE v_id bigint; v_ids bigint[]; v_amts bigint[];
BEGIN
  SELECT array_agg(x.account_id ORDER BY x.account_id), array_agg(x.amount ORDER BY x.account_id) INTO v_ids, v_amts
    FROM (SELECT r.account_id, sum(r.amount)::bigint AS amount
            FROM (SELECT ledger_account_id(p->>'ambassadorId', p->>'kind') AS account_id, (p->>'amountYunqi')::bigint AS amount
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

-- Cached balances agree with the postings: the accounts that disagree, and a non-zero total
-- (none when sound). Same shape as before.
CREATE OR REPLACE FUNCTION ledger_inconsistencies()
RETURNS TABLE (account_id bigint, cached bigint, computed bigint) LANGUAGE sql STABLE AS $$
  WITH sums AS (SELECT p.account_id, sum(p.amount_yunqi)::bigint AS total FROM postings p GROUP BY p.account_id)
  SELECT a.id, b.balance_yunqi, coalesce(s.total, 0)::bigint
    FROM ledger_accounts a
    JOIN account_balances b ON b.account_id = a.id
    LEFT JOIN sums s ON s.account_id = a.id
   WHERE b.balance_yunqi <> coalesce(s.total, 0)
  UNION ALL
  SELECT NULL, NULL, sum(total)::bigint FROM sums HAVING coalesce(sum(total), 0) <> 0;
$$;

-- Entries that break a rule the trigger checks at insert, or name no ambassador that exists
-- (none when sound; entries copied from the postings table above were checked by 006 at their
-- commit). For the tests (after every scenario) and operators.
CREATE FUNCTION ledger_entry_problems() RETURNS TABLE (entry_id bigint, problem text) LANGUAGE sql STABLE AS $$
  SELECT j.id, 'postings do not balance'
    FROM journal_entries j
   WHERE cardinality(j.account_ids) < 2 OR cardinality(j.account_ids) <> cardinality(j.amounts)
      OR (SELECT sum(x) FROM unnest(j.amounts) x) <> 0
  UNION ALL
  SELECT DISTINCT p.entry_id, 'an ambassador account on an entry of another ambassador'
    FROM postings p
    JOIN ledger_accounts a ON a.id = p.account_id
    JOIN journal_entries j ON j.id = p.entry_id
   WHERE a.ambassador_id IS NOT NULL AND a.ambassador_id IS DISTINCT FROM j.ambassador_id
  UNION ALL
  -- The foreign key is gone; an entry with an ambassador's posting names an existing ambassador
  -- (accounts reference ambassadors), so only an entry of system accounts alone could name none.
  SELECT j.id, 'names an ambassador who does not exist'
    FROM journal_entries j
   WHERE j.ambassador_id IS NOT NULL AND NOT EXISTS (SELECT FROM ambassadors a WHERE a.id = j.ambassador_id);
$$;
