-- Access control. Every task, run and agent snapshot belongs to a project; API keys
-- belong to a project and are stored only as the SHA-256 hash of the key (the key itself
-- is shown once, when created). Examples, prompt versions, candidates, evaluations and
-- the ledger belong to a project through their task or run. Rows written before this
-- migration belong to the project 'default'.

CREATE TABLE projects (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
INSERT INTO projects (id, name, created_at) VALUES ('default', 'Default project', CAST(strftime('%s', 'now') AS INTEGER) * 1000);

CREATE TABLE api_keys (
  id            TEXT PRIMARY KEY,
  project_id    TEXT NOT NULL REFERENCES projects(id),
  name          TEXT NOT NULL,
  prefix        TEXT NOT NULL,             -- the key's first 8 characters, to recognise it in lists
  hash          TEXT NOT NULL,             -- SHA-256 of the whole key, lowercase hex
  created_at    INTEGER NOT NULL,
  revoked_at    INTEGER,
  last_used_at  INTEGER
);
-- Requests find their key by hash: an index seek, never a scan comparing secrets.
CREATE UNIQUE INDEX api_keys_by_hash ON api_keys (hash);
CREATE INDEX api_keys_by_project ON api_keys (project_id, created_at);

-- No REFERENCES here: SQLite cannot add a foreign-key column with a non-NULL default.
ALTER TABLE tasks ADD COLUMN project_id TEXT NOT NULL DEFAULT 'default';
ALTER TABLE runs ADD COLUMN project_id TEXT NOT NULL DEFAULT 'default';
ALTER TABLE agent_snapshots ADD COLUMN project_id TEXT NOT NULL DEFAULT 'default';

-- Lists are newest first within a project: (project_id, created_at, id) serves the cursor.
CREATE INDEX tasks_by_project ON tasks (project_id, created_at, id);
CREATE INDEX runs_by_project ON runs (project_id, created_at, id);
CREATE INDEX agent_snapshots_by_project ON agent_snapshots (project_id, created_at, id);
CREATE INDEX agent_snapshots_by_project_kind ON agent_snapshots (project_id, kind, created_at);
