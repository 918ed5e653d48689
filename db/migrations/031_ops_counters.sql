-- The program's own metrics (GET /metrics; docs/operations.md), kept by triggers in the same
-- transaction as what they count, so no writer can forget them and no settlement code changes:
--   ledger  (label1 = entry kind):                    entries written, and yunqi moved (the
--           positive side of the entry's postings)
--   orders_current (label1 = state, label2 = reason): orders in each state now (a gauge)
--   orders_entered (label1 = state, label2 = reason): times an order entered that state
--
-- A counter is spread over rows, one per Postgres backend (shard = pg_backend_pid()): a backend
-- runs one transaction at a time, so two settlements never wait on the same counter row (a
-- single row would serialize every ledger write until commit). Readers sum the shards; the
-- reconciliation sweep folds the rows of backends that are gone into shard 0.

CREATE TABLE ops_counters (
  metric text   NOT NULL,
  label1 text   NOT NULL DEFAULT '',
  label2 text   NOT NULL DEFAULT '',
  shard  int    NOT NULL,
  n      bigint NOT NULL DEFAULT 0,
  yunqi  bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (metric, label1, label2, shard)
);

CREATE FUNCTION ops_count(p_metric text, p_label1 text, p_label2 text, p_n bigint, p_yunqi bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO ops_counters AS c (metric, label1, label2, shard, n, yunqi)
  VALUES (p_metric, p_label1, p_label2, pg_backend_pid(), p_n, p_yunqi)
  ON CONFLICT (metric, label1, label2, shard) DO UPDATE SET n = c.n + EXCLUDED.n, yunqi = c.yunqi + EXCLUDED.yunqi;
$$;

CREATE FUNCTION ops_count_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ops_count('ledger', NEW.kind, '', 1, (SELECT coalesce(sum(x), 0)::bigint FROM unnest(NEW.amounts) x WHERE x > 0));
  RETURN NULL;
END $$;
CREATE TRIGGER journal_entries_ops_count AFTER INSERT ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION ops_count_entry();

CREATE FUNCTION ops_count_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF (OLD.state, OLD.reason_code) IS NOT DISTINCT FROM (NEW.state, NEW.reason_code) THEN RETURN NULL; END IF;
    PERFORM ops_count('orders_current', OLD.state, coalesce(OLD.reason_code, ''), -1, 0);
  END IF;
  PERFORM ops_count('orders_current', NEW.state, coalesce(NEW.reason_code, ''), 1, 0);
  PERFORM ops_count('orders_entered', NEW.state, coalesce(NEW.reason_code, ''), 1, 0);
  RETURN NULL;
END $$;
CREATE TRIGGER orders_ops_count AFTER INSERT OR UPDATE OF state, reason_code ON orders
  FOR EACH ROW EXECUTE FUNCTION ops_count_order();

-- What the tables hold already (shard 0).
INSERT INTO ops_counters (metric, label1, label2, shard, n, yunqi)
SELECT 'ledger', kind, '', 0, count(*), coalesce(sum((SELECT coalesce(sum(x), 0) FROM unnest(amounts) x WHERE x > 0)), 0)
  FROM journal_entries GROUP BY kind;
INSERT INTO ops_counters (metric, label1, label2, shard, n)
SELECT m, state, coalesce(reason_code, ''), 0, count(*)
  FROM orders CROSS JOIN (VALUES ('orders_current'), ('orders_entered')) AS v(m) GROUP BY m, state, reason_code;

-- Folds the shards of backends that are gone into shard 0 (keeps the table small).
CREATE FUNCTION ops_counters_fold() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE folded bigint;
BEGIN
  WITH gone AS (
    DELETE FROM ops_counters c
     WHERE c.shard <> 0 AND NOT EXISTS (SELECT FROM pg_stat_activity a WHERE a.pid = c.shard)
    RETURNING metric, label1, label2, n, yunqi
  ), summed AS (
    SELECT metric, label1, label2, sum(n)::bigint AS n, sum(yunqi)::bigint AS yunqi, count(*) AS rows FROM gone GROUP BY 1, 2, 3
  ), ins AS (
    INSERT INTO ops_counters AS c (metric, label1, label2, shard, n, yunqi)
    SELECT metric, label1, label2, 0, n, yunqi FROM summed
    ON CONFLICT (metric, label1, label2, shard) DO UPDATE SET n = c.n + EXCLUDED.n, yunqi = c.yunqi + EXCLUDED.yunqi
  )
  SELECT coalesce(sum(rows), 0) INTO folded FROM summed;
  RETURN folded;
END $$;
