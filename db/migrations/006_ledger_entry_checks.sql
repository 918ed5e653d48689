-- The zero-sum check once per ENTRY (002 ran it once per posting), and account creation without
-- a strong row lock (ledger_account_id, at the end). Posting itself is unchanged:
-- ledger_post_entry (004) writes an entry and its postings in one statement, and postEntry
-- (ledger/index.ts) calls it.
--
-- 002's deferred constraint trigger `postings_balanced` summed an entry's postings at commit once
-- for every posting of the entry. Now `journal_entries_balanced`, a deferred constraint trigger
-- on journal_entries, checks each new entry once at commit: at least two postings, summing to
-- zero. It only sees entries created in the committing transaction, so postings may only be
-- added to an entry in the transaction that created it: journal_entries.created_xid records that
-- (top-level) transaction, and the posting trigger refuses any other posting at once. Entries
-- and postings are append-only, so an entry that balanced at its commit balances for ever.

DROP TRIGGER postings_balanced ON postings;
DROP FUNCTION ledger_check_entry_balanced();

-- The transaction that wrote the entry (pg_current_xact_id() is the top-level transaction, also
-- inside savepoints). Entries written before this migration keep NULL: they take no new postings.
ALTER TABLE journal_entries ADD COLUMN created_xid xid8;
ALTER TABLE journal_entries ALTER COLUMN created_xid SET DEFAULT pg_current_xact_id();

CREATE FUNCTION ledger_check_entry() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE total bigint; n int;
BEGIN
  SELECT coalesce(sum(amount_yunqi), 0), count(*) INTO total, n FROM postings WHERE entry_id = NEW.id;
  IF total <> 0 OR n < 2 THEN
    RAISE EXCEPTION 'journal entry % does not balance (sum %, % postings; it needs at least two, summing to zero)', NEW.id, total, n
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER journal_entries_balanced AFTER INSERT ON journal_entries
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_entry();

-- The posting trigger of 002 (postings_apply, AFTER INSERT, per row) keeps the cached balance and
-- now also refuses a posting to an entry of another transaction, in the same statement. Rows
-- fire in insertion order: writers insert an entry's postings in account-id order, so balance
-- rows are locked in that order (no deadlock between entries touching the same accounts).
CREATE OR REPLACE FUNCTION ledger_apply_posting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE account_balances SET balance_yunqi = balance_yunqi + NEW.amount_yunqi
   WHERE account_id = NEW.account_id
     AND EXISTS (SELECT FROM journal_entries j WHERE j.id = NEW.entry_id AND j.created_xid = pg_current_xact_id());
  IF NOT FOUND THEN
    IF NOT EXISTS (SELECT FROM journal_entries j WHERE j.id = NEW.entry_id AND j.created_xid = pg_current_xact_id()) THEN
      RAISE EXCEPTION 'posting refused: journal entry % was not created in this transaction (an entry takes postings only in its own transaction)', NEW.entry_id
        USING ERRCODE = 'check_violation';
    END IF;
    RAISE EXCEPTION 'account % has no balance row', NEW.account_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

-- The account's id, creating a missing ambassador account (004's function, and now also what
-- ledger/index.ts accountId calls). On a concurrent creation it waits for the other transaction
-- and reads its row (ON CONFLICT DO NOTHING, then a new statement), where 004 used DO UPDATE:
-- that took a row lock on the account as strong as FOR UPDATE (the update names a key column),
-- which waits for every foreign-key check on the account (FOR KEY SHARE) and so could deadlock
-- against a transaction holding a balance row and posting to that account.
CREATE OR REPLACE FUNCTION ledger_account_id(p_ambassador text, p_kind text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE v bigint;
BEGIN
  IF p_ambassador IS NULL THEN
    SELECT id INTO v FROM ledger_accounts WHERE ambassador_id IS NULL AND kind = p_kind;
    IF v IS NULL THEN RAISE EXCEPTION 'system account % is missing', p_kind USING ERRCODE = 'foreign_key_violation'; END IF;
    RETURN v;
  END IF;
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
