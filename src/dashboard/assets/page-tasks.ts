/**
 * Client module `page-tasks.js`: the task list, and one task with its live prompt, its
 * prompt history (each version diffed against the one before) and its runs.
 */
export const pageTasksJs = String.raw`
import { api, apiAll, cachedTask, describeError } from "./api.js";
import { renderDiff } from "./candidate-panel.js";
import { errorBox, facts, fill, h, link, longText, modelBadge, num, section, statusPill, table, truncate, when } from "./dom.js";

const taskHref = (id) => "#/tasks/" + encodeURIComponent(id);
const runHref = (id) => "#/runs/" + encodeURIComponent(id);

function counts(c) {
  return num(c.train) + " / " + num(c.val) + " / " + num(c.test);
}

export async function tasksPage(root, _params, signal) {
  fill(root, h("h1", {}, "Tasks"), h("p", { class: "muted" }, "Loading…"));
  const tasks = await apiAll("/v1/tasks", { signal, maxPages: 5 });
  const rows = tasks.map((t) =>
    h(
      "tr",
      {},
      h("td", {}, link(taskHref(t.id), truncate(t.name, 80), { class: "task-link" }), h("div", { class: "sub" }, h("code", {}, t.id))),
      h("td", {}, modelBadge(t.model)),
      h("td", {}, t.scorer ? h("code", {}, t.scorer.type) : "–"),
      h("td", { class: "num" }, counts(t.counts)),
      h("td", { class: "num" }, t.liveVersion === null ? "–" : "v" + t.liveVersion),
      h("td", {}, when(t.createdAt)),
    ),
  );
  fill(root,
    h("h1", {}, "Tasks"),
    tasks.length
      ? h("div", { class: "card table-scroll" }, table(["name", "task model", "scorer", "examples train / val / test", "live prompt", "created"], rows, { class: "list" }))
      : h("p", { class: "empty" }, "No tasks yet. Create one with POST /v1/tasks (npm start creates simulated ones)."),
  );
}

export async function taskPage(root, { id }, signal) {
  fill(root, h("p", { class: "muted" }, "Loading…"));
  const path = "/v1/tasks/" + encodeURIComponent(id);
  const [task, history, runs] = await Promise.all([
    api(path, { signal }),
    api(path + "/prompts?limit=100", { signal }),
    api("/v1/runs?limit=50&taskId=" + encodeURIComponent(id), { signal }).catch((error) => error),
  ]);
  const versions = history.items;
  const live = versions.find((v) => v.version === task.liveVersion) || null;
  fill(root,
    h("p", { class: "crumbs" }, link("#/tasks", "Tasks"), " / ", h("code", {}, task.id)),
    h("h1", {}, task.name),
    task.description ? h("p", { class: "description" }, task.description) : null,
    h(
      "section",
      { class: "card" },
      facts([
        ["Task model", modelBadge(task.model)],
        ["Scorer", task.scorer ? h("code", {}, JSON.stringify(task.scorer)) : "unreadable"],
        ["Examples (train / val / test)", counts(task.counts)],
        ["Created", when(task.createdAt)],
      ]),
    ),
    section(
      "Live prompt" + (live ? " · version " + live.version : ""),
      live ? [versionFacts(live), longText(live.text, 2000, "text prompt-text live-prompt")] : h("p", { class: "muted" }, "This task serves no prompt version."),
      h("p", { class: "muted" }, "Applications read it from ", h("code", {}, "GET " + path + "/prompt"), "."),
    ),
    section("Prompt history", versions.length ? h("ol", { class: "versions" }, versions.map((v, i) => versionItem(v, versions[i + 1], task.liveVersion))) : h("p", { class: "muted" }, "No versions.")),
    section("Runs on this task", runs instanceof Error ? errorBox(describeError(runs)) : runsTable(runs.items)),
  );
}

function versionFacts(v) {
  const scores = Object.entries(v.scores || {});
  return facts([
    ["Source", [v.source, v.runId ? [" ", link(runHref(v.runId), v.runId)] : null]],
    scores.length ? ["Scores", scores.map(([split, x]) => h("span", { class: "chip" }, split + " " + (x * 100).toFixed(1) + "%"))] : null,
    ["Written", when(v.createdAt)],
  ]);
}

function versionItem(v, previous, liveVersion) {
  const body = h("div", { class: "version-body" });
  let open = false;
  const toggle = h("button", { type: "button", class: "link" }, previous ? "show text and diff against v" + previous.version : "show text");
  toggle.addEventListener("click", () => {
    open = !open;
    fill(body, ...(open ? [longText(v.text, 2000, "text prompt-text"), previous ? renderDiff(previous.text, v.text, "v" + previous.version) : null].filter(Boolean) : []));
    toggle.textContent = open ? "hide" : previous ? "show text and diff against v" + previous.version : "show text";
  });
  return h(
    "li",
    { class: "version" + (v.version === liveVersion ? " is-live" : "") },
    h("strong", {}, "v" + v.version),
    v.version === liveVersion ? h("span", { class: "badge live-badge" }, "live") : null,
    " ",
    versionFacts(v),
    toggle,
    body,
  );
}

/** A task link that shows the id at once and the name (and model badge) once fetched. */
function taskName(taskId) {
  const a = link(taskHref(taskId), taskId);
  const cell = h("div", { class: "task-name" }, a);
  cachedTask(taskId).then((task) => {
    a.textContent = truncate(task.name, 60);
    cell.append(" ", modelBadge(task.model, true));
  }, () => {});
  return cell;
}

export function runsTable(runs) {
  if (!runs.length) return h("p", { class: "empty" }, "No runs yet.");
  const rows = runs.map((r) =>
    h(
      "tr",
      {},
      h("td", {}, link(runHref(r.id), r.id, { class: "run-link" })),
      // Baseline methods (config.method other than sepo) are named, so they are not mistaken for SePO runs.
      h("td", {}, r.kind, r.config && r.config.method && r.config.method !== "sepo" ? h("div", { class: "sub" }, r.config.method) : null),
      h("td", {}, statusPill(r.status)),
      h("td", {}, r.taskIds.map(taskName)),
      h("td", {}, when(r.createdAt)),
      h("td", {}, r.finishedAt ? when(r.finishedAt) : "–"),
      h("td", { class: "sub" }, truncate(r.reason || "", 80)),
    ),
  );
  return h("div", { class: "table-scroll" }, table(["run", "kind", "status", "tasks", "started", "finished", "reason"], rows, { class: "list" }));
}
`;
