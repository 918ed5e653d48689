-- The outbox's fan-out reads a queue instead of a cursor. Before, it read the events below the
-- oldest transaction still running on the whole server (pg_snapshot_xmin), so one transaction
-- left open anywhere (another database of the same server, an idle session) held every webhook
-- delivery back until it ended, and a webhook registered meanwhile was handed events from before
-- its registration. Now each event is also queued, in its own transaction, into outbox_pending; a
-- round takes queued events (SKIP LOCKED), fans them out and removes them in one statement. A
-- transaction that commits late queues its events when it commits: none is passed by.
--
-- A webhook receives the events written after its registration: those whose id is above
-- after_event_id, the outbox sequence's value when it was registered.

CREATE TABLE outbox_pending (
  event_id bigint PRIMARY KEY REFERENCES outbox_events(id)
);

CREATE FUNCTION outbox_queue_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outbox_pending (event_id) VALUES (NEW.id);
  RETURN NULL;
END $$;
CREATE TRIGGER outbox_events_queue AFTER INSERT ON outbox_events
  FOR EACH ROW EXECUTE FUNCTION outbox_queue_event();

-- What the old cursors had not reached yet is fanned out here, by their rule (a delivery made
-- already is not made again: webhook_deliveries is unique per webhook and event).
INSERT INTO webhook_deliveries (webhook_id, event_id)
SELECT w.id, e.id FROM webhooks w
  JOIN outbox_events e ON (e.txid, e.id) > (w.cursor_txid, w.cursor_id)
 WHERE w.deleted_at IS NULL
   AND (cardinality(w.event_types) = 0 OR EXISTS (SELECT FROM unnest(w.event_types) p WHERE starts_with(e.type, p)))
 ORDER BY e.id, w.id
ON CONFLICT DO NOTHING;

ALTER TABLE webhooks ADD COLUMN after_event_id bigint NOT NULL DEFAULT 0;
UPDATE webhooks SET after_event_id = (SELECT coalesce(max(id), 0) FROM outbox_events);
ALTER TABLE webhooks DROP COLUMN cursor_txid, DROP COLUMN cursor_id;
