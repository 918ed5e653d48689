-- Order settlement: what each order workflow decided, its plan, its money, and its timeline.

ALTER TABLE orders
  ADD COLUMN cart_id                text,
  ADD COLUMN run_id                 text,
  ADD COLUMN rule_set_version       text,
  ADD COLUMN association_started_at timestamptz,
  ADD COLUMN review_ends_at         timestamptz,
  ADD COLUMN paid_yunqi             bigint NOT NULL DEFAULT 0 CHECK (paid_yunqi >= 0),
  ADD COLUMN refunded_yunqi         bigint NOT NULL DEFAULT 0 CHECK (refunded_yunqi >= 0),
  ADD COLUMN granted_yunqi          bigint NOT NULL DEFAULT 0 CHECK (granted_yunqi >= 0),
  ADD COLUMN installments           jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN reason_code            text,
  ADD CONSTRAINT orders_credited_within_granted CHECK (credited_yunqi >= 0 AND credited_yunqi <= granted_yunqi);
CREATE INDEX orders_cart ON orders (customer_id, cart_id) WHERE cart_id IS NOT NULL;
CREATE INDEX orders_state ON orders (state);

CREATE TABLE order_events (
  id        bigserial PRIMARY KEY,
  order_id  text NOT NULL REFERENCES orders(order_id),
  key       text NOT NULL,
  kind      text NOT NULL,
  at        timestamptz NOT NULL,
  summary   text NOT NULL,
  detail    jsonb NOT NULL DEFAULT '{}',
  UNIQUE (order_id, key)
);
