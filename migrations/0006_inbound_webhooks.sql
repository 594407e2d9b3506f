-- Inbound webhooks: endpoints that start runs or add examples when a signed delivery
-- arrives at POST /hooks/:endpointId, and a log of every delivery that reached one.

CREATE TABLE inbound_endpoints (
  id                 TEXT PRIMARY KEY,
  project_id         TEXT NOT NULL REFERENCES projects(id),
  name               TEXT NOT NULL,
  scheme             TEXT NOT NULL CHECK (scheme IN ('standard', 'github')),
  -- Stored as issued (`whsec_` + base64): checking an HMAC needs the key itself, so unlike
  -- an API key it cannot be kept as a hash. Never returned by the API after creation.
  secret             TEXT NOT NULL,
  action             TEXT,                 -- JSON: what a GitHub delivery does (GitHub bodies carry no instruction); NULL for 'standard'
  created_at         INTEGER NOT NULL,
  secret_rotated_at  INTEGER,
  revoked_at         INTEGER
);
CREATE INDEX inbound_endpoints_by_project ON inbound_endpoints (project_id, created_at, id);

CREATE TABLE inbound_deliveries (
  id           TEXT PRIMARY KEY,
  endpoint_id  TEXT NOT NULL REFERENCES inbound_endpoints(id),
  project_id   TEXT NOT NULL,
  webhook_id   TEXT,                       -- Standard Webhooks `webhook-id` or GitHub's X-GitHub-Delivery, as sent (NULL when missing)
  body_sha256  TEXT,                       -- GitHub deliveries only: the verified body's digest (see below)
  -- 1 while this row holds its ids against replays: from the moment it is accepted for
  -- action, and kept once acted on. Refused deliveries never claim (a forged delivery must
  -- not use up a real id); a delivery whose action was refused or failed gives its claim
  -- back, so the sender's retry with the same id is acted on.
  claimed      INTEGER NOT NULL DEFAULT 0 CHECK (claimed IN (0, 1)),
  event        TEXT,                       -- the body's `type`, or X-GitHub-Event
  received_at  INTEGER NOT NULL,
  outcome      TEXT NOT NULL CHECK (outcome IN ('processing', 'accepted', 'duplicate', 'ignored', 'rejected', 'failed')),
  http_status  INTEGER,
  action       TEXT,                       -- what was done: 'run.start', 'examples.append', 'ping'
  result       TEXT,                       -- JSON, e.g. { "runId" } or { "taskId", "added" }
  error        TEXT
);
-- Replay protection: the INSERT of a claiming row is the check (race-free), per endpoint.
-- GitHub signs the body only, not X-GitHub-Delivery, so a captured GitHub delivery sent
-- again under a new id is caught by its body digest instead.
CREATE UNIQUE INDEX inbound_deliveries_replay_id ON inbound_deliveries (endpoint_id, webhook_id) WHERE claimed = 1;
CREATE UNIQUE INDEX inbound_deliveries_replay_body ON inbound_deliveries (endpoint_id, body_sha256) WHERE claimed = 1;
CREATE INDEX inbound_deliveries_by_endpoint ON inbound_deliveries (endpoint_id, received_at, id);
