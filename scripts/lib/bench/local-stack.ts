/**
 * The benchmark's own local stack: `startDevStack` on free ports (other stacks and test
 * suites on a shared machine take the usual ones), with the state under the output's
 * name so a resumed benchmark finds its tasks and snapshots again.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type DevStack, freePort, startDevStack } from "../dev-stack";

export interface LocalStackOptions {
  /** null: a free port picked now. */
  port: number | null;
  simlmPort: number | null;
  /** State (D1, DOs, queues) and wrangler's log go here. */
  dir: string;
  taskModel: string | null;
  agentModel: string | null;
  simlmSeed: number;
}

export async function startLocalStack(o: LocalStackOptions): Promise<DevStack> {
  mkdirSync(o.dir, { recursive: true });
  return startDevStack({
    port: o.port ?? (await freePort()),
    simlmPort: o.simlmPort ?? (await freePort()),
    persistTo: join(o.dir, "state"),
    logFile: join(o.dir, "wrangler.log"),
    // A real provider when configured, like `npm start`; SimLM with a fixed seed otherwise.
    llmBaseUrl: process.env.OPENAI_BASE_URL,
    llmApiKey: process.env.OPENAI_API_KEY,
    taskModel: o.taskModel ?? undefined,
    agentModel: o.agentModel ?? undefined,
    simlm: { seed: o.simlmSeed },
  });
}
