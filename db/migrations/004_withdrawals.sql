-- Withdrawals (R-WD-*, R-AMB-2): the withdrawal rows, the per-ambassador month aggregates the
-- withholding tax is computed from (R-WD-4), stored Idempotency-Key answers, and the tables of
-- the local payout provider (a stand-in for the real one, for `npm start` and tests).
-- Money movements themselves are journal entries of 002_ledger.sql; these rows only describe.

CREATE TABLE withdrawals (
  id                text PRIMARY KEY,
  ambassador_id     text NOT NULL REFERENCES ambassadors(id),
  gross_yunqi       bigint NOT NULL CHECK (gross_yunqi > 0),
  tax_yunqi         bigint NOT NULL CHECK (tax_yunqi >= 0),
  net_yunqi         bigint NOT NULL CHECK (net_yunqi >= 0),
  tax_month         text NOT NULL CHECK (tax_month ~ '^\d{4}-\d{2}$'),   -- UTC+8 calendar month
  status            text NOT NULL CHECK (status IN ('reserved', 'processing', 'paid', 'failed')),
  rule_set_version  text NOT NULL,
  tax_explanation   jsonb NOT NULL,
  workflow_id       text NOT NULL UNIQUE,
  provider_ref      text,
  payout_attempts   int NOT NULL DEFAULT 0,
  last_payout_error text,
  failure_reason    text,
  requested_at      timestamptz NOT NULL,
  paid_at           timestamptz,
  failed_at         timestamptz,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (gross_yunqi = tax_yunqi + net_yunqi),
  CHECK ((status = 'paid') = (paid_at IS NOT NULL AND provider_ref IS NOT NULL)),
  CHECK ((status = 'failed') = (failed_at IS NOT NULL))
);
CREATE INDEX withdrawals_ambassador ON withdrawals (ambassador_id, requested_at DESC, id DESC);

-- R-WD-4: every withdrawal of one UTC+8 calendar month is one income. Gross and tax of the
-- month's withdrawals that are not failed (in flight or paid). The row is locked FOR UPDATE by
-- each request, so two withdrawals of one month never compute from the same total.
CREATE TABLE withdrawal_months (
  ambassador_id text NOT NULL REFERENCES ambassadors(id),
  month         text NOT NULL CHECK (month ~ '^\d{4}-\d{2}$'),
  gross_yunqi   bigint NOT NULL DEFAULT 0 CHECK (gross_yunqi >= 0),
  tax_yunqi     bigint NOT NULL DEFAULT 0 CHECK (tax_yunqi >= 0),
  PRIMARY KEY (ambassador_id, month)
);

-- Idempotency-Key answers of money-moving POSTs, scoped by the authenticated ambassador.
CREATE TABLE idempotency_keys (
  ambassador_id   text NOT NULL REFERENCES ambassadors(id),
  scope           text NOT NULL,          -- e.g. 'POST /v1/ambassadors/me/withdrawals'
  key             text NOT NULL,
  request_hash    text NOT NULL,          -- sha256 of the normalized request
  response_status int NOT NULL,
  response_body   jsonb NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ambassador_id, scope, key)
);

-- The local payout provider: payouts it executed (at most one per idempotency key) ...
CREATE TABLE local_payouts (
  idempotency_key text PRIMARY KEY,
  ambassador_id   text NOT NULL,
  net_yunqi       bigint NOT NULL CHECK (net_yunqi >= 0),
  provider_ref    text NOT NULL UNIQUE,
  paid_at         timestamptz NOT NULL DEFAULT now()
);
-- ... every call it received (to show that retries reuse the key) ...
CREATE TABLE local_payout_calls (
  id              bigserial PRIMARY KEY,
  idempotency_key text NOT NULL,
  ambassador_id   text NOT NULL,
  net_yunqi       bigint NOT NULL,
  outcome         text NOT NULL,          -- paid | replayed | transient | rejected | timeout
  at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX local_payout_calls_key ON local_payout_calls (idempotency_key, id);
-- ... and the faults it is told to simulate, per withdrawal ('withdrawal:<id>') or per
-- ambassador ('ambassador:<id>'); the withdrawal's own fault wins. remaining NULL = always.
CREATE TABLE local_payout_faults (
  target    text PRIMARY KEY CHECK (target ~ '^(withdrawal|ambassador):.+'),
  mode      text NOT NULL CHECK (mode IN ('transient', 'reject', 'timeout')),
  remaining int CHECK (remaining IS NULL OR remaining >= 0),
  message   text
);

-- One-round-trip posting (ledger/post.ts): the same entry postEntry writes (idempotent by key,
-- postings inserted in account-id order so concurrent entries lock balance rows in one order,
-- balance still checked by the deferred trigger at commit), in one statement.
CREATE FUNCTION ledger_account_id(p_ambassador text, p_kind text) RETURNS bigint LANGUAGE plpgsql AS $$
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
    ON CONFLICT (ambassador_id, kind) DO UPDATE SET kind = EXCLUDED.kind RETURNING id INTO v;
  END IF;
  RETURN v;
END $$;

-- p_entry: {idempotencyKey, kind, ambassadorId, orderId, installment, withdrawalId, reversesEntry,
--           ruleSetVersion, explanation, postings: [{ambassadorId, kind, amountYunqi}]}
CREATE FUNCTION ledger_post_entry(p_entry jsonb) RETURNS TABLE (entry_id bigint, duplicate boolean) LANGUAGE plpgsql AS $$
DECLARE v_id bigint;
BEGIN
  INSERT INTO journal_entries (idempotency_key, kind, ambassador_id, order_id, installment, withdrawal_id, reverses_entry,
                               rule_set_version, explanation)
  VALUES (p_entry->>'idempotencyKey', p_entry->>'kind', p_entry->>'ambassadorId', p_entry->>'orderId',
          (p_entry->>'installment')::int, p_entry->>'withdrawalId', (p_entry->>'reversesEntry')::bigint,
          p_entry->>'ruleSetVersion', coalesce(p_entry->'explanation', '{}'::jsonb))
  ON CONFLICT (idempotency_key) DO NOTHING
  RETURNING id INTO v_id;
  IF v_id IS NULL THEN
    RETURN QUERY SELECT j.id, true FROM journal_entries j WHERE j.idempotency_key = p_entry->>'idempotencyKey';
    RETURN;
  END IF;
  INSERT INTO postings (entry_id, account_id, amount_yunqi)
  SELECT v_id, a.account_id, a.amount
    FROM (SELECT ledger_account_id(p->>'ambassadorId', p->>'kind') AS account_id, (p->>'amountYunqi')::bigint AS amount
            FROM jsonb_array_elements(p_entry->'postings') AS p) a
   ORDER BY a.account_id;
  RETURN QUERY SELECT v_id, false;
END $$;

-- Many entries in one statement (one transaction). Entries are applied in the order given.
CREATE FUNCTION ledger_post_entries(p_entries jsonb)
RETURNS TABLE (idempotency_key text, entry_id bigint, duplicate boolean) LANGUAGE plpgsql AS $$
DECLARE e jsonb;
BEGIN
  FOR e IN SELECT value FROM jsonb_array_elements(p_entries) LOOP
    RETURN QUERY SELECT e->>'idempotencyKey', r.entry_id, r.duplicate FROM ledger_post_entry(e) r;
  END LOOP;
END $$;
