-- One reconciliation sweep (docs/operations.md "Reconciliation"). 012 made reconciliation_runs
-- for runs recorded once at their end, with every finding inline. The sweep now opens its run,
-- records each named check's result on a row of its own (a check that fails is an error there,
-- and the others still run), and closes the run. Runs recorded the 012 way keep their findings:
-- they are moved to result rows, one per check the run took.

CREATE TABLE reconciliation_results (
  run_id       text NOT NULL REFERENCES reconciliation_runs(run_id),
  check_name   text NOT NULL,
  status       text NOT NULL CHECK (status IN ('ok', 'findings', 'error')),
  findings     int NOT NULL,
  sample       jsonb NOT NULL DEFAULT '[]',   -- the findings (at most 200), for people
  error        text,
  duration_ms  int NOT NULL,
  checked_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, check_name)
);
CREATE INDEX reconciliation_results_latest ON reconciliation_results (check_name, checked_at DESC);

-- 012's sweep wrote a check that failed as a finding about 'sweep' with action 'failed'.
INSERT INTO reconciliation_results (run_id, check_name, status, findings, sample, error, duration_ms, checked_at)
SELECT r.run_id, c.name,
       CASE WHEN bool_or(f->>'action' = 'failed' AND f->>'subject' = 'sweep') THEN 'error'
            WHEN count(f) > 0 THEN 'findings' ELSE 'ok' END,
       count(f) FILTER (WHERE NOT (f->>'action' = 'failed' AND f->>'subject' = 'sweep')),
       coalesce(jsonb_agg(f) FILTER (WHERE f IS NOT NULL AND NOT (f->>'action' = 'failed' AND f->>'subject' = 'sweep')), '[]'),
       max(f->>'message') FILTER (WHERE f->>'action' = 'failed' AND f->>'subject' = 'sweep'),
       0, r.finished_at
  FROM reconciliation_runs r
 CROSS JOIN LATERAL unnest(r.checks) AS c(name)
  LEFT JOIN LATERAL jsonb_array_elements(r.findings) AS f ON f->>'check' = c.name
 GROUP BY r.run_id, c.name, r.finished_at;

ALTER TABLE reconciliation_runs DROP COLUMN findings;
ALTER TABLE reconciliation_runs
  ADD COLUMN trigger text NOT NULL DEFAULT 'schedule' CHECK (trigger IN ('schedule', 'manual')),
  ADD COLUMN findings int,                       -- the sum of its results' findings, once finished
  ALTER COLUMN started_at SET DEFAULT now(),
  ALTER COLUMN finished_at DROP NOT NULL,        -- null while the run goes on
  ALTER COLUMN finished_at DROP DEFAULT;
ALTER TABLE reconciliation_runs ALTER COLUMN trigger DROP DEFAULT;
UPDATE reconciliation_runs r SET findings = (SELECT coalesce(sum(x.findings), 0)::int FROM reconciliation_results x WHERE x.run_id = r.run_id);
COMMENT ON COLUMN reconciliation_runs.checks IS 'the named checks this run takes (a scheduled run: those due)';
