-- Settlement by facts and their business instants (docs/settlement.md). Additive only.

-- Refunds and findings as facts of their order, each with its own instant (refundedAt, foundAt),
-- recorded once per id; a different body under a known id is kept apart as a conflict.
CREATE TABLE order_facts (
  order_id    text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('refund', 'finding')),
  fact_id     text NOT NULL,
  at          timestamptz NOT NULL,
  body        jsonb NOT NULL,
  body_hash   text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (order_id, kind, fact_id)
);

-- What the identity system reported about a customer, kept apart from what orders show (the
-- settlement derives the latter from the orders themselves). Existing rows: a reported instant is
-- one that no order of the customer explains.
ALTER TABLE customers
  ADD COLUMN reported_first_paid_purchase_at timestamptz,
  ADD COLUMN reported_last_consumption_at    timestamptz,
  ADD COLUMN reported_first_payg_use_at      timestamptz;
UPDATE customers c SET
  reported_first_paid_purchase_at = CASE WHEN c.first_paid_purchase_at < coalesce(
      (SELECT min(placed_at) FROM orders o WHERE o.customer_id = c.id AND o.body->>'billing' = 'prepaid'), 'infinity')
    THEN c.first_paid_purchase_at END,
  reported_last_consumption_at = CASE WHEN NOT EXISTS (
      SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.placed_at = c.last_consumption_at)
    THEN c.last_consumption_at END,
  reported_first_payg_use_at = CASE WHEN c.first_payg_use_at < coalesce(
      (SELECT min(placed_at) FROM orders o WHERE o.customer_id = c.id AND o.body->>'billing' = 'payg'), 'infinity')
    THEN c.first_payg_use_at END;

-- Orders: when the settlement next needs a look (the next installment due), the fingerprint of
-- the placement-time judgment (a change is recorded as a reassessment), and why an order failed.
ALTER TABLE orders
  ADD COLUMN next_wake_at    timestamptz,
  ADD COLUMN assessment_key  text,
  ADD COLUMN assessment      jsonb,
  ADD COLUMN clawed_back_yunqi bigint NOT NULL DEFAULT 0 CHECK (clawed_back_yunqi >= 0),
  ADD COLUMN failure         jsonb;

-- Order timeline lines say when the system recorded them, beside their business instant.
ALTER TABLE order_events ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT now();

-- An association a late click made obsolete (its interval history was recomputed in click-time
-- order) is kept, marked superseded, and no longer attributes anything.
ALTER TABLE associations ADD COLUMN superseded_at timestamptz;
CREATE INDEX associations_customer_live ON associations (customer_id, started_at) WHERE superseded_at IS NULL;

-- An order whose outcome a settlement of another order changed is woken (its workflow signalled,
-- or started again when it had ended); the request stays until the signal is sent.
ALTER TABLE orders ADD COLUMN wake_requested_at timestamptz;
CREATE INDEX orders_wake_requested ON orders (wake_requested_at) WHERE wake_requested_at IS NOT NULL;
CREATE INDEX orders_next_wake ON orders (next_wake_at) WHERE next_wake_at IS NOT NULL;
