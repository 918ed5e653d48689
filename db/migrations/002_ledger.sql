-- Double-entry yunqi ledger. Every journal entry's postings sum to zero (checked at commit);
-- entries and postings are append-only (enforced here); cached balances are kept by trigger.

CREATE TABLE ledger_accounts (
  id            bigserial PRIMARY KEY,
  ambassador_id text REFERENCES ambassadors(id),
  kind          text NOT NULL CHECK (kind IN (
    'pending', 'available', 'reserved', 'paid_out',                 -- per ambassador
    'rewards_expense', 'tax_payable', 'payout_clearing')),          -- system
  CHECK ((ambassador_id IS NULL) = (kind IN ('rewards_expense', 'tax_payable', 'payout_clearing'))),
  UNIQUE NULLS NOT DISTINCT (ambassador_id, kind)
);
INSERT INTO ledger_accounts (ambassador_id, kind)
VALUES (NULL, 'rewards_expense'), (NULL, 'tax_payable'), (NULL, 'payout_clearing');

CREATE TABLE journal_entries (
  id               bigserial PRIMARY KEY,
  idempotency_key  text NOT NULL UNIQUE,
  kind             text NOT NULL,
  ambassador_id    text REFERENCES ambassadors(id),
  order_id         text,
  installment      int,
  withdrawal_id    text,
  reverses_entry   bigint REFERENCES journal_entries(id),
  rule_set_version text,
  explanation      jsonb NOT NULL DEFAULT '{}',
  occurred_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX journal_entries_ambassador ON journal_entries (ambassador_id, id DESC);
CREATE INDEX journal_entries_order ON journal_entries (order_id);

CREATE TABLE postings (
  id           bigserial PRIMARY KEY,
  entry_id     bigint NOT NULL REFERENCES journal_entries(id),
  account_id   bigint NOT NULL REFERENCES ledger_accounts(id),
  amount_yunqi bigint NOT NULL CHECK (amount_yunqi <> 0)
);
CREATE INDEX postings_entry ON postings (entry_id);
CREATE INDEX postings_account ON postings (account_id);

CREATE TABLE account_balances (
  account_id    bigint PRIMARY KEY REFERENCES ledger_accounts(id),
  balance_yunqi bigint NOT NULL DEFAULT 0
);
INSERT INTO account_balances (account_id) SELECT id FROM ledger_accounts;

CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER journal_entries_no_truncate BEFORE TRUNCATE ON journal_entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE ON postings
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER postings_no_truncate BEFORE TRUNCATE ON postings
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

CREATE FUNCTION ledger_account_created() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO account_balances (account_id) VALUES (NEW.id);
  RETURN NEW;
END $$;
CREATE TRIGGER ledger_accounts_balance_row AFTER INSERT ON ledger_accounts
  FOR EACH ROW EXECUTE FUNCTION ledger_account_created();

CREATE FUNCTION ledger_apply_posting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE account_balances SET balance_yunqi = balance_yunqi + NEW.amount_yunqi
   WHERE account_id = NEW.account_id;
  RETURN NEW;
END $$;
CREATE TRIGGER postings_apply AFTER INSERT ON postings
  FOR EACH ROW EXECUTE FUNCTION ledger_apply_posting();

CREATE FUNCTION ledger_check_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE total bigint; n int;
BEGIN
  SELECT coalesce(sum(amount_yunqi), 0), count(*) INTO total, n FROM postings WHERE entry_id = NEW.entry_id;
  IF total <> 0 OR n < 2 THEN
    RAISE EXCEPTION 'journal entry % does not balance (sum %, % postings)', NEW.entry_id, total, n
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER postings_balanced AFTER INSERT ON postings
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_entry_balanced();

-- Cached balances agree with the postings: returns the accounts that disagree (none when sound).
CREATE FUNCTION ledger_inconsistencies()
RETURNS TABLE (account_id bigint, cached bigint, computed bigint) LANGUAGE sql STABLE AS $$
  SELECT a.id, b.balance_yunqi, coalesce(sum(p.amount_yunqi), 0)::bigint
    FROM ledger_accounts a
    JOIN account_balances b ON b.account_id = a.id
    LEFT JOIN postings p ON p.account_id = a.id
   GROUP BY a.id, b.balance_yunqi
  HAVING b.balance_yunqi <> coalesce(sum(p.amount_yunqi), 0)
  UNION ALL
  SELECT NULL, NULL, sum(amount_yunqi)::bigint FROM postings HAVING coalesce(sum(amount_yunqi), 0) <> 0;
$$;
