/**
 * The outbound URL check for a model base URL a user gives (a task's `model.baseUrl`, a
 * run's `agentModel.baseUrl`), as a 400 naming the field. The service's own
 * OPENAI_BASE_URL is accepted as is: the operator chose it (a private vLLM, SimLM), and
 * naming it is the same as naming no base URL.
 */
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { outboundUrlProblem } from "./outbound-url";

export type ModelUrlEnv = Pick<AppEnv, "ALLOW_PRIVATE_URLS" | "OPENAI_BASE_URL">;

/** Throws a 400 for `path` (e.g. "model.baseUrl") when the service must not call `url`. */
export function checkModelBaseUrl(url: string, path: string, env: ModelUrlEnv): void {
  if (isServiceEndpoint(url, env.OPENAI_BASE_URL)) return;
  const problem = outboundUrlProblem(url, env);
  if (problem === null) return;
  const message = `${problem} (the service calls this URL; give the public address of an OpenAI-compatible endpoint, or leave it out to use the service's default)`;
  throw new AppError("invalid_request", `Invalid request body: ${path}: ${message}`, [{ path, message }]);
}

function isServiceEndpoint(url: string, serviceUrl: string | undefined): boolean {
  if (!serviceUrl?.trim()) return false;
  const normalize = (value: string) => {
    try {
      return new URL(value.trim()).href.replace(/\/+$/, "");
    } catch {
      return null;
    }
  };
  const mine = normalize(url);
  return mine !== null && mine === normalize(serviceUrl);
}
