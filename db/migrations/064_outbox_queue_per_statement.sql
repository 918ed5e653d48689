-- Writing outbox events costs less per event (issue 16: the journal fold writes one event per
-- ledger entry, and with the fold counted in bench:ledger a credit's whole cost was over twice a
-- plain insert's; docs/performance.md).
--
-- 061 queued each event by a row trigger: a second INSERT through SPI per event, and its foreign
-- key check, a third statement. The queue trigger is now per statement, over the statement's new
-- rows (a transition table): the fold's batch of a thousand events is queued by one INSERT. The
-- foreign key from outbox_pending to outbox_events is dropped: the queue's rows are written only by
-- this trigger, from rows the same statement inserted, and outbox_events is append-only (032's
-- trigger refuses UPDATE and DELETE), so a queued event can never go missing; the key guarded
-- nothing.
--
-- The (txid, id) index of 032 is dropped: it served the cursor that 061 replaced with the queue,
-- and nothing reads by it since. txid stays, written as before.

DROP TRIGGER outbox_events_queue ON outbox_events;
DROP FUNCTION outbox_queue_event();

CREATE FUNCTION outbox_queue_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outbox_pending (event_id) SELECT id FROM new_events;
  RETURN NULL;
END $$;
CREATE TRIGGER outbox_events_queue AFTER INSERT ON outbox_events
  REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION outbox_queue_events();

ALTER TABLE outbox_pending DROP CONSTRAINT outbox_pending_event_id_fkey;
DROP INDEX outbox_events_order;
