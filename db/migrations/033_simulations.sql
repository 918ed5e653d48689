-- What-if runs over past orders (docs/operations.md "Simulations"): a candidate rule set judged
-- over the recorded facts of the customers who ordered in a period, never touching the ledger.
-- The run's row keeps the whole table it judges with and the instant it judges at, so a retried
-- or resumed activity computes the same; its cursor (the last customer done) advances in the
-- transaction that writes that batch's orders, so a run resumes where it stopped.

CREATE TABLE simulations (
  id               text PRIMARY KEY,
  requested_by     text NOT NULL,
  reason           text,
  candidate        jsonb NOT NULL,
  replaced_version text,               -- the version the candidate replaces (null: it joins the others)
  rule_sets        jsonb NOT NULL,     -- the table judged with (the candidate in it)
  placed_from      timestamptz NOT NULL,
  placed_to        timestamptz NOT NULL,
  judged_at        timestamptz NOT NULL,
  status           text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
  customers_total  int,
  customers_done   int NOT NULL DEFAULT 0,
  orders_done      int NOT NULL DEFAULT 0,
  cursor           text,
  totals           jsonb,
  error            text,
  workflow_id      text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  completed_at     timestamptz,
  CHECK (placed_from < placed_to)
);

-- Every order of the period: what it was settled to and what the candidate gives it.
CREATE TABLE simulation_orders (
  simulation_id    text NOT NULL REFERENCES simulations(id),
  order_id         text NOT NULL,
  customer_id      text NOT NULL,
  placed_at        timestamptz NOT NULL,
  actual_ambassador_id    text,
  simulated_ambassador_id text,
  actual_yunqi     bigint NOT NULL,
  simulated_yunqi  bigint NOT NULL,
  delta_yunqi      bigint NOT NULL,
  delta_credited_yunqi bigint NOT NULL,
  changed          boolean NOT NULL,
  detail           jsonb,              -- both sides and the explanation, for the orders that changed
  PRIMARY KEY (simulation_id, order_id)
);
CREATE INDEX simulation_orders_changed ON simulation_orders (simulation_id, order_id) WHERE changed;
