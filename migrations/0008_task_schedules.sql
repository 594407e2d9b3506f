-- Scheduled re-optimization. A task may carry one cron schedule; each minute the cron
-- trigger starts a fine-tuning run for every schedule that is due, from the task's live
-- prompt, and the promotion gate decides at the end whether the new champion goes live.

CREATE TABLE task_schedules (
  task_id          TEXT PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
  project_id       TEXT NOT NULL REFERENCES projects(id),
  cron             TEXT NOT NULL,                  -- five fields, minute precision
  timezone         TEXT NOT NULL DEFAULT 'UTC',    -- IANA name the cron fields are read in
  config           TEXT NOT NULL DEFAULT '{}',     -- JSON run config, as given (defaults apply when a run starts)
  -- 'latest' (the project's newest snapshot, else the hand-written agent), a snapshot id,
  -- or NULL for the hand-written agent.
  agent            TEXT DEFAULT 'latest',
  agent_model      TEXT,                           -- JSON { model, baseUrl? }; NULL = the service's default agent model
  enabled          INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  -- The next time the schedule is due (epoch ms); NULL while disabled or when the cron
  -- never fires again. Claiming a due schedule moves it past "now", so overlapping ticks
  -- cannot start the same occurrence twice.
  next_run_at      INTEGER,
  last_run_id      TEXT,                           -- the last run this schedule started
  last_run_at      INTEGER,
  last_outcome     TEXT CHECK (last_outcome IN ('started', 'skipped', 'failed')),
  last_reason      TEXT,                           -- why it was skipped or failed
  last_outcome_at  INTEGER,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
-- The cron tick's question: which enabled schedules are due now?
CREATE INDEX task_schedules_due ON task_schedules (enabled, next_run_at);
CREATE INDEX task_schedules_by_project ON task_schedules (project_id, created_at, task_id);
-- "Is a run of this task still going?" is asked of every due schedule: running runs are
-- few, so this finds them without reading the project's whole run history.
CREATE INDEX runs_by_project_status ON runs (project_id, status);
