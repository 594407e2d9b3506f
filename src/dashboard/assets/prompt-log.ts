/**
 * Client module `prompt-log.js`: reading a task's change log of its live prompt version
 * (GET /v1/tasks/:id/prompt/changes). Pure, so the browser test can call it directly.
 */
export const promptLogJs = String.raw`
/**
 * What a rollback would do now, replayed from the whole change log as the server plans
 * it (src/prompts/plan-live-change.ts): every change that moved the live version is
 * pushed on an undo stack, a rollback pops the top one and makes its fromVersion live.
 * Returns { seq, toVersion } for the change a rollback would undo and the version it
 * would serve, or null when nothing is left to roll back.
 */
export function rollbackTarget(changes) {
  const stack = [];
  for (const c of changes.slice().sort((a, b) => a.seq - b.seq)) {
    if (c.action === "rollback") stack.pop();
    else if (c.toVersion !== c.fromVersion) stack.push(c);
  }
  const top = stack[stack.length - 1];
  if (!top || top.fromVersion === null) return null;
  return { seq: top.seq, toVersion: top.fromVersion };
}

const ACTION_WORDS = {
  run: "a run's champion went live",
  promote: "promoted",
  rollback: "rolled back",
  pin: "pinned",
  unpin: "unpinned",
  manual: "manual version made live",
};

/** One change in words: "rolled back (undoes #4)". */
export function describeChange(c) {
  const words = ACTION_WORDS[c.action] || c.action;
  return c.undoes ? words + " (undoes #" + c.undoes + ")" : words;
}

/** "v3 → v1", "v2" when the live version stayed, "–" for none. */
export function versionMove(c) {
  const v = (n) => (n === null || n === undefined ? "none" : "v" + n);
  return c.fromVersion === c.toVersion ? v(c.toVersion) : v(c.fromVersion) + " → " + v(c.toVersion);
}
`;
