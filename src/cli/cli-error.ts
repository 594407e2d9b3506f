/**
 * The exit codes scripts may rely on, and the errors that carry them. Every failure ends
 * as one line on stderr; main.ts is the one place that turns an error into that line.
 */
import { ApiError } from "../client/api-client";

export const EXIT = {
  ok: 0,
  /** The API refused or could not be reached, or an input file is unusable. */
  failed: 1,
  /** The command line itself is wrong: unknown command or option, missing argument. */
  usage: 2,
  /** `runs watch` (or `runs start --watch`): the run ended failed or cancelled. */
  runNotCompleted: 3,
} as const;

/** A mistake on the command line: exit 2, with a hint to the command's help. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A failure the user can fix in their input (a file, a promptfoo config): exit 1. */
export class InputError extends Error {
  override readonly name = "InputError";
}

/** The exit code and the one-line message for any error thrown by a command. */
export function describeError(error: unknown, baseUrl: string | undefined): { code: number; message: string } {
  if (error instanceof UsageError) return { code: EXIT.usage, message: oneLine(error.message) };
  if (error instanceof ApiError) return { code: EXIT.failed, message: oneLine(apiMessage(error)) };
  if (isUnreachable(error)) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error as Error).message;
    return {
      code: EXIT.failed,
      message: `cannot reach the SePO API at ${baseUrl ?? "?"} (${why}); is the service running? Set the URL with --url, SEPO_URL or \`sepo config set url\``,
    };
  }
  if (isTimeout(error)) return { code: EXIT.failed, message: `the SePO API at ${baseUrl ?? "?"} did not answer in time` };
  return { code: EXIT.failed, message: oneLine(error instanceof Error ? error.message : String(error)) };
}

function apiMessage(error: ApiError): string {
  // Say what to do rather than only "401". The client's message starts "METHOD /path", so the
  // admin routes (the only ones under /v1/projects) can point at the admin key instead.
  const admin = / \/v1\/projects\b/.test(error.message);
  if (admin && (error.status === 401 || error.status === 403)) {
    return `${error.message} (these commands send the admin key: set it with --admin-key, SEPO_ADMIN_KEY or \`sepo config set admin-key -\`)`;
  }
  if (error.status === 401) return `${error.message} (set an API key with --key, SEPO_API_KEY or \`sepo config set key\`)`;
  return error.message;
}

/** Node's fetch reports a refused connection or DNS failure as `TypeError: fetch failed` with a cause. */
function isUnreachable(error: unknown): boolean {
  return error instanceof TypeError && error.message === "fetch failed";
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
}

/** Messages may quote multi-line server text; a script reads one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
