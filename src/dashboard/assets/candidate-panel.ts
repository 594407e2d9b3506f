/**
 * Client module `candidate-panel.js`: what a click on a lineage node opens: the prompt,
 * its word diff against the parent, and its per-example results joined with the task's
 * examples (the evaluation rows carry only example ids).
 */
export const candidatePanelJs = String.raw`
import { api, apiAll, cachedTask, describeError } from "./api.js";
import { diffStats, diffWords } from "./diff.js";
import { errorBox, facts, fill, h, longText, num, score, shortId, statusPill, truncate } from "./dom.js";

/** Unchanged stretches longer than this are folded to their ends, so the changes stand out. */
const FOLD_AT = 480;
const ROWS_SHOWN = 12;
const exampleCache = new Map();

function taskExamples(taskId) {
  if (!exampleCache.has(taskId)) {
    const promise = apiAll("/v1/tasks/" + encodeURIComponent(taskId) + "/examples", { maxPages: 30 })
      .then((items) => new Map(items.map((e) => [e.id, e])))
      .catch((error) => {
        exampleCache.delete(taskId);
        throw error;
      });
    exampleCache.set(taskId, promise);
  }
  return exampleCache.get(taskId);
}

/** A task's id at once, its name once fetched. */
function taskLabel(taskId) {
  const span = h("span", { title: taskId }, truncate(taskId, 18));
  cachedTask(taskId).then((task) => (span.textContent = truncate(task.name, 40)), () => {});
  return span;
}

/** The word diff of two prompts as a <pre> of text, <del> and <ins>. */
export function renderDiff(before, after, what = "the parent") {
  const parts = diffWords(before, after);
  const { added, removed } = diffStats(parts);
  const body = parts.map((p, i) => {
    if (p.op === "add") return h("ins", {}, p.text);
    if (p.op === "del") return h("del", {}, p.text);
    if (p.text.length <= FOLD_AT) return p.text;
    const head = i === 0 ? "" : p.text.slice(0, 160);
    const tail = i === parts.length - 1 ? "" : p.text.slice(-160);
    return [head, h("span", { class: "fold" }, " … " + num(p.text.length - head.length - tail.length) + " unchanged characters … "), tail];
  });
  const summary = added || removed ? "+" + added + " words, −" + removed + " words against " + what : "Same text as " + what + ".";
  return h("div", { class: "diff-wrap" }, h("p", { class: "muted diff-stats" }, summary), h("pre", { class: "diff" }, body));
}

/**
 * Fills container with one candidate. ctx: { runId, candidate, parent, member, onSelect }.
 */
export function showCandidate(container, ctx) {
  const { runId, candidate: c, parent, member, onSelect } = ctx;
  const results = h("div", { class: "results" }, h("p", { class: "muted" }, "Loading per-example results…"));
  const gains = member && member.gains ? Object.entries(member.gains) : [];
  fill(container,
    h("h2", {}, "Candidate " + shortId(c.id) + " ", statusPill(c.status)),
    facts([
      ["Id", h("code", {}, c.id)],
      ["Generation", String(c.generation)],
      ["Fitness", score(c.fitness)],
      ["Parent", parent ? h("button", { type: "button", class: "link", onclick: () => onSelect(parent.id) }, shortId(parent.id)) : "none (seed)"],
      gains.length ? ["Validation gains", gains.map(([task, g]) => h("span", { class: "chip gain" }, taskLabel(task), " " + (g >= 0 ? "+" : "") + score(g)))] : null,
    ]),
    h("h3", {}, "Prompt"),
    longText(c.text, 1500, "text prompt-text"),
    h("h3", {}, parent ? "Diff against parent " + shortId(parent.id) : "Diff"),
    parent ? renderDiff(parent.text, c.text) : h("p", { class: "muted" }, "This is the seed prompt: it has no parent."),
    h("h3", {}, "Per-example results"),
    results,
  );
  // A superseded call writes into its own detached box, so no stale result can show.
  loadResults(runId, c, results).catch((error) => fill(results, errorBox(describeError(error))));
}

async function loadResults(runId, c, box) {
  const detail = await api("/v1/runs/" + encodeURIComponent(runId) + "/candidates/" + encodeURIComponent(c.id));
  const evaluations = detail.evaluations || [];
  if (!evaluations.length) {
    const why = c.kind === "agent" ? "A prompt-agent candidate is scored through the task prompts it writes, not on examples directly." : "No example has been scored for this candidate yet.";
    fill(box, h("p", { class: "muted" }, why));
    return;
  }
  let examples = new Map();
  let note = null;
  if (c.taskId) {
    try {
      examples = await taskExamples(c.taskId);
    } catch (error) {
      note = errorBox("Inputs and expected answers could not be loaded: " + describeError(error));
    }
  }
  const order = { train: 0, val: 1, test: 2 };
  // Failures first within each split: they are what the prompt agent learns from.
  const rows = evaluations.slice().sort((a, b) => (order[a.split] ?? 3) - (order[b.split] ?? 3) || a.score - b.score);
  const bySplit = new Map();
  for (const r of rows) {
    const s = bySplit.get(r.split) || { n: 0, sum: 0 };
    s.n++;
    s.sum += r.score;
    bySplit.set(r.split, s);
  }
  const summary = h("p", { class: "split-summary" }, [...bySplit].map(([split, s]) => h("span", { class: "chip" }, split + ": " + s.n + " examples, mean " + score(s.sum / s.n))));
  const tbody = h("tbody");
  const render = (limit) => fill(tbody, ...rows.slice(0, limit).map((r) => resultRow(r, examples.get(r.exampleId))));
  render(ROWS_SHOWN);
  const more = rows.length > ROWS_SHOWN ? h("button", { type: "button", class: "link", onclick: (e) => { render(rows.length); e.target.remove(); } }, "show all " + rows.length + " rows") : null;
  const head = h("thead", {}, h("tr", {}, ["split", "input", "expected", "output", "score", "feedback"].map((x) => h("th", {}, x))));
  fill(box, summary, note, h("p", { class: "muted" }, "Click a row to see its full texts."), h("div", { class: "table-scroll" }, h("table", { class: "results-table" }, head, tbody)), more);
}

function resultRow(r, example) {
  const texts = [example ? example.input : "(example " + r.exampleId + ")", example ? example.expected : "–", r.output, r.feedback];
  const limits = [90, 40, 90, 90];
  const cells = texts.map((t, i) => h("td", { class: "cell-text" }, truncate(t, limits[i])));
  const row = h("tr", { class: r.score >= 1 ? "pass" : r.score <= 0 ? "fail" : "partial" }, h("td", {}, r.split), cells.slice(0, 3), h("td", { class: "num" }, score(r.score, 2)), cells[3]);
  let open = false;
  row.addEventListener("click", () => {
    open = !open;
    cells.forEach((cell, i) => (cell.textContent = open ? String(texts[i] ?? "") : truncate(texts[i], limits[i])));
    row.classList.toggle("open", open);
  });
  return row;
}
`;
