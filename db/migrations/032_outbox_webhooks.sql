-- Events out (docs/operations.md): an outbox written by triggers in the same transaction as each
-- ledger entry and each order state change (no writer can forget it, and no settlement code
-- changes), webhooks that ops register, and the delivery log.
--
-- Events are read in (txid, id) order and only below the oldest transaction still running
-- (pg_snapshot_xmin): a transaction that commits late cannot slip an event in behind a reader's
-- cursor. The event ID (evt_<id>) is stable: every delivery attempt of an event carries it.

CREATE TABLE outbox_events (
  id           bigserial PRIMARY KEY,
  txid         xid8 NOT NULL DEFAULT pg_current_xact_id(),
  type         text NOT NULL,             -- ledger.<entry kind> | order.state_changed
  occurred_at  timestamptz NOT NULL DEFAULT now(),
  entry_id     bigint,                    -- ledger events: the entry (immutable) the payload is read from
  payload      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX outbox_events_order ON outbox_events (txid, id);
CREATE TRIGGER outbox_events_append_only BEFORE UPDATE OR DELETE ON outbox_events
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

CREATE FUNCTION outbox_ledger_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outbox_events (type, entry_id) VALUES ('ledger.' || NEW.kind, NEW.id);
  RETURN NULL;
END $$;
CREATE TRIGGER journal_entries_outbox AFTER INSERT ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION outbox_ledger_entry();

CREATE FUNCTION outbox_order_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD.state, OLD.reason_code) IS NOT DISTINCT FROM (NEW.state, NEW.reason_code) THEN RETURN NULL; END IF;
  INSERT INTO outbox_events (type, payload) VALUES ('order.state_changed', jsonb_build_object(
    'orderId', NEW.order_id, 'customerId', NEW.customer_id, 'ambassadorId', NEW.ambassador_id,
    'from', CASE WHEN TG_OP = 'UPDATE' THEN jsonb_build_object('state', OLD.state, 'reasonCode', OLD.reason_code) END,
    'to', jsonb_build_object('state', NEW.state, 'reasonCode', NEW.reason_code),
    'ruleSetVersion', NEW.rule_set_version, 'placedAt', NEW.placed_at,
    'grantedYunqi', NEW.granted_yunqi, 'creditedYunqi', NEW.credited_yunqi, 'refundedYunqi', NEW.refunded_yunqi));
  RETURN NULL;
END $$;
CREATE TRIGGER orders_outbox AFTER INSERT OR UPDATE OF state, reason_code ON orders
  FOR EACH ROW EXECUTE FUNCTION outbox_order_state();

CREATE TABLE webhooks (
  id           text PRIMARY KEY,
  url          text NOT NULL,
  secret       text NOT NULL,             -- the HMAC-SHA256 key; shown once, when registered
  event_types  text[] NOT NULL DEFAULT '{}',  -- type prefixes; empty: every event
  description  text,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  deleted_at   timestamptz,
  deleted_by   text,
  -- Events up to here were fanned out to this webhook's deliveries (it receives what comes after
  -- its registration).
  cursor_txid  xid8 NOT NULL DEFAULT pg_snapshot_xmin(pg_current_snapshot()),
  cursor_id    bigint NOT NULL DEFAULT 0
);

CREATE TABLE webhook_deliveries (
  id              bigserial PRIMARY KEY,
  webhook_id      text NOT NULL REFERENCES webhooks(id),
  event_id        bigint NOT NULL REFERENCES outbox_events(id),
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
  attempts        int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_status     int,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  delivered_at    timestamptz,
  UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook_id, id DESC);

-- Every attempt, for the delivery log ops read.
CREATE TABLE webhook_delivery_attempts (
  delivery_id  bigint NOT NULL REFERENCES webhook_deliveries(id),
  attempt      int NOT NULL,
  at           timestamptz NOT NULL DEFAULT now(),
  status_code  int,
  error        text,
  duration_ms  int NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);
