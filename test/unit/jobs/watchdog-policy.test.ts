import { describe, expect, it } from "vitest";
import { lostJobs, nextCheckAt, watchdogSilenceMs } from "../../../src/jobs/watchdog-policy";

const T = 60_000;

describe("the job watchdog's policy", () => {
  it("takes a job for lost only when it is overdue and the run has heard nothing for as long", () => {
    const jobs = [
      { jobId: "a", dueAt: 100_000 },
      { jobId: "b", dueAt: 200_000 },
    ];
    // Overdue, but a consumer was heard from a moment ago: a backlog, not a loss.
    expect(lostJobs(jobs, 150_000, 160_000, T)).toEqual([]);
    // Silent for T: the overdue job is sent again, the one still due later (a retry's delay) is not.
    expect(lostJobs(jobs, 100_000, 160_000, T)).toEqual(["a"]);
    expect(lostJobs(jobs, 100_000, 200_000, T)).toEqual(["a", "b"]);
  });

  it("wakes when the first job could count as lost, and not at all with nothing in flight", () => {
    expect(nextCheckAt([{ jobId: "a", dueAt: 100_000 }, { jobId: "b", dueAt: 90_000 }], 50_000, T)).toBe(110_000);
    expect(nextCheckAt([{ jobId: "a", dueAt: 300_000 }], 50_000, T)).toBe(300_000);
    expect(nextCheckAt([], 50_000, T)).toBeNull();
  });

  it("waits three call timeouts by default (at least a minute), or what JOB_WATCHDOG_MS says", () => {
    expect(watchdogSilenceMs({ LLM_TIMEOUT_MS: "60000" })).toBe(180_000);
    expect(watchdogSilenceMs({})).toBe(360_000);
    expect(watchdogSilenceMs({ LLM_TIMEOUT_MS: "5000" })).toBe(60_000);
    expect(watchdogSilenceMs({ LLM_TIMEOUT_MS: "60000", JOB_WATCHDOG_MS: "15000" })).toBe(15_000);
    // Unreadable values fall back to the default rather than disarm the watchdog.
    expect(watchdogSilenceMs({ LLM_TIMEOUT_MS: "60000", JOB_WATCHDOG_MS: "soon" })).toBe(180_000);
    expect(watchdogSilenceMs({ LLM_TIMEOUT_MS: "60000", JOB_WATCHDOG_MS: "0" })).toBe(180_000);
  });
});
