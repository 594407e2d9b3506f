/**
 * Command line for the simulated model:
 *   npx tsx src/simlm/cli.ts --port 8788 --latency 0 --seed 1 --rate-limit-rps 50 --fault-500 0.05
 * Latency is ms, or a range "MIN-MAX". Fault flags are rates in [0, 1] per call.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { startSimLmServer, type SimLmServerOptions } from "./server";

const HELP = `SimLM: a SIMULATED OpenAI-compatible model for offline development and tests.
It is not a language model: answers come from a deterministic fitness landscape.

Options:
  --port N                 port (default 8788; 0 = any free port)
  --host H                 host (default 127.0.0.1)
  --seed N                 seed of every simulated draw (default 0)
  --latency MS|MIN-MAX     latency per call in ms (default 0)
  --rate-limit-rps N       requests per second before 429
  --max-concurrent N       concurrent requests before 429
  --fault-500 R            rate of HTTP 500
  --fault-timeout R        rate of timeouts (see --timeout-mode, --timeout-ms)
  --fault-truncated R      rate of 200s with a cut JSON body
  --fault-malformed R      rate of 200s with no choices
  --fault-empty-content R  rate of 200s with null content
  --timeout-mode 504|hang  injected timeout: 504 after --timeout-ms, or never answer
  --timeout-ms MS          wait before the injected 504 (default 30000)
  --help`;

function number(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${value}`);
  return n;
}

function latency(value: string | undefined): SimLmServerOptions["latencyMs"] {
  const range = value?.match(/^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/);
  if (range) return { min: Number(range[1]), max: Number(range[2]) };
  return number("latency", value);
}

/** Parses the command line into server options; throws with a readable message. */
export function parseCliOptions(argv: string[]): SimLmServerOptions & { help: boolean } {
  const flags = [
    "port", "host", "seed", "latency", "rate-limit-rps", "max-concurrent", "fault-500", "fault-timeout",
    "fault-truncated", "fault-malformed", "fault-empty-content", "timeout-mode", "timeout-ms",
  ];
  const { values: v } = parseArgs({
    args: argv,
    options: { ...Object.fromEntries(flags.map((f) => [f, { type: "string" as const }])), help: { type: "boolean" } },
    strict: true,
  });
  const s = v as Record<string, string | undefined>;
  const mode = s["timeout-mode"];
  if (mode !== undefined && mode !== "504" && mode !== "hang") throw new Error("--timeout-mode must be 504 or hang");
  const rps = number("rate-limit-rps", s["rate-limit-rps"]);
  const maxConcurrent = number("max-concurrent", s["max-concurrent"]);
  return {
    help: v.help === true,
    port: number("port", s.port) ?? 8788,
    host: s.host ?? "127.0.0.1",
    seed: number("seed", s.seed) ?? 0,
    latencyMs: latency(s.latency),
    rateLimit: { rps, maxConcurrent },
    faults: {
      serverError: number("fault-500", s["fault-500"]),
      timeout: number("fault-timeout", s["fault-timeout"]),
      truncated: number("fault-truncated", s["fault-truncated"]),
      malformed: number("fault-malformed", s["fault-malformed"]),
      emptyContent: number("fault-empty-content", s["fault-empty-content"]),
    },
    timeout: { mode: mode ?? "504", afterMs: number("timeout-ms", s["timeout-ms"]) },
  };
}

async function main(): Promise<void> {
  let options: ReturnType<typeof parseCliOptions>;
  try {
    options = parseCliOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (options.help) {
    console.log(HELP);
    return;
  }
  const server = await startSimLmServer(options);
  console.log(`SimLM (simulated model) listening on ${server.baseUrl}`);
  console.log(`Stats: ${server.url}/simlm/stats  (seed ${options.seed}; answers are simulated, not from a real LLM)`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

// Run only as the entry point, so tests can import parseCliOptions.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  void main();
}
