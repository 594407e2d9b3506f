/**
 * When a failed delivery is tried again. Pure: the attempt number and a jitter in [0, 1)
 * come in, seconds go out. The schedule spreads ten attempts over about sixteen hours, so
 * a receiver that is down for a deploy or an evening still gets the event, and jitter
 * keeps the retries of one burst (every generation of every run) from landing together.
 */

/** Attempts per round: the first and nine retries. A manual retry starts a new round. */
export const MAX_ATTEMPTS = 10;

/** The wait after attempt n of a round (n = 1 is the first attempt), before jitter. */
export const RETRY_SCHEDULE_SECONDS = [10, 30, 120, 600, 1_800, 3_600, 7_200, 14_400, 28_800] as const;

/** Cloudflare Queues refuses a retry delay longer than 12 hours. */
export const MAX_DELAY_SECONDS = 12 * 60 * 60;

/** The jitter band: a delay is stretched or shrunk by up to a fifth. */
const JITTER = 0.2;

/**
 * Seconds to wait after the `attempt`-th attempt of a round failed.
 * @param jitter a number in [0, 1), e.g. Math.random().
 */
export function backoffSeconds(attempt: number, jitter: number): number {
  const index = Math.min(Math.max(1, Math.floor(attempt)), RETRY_SCHEDULE_SECONDS.length) - 1;
  const base = RETRY_SCHEDULE_SECONDS[index] ?? RETRY_SCHEDULE_SECONDS[0];
  return clampDelay(Math.round(base * (1 - JITTER + 2 * JITTER * jitter)));
}

/**
 * The seconds a `Retry-After` header asks for (delta-seconds or an HTTP date), or
 * undefined when it is absent or unreadable.
 */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  // An HTTP date names its day and month ("Fri, 01 May 2026 12:05:00 GMT"); Date.parse alone would take "-5" for a year.
  const date = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

export function clampDelay(seconds: number): number {
  return Math.min(MAX_DELAY_SECONDS, Math.max(1, Math.ceil(seconds)));
}
