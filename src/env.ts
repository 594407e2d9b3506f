/**
 * The Worker's bindings and variables (wrangler.toml, `.dev.vars`, secrets). Written by
 * hand rather than by `wrangler types` so that variables are plain strings a deployer
 * may override.
 */
import type { RunObject } from "../durable-objects/run-object";
import type { QueueMessage } from "./jobs/queue-message";

export interface AppEnv {
  DB: D1Database;
  JOBS: Queue<QueueMessage>;
  RUNS: DurableObjectNamespace<RunObject>;
  /** Default OpenAI-compatible endpoint for tasks that name none. */
  OPENAI_BASE_URL?: string;
  /** Secret. Absent is allowed for endpoints that need no key (SimLM, a local vLLM). */
  OPENAI_API_KEY?: string;
  DEFAULT_TASK_MODEL: string;
  DEFAULT_AGENT_MODEL: string;
  LLM_TIMEOUT_MS: string;
}

declare global {
  namespace Cloudflare {
    interface Env extends AppEnv {}
  }
}

declare global {
  namespace Cloudflare {
    interface GlobalProps {
      mainModule: typeof import("./index");
      durableNamespaces: "RunObject";
    }
  }
}
