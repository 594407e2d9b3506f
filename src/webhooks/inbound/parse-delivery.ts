/**
 * Reading a verified delivery's body by its endpoint's scheme. Runs only after the
 * signature matched, so its 4xx messages go to the secret's holder.
 */
import { AppError } from "../../errors";
import type { ParsedDelivery } from "./delivery-intent";
import { type GitHubAction, parseGitHubDelivery } from "./github-action";
import { parseStandardPayload } from "./standard-payload";

const JSON_TYPE = /^application\/(.+\+)?json\b/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded\b/i;
const GITHUB_EVENT = /^[a-z_]{1,50}$/;

export interface ParseTarget {
  scheme: "standard" | "github";
  action: GitHubAction | null;
}

export function parseDelivery(endpoint: ParseTarget, body: string, headers: Headers): ParsedDelivery {
  const contentType = headers.get("content-type") ?? "";
  if (endpoint.scheme === "standard") {
    if (!JSON_TYPE.test(contentType)) throw new AppError("unsupported_media_type", "Standard Webhooks deliveries are JSON: send 'content-type: application/json'.");
    return parseStandardPayload(body);
  }
  if (!JSON_TYPE.test(contentType) && !FORM_TYPE.test(contentType)) {
    throw new AppError("unsupported_media_type", "GitHub deliveries are application/json or application/x-www-form-urlencoded (the GitHub webhook's content type).");
  }
  const event = headers.get("x-github-event");
  if (!event || !GITHUB_EVENT.test(event)) throw new AppError("invalid_request", "GitHub deliveries name their event in X-GitHub-Event (e.g. push).");
  if (!endpoint.action) return { event, intent: { action: "ignore", reason: "this endpoint has no action configured" } };
  return parseGitHubDelivery(endpoint.action, event, body, contentType);
}
