/**
 * Client module `page-tasks.js`: the task list, and one task with its schedule, its
 * prompt versions (prompt-panel.js: live, history, the buttons that change which one is
 * served, the change log) and its runs.
 */
export const pageTasksJs = String.raw`
import { api, apiAll, cachedTask, describeError } from "./api.js";
import { errorBox, facts, fill, h, link, modelBadge, num, section, statusPill, table, truncate, when } from "./dom.js";
import { promptPanel } from "./prompt-panel.js";
import { scheduleSection } from "./schedule-card.js";

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
  const [task, prompts, schedule, runs] = await Promise.all([
    api(path, { signal }),
    promptPanel(id, signal),
    scheduleSection(id, signal),
    api("/v1/runs?limit=50&taskId=" + encodeURIComponent(id), { signal }).catch((error) => error),
  ]);
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
    schedule,
    prompts,
    section("Runs on this task", runs instanceof Error ? errorBox(describeError(runs)) : runsTable(runs.items)),
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
