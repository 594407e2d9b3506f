/** `sepo prompt`: a task's live prompt (what applications serve) and its version history. */
import type { PromptVersion } from "../../storage/champion-repo";
import type { CommandGroup } from "../command";
import { preview, score, table } from "../format";
import { fetchList, PAGE_OPTIONS, PAGE_USAGE, printList } from "../list";

export const promptGroup: CommandGroup = {
  name: "prompt",
  summary: "a task's live prompt and its history",
  commands: {
    get: {
      summary: "print the live prompt text (--json: the version record)",
      usage: "sepo prompt get <taskId>\n\nPrints only the text, so `sepo prompt get t_1 > prompt.txt` saves it.",
      async run(ctx, args) {
        const { positionals } = ctx.parse(args, {}, { min: 1, max: 1, names: "task id" });
        const prompt = await (await ctx.client()).getPrompt<PromptVersion>(positionals[0]!);
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
        const page = await fetchList(values, async (q) => {
          const history = await client.listPrompts(taskId, q);
          live = history.liveVersion;
          return history;
        });
        if (ctx.globals.json) {
          ctx.json({ taskId, liveVersion: live, ...page });
          return;
        }
        printList(ctx, page, `sepo prompt history ${taskId}`, (items) => renderVersions(items, live), "no prompt versions yet");
      },
    },
  },
};

function renderVersions(versions: PromptVersion[], live: number | null): string {
  return table(
    ["version", "source", "run", "scores", "created", "text"],
    versions.map((v) => [
      `v${v.version}${v.version === live ? " (live)" : ""}`,
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
