-- Outbound webhooks. A project subscribes a URL to some of the service's events; each
-- event becomes one delivery per listening subscription, sent signed (Standard Webhooks)
-- and retried through the WEBHOOKS queue until it is delivered or given up. The delivery
-- log is what the API shows.

CREATE TABLE webhook_subscriptions (
  id                          TEXT PRIMARY KEY,
  project_id                  TEXT NOT NULL REFERENCES projects(id),
  url                         TEXT NOT NULL,
  events                      TEXT NOT NULL,        -- JSON array of event types, or ["*"] for all
  -- The Standard Webhooks signing secret (whsec_ + base64). Kept in the clear because every
  -- delivery is signed with it; the API shows it only when it is created or rotated.
  secret                      TEXT NOT NULL,
  -- After a rotation, deliveries are signed with both secrets for a while, so a receiver
  -- can switch to the new one without rejecting what is in flight.
  previous_secret             TEXT,
  previous_secret_expires_at  INTEGER,
  description                 TEXT NOT NULL DEFAULT '',
  enabled                     INTEGER NOT NULL DEFAULT 1,
  created_at                  INTEGER NOT NULL,
  updated_at                  INTEGER NOT NULL
);
CREATE INDEX webhook_subscriptions_by_project ON webhook_subscriptions (project_id, created_at, id);

CREATE TABLE webhook_deliveries (
  id               TEXT PRIMARY KEY,
  subscription_id  TEXT NOT NULL,
  project_id       TEXT NOT NULL,
  event_id         TEXT NOT NULL,                   -- sent as webhook-id: the same on every attempt
  event_type       TEXT NOT NULL,
  payload          TEXT NOT NULL,                   -- the JSON body, exactly as signed and sent
  status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,      -- attempts made, over every round
  attempt_limit    INTEGER NOT NULL,                -- the attempt count at which it fails; a manual retry raises it
  last_status      INTEGER,                         -- the receiver's last HTTP status, NULL when none answered
  last_error       TEXT,
  next_attempt_at  INTEGER NOT NULL,                -- not attempted before this (backoff)
  claimed_until    INTEGER,                         -- an attempt is in flight until then: no second sender
  created_at       INTEGER NOT NULL,
  delivered_at     INTEGER,
  -- A replayed event (at-least-once queues, a run's outbox) is delivered once per subscription.
  UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_deliveries_by_project ON webhook_deliveries (project_id, created_at, id);
CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (event_id);
-- The sweep for pending deliveries whose queue message was lost (src/webhooks/requeue-stalled.ts).
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';

-- One row per attempt, for the delivery log.
CREATE TABLE webhook_delivery_attempts (
  delivery_id  TEXT NOT NULL,
  attempt      INTEGER NOT NULL,
  at           INTEGER NOT NULL,
  status       INTEGER,                             -- HTTP status, NULL when no response came
  error        TEXT,                                -- NULL when delivered
  duration_ms  INTEGER NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);
