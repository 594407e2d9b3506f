/**
 * The `sepo prompt` commands that change what a task serves: add, promote, rollback,
 * pin, unpin. Each prints one line saying what is live now (and what was), or with
 * --json the API's answer.
 */
import type { PromptState } from "../../storage/prompt-change-repo";
import { UsageError } from "../cli-error";
import type { Command } from "../command";
import type { CliContext } from "../context";

const REASON = { reason: { type: "string" } } as const;
const REASON_USAGE = "  --reason <text>   why, kept in the task's change log (sepo prompt changes)";

/** `3` or `v3`, as `sepo prompt history` prints versions. */
export function parseVersion(value: string): number {
  const match = /^v?([1-9]\d{0,8})$/i.exec(value.trim());
  if (!match) throw new UsageError(`the version must be a number such as 3 (or v3), not "${value}"`);
  return Number(match[1]);
}

const pinnedNote = (state: PromptState) => (state.pinned ? " (pinned)" : "");

/** The one line after promote, rollback, pin or unpin. */
export function describeState(state: PromptState, done: string, unchanged: string): string {
  const live = state.liveVersion === null ? "none" : `v${state.liveVersion}`;
  if (!state.change) return `${state.taskId}: ${unchanged.replace("{live}", live)}`;
  const from = state.change.fromVersion === null ? "none" : `v${state.change.fromVersion}`;
  const moved = state.change.fromVersion !== state.change.toVersion ? ` (was ${from})` : "";
  return `${state.taskId}: ${done.replace("{live}", live)}${moved}`;
}

function print(ctx: CliContext, state: PromptState, done: string, unchanged: string): void {
  if (ctx.globals.json) ctx.json(state);
  else ctx.out(describeState(state, done, unchanged));
}

export const promoteCommand: Command = {
  summary: "serve an existing version (works while pinned)",
  usage: `sepo prompt promote <taskId> <version> [--reason text]\n\n${REASON_USAGE}`,
  async run(ctx, args) {
    const { values, positionals } = ctx.parse(args, REASON, { min: 2, max: 2, names: "task id and version" });
    const [taskId, version] = [positionals[0]!, parseVersion(positionals[1]!)];
    const state = await (await ctx.client()).promotePrompt(taskId, version, values.reason);
    print(ctx, state, `{live} is live${pinnedNote(state)}`, `{live} was already live; nothing changed`);
  },
};

export const rollbackCommand: Command = {
  summary: "serve the previously live version again (again: one more step back)",
  usage: `sepo prompt rollback <taskId> [--reason text]\n\n${REASON_USAGE}\n\nUndoes the latest change of the live version not undone yet; exits 1 when there is none.`,
  async run(ctx, args) {
    const { values, positionals } = ctx.parse(args, REASON, { min: 1, max: 1, names: "task id" });
    const state = await (await ctx.client()).rollbackPrompt(positionals[0]!, values.reason);
    print(ctx, state, `rolled back: {live} is live${pinnedNote(state)}`, "{live} is live; nothing changed");
  },
};

export const pinCommand: Command = {
  summary: "keep runs from replacing the live version (or pin another version, serving it)",
  usage:
    `sepo prompt pin <taskId> [version] [--reason text]\n\n${REASON_USAGE}\n\n` +
    "While pinned, a run's champion that passes the promotion gate is recorded as a version\nbut not served; promote and rollback still work. Undo with `sepo prompt unpin`.",
  async run(ctx, args) {
    const { values, positionals } = ctx.parse(args, REASON, { min: 1, max: 2, names: "task id" });
    const version = positionals[1] === undefined ? undefined : parseVersion(positionals[1]);
    const state = await (await ctx.client()).pinPrompt(positionals[0]!, version, values.reason);
    print(ctx, state, "pinned at {live}", "already pinned at {live}; nothing changed");
  },
};

export const unpinCommand: Command = {
  summary: "let runs replace the live version again",
  usage: "sepo prompt unpin <taskId>\n\nThe live version stays until a run's champion passes the promotion gate or you change it.",
  async run(ctx, args) {
    const { positionals } = ctx.parse(args, {}, { min: 1, max: 1, names: "task id" });
    const state = await (await ctx.client()).unpinPrompt(positionals[0]!);
    print(ctx, state, "unpinned; {live} stays live until a run's champion passes the promotion gate", "was not pinned; nothing changed");
  },
};

const ADD_OPTIONS = { file: { type: "string" }, text: { type: "string" }, live: { type: "boolean" }, note: { type: "string" } } as const;

export const addCommand: Command = {
  summary: "add a manual prompt version (--live: serve it now)",
  usage: `sepo prompt add <taskId> (--file <path> | --text <text>) [--live] [--note text]

  --file <path>     the prompt text from a file (one trailing newline dropped)
  --text <text>     the prompt text; @path reads a file, - reads stdin
  --live            serve it at once (refused while the task is pinned: add, then promote)
  --note <text>     why this version exists`,
  async run(ctx, args) {
    const { values, positionals } = ctx.parse(args, ADD_OPTIONS, { min: 1, max: 1, names: "task id" });
    if ((values.file === undefined) === (values.text === undefined)) throw new UsageError("give exactly one of --file or --text");
    const text = values.file !== undefined ? (await ctx.readText(values.file)).replace(/\r?\n$/, "") : await ctx.textArg(values.text!);
    const taskId = positionals[0]!;
    const added = await (await ctx.client()).addPrompt(taskId, { text, ...(values.live ? { live: true } : {}), ...(values.note ? { note: values.note } : {}) });
    if (ctx.globals.json) {
      ctx.json(added);
      return;
    }
    const v = added.prompt.version;
    ctx.out(added.change ? `${taskId}: added v${v}; it is live (was v${added.change.fromVersion})` : `${taskId}: added v${v}; v${added.liveVersion} stays live (serve the new one with: sepo prompt promote ${taskId} ${v})`);
  },
};
