/**
 * Sending inbound webhooks the way real senders do: signed by the `standardwebhooks`
 * library (Standard Webhooks) or by @octokit/webhooks-methods (GitHub), to POST
 * /hooks/:id through the Worker's fetch handler, with no API key.
 */
import { exports } from "cloudflare:workers";
import { sign } from "@octokit/webhooks-methods";
import { Webhook } from "standardwebhooks";

export interface HookResponse {
  status: number;
  headers: Headers;
  body: any;
}

export async function postHook(endpointId: string, body: string, headers: Record<string, string>): Promise<HookResponse> {
  const res = await exports.default.fetch(`http://x/hooks/${endpointId}`, { method: "POST", headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

export interface StandardOptions {
  id?: string;
  sentAt?: Date;
  /** Sign with this secret instead of the endpoint's (a forgery). */
  signWith?: string;
}

/** A Standard Webhooks delivery of `payload`, signed with the library; returns the id it used. */
export async function sendStandard(endpoint: { id: string; secret: string }, payload: unknown, options: StandardOptions = {}): Promise<HookResponse & { webhookId: string }> {
  const webhookId = options.id ?? `msg_${crypto.randomUUID()}`;
  const sentAt = options.sentAt ?? new Date();
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const signature = new Webhook(options.signWith ?? endpoint.secret).sign(webhookId, sentAt, body);
  const headers = {
    "content-type": "application/json",
    "webhook-id": webhookId,
    "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
    "webhook-signature": signature,
  };
  return { ...(await postHook(endpoint.id, body, headers)), webhookId };
}

export interface GitHubOptions {
  delivery?: string;
  signWith?: string;
  /** Headers to leave out. */
  omit?: string[];
}

/** A GitHub delivery of `event` with `payload`, signed with @octokit/webhooks-methods. */
export async function sendGitHub(endpoint: { id: string; secret: string }, event: string, payload: unknown, options: GitHubOptions = {}): Promise<HookResponse> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-github-event": event,
    "x-github-delivery": options.delivery ?? crypto.randomUUID(),
    "x-hub-signature-256": await sign(options.signWith ?? endpoint.secret, body),
    "user-agent": "GitHub-Hookshot/test",
  };
  for (const name of options.omit ?? []) delete headers[name];
  return postHook(endpoint.id, body, headers);
}
