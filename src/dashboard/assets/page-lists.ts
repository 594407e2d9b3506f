/**
 * Client module `page-lists.js`: the runs list (with the project's budget above it, when
 * there is one) and the agent snapshots.
 */
export const pageListsJs = String.raw`
import { api, apiAll } from "./api.js";
import { budgetCard, loadBudget } from "./budget-card.js";
import { fill, h, link, longText, score, shortId, sleep, table, when } from "./dom.js";
import { runsTable } from "./page-tasks.js";

const REFRESH_MS = 2000;

export async function runsPage(root, _params, signal) {
  fill(root, h("h1", {}, "Runs"), h("p", { class: "muted" }, "Loading…"));
  // Refreshed while any run is running, so a new run's status changes show up here too.
  while (!signal.aborted) {
    // The budget moves with the runs, so it is read again with them; the runs matter more than a failed budget read.
    const [page, budget] = await Promise.all([api("/v1/runs?limit=100", { signal }), loadBudget(signal).catch(() => null)]);
    const running = page.items.some((r) => r.status === "running");
    fill(root,
      h("h1", {}, "Runs"),
      running ? h("p", { class: "muted" }, h("span", { class: "live" }, "live"), " refreshed every " + REFRESH_MS / 1000 + " s while a run is running") : null,
      budget ? budgetCard(budget) : null,
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
`;
