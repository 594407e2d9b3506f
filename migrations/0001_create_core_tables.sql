-- Tasks, their examples, runs and everything a run produces. Every write the service
-- makes is keyed by an id it chose, so a redelivered write is an upsert, never a copy.

CREATE TABLE tasks (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  description   TEXT NOT NULL DEFAULT '',
  seed_prompt   TEXT NOT NULL,
  scorer        TEXT NOT NULL,             -- JSON ScorerSpec
  model         TEXT NOT NULL,             -- JSON { model, baseUrl? }
  split_seed    INTEGER NOT NULL,
  live_version  INTEGER,                   -- champions.version served as the live prompt
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);

CREATE TABLE examples (
  id          TEXT PRIMARY KEY,
  task_id     TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  split       TEXT NOT NULL CHECK (split IN ('train', 'val', 'test')),
  position    INTEGER NOT NULL,
  input       TEXT NOT NULL,
  expected    TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX examples_by_task ON examples (task_id, split, position);

CREATE TABLE runs (
  id                 TEXT PRIMARY KEY,
  kind               TEXT NOT NULL CHECK (kind IN ('pretrain', 'finetune')),
  status             TEXT NOT NULL,
  task_ids           TEXT NOT NULL,        -- JSON array
  agent_snapshot_id  TEXT,
  config             TEXT NOT NULL,        -- JSON RunConfig
  reason             TEXT,
  report             TEXT,                 -- JSON RunReport once finished
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  finished_at        INTEGER
);
CREATE INDEX runs_by_created ON runs (created_at);

CREATE TABLE candidates (
  id          TEXT PRIMARY KEY,
  run_id      TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('task', 'agent')),
  task_id     TEXT,
  parent_id   TEXT,
  generation  INTEGER NOT NULL,
  text        TEXT NOT NULL,
  status      TEXT NOT NULL,
  fitness     REAL,
  scores      TEXT NOT NULL DEFAULT '{}',  -- JSON { "<taskId>/<split>": { score, n } }
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX candidates_by_run ON candidates (run_id, generation);

CREATE TABLE evaluations (
  candidate_id       TEXT NOT NULL,
  example_id         TEXT NOT NULL,
  run_id             TEXT NOT NULL,
  task_id            TEXT NOT NULL,
  split              TEXT NOT NULL,
  output             TEXT NOT NULL,
  score              REAL NOT NULL,
  feedback           TEXT NOT NULL,
  prompt_tokens      INTEGER NOT NULL,
  completion_tokens  INTEGER NOT NULL,
  created_at         INTEGER NOT NULL,
  PRIMARY KEY (candidate_id, example_id)
);
CREATE INDEX evaluations_by_run ON evaluations (run_id);

CREATE TABLE usage_ledger (
  job_id             TEXT PRIMARY KEY,
  run_id             TEXT NOT NULL,
  role               TEXT NOT NULL,
  model              TEXT NOT NULL,
  calls              INTEGER NOT NULL,
  prompt_tokens      INTEGER NOT NULL,
  completion_tokens  INTEGER NOT NULL,
  usd                REAL NOT NULL,
  created_at         INTEGER NOT NULL
);
CREATE INDEX usage_by_run ON usage_ledger (run_id);

CREATE TABLE agent_snapshots (
  id            TEXT PRIMARY KEY,
  run_id        TEXT NOT NULL,
  candidate_id  TEXT NOT NULL,
  text          TEXT NOT NULL,
  fitness       REAL NOT NULL,
  lineage       TEXT NOT NULL,             -- JSON array of candidate ids, seed first
  created_at    INTEGER NOT NULL
);
CREATE INDEX agent_snapshots_by_created ON agent_snapshots (created_at);

-- A task's prompt versions: version 1 is the seed; later ones are champions of runs
-- (or manual edits). tasks.live_version says which one is served.
CREATE TABLE champions (
  task_id       TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  version       INTEGER NOT NULL,
  text          TEXT NOT NULL,
  source        TEXT NOT NULL CHECK (source IN ('seed', 'run', 'manual')),
  run_id        TEXT,
  candidate_id  TEXT,
  scores        TEXT NOT NULL DEFAULT '{}', -- JSON { split: score }
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (task_id, version)
);
CREATE UNIQUE INDEX champions_by_candidate ON champions (candidate_id) WHERE candidate_id IS NOT NULL;
