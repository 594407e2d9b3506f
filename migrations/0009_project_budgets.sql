-- Per-project budgets (src/budgets/). What a project spent is read from usage_ledger
-- through runs.project_id; these tables hold the limits, what running runs may still
-- spend, and the alerts already recorded.

-- At most one budget per project; a NULL limit is no limit on that dimension.
CREATE TABLE project_budgets (
  project_id  TEXT PRIMARY KEY REFERENCES projects(id),
  max_calls   INTEGER CHECK (max_calls IS NULL OR max_calls > 0),
  max_tokens  INTEGER CHECK (max_tokens IS NULL OR max_tokens > 0),
  max_usd     REAL CHECK (max_usd IS NULL OR max_usd > 0),
  period      TEXT NOT NULL CHECK (period IN ('month', 'total')),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);

-- A run's caps, held against its project's budget from its start until it finishes
-- (the run.finished history write deletes the row). What it may still spend is its caps
-- minus its usage_ledger rows. Written before the runs row exists, so no foreign key.
CREATE TABLE budget_reservations (
  run_id      TEXT PRIMARY KEY,
  project_id  TEXT NOT NULL,
  max_calls   INTEGER,
  max_tokens  INTEGER,
  max_usd     REAL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX budget_reservations_by_project ON budget_reservations (project_id);

-- One alert per project, period ('2026-07' or 'total') and threshold (percent). Recorded
-- before it is sent (sent_at stays NULL until the WEBHOOKS queue took it), so a failed
-- send is retried by the next check with the same event id and the same data.
CREATE TABLE budget_alerts (
  project_id  TEXT NOT NULL,
  period_key  TEXT NOT NULL,
  threshold   INTEGER NOT NULL CHECK (threshold IN (50, 80, 100)),
  dimension   TEXT NOT NULL,
  spent       TEXT NOT NULL,             -- JSON { calls, tokens, usd } when it was recorded
  limits      TEXT NOT NULL,             -- JSON { calls, tokens, usd } (null = no limit)
  created_at  INTEGER NOT NULL,
  sent_at     INTEGER,
  PRIMARY KEY (project_id, period_key, threshold)
);
CREATE INDEX budget_alerts_unsent ON budget_alerts (sent_at) WHERE sent_at IS NULL;
