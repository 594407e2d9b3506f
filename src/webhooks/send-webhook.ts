/**
 * One HTTP attempt at a receiver: POST, no redirects followed, a hard timeout. Whatever
 * happens becomes an AttemptResult value (never a throw), for delivery-outcome.ts to judge.
 */
import type { AttemptResult } from "./delivery-outcome";

/** A receiver should answer fast and do its work later; ten seconds is generous. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** The part of an error response's body kept in the delivery log. */
const EXCERPT_BYTES = 200;

export async function sendWebhook(url: string, headers: Record<string, string>, body: string, fetcher: typeof fetch = fetch): Promise<AttemptResult> {
  try {
    // redirect "manual": a redirect is answered as a failure rather than followed, so a
    // checked public URL cannot bounce the signed request to an address we would refuse.
    const response = await fetcher(url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const ok = response.status >= 200 && response.status < 300;
    const excerpt = ok ? await discard(response) : await readExcerpt(response);
    return { kind: "response", status: response.status, retryAfter: response.headers.get("retry-after"), location: response.headers.get("location"), excerpt };
  } catch (error) {
    return { kind: "error", message: describeError(error) };
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return `no response within ${REQUEST_TIMEOUT_MS / 1000} s`;
  return `no response: ${error instanceof Error ? error.message : String(error)}`;
}

async function discard(response: Response): Promise<string> {
  await response.body?.cancel().catch(() => undefined);
  return "";
}

/** The first bytes of the body: enough to show a receiver's error message, without reading a large page. */
async function readExcerpt(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  try {
    const { value } = await reader.read();
    return value ? new TextDecoder().decode(value.slice(0, EXCERPT_BYTES)) : "";
  } catch {
    return "";
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
