/**
 * Client module `page-webhooks.js`: outbound webhooks (subscriptions and the delivery
 * log, filtered by status and event type, paged newest first, one delivery opened
 * beside it) and the inbound endpoints. While the shown page of the log holds a pending
 * delivery it is read again every POLL_MS, so retries are seen landing.
 */
export const pageWebhooksJs = String.raw`
import { api, apiAll, describeError } from "./api.js";
import { showDelivery } from "./delivery-panel.js";
import { errorBox, fill, h, num, sleep, statusPill, table, truncate, when } from "./dom.js";
import { inboundSection } from "./inbound-endpoints.js";

const PAGE_SIZE = 20;
const POLL_MS = 2000;
const STATUSES = ["pending", "delivered", "failed"];

export async function webhooksPage(root, _params, signal) {
  fill(root, h("h1", {}, "Webhooks"), h("p", { class: "muted" }, "Loading…"));
  const [index, subscriptions] = await Promise.all([api("/v1/webhooks", { signal }), apiAll("/v1/webhooks/subscriptions", { signal, maxPages: 1 })]);
  const state = {
    filter: { status: "", eventType: "", subscriptionId: "" },
    cursors: [null],
    page: null,
    selectedId: null,
    detail: null,
    subscriptions: new Map(subscriptions.map((s) => [s.id, s])),
    eventTypes: [...index.eventTypes, "webhook.test"],
    loads: 0,
  };
  const counts = h("div", { class: "overview webhook-counts" });
  const logBox = h("div", { class: "delivery-log" });
  const panel = h("aside", { class: "panel card", id: "delivery-panel" }, h("p", { class: "muted" }, "Click a delivery to see its payload and every attempt."));
  const inbound = h("div", {}, h("p", { class: "muted" }, "Loading inbound endpoints…"));
  const view = { root, counts, logBox, panel, signal };

  const reload = async () => {
    const seq = ++state.loads;
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    for (const [k, v] of Object.entries(state.filter)) if (v) query.set(k, v);
    const cursor = state.cursors[state.cursors.length - 1];
    if (cursor) query.set("cursor", cursor);
    const [summary, page] = await Promise.all([api("/v1/webhooks", { signal }), api("/v1/webhooks/deliveries?" + query, { signal })]);
    if (seq !== state.loads) return; // a newer filter or page is already on its way
    state.page = page;
    fill(counts, countCards(summary, state, () => change()));
    fill(logBox, logView(state, { change, open }));
  };
  const change = () => reload().catch((error) => !signal.aborted && fill(logBox, errorBox(describeError(error))));
  const open = (id) => {
    state.selectedId = id;
    if (state.detail) state.detail.abort();
    state.detail = new AbortController();
    signal.addEventListener("abort", () => state.detail.abort(), { once: true });
    for (const row of logBox.querySelectorAll("tr[data-id]")) row.classList.toggle("selected", row.dataset.id === id);
    showDelivery(panel, id, { signal: state.detail.signal, subscriptions: state.subscriptions, onChange: change });
  };

  fill(root,
    h("h1", {}, "Webhooks"),
    h("p", { class: "muted" }, "Outbound: this service POSTs signed events (Standard Webhooks) to your subscriptions and logs every attempt. Inbound: endpoints your systems call to start runs or add examples."),
    counts,
    subscriptionSection(subscriptions, (id) => {
      state.filter.subscriptionId = id;
      state.cursors = [null];
      change();
    }),
    h("div", { class: "split-view deliveries-view" }, h("section", { class: "card" }, h("h2", {}, "Delivery log"), logBox), panel),
    inbound,
  );
  await reload();
  inboundSection(signal).then((el) => fill(inbound, el), (error) => !signal.aborted && fill(inbound, errorBox(describeError(error))));
  while (!signal.aborted) {
    await sleep(POLL_MS, signal);
    if (!signal.aborted && state.page && state.page.items.some((d) => d.status === "pending")) await change();
  }
}

function countCards(summary, state, change) {
  const d = summary.deliveries;
  const card = (label, value, status) => {
    const attrs = { class: "card stat" + (status ? " clickable" : ""), "data-status": status || null };
    const el = h("div", attrs, h("div", { class: "muted" }, label), h("p", { class: "big" }, num(value)));
    if (status) {
      el.title = "show only " + status + " deliveries";
      el.addEventListener("click", () => {
        state.filter.status = state.filter.status === status ? "" : status;
        state.cursors = [null];
        change();
      });
    }
    return el;
  };
  return [card("Subscriptions", summary.subscriptions), card("Pending deliveries", d.pending, "pending"), card("Delivered", d.delivered, "delivered"), card("Failed", d.failed, "failed")];
}

function subscriptionSection(subs, onShow) {
  const rows = subs.map((s) =>
    h(
      "tr",
      { "data-id": s.id },
      h("td", {}, h("code", {}, truncate(s.url, 70)), h("div", { class: "sub" }, s.id)),
      h("td", {}, s.events.map((e) => h("span", { class: "chip" }, e === "*" ? "every event" : e))),
      h("td", { class: "sub" }, s.description || ""),
      h("td", {}, statusPill(s.enabled ? "enabled" : "disabled")),
      h("td", {}, when(s.createdAt)),
      h("td", {}, h("button", { type: "button", class: "link", onclick: () => onShow(s.id) }, "deliveries")),
    ),
  );
  return h(
    "section",
    { class: "card subscriptions" },
    h("h2", {}, "Outbound subscriptions"),
    subs.length
      ? h("div", { class: "table-scroll" }, table(["URL", "events", "description", "state", "created", ""], rows, { class: "list" }))
      : h("p", { class: "empty" }, "No subscriptions. Create one with POST /v1/webhooks/subscriptions {url, events}; its signing secret is shown once, in that answer."),
  );
}

/** A log row's time, short: the time of day for today's, the day and minute for older ones. */
function clock(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const today = d.toDateString() === new Date().toDateString();
  return today ? d.toLocaleTimeString("en-GB") : d.toLocaleString("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}

function select(name, label, choices, value, onPick) {
  const el = h("select", { name, "aria-label": label }, h("option", { value: "" }, "any " + label), choices.map((c) => h("option", { value: c, selected: c === value }, c)));
  el.addEventListener("change", () => onPick(el.value));
  return h("label", { class: "filter" }, label + " ", el);
}

function logView(state, { change, open }) {
  const { filter, page } = state;
  const pick = (key) => (value) => {
    filter[key] = value;
    state.cursors = [null];
    change();
  };
  const filters = h(
    "div",
    { class: "row filters" },
    select("status", "status", STATUSES, filter.status, pick("status")),
    select("eventType", "event type", state.eventTypes, filter.eventType, pick("eventType")),
    filter.subscriptionId ? h("span", { class: "chip" }, "subscription " + filter.subscriptionId, h("button", { type: "button", class: "link", title: "every subscription", onclick: () => pick("subscriptionId")("") }, "✕")) : null,
  );
  const rows = page.items.map((d) => {
    const row = h(
      "tr",
      { "data-id": d.id, class: d.id === state.selectedId ? "selected" : null },
      h("td", { class: "time", title: when(d.createdAt) }, clock(d.createdAt)),
      h("td", {}, h("code", {}, d.eventType)),
      h("td", {}, statusPill(d.status)),
      h("td", { class: "num" }, String(d.attempts)),
      h("td", { class: "num" }, d.lastStatus === null ? "–" : String(d.lastStatus)),
      h("td", { class: "sub", title: d.lastError || null }, truncate(d.lastError || "", 48)),
      h("td", { class: "sub", title: d.subscriptionId }, truncate(d.subscriptionId, 11)),
    );
    row.addEventListener("click", () => open(d.id));
    return row;
  });
  const older = h("button", { type: "button", class: "secondary older", disabled: !page.nextCursor }, "Older →");
  older.addEventListener("click", () => {
    state.cursors.push(page.nextCursor);
    change();
  });
  const newer = h("button", { type: "button", class: "secondary newer", disabled: state.cursors.length <= 1 }, "← Newer");
  newer.addEventListener("click", () => {
    state.cursors.pop();
    change();
  });
  return [
    filters,
    rows.length
      ? h("div", { class: "table-scroll" }, table(["created", "event", "status", "attempts", "last HTTP", "last error", "subscription"], rows, { class: "list deliveries" }))
      : h("p", { class: "empty" }, "No delivery matches."),
    h("div", { class: "row pager" }, newer, h("span", { class: "muted" }, "page " + state.cursors.length), older),
  ];
}
`;
