/**
 * What a user's request does to the version a task serves, decided from the task's
 * state alone (pure: storage reads the state, applies the plan, and retries when the
 * state moved in between).
 *
 * The change log doubles as an undo stack. Every change that moves the live version is
 * pushed; a rollback pops the top one, making its `fromVersion` live again, so two
 * rollbacks in a row walk two steps back rather than undoing each other. Each change
 * records `undoSeq`, the top of the stack after it, so a rollback reads only the latest
 * change, the one it undoes, and the change before that.
 */

export type ChangeAction = "run" | "promote" | "rollback" | "pin" | "unpin" | "manual";

/** The change a rollback would undo now. */
export interface UndoTarget {
  seq: number;
  /** The version that was live before that change: what a rollback makes live. */
  fromVersion: number | null;
  /** The stack's top once it is undone: `undoSeq` of the change before it (null: none). */
  priorUndoSeq: number | null;
}

/** A task's live version as the planner sees it. */
export interface LiveState {
  liveVersion: number | null;
  pinned: boolean;
  /** The task's highest prompt version (0: none). */
  maxVersion: number;
  /** The seq of the task's latest change (0: none recorded). */
  headSeq: number;
  /** What a rollback would undo, or null when nothing is left to undo. */
  undo: UndoTarget | null;
  /** Whether the version a request names exists (promote, pin with a version). */
  versionExists: boolean;
}

export type LiveRequest =
  | { action: "promote"; version: number; reason: string | null }
  | { action: "rollback"; reason: string | null }
  | { action: "pin"; version: number | null; reason: string | null }
  | { action: "unpin"; reason: string | null }
  /** A manual version added and made live at once: it becomes version `maxVersion + 1`. */
  | { action: "manual"; reason: string | null };

/** One row of the change log, to be written as change `seq`. */
export interface PlannedChange {
  seq: number;
  action: Exclude<ChangeAction, "run">;
  fromVersion: number | null;
  toVersion: number | null;
  pinned: boolean;
  reason: string | null;
  undoes: number | null;
  undoSeq: number | null;
}

/** Why a request cannot be applied: `unknown_version` is a 404, the others a 409. */
export type Refusal = "unknown_version" | "pinned" | "nothing_to_roll_back" | "no_live_version";

export type LivePlan = { kind: "change"; change: PlannedChange } | { kind: "unchanged" } | { kind: "refused"; refusal: Refusal };

export function planLiveChange(state: LiveState, request: LiveRequest): LivePlan {
  const seq = state.headSeq + 1;
  const live = state.liveVersion;
  const keep = { seq, fromVersion: live, reason: request.reason, undoes: null };
  // A change that moves the live version is pushed on the undo stack; one that does not leaves the stack as it was.
  const moveTo = (toVersion: number | null) => ({ toVersion, undoSeq: toVersion === live ? (state.undo?.seq ?? null) : seq });
  switch (request.action) {
    case "promote":
      if (!state.versionExists) return { kind: "refused", refusal: "unknown_version" };
      if (request.version === live) return { kind: "unchanged" };
      return change({ ...keep, action: "promote", pinned: state.pinned, ...moveTo(request.version) });
    case "manual":
      // Pinned means "only an explicit promote, rollback or pin moves it": adding a version is neither.
      if (state.pinned) return { kind: "refused", refusal: "pinned" };
      return change({ ...keep, action: "manual", pinned: false, ...moveTo(state.maxVersion + 1) });
    case "pin": {
      if (request.version !== null && !state.versionExists) return { kind: "refused", refusal: "unknown_version" };
      const target = request.version ?? live;
      if (target === null) return { kind: "refused", refusal: "no_live_version" };
      if (state.pinned && target === live) return { kind: "unchanged" };
      return change({ ...keep, action: "pin", pinned: true, ...moveTo(target) });
    }
    case "unpin":
      if (!state.pinned) return { kind: "unchanged" };
      return change({ ...keep, action: "unpin", pinned: false, ...moveTo(live) });
    case "rollback": {
      const undo = state.undo;
      // A change that made the first version live (from none) has nothing to go back to.
      if (!undo || undo.fromVersion === null) return { kind: "refused", refusal: "nothing_to_roll_back" };
      return change({ ...keep, action: "rollback", pinned: state.pinned, toVersion: undo.fromVersion, undoes: undo.seq, undoSeq: undo.priorUndoSeq });
    }
  }
}

function change(change: PlannedChange): LivePlan {
  return { kind: "change", change };
}
