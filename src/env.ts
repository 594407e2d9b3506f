/**
 * The Worker's bindings and variables (wrangler.toml, `.dev.vars`, secrets). Written by
 * hand rather than by `wrangler types` so that variables are plain strings a deployer
 * may override.
 */
import type { RateLimiter } from "../durable-objects/rate-limiter";
import type { RunObject } from "../durable-objects/run-object";
import type { QueueMessage } from "./jobs/queue-message";
import type { WebhookQueueMessage } from "./webhooks/queue-message";

export interface AppEnv {
  DB: D1Database;
  JOBS: Queue<QueueMessage>;
  /** Outbound webhooks: run events to fan out, then single deliveries (src/webhooks/). */
  WEBHOOKS: Queue<WebhookQueueMessage>;
  RUNS: DurableObjectNamespace<RunObject>;
  /**
   * The shared rate limiters, one per model endpoint and model (`limiterKey`). Unbound,
   * model calls go out unpaced: each job meets the provider's 429s on its own.
   */
  LIMITERS?: DurableObjectNamespace<RateLimiter>;
  /** Default OpenAI-compatible endpoint for tasks that name none. */
  OPENAI_BASE_URL?: string;
  /** Secret. Absent is allowed for endpoints that need no key (SimLM, a local vLLM). */
  OPENAI_API_KEY?: string;
  DEFAULT_TASK_MODEL: string;
  DEFAULT_AGENT_MODEL: string;
  LLM_TIMEOUT_MS: string;
  /**
   * Secret (`wrangler secret put ADMIN_API_KEY`; locally `.dev.vars` or `--var`): the key of
   * the admin API, which creates projects and their keys. Unset, the admin routes answer 503.
   */
  ADMIN_API_KEY?: string;
  /**
   * "true" lets user-supplied URLs (model base URLs, webhook targets) reach loopback and
   * private addresses: for local stacks only. Anything else refuses them (src/security/outbound-url.ts).
   */
  ALLOW_PRIVATE_URLS?: string;
  /** Milliseconds a job in flight may go unheard of before its run re-sends it (src/jobs/watchdog-policy.ts). */
  JOB_WATCHDOG_MS?: string;
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
      durableNamespaces: "RunObject" | "RateLimiter";
    }
  }
}
