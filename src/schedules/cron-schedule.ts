/**
 * A task schedule's cron expression, read with croner: five fields (minute, hour, day of
 * month, month, day of week) or a nickname such as `@daily`, in an IANA time zone. Five
 * fields because the Worker's own trigger ticks once a minute: seconds could not be kept.
 * Pure: the instant to count from is always passed in.
 */
import { Cron } from "croner";

export interface CronSpec {
  cron: string;
  /** IANA name (`Europe/Berlin`); the fields are read in this zone's wall-clock time. */
  timezone: string;
}

/**
 * Scheduled runs may start at most this often. A fine-tuning takes minutes with a real
 * model, and a schedule that comes round while its last run is still going is only
 * skipped; more often than four times an hour would mostly record skips, and an
 * accidental `* * * * *` would bill a run every minute.
 */
export const MIN_SCHEDULE_INTERVAL_MINUTES = 15;

/** Occurrences compared to find a pattern's shortest gap (`0,5 9 * * *` is daily but 5 minutes apart). */
const SAMPLED_OCCURRENCES = 100;

/** Five fields of cron characters, or one `@nickname`: anything else (a date, seconds, a year) is refused before croner reads it. */
export const CRON_SHAPE = /^(?:@[a-z]+|[^\s:]+(?:\s+[^\s:]+){4})$/i;

/** What is wrong with a schedule's timing, naming the field at fault; null when it may be used. */
export interface CronProblem {
  field: "cron" | "timezone";
  message: string;
}

export function cronProblem(spec: CronSpec, from: number): CronProblem | null {
  if (!isTimeZone(spec.timezone)) return { field: "timezone", message: `'${spec.timezone}' is not an IANA time zone; send a name such as "UTC" or "Europe/Berlin"` };
  const cron = spec.cron.trim();
  if (!CRON_SHAPE.test(cron)) return { field: "cron", message: 'must be five fields "minute hour day-of-month month day-of-week" (e.g. "0 3 * * *") or a nickname such as "@daily"' };
  let job: Cron;
  try {
    job = toCron(spec);
  } catch (error) {
    return { field: "cron", message: `is not a cron expression: ${describe(error)}` };
  }
  const runs = job.nextRuns(SAMPLED_OCCURRENCES, new Date(from)).map((d) => d.getTime());
  if (runs.length === 0) return { field: "cron", message: "never fires (no date matches it); check the day and month fields" };
  const gap = shortestGap(runs);
  if (gap !== null && gap < MIN_SCHEDULE_INTERVAL_MINUTES * 60_000) {
    const minutes = gap / 60_000;
    return { field: "cron", message: `fires ${minutes} minute${minutes === 1 ? "" : "s"} apart; scheduled runs may start at most every ${MIN_SCHEDULE_INTERVAL_MINUTES} minutes (e.g. "*/${MIN_SCHEDULE_INTERVAL_MINUTES} * * * *")` };
  }
  return null;
}

/**
 * The first occurrence strictly after `after` (epoch ms), or null when the pattern never
 * fires again. Counting from "now" rather than from the occurrence that was due is what
 * turns a backlog (the Worker was down for an hour) into one run instead of sixty.
 *
 * @throws when the spec does not parse (check it with cronProblem first).
 */
export function nextRunAfter(spec: CronSpec, after: number): number | null {
  const next = toCron(spec).nextRun(new Date(after));
  return next ? next.getTime() : null;
}

/** The smallest distance between consecutive instants (sorted ascending), or null for fewer than two. */
export function shortestGap(instants: readonly number[]): number | null {
  let gap: number | null = null;
  for (let i = 1; i < instants.length; i++) {
    const d = (instants[i] as number) - (instants[i - 1] as number);
    if (gap === null || d < gap) gap = d;
  }
  return gap;
}

export function isTimeZone(name: string): boolean {
  if (name.length === 0 || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** A paused job without a callback: croner starts no timer, it only computes dates. */
function toCron(spec: CronSpec): Cron {
  return new Cron(spec.cron.trim(), { paused: true, mode: "5-part", timezone: spec.timezone });
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^CronPattern:\s*/, "");
}
