-- Manual control of the prompt a task serves. A pinned task keeps its live version when
-- a run's champion passes the promotion gate: the champion is still recorded as a
-- version, but only a user (promote, rollback, pin, a manual version) moves what is live.
ALTER TABLE tasks ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1));

-- Why a manual prompt version was added (NULL for seeds and run champions).
ALTER TABLE champions ADD COLUMN note TEXT;

-- Every change of a task's live version or pin, in order: the audit log users read, and
-- the stack a rollback pops. Rows are never updated or deleted (but with their task).
CREATE TABLE prompt_changes (
  task_id       TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  seq           INTEGER NOT NULL,          -- 1, 2, ... per task, in the order applied
  id            TEXT NOT NULL,             -- chosen by the writer, so it can tell its own row apart
  action        TEXT NOT NULL CHECK (action IN ('run', 'promote', 'rollback', 'pin', 'unpin', 'manual')),
  from_version  INTEGER,                   -- live before (NULL: none)
  to_version    INTEGER,                   -- live after; equal to from_version for pin/unpin that move nothing
  pinned        INTEGER NOT NULL CHECK (pinned IN (0, 1)),  -- tasks.pinned after the change
  run_id        TEXT,                      -- action 'run': the run whose champion went live
  reason        TEXT,                      -- the user's words, if any
  undoes        INTEGER,                   -- action 'rollback': the seq of the change it undid
  -- After this change, the seq of the change a rollback would undo (NULL: nothing to undo).
  -- Kept on every row so a rollback reads two rows instead of replaying the whole log.
  undo_seq      INTEGER,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (task_id, seq)
);
CREATE UNIQUE INDEX prompt_changes_by_id ON prompt_changes (id);
