import { describe, expect, it } from "vitest";
import { nextAfterTick, planTick, resolveAgent, scheduledRunRequest, snapshotKindFor, storedConfig } from "../../../src/schedules/schedule-tick";
import { StartRunSchema } from "../../../src/routes/runs";

const at = (iso: string) => Date.parse(iso);

describe("nextAfterTick", () => {
  it("moves a claimed schedule to its first time after the tick", () => {
    expect(nextAfterTick({ cron: "0 * * * *", timezone: "UTC" }, at("2026-03-02T10:00:00Z"))).toEqual({ next: at("2026-03-02T11:00:00Z"), problem: null });
  });

  it("makes a schedule whose stored cron no longer parses never due, and says why", () => {
    const result = nextAfterTick({ cron: "not a cron", timezone: "UTC" }, at("2026-03-02T10:00:00Z"));
    expect(result.next).toBeNull();
    expect(result.problem).toMatch(/no longer parses.*PUT the schedule again/);
  });
});

describe("planTick", () => {
  it("starts when no run of the task is going, and skips naming the run that is", () => {
    expect(planTick(null)).toEqual({ action: "start" });
    expect(planTick("run_abc")).toEqual({ action: "skip", reason: expect.stringContaining("run run_abc is still running") });
  });
});

describe("the agent a scheduled run gets", () => {
  it('"latest" is the newest snapshot, or the hand-written agent while there is none', () => {
    expect(resolveAgent("latest", "agt_new")).toBe("agt_new");
    expect(resolveAgent("latest", null)).toBeNull();
  });

  it("a named snapshot or null stays as chosen", () => {
    expect(resolveAgent("agt_pinned", "agt_new")).toBe("agt_pinned");
    expect(resolveAgent(null, "agt_new")).toBeNull();
  });

  it("looks for the snapshot kind the method fine-tunes from", () => {
    expect(snapshotKindFor({})).toBe("prompt-agent");
    expect(snapshotKindFor({ method: "textgrad" })).toBe("prompt-agent");
    expect(snapshotKindFor({ method: "metaspo" })).toBe("shared-system-prompt");
  });
});

describe("scheduledRunRequest", () => {
  it("is a fine-tuning request POST /v1/runs would accept", () => {
    const request = scheduledRunRequest({ taskId: "task_1" }, { generations: 2 }, "agt_1", { model: "m", baseUrl: "http://llm.example/v1" });
    expect(request).toEqual({ kind: "finetune", taskId: "task_1", agentSnapshotId: "agt_1", config: { generations: 2 }, agentModel: { model: "m", baseUrl: "http://llm.example/v1" } });
    expect(StartRunSchema.parse(request)).toEqual(request);
  });

  it("leaves the agent model out when the schedule names none", () => {
    const request = scheduledRunRequest({ taskId: "task_1" }, {}, null, null);
    expect(request).toEqual({ kind: "finetune", taskId: "task_1", agentSnapshotId: null, config: {} });
    expect(StartRunSchema.parse(request)).toEqual(request);
  });
});

describe("storedConfig", () => {
  it("accepts an object and nothing else", () => {
    expect(storedConfig({ seed: 1 })).toEqual({ seed: 1 });
    expect(storedConfig(null)).toBeNull();
    expect(storedConfig([1])).toBeNull();
    expect(storedConfig("x")).toBeNull();
  });
});
