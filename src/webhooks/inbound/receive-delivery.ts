/**
 * One inbound delivery, from arrival to answer. The order matters:
 * 1. the endpoint (404 for unknown and revoked alike: a URL says nothing about others);
 * 2. the raw body, read once as text, within MAX_BODY_BYTES (413);
 * 3. the signature, by the endpoint's scheme (401); nothing from the body is trusted or
 *    kept before it matches;
 * 4. the body (415/400);
 * 5. the replay claim: an INSERT that only one delivery per id can make; a replay is
 *    answered 200 {duplicate: true} and does nothing;
 * 6. the action, whose outcome is recorded on the claiming row.
 * Every delivery that reaches a known endpoint leaves one row in the log, refused ones
 * included. A sender's mistake is always a 4xx; only our own failures are a 500 (the
 * claim is then given back, so the sender's retry is acted on).
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { toHex } from "../../auth/api-key";
import { sha256 } from "../../auth/constant-time";
import type { AppEnv } from "../../env";
import { AppError } from "../../errors";
import { MAX_BODY_BYTES } from "../../http/validate";
import { type DeliveryReceipt, claimDelivery, findClaim, finishDelivery, recordDelivery } from "../../storage/inbound-delivery-repo";
import { type InboundEndpoint, findEndpointForDelivery } from "../../storage/inbound-webhook-repo";
import type { ParsedDelivery } from "./delivery-intent";
import { parseDelivery } from "./parse-delivery";
import { performAction } from "./perform-action";
import { clampWebhookId } from "./verification";
import { verifyGitHubDelivery } from "./verify-github";
import { verifyStandardDelivery } from "./verify-standard";

export interface HookReply {
  status: ContentfulStatusCode;
  body: Record<string, unknown>;
}

export const ENDPOINT_ID_PATTERN = /^hook_[0-9a-f]{32}$/;
const NO_ENDPOINT = "No webhook endpoint at this URL. Create one with POST /v1/webhooks/endpoints.";

export async function receiveDelivery(env: AppEnv, endpointId: string, request: Request, now = Date.now()): Promise<HookReply> {
  const endpoint = ENDPOINT_ID_PATTERN.test(endpointId) ? await findEndpointForDelivery(env.DB, endpointId) : null;
  if (!endpoint) return errorReply(new AppError("not_found", NO_ENDPOINT));
  const receipt: DeliveryReceipt = { endpointId: endpoint.id, projectId: endpoint.projectId, webhookId: claimedId(endpoint, request.headers), event: claimedEvent(endpoint, request.headers), receivedAt: now };
  const refuse = async (error: AppError, note = error.message) => {
    await recordDelivery(env.DB, receipt, { outcome: "rejected", httpStatus: error.status, action: null, result: null, error: note });
    return errorReply(error);
  };
  if (endpoint.revoked) return refuse(new AppError("not_found", NO_ENDPOINT), "the endpoint is revoked");
  const body = await readRawBody(request);
  if (body instanceof AppError) return refuse(body);
  const verification = endpoint.scheme === "standard" ? verifyStandardDelivery(endpoint.secret, body, request.headers, now) : await verifyGitHubDelivery(endpoint.secret, body, request.headers);
  if (!verification.ok) return refuse(new AppError("unauthorized", verification.reason));
  if (!verification.webhookId) return refuse(new AppError("invalid_request", "GitHub deliveries carry their id in X-GitHub-Delivery; it keeps a delivery from acting twice."));
  let parsed: ParsedDelivery;
  try {
    parsed = parseDelivery(endpoint, body, request.headers);
  } catch (error) {
    if (error instanceof AppError) return refuse(error);
    throw error;
  }
  const digest = endpoint.scheme === "github" ? toHex(await sha256(body)) : null;
  return claimAndAct(env, endpoint, { ...receipt, webhookId: verification.webhookId, event: parsed.event, bodySha256: digest }, parsed);
}

async function claimAndAct(env: AppEnv, endpoint: InboundEndpoint, receipt: DeliveryReceipt & { webhookId: string; bodySha256: string | null }, parsed: ParsedDelivery): Promise<HookReply> {
  const action = parsed.intent.action === "ignore" ? null : parsed.intent.action;
  const deliveryId = await claimDelivery(env.DB, receipt, action);
  if (deliveryId === null) {
    const original = await findClaim(env.DB, endpoint.id, receipt.webhookId, receipt.bodySha256);
    const originalDeliveryId = original?.id ?? null;
    const id = await recordDelivery(env.DB, receipt, { outcome: "duplicate", httpStatus: 200, action: null, result: { originalDeliveryId }, error: null });
    return { status: 200, body: { deliveryId: id, duplicate: true, webhookId: receipt.webhookId, originalDeliveryId } };
  }
  try {
    const done = await performAction(env, endpoint.projectId, parsed.intent);
    await finishDelivery(env.DB, deliveryId, { outcome: done.outcome, httpStatus: done.status, action, result: done.result, error: null }, true);
    return { status: done.status, body: { deliveryId, ...done.body } };
  } catch (error) {
    const refused = error instanceof AppError && error.status < 500 ? error : null;
    if (!refused) console.error("inbound webhook action failed", deliveryId, error);
    const facts = refused
      ? { outcome: "rejected" as const, httpStatus: refused.status, error: refused.message }
      : { outcome: "failed" as const, httpStatus: 500, error: "Internal error; the action was not applied. A retry of this delivery will be acted on." };
    await finishDelivery(env.DB, deliveryId, { ...facts, action, result: null }, false);
    if (refused) return errorReply(refused);
    throw error;
  }
}

/** The body as text, read once (the signature covers these exact bytes), or a 413. */
async function readRawBody(request: Request): Promise<string | AppError> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) return new AppError("payload_too_large", `The body is ${declared} bytes; the limit is ${MAX_BODY_BYTES}.`);
  const text = await request.text();
  if (new TextEncoder().encode(text).byteLength > MAX_BODY_BYTES) return new AppError("payload_too_large", `The body is larger than the limit of ${MAX_BODY_BYTES} bytes.`);
  return text;
}

/** The id the sender gives, before anything is verified: for the log only. */
function claimedId(endpoint: InboundEndpoint, headers: Headers): string | null {
  return clampWebhookId(headers.get(endpoint.scheme === "standard" ? "webhook-id" : "x-github-delivery"));
}

function claimedEvent(endpoint: InboundEndpoint, headers: Headers): string | null {
  return endpoint.scheme === "github" ? (headers.get("x-github-event")?.slice(0, 50) ?? null) : null;
}

function errorReply(error: AppError): HookReply {
  return { status: error.status, body: error.toJSON() };
}
