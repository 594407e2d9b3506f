/** The events a project can subscribe to with an outbound webhook. */
export const WEBHOOK_EVENT_TYPES = [
  "run.started",
  "generation.completed",
  "candidate.admitted",
  "champion.promoted",
  "run.finished",
  "run.failed",
  "budget.threshold",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
