/**
 * Client module `schedule-card.js`: a task's cron schedule of fine-tuning runs (GET
 * /v1/tasks/:id/schedule): when it runs, when it runs next, and what its last tick did.
 * A task without one answers 404, which is the ordinary case, not an error.
 */
export const scheduleCardJs = String.raw`
import { api, ApiError, describeError } from "./api.js";
import { errorBox, facts, h, link, section, statusPill, when } from "./dom.js";

/** The schedule section, or a one-line note when the task has none. */
export async function scheduleSection(taskId, signal) {
  const path = "/v1/tasks/" + encodeURIComponent(taskId) + "/schedule";
  let schedule;
  try {
    schedule = await api(path, { signal });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      return h("p", { class: "muted no-schedule" }, "No schedule: set one with ", h("code", {}, "PUT " + path), " to re-optimize this task on a cron.");
    }
    if (error && error.name === "AbortError") throw error;
    return section("Schedule", errorBox(describeError(error)));
  }
  return scheduleCard(schedule);
}

function configSummary(config) {
  const parts = [];
  const count = (n, one, many) => n + " " + (n === 1 ? one : many);
  if (config.generations !== undefined) parts.push(count(config.generations, "generation", "generations"));
  if (config.childrenPerGeneration !== undefined) parts.push(count(config.childrenPerGeneration, "child", "children") + " each");
  if (config.method) parts.push("method " + config.method);
  return parts.length ? parts.join(", ") : "defaults";
}

export function scheduleCard(s) {
  const outcome = s.lastOutcome
    ? [statusPill(s.lastOutcome), " ", when(s.lastOutcomeAt), s.lastReason ? h("div", { class: "sub" }, s.lastReason) : null]
    : h("span", { class: "muted" }, "not run yet");
  return h(
    "section",
    { class: "card schedule-card" },
    h("h2", {}, "Schedule", s.enabled ? null : statusPill("disabled")),
    facts([
      ["Cron", [h("code", { class: "cron" }, s.cron), " ", h("span", { class: "muted" }, s.timezone)]],
      ["Next run", s.enabled ? when(s.nextRunAt) : "none while disabled"],
      ["Last outcome", outcome],
      s.lastRunId ? ["Last run", [link("#/runs/" + encodeURIComponent(s.lastRunId), s.lastRunId), " ", h("span", { class: "sub" }, when(s.lastRunAt))]] : null,
      ["Run", [configSummary(s.config || {}), "; agent ", h("code", {}, s.agent === null ? "hand-written" : s.agent)]],
    ]),
  );
}
`;
