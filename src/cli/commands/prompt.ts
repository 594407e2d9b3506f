/**
 * `sepo prompt`: a task's live prompt (what applications serve), its version history and
 * change log, and managing which version is live (prompt-control.ts).
 */
import type { LivePrompt, PromptVersion } from "../../storage/champion-repo";
import type { PromptChange } from "../../storage/prompt-change-repo";
import type { CommandGroup } from "../command";
import { preview, score, table } from "../format";
import { fetchList, PAGE_OPTIONS, PAGE_USAGE, printList } from "../list";
import { addCommand, pinCommand, promoteCommand, rollbackCommand, unpinCommand } from "./prompt-control";

export const promptGroup: CommandGroup = {
  name: "prompt",
  summary: "a task's live prompt, its history, and which version is live",
  commands: {
    get: {
      summary: "print the live prompt text (--json: the version record)",
      usage: "sepo prompt get <taskId>\n\nPrints only the text, so `sepo prompt get t_1 > prompt.txt` saves it.",
      async run(ctx, args) {
        const { positionals } = ctx.parse(args, {}, { min: 1, max: 1, names: "task id" });
        const prompt = await (await ctx.client()).getPrompt<LivePrompt>(positionals[0]!);
        if (ctx.globals.json) ctx.json(prompt);
        else ctx.out(prompt.text);
      },
    },
    history: {
      summary: "the task's prompt versions, newest first",
      usage: `sepo prompt history <taskId> [--limit n] [--cursor c] [--all]\n\n${PAGE_USAGE}`,
      async run(ctx, args) {
        const { values, positionals } = ctx.parse(args, PAGE_OPTIONS, { min: 1, max: 1, names: "task id" });
        const taskId = positionals[0]!;
        const client = await ctx.client();
        let live: number | null = null;
        let pinned = false;
        const page = await fetchList(values, async (q) => {
          const history = await client.listPrompts(taskId, q);
          live = history.liveVersion;
          pinned = history.pinned;
          return history;
        });
        if (ctx.globals.json) {
          ctx.json({ taskId, liveVersion: live, pinned, ...page });
          return;
        }
        printList(ctx, page, `sepo prompt history ${taskId}`, (items) => renderVersions(items, live, pinned), "no prompt versions yet");
      },
    },
    changes: {
      summary: "the changes of the live version and pin, newest first",
      usage: `sepo prompt changes <taskId> [--limit n] [--cursor c] [--all]\n\n${PAGE_USAGE}`,
      async run(ctx, args) {
        const { values, positionals } = ctx.parse(args, PAGE_OPTIONS, { min: 1, max: 1, names: "task id" });
        const taskId = positionals[0]!;
        const client = await ctx.client();
        const page = await fetchList(values, (q) => client.listPromptChanges(taskId, q));
        if (ctx.globals.json) {
          ctx.json({ taskId, ...page });
          return;
        }
        printList(ctx, page, `sepo prompt changes ${taskId}`, renderChanges, "no changes of the live version recorded yet");
      },
    },
    add: addCommand,
    promote: promoteCommand,
    rollback: rollbackCommand,
    pin: pinCommand,
    unpin: unpinCommand,
  },
};

function renderVersions(versions: PromptVersion[], live: number | null, pinned: boolean): string {
  return table(
    ["version", "source", "run", "scores", "created", "text"],
    versions.map((v) => [
      `v${v.version}${v.version === live ? (pinned ? " (live, pinned)" : " (live)") : ""}`,
      v.source,
      v.runId ?? "-",
      Object.entries(v.scores)
        .map(([split, s]) => `${split} ${score(s)}`)
        .join(", ") || "-",
      v.createdAt,
      preview(v.text, 50),
    ]),
  );
}

const versionName = (v: number | null) => (v === null ? "none" : `v${v}`);

function renderChanges(changes: PromptChange[]): string {
  return table(
    ["#", "action", "live", "pinned", "run", "created", "reason"],
    changes.map((c) => [
      String(c.seq),
      c.undoes === null ? c.action : `${c.action} of #${c.undoes}`,
      c.fromVersion === c.toVersion ? versionName(c.toVersion) : `${versionName(c.fromVersion)} -> ${versionName(c.toVersion)}`,
      c.pinned ? "yes" : "no",
      c.runId ?? "-",
      c.createdAt,
      c.reason ?? "-",
    ]),
  );
}
