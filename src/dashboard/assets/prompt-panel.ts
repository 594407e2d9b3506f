/**
 * Client module `prompt-panel.js`: a task's prompt versions and the buttons that change
 * which one it serves: the live prompt (with its pin), promote any other version, roll
 * back, pin and unpin, each behind a confirmation, and the change log. After a change
 * the whole panel is read again from the API, so what it shows is what the server holds.
 */
export const promptPanelJs = String.raw`
import { api, apiAll, describeError } from "./api.js";
import { renderDiff } from "./candidate-panel.js";
import { confirmAction } from "./confirm.js";
import { badge, errorBox, facts, fill, h, link, longText, table, when } from "./dom.js";
import { describeChange, rollbackTarget, versionMove } from "./prompt-log.js";

const CHANGES_MAX = 500;
const runHref = (id) => "#/runs/" + encodeURIComponent(id);
const pinnedBadge = () => h("span", { class: "badge pinned-badge", title: "Runs do not change the live version while the task is pinned; promote, roll back or unpin by hand." }, "pinned");

/** The panel, loaded: resolves once the first read is shown (so the page appears whole). */
export async function promptPanel(taskId, signal) {
  const path = "/v1/tasks/" + encodeURIComponent(taskId);
  const box = h("div", { class: "prompt-panel" });
  const notice = h("div", { class: "notice-slot" });
  const load = async () => {
    const [history, changes] = await Promise.all([
      api(path + "/prompts?limit=100", { signal }),
      apiAll(path + "/prompt/changes", { signal, maxPages: CHANGES_MAX / 100 }),
    ]);
    render({ box, notice, path, history, changes, complete: changes.length < CHANGES_MAX, reload });
  };
  const reload = () => load().catch((error) => fill(notice, errorBox("Could not read the prompt versions again: " + describeError(error))));
  await load();
  return box;
}

/** Tells what a change request did, from the API's answer ({ liveVersion, pinned, change }). */
function tell(notice, state) {
  const text = state.change
    ? "Change #" + state.change.seq + ": " + describeChange(state.change) + "; live " + versionMove(state.change) + "."
    : "Nothing to change: v" + state.liveVersion + " is live" + (state.pinned ? " and pinned" : "") + " already.";
  fill(notice, h("p", { class: "notice", role: "status" }, text));
}

function render(ctx) {
  const { history, changes } = ctx;
  const versions = history.items;
  const live = versions.find((v) => v.version === history.liveVersion) || null;
  fill(ctx.box,
    ctx.notice,
    liveSection(ctx, live),
    h(
      "section",
      { class: "card" },
      h("h2", {}, "Prompt history"),
      history.nextCursor ? h("p", { class: "muted" }, "The newest 100 versions.") : null,
      versions.length ? h("ol", { class: "versions" }, versions.map((v, i) => versionItem(ctx, v, versions[i + 1]))) : h("p", { class: "muted" }, "No versions."),
    ),
    h("section", { class: "card change-log" }, h("h2", {}, "Changes of the live version"), changeTable(changes)),
  );
}

function liveSection(ctx, live) {
  const { history, path } = ctx;
  const slot = h("div", { class: "confirm-slot" });
  const target = ctx.complete ? rollbackTarget(ctx.changes) : undefined;
  const act = (method, url, body) => async (reason) => tell(ctx.notice, await api(url, { method, body: body === undefined ? undefined : { ...body, ...(reason ? { reason } : {}) } }));
  const rollback = h("button", { type: "button", class: "secondary rollback", disabled: target === null || history.liveVersion === null, title: target === null ? "Nothing to roll back: no recorded change of the live version is left to undo." : null }, target ? "Roll back to v" + target.toVersion : "Roll back");
  rollback.addEventListener("click", () =>
    confirmAction(slot, {
      question: target ? "Serve v" + target.toVersion + " again instead of v" + history.liveVersion + "? This undoes change #" + target.seq + "." : "Undo the latest change of the live version?",
      confirmLabel: target ? "Roll back to v" + target.toVersion : "Roll back",
      withReason: true,
      run: act("POST", path + "/prompt/rollback", {}),
      onDone: ctx.reload,
    }),
  );
  const pin = history.pinned
    ? h("button", { type: "button", class: "secondary unpin" }, "Unpin")
    : h("button", { type: "button", class: "secondary pin", disabled: history.liveVersion === null }, "Pin v" + (history.liveVersion ?? "–"));
  pin.addEventListener("click", () =>
    confirmAction(slot, history.pinned
      ? { question: "Unpin v" + history.liveVersion + "? A run whose champion passes its promotion gate may then make a new version live.", confirmLabel: "Unpin", run: act("DELETE", path + "/prompt/pin"), onDone: ctx.reload }
      : { question: "Pin v" + history.liveVersion + "? While pinned, no run changes the live version; only promote, roll back or unpin do.", confirmLabel: "Pin v" + history.liveVersion, withReason: true, run: act("POST", path + "/prompt/pin", {}), onDone: ctx.reload }),
  );
  return h(
    "section",
    { class: "card live-card" },
    h("h2", {}, "Live prompt" + (live ? " · version " + live.version : ""), history.pinned ? pinnedBadge() : null),
    h("div", { class: "row prompt-actions" }, rollback, pin),
    slot,
    live ? [versionFacts(live), longText(live.text, 2000, "text prompt-text live-prompt")] : h("p", { class: "muted" }, "This task serves no prompt version."),
    h("p", { class: "muted" }, "Applications read it from ", h("code", {}, "GET " + path + "/prompt"), "."),
  );
}

export function versionFacts(v) {
  const scores = Object.entries(v.scores || {});
  return facts([
    ["Source", [v.source, v.runId ? [" ", link(runHref(v.runId), v.runId)] : null]],
    scores.length ? ["Scores", scores.map(([split, x]) => h("span", { class: "chip" }, split + " " + (x * 100).toFixed(1) + "%"))] : null,
    v.note ? ["Note", v.note] : null,
    ["Written", when(v.createdAt)],
  ]);
}

function versionItem(ctx, v, previous) {
  const { history } = ctx;
  const isLive = v.version === history.liveVersion;
  const body = h("div", { class: "version-body" });
  const slot = h("div", { class: "confirm-slot" });
  let open = false;
  const label = () => (open ? "hide" : previous ? "show text and diff against v" + previous.version : "show text");
  const toggle = h("button", { type: "button", class: "link" }, label());
  toggle.addEventListener("click", () => {
    open = !open;
    fill(body, ...(open ? [longText(v.text, 2000, "text prompt-text"), previous ? renderDiff(previous.text, v.text, "v" + previous.version) : null].filter(Boolean) : []));
    toggle.textContent = label();
  });
  let promote = null;
  if (!isLive) {
    promote = h("button", { type: "button", class: "secondary small promote", "data-version": v.version }, "Promote v" + v.version);
    promote.addEventListener("click", () =>
      confirmAction(slot, {
        question: "Serve v" + v.version + " instead of " + (history.liveVersion === null ? "nothing" : "v" + history.liveVersion) + "?" + (history.pinned ? " The task stays pinned, now at v" + v.version + "." : ""),
        confirmLabel: "Promote v" + v.version,
        withReason: true,
        run: async (reason) => tell(ctx.notice, await api(ctx.path + "/prompt/promote", { method: "POST", body: reason ? { version: v.version, reason } : { version: v.version } })),
        onDone: ctx.reload,
      }),
    );
  }
  return h(
    "li",
    { class: "version" + (isLive ? " is-live" : ""), "data-version": v.version },
    h("div", { class: "version-head" }, h("strong", {}, "v" + v.version), isLive ? badge("live", "live-badge") : null, isLive && history.pinned ? pinnedBadge() : null, promote),
    slot,
    versionFacts(v),
    toggle,
    body,
  );
}

function changeTable(changes) {
  if (!changes.length) return h("p", { class: "muted" }, "No change recorded yet: promotions by runs and by hand, rollbacks and pins show here.");
  const rows = changes.map((c) =>
    h(
      "tr",
      { "data-seq": c.seq },
      h("td", { class: "num" }, "#" + c.seq),
      h("td", {}, when(c.createdAt)),
      h("td", { class: "change-action" }, describeChange(c), c.runId ? [" ", link(runHref(c.runId), c.runId, { class: "sub" })] : null),
      h("td", { class: "change-move" }, versionMove(c)),
      h("td", {}, c.pinned ? pinnedBadge() : ""),
      h("td", { class: "sub" }, c.reason || ""),
    ),
  );
  return h("div", { class: "table-scroll" }, table(["#", "when", "change", "live version", "pin", "reason"], rows, { class: "list" }));
}
`;
