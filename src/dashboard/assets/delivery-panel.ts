/**
 * Client module `delivery-panel.js`: one outbound webhook delivery (GET
 * /v1/webhooks/deliveries/:id): its payload as sent, every attempt with the receiver's
 * answer, and a Retry button while it is failed. A pending delivery is read again every
 * POLL_MS until it settles, so a retry is seen through to its outcome.
 */
export const deliveryPanelJs = String.raw`
import { api, describeError } from "./api.js";
import { errorBox, facts, fill, h, longText, num, sleep, statusPill, table, when } from "./dom.js";

const POLL_MS = 1500;

/**
 * Shows delivery id in panel until signal aborts (another delivery is opened, or the
 * page is left). ctx: { signal, subscriptions: Map id -> subscription, onChange }.
 */
export async function showDelivery(panel, id, ctx, notice = null) {
  // A notice passed in is kept: reopening after a retry keeps saying what was done.
  if (!notice) {
    notice = h("div");
    fill(panel, h("p", { class: "muted" }, "Loading delivery…"));
  }
  while (!ctx.signal.aborted) {
    let d;
    try {
      d = await api("/v1/webhooks/deliveries/" + encodeURIComponent(id), { signal: ctx.signal });
    } catch (error) {
      if (ctx.signal.aborted) return;
      fill(panel, errorBox(describeError(error)));
      return;
    }
    if (ctx.signal.aborted) return;
    render(panel, d, notice, ctx, () => showDelivery(panel, id, ctx, notice));
    if (d.status !== "pending") return;
    await sleep(POLL_MS, ctx.signal);
  }
}

function render(panel, d, notice, ctx, reopen) {
  const sub = ctx.subscriptions.get(d.subscriptionId);
  let retry = null;
  if (d.status === "failed") {
    retry = h("button", { type: "button", class: "retry" }, "Retry");
    retry.addEventListener("click", async () => {
      retry.disabled = true;
      try {
        await api("/v1/webhooks/deliveries/" + encodeURIComponent(d.id) + "/retry", { method: "POST" });
        fill(notice, h("p", { class: "notice", role: "status" }, "Queued again: a new round of attempts, under the same event id."));
      } catch (error) {
        fill(notice, errorBox(describeError(error)));
        retry.disabled = false;
        return;
      }
      if (ctx.onChange) ctx.onChange();
      reopen();
    });
  }
  fill(panel,
    h("h2", {}, "Delivery ", statusPill(d.status), retry),
    notice,
    facts([
      ["Id", h("code", {}, d.id)],
      ["Event", [h("code", {}, d.eventType), " ", h("span", { class: "sub", title: "sent as the webhook-id header" }, d.eventId)]],
      ["Subscription", sub ? [h("code", {}, sub.url), h("div", { class: "sub" }, d.subscriptionId)] : h("code", {}, d.subscriptionId)],
      ["Attempts", num(d.attempts)],
      d.lastError ? ["Last error", h("span", { class: "delivery-error" }, d.lastError)] : null,
      d.status === "pending" && d.nextAttemptAt ? ["Next attempt", when(d.nextAttemptAt)] : null,
      ["Created", when(d.createdAt)],
      d.deliveredAt ? ["Delivered", when(d.deliveredAt)] : null,
    ]),
    h("h3", {}, "Attempts"),
    attemptTable(d.attemptLog || []),
    h("h3", {}, "Payload"),
    longText(JSON.stringify(d.payload, null, 2), 4000, "text payload"),
  );
}

function attemptTable(log) {
  if (!log.length) return h("p", { class: "muted" }, "No attempt made yet.");
  const rows = log.map((a) =>
    h(
      "tr",
      { class: a.status !== null && a.status >= 200 && a.status < 300 ? "ok" : "bad" },
      h("td", { class: "num" }, String(a.attempt)),
      h("td", {}, when(a.at)),
      h("td", { class: "num" }, a.status === null ? "no answer" : "HTTP " + a.status),
      h("td", { class: "num" }, num(a.durationMs) + " ms"),
      h("td", { class: "sub" }, a.error || ""),
    ),
  );
  return h("div", { class: "table-scroll" }, table(["#", "at", "answer", "took", "error"], rows, { class: "list attempts" }));
}
`;
