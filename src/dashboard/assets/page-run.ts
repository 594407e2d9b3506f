/**
 * Client module `page-run.js`: one run, live. While the run is running it polls
 * GET /v1/runs/:id (the Durable Object's summary) and the candidate list (D1) every
 * POLL_MS and redraws the overview, the chart and the lineage tree; the open candidate
 * panel is left alone so reading it is not interrupted.
 */
export const pageRunJs = String.raw`
import { api, cachedTask, describeError } from "./api.js";
import { fitnessChart } from "./chart.js";
import { showCandidate } from "./candidate-panel.js";
import { errorBox, facts, fill, h, link, meter, modelBadge, num, pct, score, section, shortId, sleep, statusPill, usd } from "./dom.js";
import { lineageLegend, lineageTree } from "./lineage.js";

const POLL_MS = 1500;
const PHASES = [["seed", "score the seed"], ["evolve", "evolve"], ["final-val", "validate finalists"], ["final-test", "test the champion"], ["done", "done"]];

async function loadCandidates(runId, signal) {
  const items = [];
  for (let offset = 0; offset < 5000; offset += 500) {
    const page = await api("/v1/runs/" + encodeURIComponent(runId) + "/candidates?limit=500&offset=" + offset, { signal });
    items.push(...page.items);
    if (page.items.length < 500) break;
  }
  return items;
}

/**
 * The evolving candidates (task prompts in fine-tuning, agent prompts in pre-training)
 * with the Durable Object's view laid over D1's: the summary is ahead of D1 by the
 * history writes in flight, and it alone knows the seed's fitness.
 */
function mergeNodes(summary, candidates) {
  const kind = summary.kind === "finetune" ? "task" : "agent";
  const members = new Map(summary.archive.map((m) => [m.id, m]));
  return candidates
    .filter((c) => c.kind === kind)
    .map((c) => {
      const m = members.get(c.id);
      return { ...c, status: m ? m.status : c.status, fitness: m && m.fitness !== null ? m.fitness : c.fitness, inArchive: Boolean(m) };
    });
}

export async function runPage(root, { id }, signal) {
  const state = { summary: null, nodes: [], selectedId: null, taskIds: [] };
  const head = h("div", { class: "page-head" });
  const overview = h("div", { class: "overview" });
  const chartBox = h("div", { class: "chart-box" });
  const treeBox = h("div", { class: "tree-box" });
  const panel = h("aside", { class: "panel card", id: "candidate-panel" }, h("p", { class: "muted" }, "Click a node of the lineage tree, or a point of the chart, to see that prompt, its diff against its parent and its per-example results."));
  const errors = h("div");
  const reportBox = h("div");
  fill(root,
    h("p", { class: "crumbs" }, link("#/runs", "Runs"), " / ", h("code", {}, id)),
    head,
    errors,
    overview,
    reportBox,
    section("Fitness by generation", chartBox),
    h("div", { class: "split-view" }, section("Lineage", lineageLegend(), treeBox), panel),
  );

  // Which version of the selected candidate the panel shows: reopened when its status or fitness changes.
  let panelKey = null;
  const keyOf = (n) => n.id + "|" + n.status + "|" + n.fitness;
  const select = (candidateId, quiet = false) => {
    state.selectedId = candidateId;
    drawLive(state, { head, overview, chartBox, treeBox, reportBox, select });
    const node = state.nodes.find((n) => n.id === candidateId);
    if (!node) return;
    const parent = state.nodes.find((n) => n.id === node.parentId) || null;
    const member = state.summary.archive.find((m) => m.id === candidateId) || null;
    panelKey = keyOf(node);
    showCandidate(panel, { runId: id, candidate: node, parent, member, onSelect: select });
    if (!quiet) panel.scrollIntoView({ block: "nearest", behavior: "smooth" });
  };

  let settled = false;
  while (!signal.aborted) {
    try {
      const [summary, candidates] = await Promise.all([api("/v1/runs/" + encodeURIComponent(id), { signal }), loadCandidates(id, signal)]);
      state.summary = summary;
      state.nodes = mergeNodes(summary, candidates);
      const taskIds = new Set(candidates.map((c) => c.taskId).filter(Boolean));
      for (const m of summary.archive) for (const t of Object.keys(m.scores)) taskIds.add(t);
      state.taskIds = [...taskIds];
      fill(errors);
      const selected = state.nodes.find((n) => n.id === state.selectedId);
      if (selected && keyOf(selected) !== panelKey) select(selected.id, true);
      else drawLive(state, { head, overview, chartBox, treeBox, reportBox, select });
      // D1's history trails the Durable Object by the writes in flight: once the run
      // has ended, read the candidates once more before going quiet.
      if (summary.status !== "running") {
        if (settled) return;
        settled = true;
      }
    } catch (error) {
      if (signal.aborted) return;
      fill(errors, errorBox(describeError(error)));
      // An unknown run or a refused key will not fix itself by polling.
      if (error.status === 404 || error.status === 401 || error.status === 403) return;
    }
    await sleep(POLL_MS, signal);
  }
}

function drawLive(state, boxes) {
  const s = state.summary;
  if (!s) return;
  const bestId = s.best ? s.best.id : null;
  fill(boxes.head,
    h("h1", {}, s.kind === "finetune" ? "Fine-tuning run " : "Pre-training run ", statusPill(s.status), s.status === "running" ? h("span", { class: "live", title: "refreshed every " + POLL_MS / 1000 + " s" }, "live · " + new Date().toLocaleTimeString("en-GB")) : null),
    h("p", { class: "run-tasks" }, state.taskIds.map((t) => taskChip(t))),
    s.stopReason ? h("p", { class: "muted" }, "Stop reason: " + s.stopReason) : null,
  );
  fill(boxes.overview, progressCard(s), countsCard(s), budgetCard(s), bestCard(s, boxes.select));
  fill(boxes.reportBox, s.report ? reportCard(s.report) : "");
  const caption = s.kind === "finetune" ? "Each point is a task prompt, by its train fitness" : "Each point is a prompt agent, by its fitness (mean validation gain it brings the pool's tasks)";
  fill(boxes.chartBox, h("p", { class: "muted" }, caption + "; red points were rejected; the line is the best archive member so far."), fitnessChart(state.nodes, s.generations, { onSelect: boxes.select, selectedId: state.selectedId, yLabel: s.kind === "finetune" ? "train fitness" : "validation gain", upTo: s.status === "running" ? s.generation : s.generations }));
  fill(boxes.treeBox, lineageTree(state.nodes, { selectedId: state.selectedId, bestId, onSelect: boxes.select }));
}

function taskChip(taskId) {
  const chip = h("span", { class: "chip" }, link("#/tasks/" + encodeURIComponent(taskId), taskId));
  cachedTask(taskId).then(
    (task) => fill(chip, link("#/tasks/" + encodeURIComponent(taskId), task.name), " ", modelBadge(task.model)),
    () => {},
  );
  return chip;
}

function taskName(taskId) {
  const a = link("#/tasks/" + encodeURIComponent(taskId), taskId);
  cachedTask(taskId).then((task) => (a.textContent = task.name), () => {});
  return a;
}

function progressCard(s) {
  const current = PHASES.findIndex(([p]) => p === s.phase);
  const gen = Math.min(s.generation, s.generations);
  return h(
    "section",
    { class: "card stat" },
    h("h2", {}, "Progress"),
    h("ol", { class: "phases" }, PHASES.map(([p, label], i) => h("li", { class: i < current ? "done" : i === current ? "current" : "", "data-phase": p }, label))),
    h("p", {}, "Generation ", h("strong", { class: "gen" }, gen + " / " + s.generations)),
    meter(gen, s.generations, "generations"),
  );
}

function countsCard(s) {
  const c = s.counts;
  return h(
    "section",
    { class: "card stat" },
    h("h2", {}, "Candidates"),
    facts([
      ["Proposed", num(c.candidates)],
      ["Admitted", num(c.admitted)],
      ["Rejected", num(c.rejected)],
      ["Failed proposals", num(c.failedProposals)],
      s.kind === "pretrain" ? ["Inner prompts", num(c.innerCandidates)] : null,
      ["Jobs in flight", num(c.jobsPending) + " (+" + num(c.jobsQueued) + " queued)"],
    ]),
  );
}

function budgetCard(s) {
  const { spent, limits, reserved } = s.budget;
  const row = (label, value, limit, format) => [label, h("span", {}, format(value), limit ? [" of " + format(limit), meter(value, limit, label)] : "")];
  return h(
    "section",
    { class: "card stat" },
    h("h2", {}, "Budget spent"),
    facts([
      row("LLM calls", spent.calls, limits.maxCalls, num),
      row("Tokens", spent.promptTokens + spent.completionTokens, limits.maxTokens, num),
      row("USD", spent.usd, limits.maxUsd, usd),
      ["Reserved", num(reserved.calls) + " calls"],
    ]),
  );
}

function bestCard(s, select) {
  if (!s.best) return h("section", { class: "card stat" }, h("h2", {}, "Best so far"), h("p", { class: "muted" }, "Nothing scored yet."));
  return h(
    "section",
    { class: "card stat" },
    h("h2", {}, "Best so far"),
    h("p", { class: "big" }, score(s.best.fitness)),
    h("p", {}, h("button", { type: "button", class: "link", onclick: () => select(s.best.id) }, "candidate " + shortId(s.best.id))),
  );
}

function reportCard(report) {
  const rows = [];
  for (const t of report.tasks) {
    for (const split of ["train", "val", "test"]) {
      const seed = t.seed[split];
      const champ = t.champion[split];
      if (seed === undefined && champ === undefined) continue;
      const delta = seed !== undefined && champ !== undefined ? champ - seed : null;
      rows.push(h("tr", {}, h("td", {}, taskName(t.taskId)), h("td", {}, split), h("td", { class: "num" }, pct(seed)), h("td", { class: "num" }, pct(champ)), h("td", { class: "num " + (delta > 0 ? "up" : delta < 0 ? "down" : "") }, delta === null ? "–" : (delta >= 0 ? "+" : "") + (delta * 100).toFixed(1) + " pts")));
    }
  }
  const agent = report.agentFitness ? h("p", {}, "Prompt-agent fitness: seed " + score(report.agentFitness.seed) + " → evolved " + score(report.agentFitness.champion)) : null;
  return section(
    "Report",
    h("p", {}, num(report.generations) + " generations, " + num(report.candidates) + " candidates, " + num(report.admitted) + " admitted; champion " + (report.championId ? shortId(report.championId) : "none")),
    agent,
    h("table", {}, h("thead", {}, h("tr", {}, ["task", "split", "seed", "champion", "change"].map((x) => h("th", {}, x)))), h("tbody", {}, rows)),
  );
}
`;
