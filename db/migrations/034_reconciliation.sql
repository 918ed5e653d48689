-- The reconciliation sweep (docs/operations.md "Reconciliation"): a Temporal Schedule runs it
-- nightly, ops run it on demand; each run records, per named check, what it found.

CREATE TABLE reconciliation_runs (
  id           bigserial PRIMARY KEY,
  trigger      text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
  workflow_id  text NOT NULL UNIQUE,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  findings     int
);

CREATE TABLE reconciliation_results (
  run_id       bigint NOT NULL REFERENCES reconciliation_runs(id),
  check_name   text NOT NULL,
  status       text NOT NULL CHECK (status IN ('ok', 'findings', 'error')),
  findings     int NOT NULL,
  sample       jsonb NOT NULL DEFAULT '[]',   -- the first findings, for people
  error        text,
  duration_ms  int NOT NULL,
  checked_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, check_name)
);
