/**
 * A failed model call, classified once so that every caller decides the same way
 * whether to retry: the queue consumer retries `retryable` kinds with a delay (honouring
 * `retryAfterMs`), and fails the job for the others.
 */
export type LlmErrorKind =
  | "rate_limited" // 429
  | "server" // 5xx
  | "timeout" // no answer within the timeout
  | "network" // connection refused or reset
  | "malformed" // a 2xx whose body is not a usable completion (no choices, no content)
  | "auth" // 401/403: a configuration problem; the run must stop
  | "bad_request"; // other 4xx: our request is wrong for this provider

const RETRYABLE: Record<LlmErrorKind, boolean> = {
  rate_limited: true,
  server: true,
  timeout: true,
  network: true,
  malformed: true,
  auth: false,
  bad_request: false,
};

export class LlmError extends Error {
  override readonly name = "LlmError";
  readonly retryable: boolean;

  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message);
    this.retryable = RETRYABLE[kind];
  }
}

export function isLlmError(error: unknown): error is LlmError {
  return error instanceof LlmError;
}
