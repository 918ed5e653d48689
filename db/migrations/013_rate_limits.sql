-- Rate limits shared by every API replica and kept across restarts (api/rate-limit.ts): one row
-- per key (e.g. 'withdrawals:ambassador:<id>') and fixed window, counted by an atomic upsert.
-- Windows older than a day are deleted now and then by the writers.
CREATE TABLE rate_limit_windows (
  key          text NOT NULL,
  window_start timestamptz NOT NULL,
  hits         int NOT NULL CHECK (hits >= 0),
  PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limit_windows_start ON rate_limit_windows (window_start);
