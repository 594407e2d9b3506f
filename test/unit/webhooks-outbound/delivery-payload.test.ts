import { describe, expect, it } from "vitest";
import { TEST_EVENT_TYPE, eventPayload, listensTo, testPayload } from "../../../src/webhooks/delivery-payload";

describe("eventPayload", () => {
  it("is the Standard Webhooks shape with the event's time and the project", () => {
    const at = Date.parse("2026-05-01T12:00:00Z");
    const text = eventPayload({ type: "generation.completed", at, data: { runId: "run_1", generation: 2 } }, "proj_1");
    expect(JSON.parse(text)).toEqual({ type: "generation.completed", timestamp: "2026-05-01T12:00:00.000Z", data: { projectId: "proj_1", runId: "run_1", generation: 2 } });
  });

  it("is the same text for the same event, so a replay signs the same bytes", () => {
    const event = { type: "run.started" as const, at: 5, data: { runId: "run_1", kind: "finetune" } };
    expect(eventPayload(event, "p")).toBe(eventPayload({ ...event }, "p"));
  });

  it("has a test ping of its own type", () => {
    expect(JSON.parse(testPayload("sub_1", "proj_1", 0))).toMatchObject({ type: TEST_EVENT_TYPE, timestamp: "1970-01-01T00:00:00.000Z", data: { projectId: "proj_1", subscriptionId: "sub_1" } });
  });
});

describe("listensTo", () => {
  it("matches a named type or the wildcard", () => {
    expect(listensTo(["run.started", "run.finished"], "run.finished")).toBe(true);
    expect(listensTo(["run.started"], "run.failed")).toBe(false);
    expect(listensTo(["*"], "budget.threshold")).toBe(true);
    expect(listensTo([], "run.started")).toBe(false);
  });
});
