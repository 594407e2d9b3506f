/**
 * Client module `inbound-endpoints.js`: the project's inbound webhook endpoints (the URLs
 * its CI or data pipeline calls to start runs or add examples) with each one's recent
 * deliveries and what came of them. The API shows an endpoint's secret only when it is
 * created or rotated; this page never shows any part of it.
 */
export const inboundEndpointsJs = String.raw`
import { api, describeError } from "./api.js";
import { badge, errorBox, facts, fill, h, statusPill, table, truncate, when } from "./dom.js";

const RECENT = 10;

export async function inboundSection(signal) {
  const page = await api("/v1/webhooks/endpoints?limit=50", { signal });
  const body = page.items.length
    ? page.items.map((e) => endpointBlock(e, signal))
    : h("p", { class: "empty" }, "No inbound endpoints. Create one with POST /v1/webhooks/endpoints; its URL then starts runs or adds examples when called with a signed request.");
  return h(
    "section",
    { class: "card inbound" },
    h("h2", {}, "Inbound endpoints"),
    h("p", { class: "muted" }, "URLs your systems call with a signed request (Standard Webhooks, or GitHub's X-Hub-Signature-256)."),
    body,
    page.nextCursor ? h("p", { class: "muted" }, "The newest 50 endpoints.") : null,
  );
}

function actionText(action) {
  if (!action) return "what each delivery's body names: run.start or examples.append";
  return action.type + (action.events && action.events.length ? " on " + action.events.join(", ") : "");
}

function endpointBlock(e, signal) {
  const log = h("div", { class: "endpoint-log" }, h("p", { class: "muted" }, "Loading deliveries…"));
  api("/v1/webhooks/endpoints/" + encodeURIComponent(e.id) + "/deliveries?limit=" + RECENT, { signal })
    .then((page) => fill(log, inboundTable(page.items)))
    .catch((error) => !signal.aborted && fill(log, errorBox(describeError(error))));
  return h(
    "div",
    { class: "endpoint", "data-id": e.id },
    h("h3", { class: "endpoint-name" }, h("span", {}, e.name), badge(e.scheme), e.revokedAt ? statusPill("revoked") : null),
    facts([
      ["URL", h("code", {}, e.url)],
      ["Does", actionText(e.action)],
      ["Created", when(e.createdAt)],
      e.secretRotatedAt ? ["Secret rotated", when(e.secretRotatedAt)] : null,
      e.revokedAt ? ["Revoked", when(e.revokedAt)] : null,
    ]),
    log,
  );
}

function resultText(d) {
  if (d.error) return d.error;
  if (!d.result) return "";
  return truncate(JSON.stringify(d.result), 120);
}

function inboundTable(items) {
  if (!items.length) return h("p", { class: "muted" }, "No delivery received yet.");
  const rows = items.map((d) =>
    h(
      "tr",
      { "data-outcome": d.outcome },
      h("td", {}, when(d.receivedAt)),
      h("td", {}, d.event ? h("code", {}, d.event) : "–", d.webhookId ? h("div", { class: "sub" }, truncate(d.webhookId, 40)) : null),
      h("td", {}, d.action || "–"),
      h("td", {}, statusPill(d.outcome)),
      h("td", { class: "num" }, d.httpStatus === null ? "–" : String(d.httpStatus)),
      h("td", { class: "sub" }, resultText(d)),
    ),
  );
  return h("div", { class: "table-scroll" }, table(["received", "event / id", "action", "outcome", "HTTP", "result or error"], rows, { class: "list inbound-log" }));
}
`;
