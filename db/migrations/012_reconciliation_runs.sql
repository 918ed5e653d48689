-- The reconciliation sweep's runs (services/reconciliation.ts): each run of the scheduled
-- workflow records the findings of its named checks once (keyed by the workflow run);
-- GET /v1/ops/reconciliation shows the latest.
CREATE TABLE reconciliation_runs (
  run_id      text PRIMARY KEY,
  workflow_id text NOT NULL,
  checks      text[] NOT NULL,
  findings    jsonb NOT NULL,
  started_at  timestamptz NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reconciliation_runs_latest ON reconciliation_runs (finished_at DESC);
