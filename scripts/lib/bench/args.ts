/** The `npm run bench -- [flags]` command line: parsed and checked, nothing run. */
import { parseArgs } from "node:util";
import { METHOD_IDS, type MethodId } from "./methods";

export interface PriceArg {
  inputPerMTok: number;
  outputPerMTok: number;
}

export interface BenchArgs {
  methods: MethodId[];
  /** Bench task ids: SimLM ids (the `sim` pool expands to all five) and/or pack ids. */
  tasks: string[];
  seeds: number[];
  url: string | null;
  taskModel: string | null;
  agentModel: string | null;
  out: string;
  /** Null: sized per target so SePO G=5,K=2 fits (see budget in runner). */
  budgetTaskCalls: number | null;
  resume: boolean;
  concurrency: number;
  /** Pack id -> local file or directory given to the pack loader instead of downloading. */
  fromFile: Record<string, string>;
  /** Examples per SimLM task, and the example limit per pack. */
  examples: number;
  prices: Record<string, PriceArg>;
  /** Local stack ports; null picks free ones. */
  port: number | null;
  simlmPort: number | null;
  /** Run the local stack from the live tree instead of a frozen copy (see freeze.ts). */
  noFreeze: boolean;
  /** Where the frozen service code comes from: the working tree, or HEAD as committed. */
  source: "tree" | "head";
  /** Another results.json whose overlapping cells must have the same scores. */
  checkAgainst: string | null;
  help: boolean;
}

export const USAGE = `npm run bench -- [flags]
  --methods a,b,...        ${METHOD_IDS.join(",")} (default: all)
  --tasks a,b,...          "sim" (the five SimLM tasks, default), sim-<name>, or pack ids
                           (aime25, arc-agi-1, gpqa-diamond, mbpp-js, sudoku: see src/packs/registry.ts)
  --from-file pack=path    a local copy of a pack's data (repeatable); else the loader downloads
  --examples N             examples per SimLM task / at most N per pack (default 100)
  --seeds 1,2,3            seeds (default 1,2,3,4,5); each drives data and both stages
  --url URL                a deployed service (default: start a local stack)
  --task-model M           the task model (tasks are created with it; local stack default)
  --agent-model M          the prompt agent's model (run requests; local stack default)
  --price model=IN:OUT     USD per million input/output tokens (repeatable)
  --budget-task-calls N    task-model calls per target fine-tuning, the same for every method
                           (default: what SePO G=5,K=2 needs on that target)
  --out DIR                where table.md, results.json, results.csv, chart.svg go
                           (default benchmarks/results/latest)
  --no-resume              re-run cells already finished in DIR/results.json
  --concurrency N          cells in parallel (default 2)
  --port N, --simlm-port N local stack ports (default: free ones)
  --no-freeze              run the local stack from the live tree, not a frozen copy
                           (wrangler dev reloads on every source edit, mid-run)
  --source tree|head       freeze the code from the working tree (default) or as committed
                           at HEAD (uncommitted work in a shared checkout stays out)
  --check-against FILE     fail unless cells also in FILE have the same scores (determinism)`;

const list = (text: string) => text.split(",").map((s) => s.trim()).filter((s) => s.length > 0);

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${text}"`);
  return n;
}

function keyValue(name: string, text: string): [string, string] {
  const at = text.indexOf("=");
  if (at < 1 || at === text.length - 1) throw new Error(`--${name} wants key=value, got "${text}"`);
  return [text.slice(0, at), text.slice(at + 1)];
}

function sourceFrom(text: string | undefined): "tree" | "head" {
  if (text === undefined || text === "tree" || text === "head") return text ?? "tree";
  throw new Error(`--source must be "tree" or "head", got "${text}"`);
}

export function parseBenchArgs(argv: readonly string[], simPool: readonly string[]): BenchArgs {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      methods: { type: "string" },
      tasks: { type: "string" },
      seeds: { type: "string" },
      url: { type: "string" },
      "task-model": { type: "string" },
      "agent-model": { type: "string" },
      out: { type: "string" },
      "budget-task-calls": { type: "string" },
      resume: { type: "boolean" },
      "no-resume": { type: "boolean" },
      concurrency: { type: "string" },
      "from-file": { type: "string", multiple: true },
      examples: { type: "string" },
      price: { type: "string", multiple: true },
      port: { type: "string" },
      "simlm-port": { type: "string" },
      "check-against": { type: "string" },
      "no-freeze": { type: "boolean" },
      source: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const methods = values.methods ? list(values.methods) : [...METHOD_IDS];
  const unknown = methods.filter((m) => !(METHOD_IDS as readonly string[]).includes(m));
  if (unknown.length > 0) throw new Error(`unknown method(s) ${unknown.join(", ")}; known: ${METHOD_IDS.join(", ")}`);
  const tasks = [...new Set(list(values.tasks ?? "sim").flatMap((t) => (t === "sim" ? simPool : [t])))];
  const seeds = list(values.seeds ?? "1,2,3,4,5").map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--seeds wants non-negative integers, got "${s}"`);
    return n;
  });
  if (tasks.length === 0 || seeds.length === 0 || methods.length === 0) throw new Error("--methods, --tasks and --seeds must not be empty");
  const prices: Record<string, PriceArg> = {};
  for (const p of values.price ?? []) {
    const [model, pair] = keyValue("price", p);
    const [inp, outp] = pair.split(":").map(Number);
    if (!(Number.isFinite(inp) && Number.isFinite(outp) && inp! >= 0 && outp! >= 0)) throw new Error(`--price wants model=IN:OUT (USD per million tokens), got "${p}"`);
    prices[model] = { inputPerMTok: inp!, outputPerMTok: outp! };
  }
  return {
    methods: METHOD_IDS.filter((m) => methods.includes(m)),
    tasks,
    seeds: [...new Set(seeds)],
    url: values.url ?? null,
    taskModel: values["task-model"] ?? null,
    agentModel: values["agent-model"] ?? null,
    out: values.out ?? "benchmarks/results/latest",
    budgetTaskCalls: values["budget-task-calls"] ? positiveInt("budget-task-calls", values["budget-task-calls"]) : null,
    resume: !values["no-resume"],
    concurrency: values.concurrency ? positiveInt("concurrency", values.concurrency) : 2,
    fromFile: Object.fromEntries((values["from-file"] ?? []).map((v) => keyValue("from-file", v))),
    examples: values.examples ? positiveInt("examples", values.examples) : 100,
    prices,
    port: values.port ? positiveInt("port", values.port) : null,
    simlmPort: values["simlm-port"] ? positiveInt("simlm-port", values["simlm-port"]) : null,
    checkAgainst: values["check-against"] ?? null,
    noFreeze: values["no-freeze"] ?? false,
    source: sourceFrom(values.source),
    help: values.help ?? false,
  };
}
