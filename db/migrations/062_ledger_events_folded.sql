-- A ledger entry's metrics and its outbox event are no longer written in the entry's own
-- transaction (031's counter upsert, 032's outbox row, and 061's queue row behind it: three more
-- rows per entry, which took credits from 0.57x to 0.31x a plain insert; docs/performance.md).
-- The journal is its own queue: a fold takes the entries above a horizon (journal_horizon), counts
-- them into ops_counters (shard 0) and writes their outbox events (queued by 061 as before), then
-- moves the horizon, all in one transaction. The metrics read the counters plus the entries above
-- the horizon, so they are exact at every read; the delivery round folds before it fans out.
--
-- The fold never passes an entry that is still to commit, and holds no writer back. It reads the
-- journal sequence's value, then waits until every transaction that held ROW EXCLUSIVE on
-- journal_entries at that moment (pg_locks) has ended: an INSERT takes that lock before it takes
-- its id and keeps it to the end of its transaction, so every id at or below the value read is
-- then committed or rolled back. A transaction left open elsewhere (another database, a session
-- that only reads) is not waited for.
--
-- A webhook receives the ledger events of entries written after its registration
-- (after_entry_id, the journal sequence's value then), as it did when the events were written
-- with the entries.

-- Entries being written now finish under the old triggers first (the migration's own lock).
LOCK TABLE journal_entries IN SHARE MODE;

DROP TRIGGER journal_entries_ops_count ON journal_entries;
DROP TRIGGER journal_entries_outbox ON journal_entries;

CREATE TABLE journal_horizon (
  singleton  bool PRIMARY KEY DEFAULT true CHECK (singleton),
  -- Entries up to here are counted in ops_counters and have their outbox events.
  through_id bigint NOT NULL
);
INSERT INTO journal_horizon (through_id) SELECT coalesce(max(id), 0) FROM journal_entries;

ALTER TABLE webhooks ADD COLUMN after_entry_id bigint NOT NULL DEFAULT 0;

-- The highest entry id the fold may take now: the sequence's value once the transactions writing
-- entries when it was read have ended; null when they have not within p_wait_ms.
CREATE FUNCTION journal_fold_bound(p_wait_ms int) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  bound bigint;
  writers text[];
  deadline timestamptz := clock_timestamp() + p_wait_ms * interval '1 millisecond';
BEGIN
  SELECT CASE WHEN is_called THEN last_value ELSE 0 END INTO bound FROM journal_entries_id_seq;
  SELECT array_agg(virtualtransaction) INTO writers FROM pg_locks
   WHERE locktype = 'relation' AND relation = 'journal_entries'::regclass AND mode = 'RowExclusiveLock'
     AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND pid <> pg_backend_pid();
  WHILE writers IS NOT NULL AND EXISTS (SELECT FROM pg_locks WHERE locktype = 'relation' AND relation = 'journal_entries'::regclass
                                          AND mode = 'RowExclusiveLock' AND virtualtransaction = ANY (writers)) LOOP
    IF clock_timestamp() > deadline THEN RETURN NULL; END IF;
    PERFORM pg_sleep(0.002);
  END LOOP;
  RETURN bound;
END $$;

-- Folds up to p_batch entries above the horizon and at or below p_bound (journal_fold_bound's
-- answer); answers how many. One fold at a time.
CREATE FUNCTION journal_fold(p_bound bigint, p_batch int) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE h bigint; upto bigint; taken int; folded bigint;
BEGIN
  SELECT through_id INTO h FROM journal_horizon FOR UPDATE;
  SELECT max(id), count(*) INTO upto, taken FROM (SELECT id FROM journal_entries WHERE id > h AND id <= p_bound ORDER BY id LIMIT p_batch) t;
  -- Fewer than a batch: that is all of (h, p_bound] (ids of rolled-back entries are passed over).
  IF taken < p_batch THEN upto := p_bound; END IF;
  IF upto <= h THEN RETURN 0; END IF;
  INSERT INTO ops_counters AS c (metric, label1, label2, shard, n, yunqi)
  SELECT 'ledger', kind, '', 0, count(*), coalesce(sum((SELECT coalesce(sum(x), 0) FROM unnest(amounts) x WHERE x > 0)), 0)
    FROM journal_entries WHERE id > h AND id <= upto GROUP BY kind
  ON CONFLICT (metric, label1, label2, shard) DO UPDATE SET n = c.n + EXCLUDED.n, yunqi = c.yunqi + EXCLUDED.yunqi;
  INSERT INTO outbox_events (type, entry_id)
  SELECT 'ledger.' || kind, id FROM journal_entries WHERE id > h AND id <= upto ORDER BY id;
  GET DIAGNOSTICS folded = ROW_COUNT;
  UPDATE journal_horizon SET through_id = upto;
  RETURN folded;
END $$;
