/**
 * Client module `page-lists.js`: the runs list, the agent snapshots and the webhook
 * deliveries placeholder (the webhook API does not exist yet: the page asks for it and
 * says so on a 404, so it starts working when the endpoint lands).
 */
export const pageListsJs = String.raw`
import { api, ApiError, apiAll } from "./api.js";
import { fill, h, link, longText, score, shortId, sleep, table, truncate, when } from "./dom.js";
import { runsTable } from "./page-tasks.js";

const REFRESH_MS = 2000;

export async function runsPage(root, _params, signal) {
  fill(root, h("h1", {}, "Runs"), h("p", { class: "muted" }, "Loading…"));
  // Refreshed while any run is running, so a new run's status changes show up here too.
  while (!signal.aborted) {
    const page = await api("/v1/runs?limit=100", { signal });
    const running = page.items.some((r) => r.status === "running");
    fill(root,
      h("h1", {}, "Runs"),
      running ? h("p", { class: "muted" }, h("span", { class: "live" }, "live"), " refreshed every " + REFRESH_MS / 1000 + " s while a run is running") : null,
      h("div", { class: "card" }, runsTable(page.items)),
    );
    if (!running) return;
    await sleep(REFRESH_MS, signal);
  }
}

export async function agentsPage(root, _params, signal) {
  fill(root, h("h1", {}, "Agent snapshots"), h("p", { class: "muted" }, "Loading…"));
  const snapshots = await apiAll("/v1/agents", { signal, maxPages: 5 });
  const rows = snapshots.map((s) =>
    h(
      "tr",
      {},
      h("td", {}, h("code", {}, s.id), s.kind ? h("div", { class: "sub" }, String(s.kind).replace(/-/g, " ")) : null),
      h("td", { class: "num" }, score(s.fitness)),
      h("td", {}, h("span", { class: "lineage", title: s.lineage.join(" → ") }, s.lineage.map(shortId).join(" → ") || "–")),
      h("td", {}, link("#/runs/" + encodeURIComponent(s.runId), s.runId)),
      h("td", {}, when(s.createdAt)),
      h("td", { class: "agent-text" }, longText(s.text, 240)),
    ),
  );
  fill(root,
    h("h1", {}, "Agent snapshots"),
    h("p", { class: "muted" }, "Prompt agents evolved by pre-training runs; a fine-tuning can start from any of them. Fitness is the mean validation gain the agent brought to the pool's tasks; the lineage runs from the seed agent to this one."),
    snapshots.length
      ? h("div", { class: "card table-scroll" }, table(["snapshot", "fitness", "lineage", "run", "created", "agent prompt"], rows, { class: "list" }))
      : h("p", { class: "empty" }, "No snapshots yet: a pre-training run writes one when it completes."),
  );
}

export async function webhooksPage(root, _params, signal) {
  fill(root, h("h1", {}, "Webhook deliveries"), h("p", { class: "muted" }, "Loading…"));
  let body;
  try {
    const data = await api("/v1/webhooks", { signal });
    const items = Array.isArray(data && data.items) ? data.items : [];
    body = items.length ? genericTable(items) : h("p", { class: "empty" }, "No webhooks.");
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    body = h("p", { class: "empty not-available" }, "Webhooks are not available on this server (GET /v1/webhooks answered 404).");
  }
  fill(root, h("h1", {}, "Webhook deliveries"), h("div", { class: "card" }, body));
}

/** The webhook API's shape is not settled: show whatever fields its items have. */
function genericTable(items) {
  const keys = [...new Set(items.flatMap((i) => Object.keys(i)))].slice(0, 7);
  const cell = (v) => (v === null || v === undefined ? "–" : truncate(typeof v === "string" ? v : JSON.stringify(v), 80));
  return h("div", { class: "table-scroll" }, table(keys, items.map((i) => h("tr", {}, keys.map((k) => h("td", {}, cell(i[k]))))), { class: "list" }));
}
`;
