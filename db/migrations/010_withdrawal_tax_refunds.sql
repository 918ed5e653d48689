-- R-WD-4: a month's tax is a function of the month's withdrawals that did not fail. A
-- withdrawal's tax and net are fixed when it is reserved (the payout amount never changes under
-- the provider); when another withdrawal of the month fails, what the remaining ones withheld
-- beyond the tax on the remaining total is returned to them as tax refunds (one row per
-- withdrawal and cause). A paid withdrawal's refund posts at once (withdrawal.tax_refunded,
-- tax_payable → available); one still in flight posts it when it is paid.
ALTER TABLE withdrawals ADD COLUMN tax_refunded_yunqi bigint NOT NULL DEFAULT 0;
ALTER TABLE withdrawals ADD CONSTRAINT withdrawals_tax_refunded_within_tax
  CHECK (tax_refunded_yunqi >= 0 AND tax_refunded_yunqi <= tax_yunqi);

CREATE TABLE withdrawal_tax_refunds (
  withdrawal_id text NOT NULL REFERENCES withdrawals(id),
  cause         text NOT NULL,           -- e.g. 'released:<withdrawalId>'
  month         text NOT NULL CHECK (month ~ '^\d{4}-\d{2}$'),
  amount_yunqi  bigint NOT NULL CHECK (amount_yunqi > 0),
  explanation   jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (withdrawal_id, cause)
);
