/** `sepo agents`: prompt-agent snapshots that pre-training runs produce (read-only). */
import type { AgentSnapshot } from "../../storage/agent-repo";
import type { CommandGroup } from "../command";
import { preview, score, table } from "../format";
import { fetchList, PAGE_OPTIONS, PAGE_USAGE, printList } from "../list";

export const agentsGroup: CommandGroup = {
  name: "agents",
  summary: "prompt-agent snapshots from pre-training runs",
  commands: {
    list: {
      summary: "list snapshots, newest first",
      usage: `sepo agents list [--limit n] [--cursor c] [--all]\n\n${PAGE_USAGE}`,
      async run(ctx, args) {
        const { values } = ctx.parse(args, PAGE_OPTIONS, { max: 0 });
        const client = await ctx.client();
        const page = await fetchList(values, (q) => client.listAgents(q));
        printList(ctx, page, "sepo agents list", renderAgents, "no agent snapshots yet; a pre-training run creates one");
      },
    },
    get: {
      summary: "show one snapshot with its prompt text",
      usage: "sepo agents get <snapshotId>",
      async run(ctx, args) {
        const { positionals } = ctx.parse(args, {}, { min: 1, max: 1, names: "snapshot id" });
        const agent = await (await ctx.client()).getAgent(positionals[0]!);
        if (ctx.globals.json) {
          ctx.json(agent);
          return;
        }
        ctx.out(`${agent.id}  from run ${agent.runId} (candidate ${agent.candidateId})`);
        ctx.out(`fitness   ${score(agent.fitness)}`);
        ctx.out(`lineage   ${agent.lineage.join(" -> ")}`);
        ctx.out(`created   ${agent.createdAt}`);
        ctx.out("prompt:");
        ctx.out(agent.text);
      },
    },
  },
};

function renderAgents(agents: AgentSnapshot[]): string {
  return table(
    ["id", "run", "fitness", "created", "text"],
    agents.map((a) => [a.id, a.runId, score(a.fitness), a.createdAt, preview(a.text, 50)]),
  );
}
