import { describe, expect, it } from "vitest";
import { type LiveRequest, type LiveState, type PlannedChange, planLiveChange } from "../../../src/prompts/plan-live-change";

function makeState(overrides: Partial<LiveState> = {}): LiveState {
  return { liveVersion: 1, pinned: false, maxVersion: 3, headSeq: 0, undo: null, versionExists: true, ...overrides };
}

const changeOf = (state: LiveState, request: LiveRequest): PlannedChange => {
  const plan = planLiveChange(state, request);
  if (plan.kind !== "change") throw new Error(`expected a change, got ${JSON.stringify(plan)}`);
  return plan.change;
};

describe("planLiveChange", () => {
  it("promotes an existing version onto the undo stack, and leaves the live one alone", () => {
    const state = makeState({ headSeq: 4, undo: { seq: 4, fromVersion: 2, priorUndoSeq: 1 } });
    expect(changeOf(state, { action: "promote", version: 3, reason: "ok" })).toEqual({
      seq: 5, action: "promote", fromVersion: 1, toVersion: 3, pinned: false, reason: "ok", undoes: null, undoSeq: 5,
    });
    expect(planLiveChange(state, { action: "promote", version: 1, reason: null })).toEqual({ kind: "unchanged" });
    expect(planLiveChange(makeState({ versionExists: false }), { action: "promote", version: 9, reason: null })).toEqual({ kind: "refused", refusal: "unknown_version" });
  });

  it("keeps the pin through promote and rollback", () => {
    const pinned = makeState({ pinned: true, headSeq: 1, undo: { seq: 1, fromVersion: 2, priorUndoSeq: null } });
    expect(changeOf(pinned, { action: "promote", version: 2, reason: null }).pinned).toBe(true);
    expect(changeOf(pinned, { action: "rollback", reason: null })).toMatchObject({ pinned: true, toVersion: 2 });
  });

  it("serves a manual version as the next number, except while pinned", () => {
    expect(changeOf(makeState({ maxVersion: 7 }), { action: "manual", reason: "note" })).toMatchObject({ action: "manual", fromVersion: 1, toVersion: 8, undoSeq: 1 });
    expect(planLiveChange(makeState({ pinned: true }), { action: "manual", reason: null })).toEqual({ kind: "refused", refusal: "pinned" });
  });

  it("pins in place without touching the undo stack, or pins another version by moving to it", () => {
    const state = makeState({ headSeq: 3, undo: { seq: 2, fromVersion: 1, priorUndoSeq: null } });
    expect(changeOf(state, { action: "pin", version: null, reason: null })).toMatchObject({ action: "pin", fromVersion: 1, toVersion: 1, pinned: true, undoSeq: 2 });
    expect(changeOf(state, { action: "pin", version: 1, reason: null })).toMatchObject({ toVersion: 1, undoSeq: 2 });
    expect(changeOf(state, { action: "pin", version: 3, reason: null })).toMatchObject({ toVersion: 3, undoSeq: 4 });
    expect(planLiveChange({ ...state, pinned: true }, { action: "pin", version: null, reason: null })).toEqual({ kind: "unchanged" });
    expect(planLiveChange({ ...state, versionExists: false }, { action: "pin", version: 9, reason: null })).toEqual({ kind: "refused", refusal: "unknown_version" });
    expect(planLiveChange(makeState({ liveVersion: null }), { action: "pin", version: null, reason: null })).toEqual({ kind: "refused", refusal: "no_live_version" });
  });

  it("unpins only a pinned task, carrying the undo stack", () => {
    expect(planLiveChange(makeState(), { action: "unpin", reason: null })).toEqual({ kind: "unchanged" });
    const state = makeState({ pinned: true, headSeq: 2, undo: { seq: 1, fromVersion: 1, priorUndoSeq: null } });
    expect(changeOf(state, { action: "unpin", reason: null })).toMatchObject({ action: "unpin", fromVersion: 1, toVersion: 1, pinned: false, undoSeq: 1 });
  });

  it("rolls back to the undone change's earlier version, exposing the change below it", () => {
    const state = makeState({ liveVersion: 3, headSeq: 6, undo: { seq: 5, fromVersion: 2, priorUndoSeq: 2 } });
    expect(changeOf(state, { action: "rollback", reason: "bad" })).toEqual({
      seq: 7, action: "rollback", fromVersion: 3, toVersion: 2, pinned: false, reason: "bad", undoes: 5, undoSeq: 2,
    });
    expect(planLiveChange(makeState(), { action: "rollback", reason: null })).toEqual({ kind: "refused", refusal: "nothing_to_roll_back" });
    expect(planLiveChange(makeState({ undo: { seq: 1, fromVersion: null, priorUndoSeq: null } }), { action: "rollback", reason: null })).toEqual({ kind: "refused", refusal: "nothing_to_roll_back" });
  });
});

/** The change log in memory, read the way storage reads it: the planner's undo pointers must walk the history as a stack. */
function simulate(requests: LiveRequest[]): Array<number | "refused"> {
  const log: PlannedChange[] = [];
  let live: number | null = 1;
  let pinned = false;
  const seen: Array<number | "refused"> = [];
  for (const request of requests) {
    const head = log.at(-1);
    const undoSeq = head?.undoSeq ?? null;
    const undone = undoSeq === null ? undefined : log[undoSeq - 1]!;
    const prior = undoSeq === null ? null : (log[undoSeq - 2]?.undoSeq ?? null);
    const state: LiveState = {
      liveVersion: live, pinned, maxVersion: 5, headSeq: log.length, versionExists: true,
      undo: undone ? { seq: undone.seq, fromVersion: undone.fromVersion, priorUndoSeq: prior } : null,
    };
    const plan = planLiveChange(state, request);
    if (plan.kind === "refused") seen.push("refused");
    else {
      if (plan.kind === "change") {
        log.push(plan.change);
        live = plan.change.toVersion;
        pinned = plan.change.pinned;
      }
      seen.push(live!);
    }
  }
  return seen;
}

describe("the undo stack", () => {
  it("walks back through promotes, skipping pins that moved nothing, and forward changes start a new top", () => {
    const promote = (version: number): LiveRequest => ({ action: "promote", version, reason: null });
    const rollback: LiveRequest = { action: "rollback", reason: null };
    const pin: LiveRequest = { action: "pin", version: null, reason: null };
    const unpin: LiveRequest = { action: "unpin", reason: null };
    expect(simulate([promote(2), promote(3), pin, rollback, unpin, rollback, rollback])).toEqual([2, 3, 3, 2, 2, 1, "refused"]);
    expect(simulate([promote(2), promote(3), rollback, promote(4), rollback, rollback, rollback])).toEqual([2, 3, 2, 4, 2, 1, "refused"]);
    expect(simulate([promote(2), { action: "pin", version: 4, reason: null }, rollback, rollback])).toEqual([2, 4, 2, 1]);
  });
});
