-- Balances are folded from the journal, not moved by each entry (issue 16: a grant or a credit at
-- 32 connections ran at 0.47x a plain insert, under the goal of 0.5x; docs/performance.md).
--
-- Before, the entry trigger (journal_entries_apply, 007) ran one UPDATE of account_balances per
-- posting: two statements per entry, which held each balance row locked until the entry's commit.
-- Now an entry writes no row but itself. The trigger (journal_entries_check, BEFORE INSERT) only
-- checks the entry: postings structurally sound (at least two, account ids strictly ascending,
-- amounts non-zero and summing to zero), every account existing and either a system account or
-- the entry's ambassador's, and the entry it reverses, if any, existing. It has no side effects,
-- so it runs before the row is written (as an AFTER trigger it measured 3 to 10 µs more per entry
-- in bench:ledger: its event is queued and the row read again), and a row that ON CONFLICT DO
-- NOTHING then skips (a replayed key) is only checked.
--
-- account_balances now holds each account's balance through a horizon
-- (journal_horizon.balances_through_id). The fold of 062 (journal_fold, run by the delivery round)
-- adds the entries above it to the balance rows, one UPDATE per account per batch, and moves the
-- horizon, in the transaction that writes their outbox events. A balance now is its row plus the
-- postings of the entries above the horizon (the view postings_unfolded, read by
-- ledger_ambassador_balances, ledger_system_balance and ledger_balances_now below): exact at every
-- read, whether or not a fold has run, since the row and the horizon change together and every
-- entry at or below the horizon had committed or rolled back when the fold took it
-- (journal_fold_bound, 062).
--
-- What this changes for writers: posting takes no balance row lock. The withdrawal lock (the
-- ambassador's `available` row, SELECT ... FOR UPDATE in ledger/locks.ts) stays what serializes an
-- ambassador's withdrawals; the balance it decides on is read by a statement after the lock is
-- held, so it sees every entry committed before. No grant or credit ever
-- waits on another's row, whatever shards their ambassadors hash to.

-- Entries being written now finish under the old trigger first: every entry in the journal then
-- has its postings in the balance rows, and the balance horizon starts above them all.
LOCK TABLE journal_entries IN SHARE MODE;

ALTER TABLE journal_horizon ADD COLUMN balances_through_id bigint;
UPDATE journal_horizon SET balances_through_id = (SELECT coalesce(max(id), 0) FROM journal_entries);
ALTER TABLE journal_horizon ALTER COLUMN balances_through_id SET NOT NULL;

DROP TRIGGER journal_entries_apply ON journal_entries;
DROP FUNCTION ledger_apply_entry();

-- The entry a correction reverses is checked by the trigger below instead of a foreign key: the
-- key queued an after-trigger event for every entry, reversal or not, and entries are never
-- updated or deleted (002's triggers), so a reversed entry, once there, stays. ledger_entry_problems
-- reports a reversal of an entry that does not exist (none can be written).
ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_reverses_entry_fkey;

-- The check of one entry. The common entry (two postings: a grant, a credit, a void, a clawback)
-- takes one statement: its structure, and both accounts looked up in ledger_accounts (append-only:
-- an account's owner never changes). Any other entry, or one that fails there, takes the loop,
-- which also names the rule that failed (the messages of 007).
CREATE FUNCTION ledger_check_entry() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids   bigint[] := NEW.account_ids;
  amts  bigint[] := NEW.amounts;
  n     int := cardinality(ids);
  total bigint := 0;
  prev  bigint := 0;
BEGIN
  IF n = 2 AND cardinality(amts) = 2 AND ids[1] < ids[2] AND amts[1] <> 0 AND amts[1] = -amts[2]
     AND EXISTS (SELECT FROM ledger_accounts a WHERE a.id = ids[1] AND (a.ambassador_id IS NULL OR a.ambassador_id = NEW.ambassador_id))
     AND EXISTS (SELECT FROM ledger_accounts a WHERE a.id = ids[2] AND (a.ambassador_id IS NULL OR a.ambassador_id = NEW.ambassador_id))
     AND NEW.reverses_entry IS NULL THEN
    RETURN NEW;
  END IF;
  IF n < 2 OR n <> cardinality(amts) THEN
    RAISE EXCEPTION 'journal entry % does not balance (% postings, % amounts; it needs at least two postings, summing to zero)',
      NEW.idempotency_key, n, cardinality(amts) USING ERRCODE = 'check_violation';
  END IF;
  FOR i IN 1 .. n LOOP
    IF (ids[i] > prev AND amts[i] <> 0) IS NOT TRUE THEN
      RAISE EXCEPTION 'journal entry %: account ids must be ascending, each account once, and every amount non-zero (accounts %, amounts %)',
        NEW.idempotency_key, ids, amts USING ERRCODE = 'check_violation';
    END IF;
    IF NOT EXISTS (SELECT FROM ledger_accounts a WHERE a.id = ids[i] AND (a.ambassador_id IS NULL OR a.ambassador_id = NEW.ambassador_id)) THEN
      IF EXISTS (SELECT FROM ledger_accounts a WHERE a.id = ids[i]) THEN
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
  IF NEW.reverses_entry IS NOT NULL AND NOT EXISTS (SELECT FROM journal_entries j WHERE j.id = NEW.reverses_entry) THEN
    RAISE EXCEPTION 'journal entry % reverses entry %, which does not exist', NEW.idempotency_key, NEW.reverses_entry
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER journal_entries_check BEFORE INSERT ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_check_entry();

-- 007's problems, and a reversal of an entry that does not exist (the foreign key's rule above).
CREATE OR REPLACE FUNCTION ledger_entry_problems() RETURNS TABLE (entry_id bigint, problem text) LANGUAGE sql STABLE AS $$
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
  SELECT j.id, 'names an ambassador who does not exist'
    FROM journal_entries j
   WHERE j.ambassador_id IS NOT NULL AND NOT EXISTS (SELECT FROM ambassadors a WHERE a.id = j.ambassador_id)
  UNION ALL
  SELECT j.id, 'reverses an entry that does not exist'
    FROM journal_entries j
   WHERE j.reverses_entry IS NOT NULL AND NOT EXISTS (SELECT FROM journal_entries r WHERE r.id = j.reverses_entry);
$$;

-- 062's fold, now also adding the entries above the balance horizon to their balance rows. Both
-- horizons move to the same entry; the balance horizon starts at or above the events' (it began
-- at the journal's end above), and never moves back.
CREATE OR REPLACE FUNCTION journal_fold(p_bound bigint, p_batch int) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE h bigint; hb bigint; upto bigint; taken int; folded bigint;
BEGIN
  SELECT through_id, balances_through_id INTO h, hb FROM journal_horizon FOR UPDATE;
  SELECT max(id), count(*) INTO upto, taken FROM (SELECT id FROM journal_entries WHERE id > h AND id <= p_bound ORDER BY id LIMIT p_batch) t;
  -- Fewer than a batch: that is all of (h, p_bound] (ids of rolled-back entries are passed over).
  IF taken < p_batch THEN upto := p_bound; END IF;
  IF upto <= h THEN RETURN 0; END IF;
  IF upto > hb THEN
    UPDATE account_balances b SET balance_yunqi = b.balance_yunqi + d.delta
      FROM (SELECT p.account_id, sum(p.amount)::bigint AS delta
              FROM journal_entries j CROSS JOIN LATERAL unnest(j.account_ids, j.amounts) AS p(account_id, amount)
             WHERE j.id > hb AND j.id <= upto
             GROUP BY p.account_id) d
     WHERE b.account_id = d.account_id AND d.delta <> 0;
  END IF;
  INSERT INTO ops_counters AS c (metric, label1, label2, shard, n, yunqi)
  SELECT 'ledger', kind, '', 0, count(*), coalesce(sum((SELECT coalesce(sum(x), 0) FROM unnest(amounts) x WHERE x > 0)), 0)
    FROM journal_entries WHERE id > h AND id <= upto GROUP BY kind
  ON CONFLICT (metric, label1, label2, shard) DO UPDATE SET n = c.n + EXCLUDED.n, yunqi = c.yunqi + EXCLUDED.yunqi;
  INSERT INTO outbox_events (type, entry_id)
  SELECT 'ledger.' || kind, id FROM journal_entries WHERE id > h AND id <= upto ORDER BY id;
  GET DIAGNOSTICS folded = ROW_COUNT;
  UPDATE journal_horizon SET through_id = upto, balances_through_id = greatest(hb, upto);
  RETURN folded;
END $$;

-- Balances now. Each is one statement's snapshot (STABLE: the horizon, the rows and the entries
-- above the horizon are read together), so a fold committing meanwhile is seen whole or not at all.

-- The postings that the balance rows do not hold yet: those of the entries above the horizon.
CREATE VIEW postings_unfolded AS
  SELECT j.id AS entry_id, j.ambassador_id, p.account_id, p.amount_yunqi
    FROM journal_entries j
   CROSS JOIN LATERAL unnest(j.account_ids, j.amounts) AS p(account_id, amount_yunqi)
   WHERE j.id > (SELECT balances_through_id FROM journal_horizon);

-- An ambassador's accounts: every entry touching them names the ambassador (the check above), so
-- the entries above the horizon come from the (ambassador_id, id) index.
CREATE FUNCTION ledger_ambassador_balances(p_ambassador text)
RETURNS TABLE (account_id bigint, kind text, balance_yunqi bigint) LANGUAGE sql STABLE AS $$
  SELECT a.id, a.kind, (b.balance_yunqi + coalesce(t.delta, 0))::bigint
    FROM ledger_accounts a
    JOIN account_balances b ON b.account_id = a.id
    LEFT JOIN (SELECT u.account_id, sum(u.amount_yunqi) AS delta FROM postings_unfolded u
                WHERE u.ambassador_id = p_ambassador GROUP BY u.account_id) t ON t.account_id = a.id
   WHERE a.ambassador_id = p_ambassador;
$$;

-- Every account (a system account's entries are everyone's: the whole stretch above the horizon).
CREATE FUNCTION ledger_balances_now()
RETURNS TABLE (account_id bigint, ambassador_id text, kind text, balance_yunqi bigint) LANGUAGE sql STABLE AS $$
  SELECT a.id, a.ambassador_id, a.kind, (b.balance_yunqi + coalesce(t.delta, 0))::bigint
    FROM ledger_accounts a
    JOIN account_balances b ON b.account_id = a.id
    LEFT JOIN (SELECT u.account_id, sum(u.amount_yunqi) AS delta FROM postings_unfolded u GROUP BY u.account_id) t ON t.account_id = a.id;
$$;

-- A system kind's balance: its shards' rows plus the entries above the horizon.
CREATE OR REPLACE FUNCTION ledger_system_balance(p_kind text) RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT (coalesce(sum(b.balance_yunqi), 0) + coalesce((
           SELECT sum(u.amount_yunqi) FROM postings_unfolded u
            WHERE u.account_id IN (SELECT id FROM ledger_accounts WHERE ambassador_id IS NULL AND kind = p_kind)), 0))::bigint
    FROM ledger_accounts a JOIN account_balances b ON b.account_id = a.id
   WHERE a.ambassador_id IS NULL AND a.kind = p_kind;
$$;

-- Balances agree with the postings: the accounts whose balance now differs from the sum of all
-- their postings (so a balance row the fold got wrong, or one changed by hand), and a non-zero
-- total (none when sound). Same shape as 007's; `cached` is the balance now.
CREATE OR REPLACE FUNCTION ledger_inconsistencies()
RETURNS TABLE (account_id bigint, cached bigint, computed bigint) LANGUAGE sql STABLE AS $$
  WITH sums AS (SELECT p.account_id, sum(p.amount_yunqi)::bigint AS total FROM postings p GROUP BY p.account_id)
  SELECT n.account_id, n.balance_yunqi, coalesce(s.total, 0)::bigint
    FROM ledger_balances_now() n
    LEFT JOIN sums s ON s.account_id = n.account_id
   WHERE n.balance_yunqi <> coalesce(s.total, 0)
  UNION ALL
  SELECT NULL, NULL, sum(total)::bigint FROM sums HAVING coalesce(sum(total), 0) <> 0;
$$;
