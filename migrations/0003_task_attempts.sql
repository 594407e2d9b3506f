-- pass@k: how many answers the task model gives per example (ARC-AGI is scored pass@3).
ALTER TABLE tasks ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1 CHECK (attempts BETWEEN 1 AND 10);
