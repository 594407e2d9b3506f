/**
 * `runs watch`: polls a run until it ends. On a terminal one status line with a bar is
 * redrawn in place; elsewhere (CI logs, pipes) a line is printed whenever it changes.
 * Finished generations always get a line of their own, so the log keeps the scores.
 */
import { ApiError, type SepoClient } from "../client/api-client";
import type { RunSummary } from "../engine";
import { EXIT, InputError } from "./cli-error";
import type { CliContext, OutputStream } from "./context";
import { describeRun, generationLine, lastFinishedGeneration, statusLine } from "./run-progress";

export interface WatchOptions {
  intervalMs: number;
  /** Give up (exit 1) after this long; the run itself keeps going. */
  timeoutMs?: number;
}

/** Consecutive failed polls tolerated before giving up: a dev server restarting, a network blip. */
const MAX_POLL_FAILURES = 5;

/** Watches to the end; returns the exit code (0 completed, 3 failed or cancelled). */
export async function watchToEnd(ctx: CliContext, client: SepoClient, runId: string, options: WatchOptions): Promise<number> {
  // With --json, stdout carries only the final summary; progress goes to stderr.
  const stream: OutputStream = ctx.globals.json ? ctx.io.stderr : ctx.io.stdout;
  const tty = stream.isTTY === true;
  const started = Date.now();
  let reported = -1;
  let lastLine = "";
  let failures = 0;
  let run: RunSummary;
  for (;;) {
    try {
      run = await client.getRunSummary(runId);
      failures = 0;
    } catch (error) {
      if (!isTransient(error) || ++failures >= MAX_POLL_FAILURES) throw error;
      await ctx.io.sleep(options.intervalMs);
      continue;
    }
    const done = lastFinishedGeneration(run);
    const newLines: string[] = [];
    for (; reported < done; reported++) newLines.push(generationLine(run, reported + 1));
    const ended = run.status !== "running";
    const line = statusLine(run, tty);
    if (tty) {
      // A pty without a size (script, some CI runners) reports 0 columns.
      const width = Math.max(40, (stream.columns || 120) - 1);
      stream.write(`\r\x1b[2K${newLines.map((l) => `${l}\n`).join("")}${ended ? "" : line.slice(0, width)}`);
    } else {
      for (const l of newLines) stream.write(`${l}\n`);
      if (line !== lastLine && !ended) stream.write(`${line}\n`);
    }
    lastLine = line;
    if (ended) break;
    if (options.timeoutMs !== undefined && Date.now() - started > options.timeoutMs) {
      if (tty) stream.write("\n");
      throw new InputError(`run ${runId} is still running after ${Math.round(options.timeoutMs / 1000)}s; it continues on the server (sepo runs watch ${runId})`);
    }
    await ctx.io.sleep(options.intervalMs);
  }
  if (ctx.globals.json) ctx.json(run);
  else for (const l of describeRun(run)) ctx.out(l);
  return run.status === "completed" ? EXIT.ok : EXIT.runNotCompleted;
}

/** Worth another poll: no answer, a timeout, or a server error; a 4xx will not change. */
function isTransient(error: unknown): boolean {
  if (error instanceof ApiError) return error.status >= 500 || error.status === 429;
  return error instanceof TypeError || (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"));
}
