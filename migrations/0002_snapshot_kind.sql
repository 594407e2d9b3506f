-- A pre-training's product is either a prompt agent (SePO) or a shared system prompt
-- (the MetaSPO-style baseline); fine-tunings must not take one for the other.
ALTER TABLE agent_snapshots ADD COLUMN kind TEXT NOT NULL DEFAULT 'prompt-agent'
  CHECK (kind IN ('prompt-agent', 'shared-system-prompt'));
CREATE INDEX agent_snapshots_by_kind ON agent_snapshots (kind, created_at);
