/** The request body of `sepo runs start`, built from its flags, and the --dry-run printout. */
import type { RunEstimateResponse } from "../../client/api-client";
import { InputError, UsageError } from "../cli-error";
import type { CliContext } from "../context";
import { count, usd } from "../format";

export const START_OPTIONS = {
  tasks: { type: "string" },
  task: { type: "string" },
  agent: { type: "string" },
  "seed-agent-prompt": { type: "string" },
  "agent-model": { type: "string" },
  "agent-base-url": { type: "string" },
  config: { type: "string" },
  set: { type: "string", multiple: true },
  "dry-run": { type: "boolean" },
  watch: { type: "boolean" },
} as const;

export const START_USAGE = `sepo runs start pretrain|finetune [options]

sepo runs start pretrain --tasks <id1,id2,...> [options]
sepo runs start finetune --task <id> [--agent latest|<snapshotId>|none] [options]

  pretrain evolves a prompt agent over a pool of tasks and saves it as an agent snapshot;
  finetune evolves one task's prompt with a frozen agent and publishes the champion as
  the task's live prompt.

  --tasks <ids>              pretrain: the task pool, comma-separated (1-20)
  --task <id>                finetune: the task
  --agent <which>            finetune: latest (newest snapshot), a snapshot id, or none
                             (the built-in hand-written agent; the default)
  --seed-agent-prompt <text|@file>  pretrain: the agent prompt to start from
  --agent-model <name>       the prompt agent's model (default: the service's DEFAULT_AGENT_MODEL)
  --agent-base-url <url>     an OpenAI-compatible endpoint for that model
  --config <file.json>       run config, e.g. {"generations": 5, "childrenPerGeneration": 3, "seed": 1}
  --set <key=value>          one config field (repeatable; wins over --config); dots nest:
                             --set generations=8 --set budget.maxCalls=2000 --set search=linear
                             values are JSON when they parse, else strings
  --dry-run                  print the estimated cost (upper bounds) and start nothing
  --watch                    follow the run until it ends (exit 3 if it fails or is cancelled)`;

type StartFlags = {
  tasks?: string | undefined;
  task?: string | undefined;
  agent?: string | undefined;
  "seed-agent-prompt"?: string | undefined;
  "agent-model"?: string | undefined;
  "agent-base-url"?: string | undefined;
  config?: string | undefined;
  set?: string[] | undefined;
};

export async function buildRunRequest(ctx: CliContext, kind: string, flags: StartFlags): Promise<Record<string, unknown>> {
  if (kind !== "pretrain" && kind !== "finetune") throw new UsageError(`the run kind must be pretrain or finetune, not "${kind}"`);
  const config = await runConfig(ctx, flags);
  if (flags["agent-base-url"] && !flags["agent-model"]) throw new UsageError("--agent-base-url needs --agent-model");
  const agentModel = flags["agent-model"] ? { agentModel: { model: flags["agent-model"], ...(flags["agent-base-url"] ? { baseUrl: flags["agent-base-url"] } : {}) } } : {};
  if (kind === "pretrain") {
    if (!flags.tasks) throw new UsageError("pretrain needs --tasks id1,id2,...");
    if (flags.task || flags.agent) throw new UsageError("--task and --agent apply to finetune; pretrain takes --tasks");
    const taskIds = flags.tasks.split(",").map((t) => t.trim()).filter(Boolean);
    const seed = flags["seed-agent-prompt"] ? { seedAgentPrompt: await ctx.textArg(flags["seed-agent-prompt"]) } : {};
    return { kind, taskIds, ...seed, config, ...agentModel };
  }
  if (!flags.task) throw new UsageError("finetune needs --task <id>");
  if (flags.tasks || flags["seed-agent-prompt"]) throw new UsageError("--tasks and --seed-agent-prompt apply to pretrain; finetune takes --task");
  const agent = flags.agent === undefined || flags.agent === "none" ? {} : { agentSnapshotId: flags.agent };
  return { kind, taskId: flags.task, ...agent, config, ...agentModel };
}

/** The run config from --config (a JSON file) and --set assignments (which win). */
export async function runConfig(ctx: CliContext, flags: StartFlags): Promise<Record<string, unknown>> {
  let config: Record<string, unknown> = {};
  if (flags.config) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await ctx.readText(flags.config));
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(`${flags.config} is not valid JSON: ${(error as Error).message}`);
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new InputError(`${flags.config} must hold a JSON object of run settings`);
    config = parsed as Record<string, unknown>;
  }
  for (const assignment of flags.set ?? []) setPath(config, assignment);
  return config;
}

/** Applies `a.b=value` to `target`; the value is JSON when it parses ("5", "true", "[1]"), else a string. */
export function setPath(target: Record<string, unknown>, assignment: string): void {
  const eq = assignment.indexOf("=");
  const path = eq > 0 ? assignment.slice(0, eq) : "";
  if (!/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(path)) throw new UsageError(`--set takes key=value (e.g. generations=5), not "${assignment}"`);
  const raw = assignment.slice(eq + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // a bare word such as linear: keep the string
  }
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (!next || typeof next !== "object" || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}

export function describeEstimate(response: RunEstimateResponse): string[] {
  const e = response.estimate;
  const c = response.config as { generations?: number; childrenPerGeneration?: number; budget?: Record<string, unknown> };
  return [
    `estimate (upper bounds; the run's budget caps it): ${count(e.calls)} LLM calls, ${count(e.tokensUpperBound)} tokens, ${usd(e.usdUpperBound)}` +
      // A model without a price in config.prices costs 0 USD in the estimate, which is not "free".
      (e.usdUpperBound === 0 ? " (USD counts only models priced in config.prices)" : ""),
    `config: ${c.generations ?? "?"} generations x ${c.childrenPerGeneration ?? "?"} children, budget ${JSON.stringify(c.budget ?? {})}`,
    "nothing was started (--dry-run)",
  ];
}
