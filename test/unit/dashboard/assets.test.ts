/**
 * The dashboard's client modules in Node: every module links (each import names a
 * module the Worker serves and an export it has), and the Rollback button's reading of
 * the change log agrees with the server's planner over random histories of promotions,
 * rollbacks, pins and runs.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DASHBOARD_ASSETS } from "../../../src/dashboard/assets";
import { type LiveRequest, type LiveState, type PlannedChange, planLiveChange } from "../../../src/prompts/plan-live-change";
import { mulberry32 } from "../../../src/split";

/** Imports each module named on the command line from the directory given first; prints what each did. */
const LINK_CHECK = `
const [dir, ...names] = process.argv.slice(1);
const outcomes = {};
for (const name of names) {
  try { await import(new URL(name, "file://" + dir + "/").href); outcomes[name] = "ok"; }
  catch (error) { outcomes[name] = error.name + ": " + error.message; }
}
console.log(JSON.stringify(outcomes));
`;

let dir = "";
const load = (name: string) => import(/* @vite-ignore */ pathToFileURL(join(dir, name)).href);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sepo-dashboard-assets-"));
  for (const [name, asset] of Object.entries(DASHBOARD_ASSETS)) writeFileSync(join(dir, name), asset.body);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the dashboard's client modules", () => {
  it("import only modules the Worker serves, and only names those export", async () => {
    const modules = Object.keys(DASHBOARD_ASSETS).filter((name) => name.endsWith(".js"));
    for (const name of modules) {
      for (const [, spec] of DASHBOARD_ASSETS[name]!.body.matchAll(/^import [^;]* from "\.\/([^"]+)";$/gm)) expect(Object.keys(DASHBOARD_ASSETS), `${name} imports ${spec}`).toContain(spec);
    }
    // In a plain Node process, not vitest's module runner (which lets a missing named import
    // through as undefined): linking fails on a missing export before any code runs, and
    // main.js, once linked, stops at its first use of the DOM.
    const outcomes = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", LINK_CHECK, dir, ...modules], { encoding: "utf8" }));
    expect(outcomes).toEqual(Object.fromEntries(modules.map((name) => [name, name === "main.js" ? "ReferenceError: document is not defined" : "ok"])));
  });
});

type Change = Omit<PlannedChange, "action"> & { action: PlannedChange["action"] | "run" };

/** A task's live state kept the way prompt-change-repo.ts reads it from its change rows. */
class Task {
  live: number | null = 1;
  pinned = false;
  maxVersion = 1;
  changes: Change[] = [];

  state(version: number | null): LiveState {
    const head = this.changes.at(-1);
    const top = head?.undoSeq ? this.changes.find((c) => c.seq === head.undoSeq)! : null;
    const prior = top ? (this.changes.filter((c) => c.seq < top.seq).at(-1)?.undoSeq ?? null) : null;
    return {
      liveVersion: this.live,
      pinned: this.pinned,
      maxVersion: this.maxVersion,
      headSeq: head?.seq ?? 0,
      undo: top ? { seq: top.seq, fromVersion: top.fromVersion, priorUndoSeq: prior } : null,
      versionExists: version !== null && version >= 1 && version <= this.maxVersion,
    };
  }

  apply(request: LiveRequest): void {
    const plan = planLiveChange(this.state("version" in request ? request.version : null), request);
    if (plan.kind !== "change") return;
    if (plan.change.action === "manual") this.maxVersion++;
    this.changes.push(plan.change);
    this.live = plan.change.toVersion;
    this.pinned = plan.change.pinned;
  }

  /** A run's champion: a new version, live unless pinned (champion-repo.ts). */
  runChampion(): void {
    this.maxVersion++;
    if (this.pinned) return;
    const seq = this.changes.length + 1;
    this.changes.push({ seq, action: "run", fromVersion: this.live, toVersion: this.maxVersion, pinned: false, reason: null, undoes: null, undoSeq: seq });
    this.live = this.maxVersion;
  }
}

describe("prompt-log.js rollbackTarget", () => {
  it("names the change a rollback undoes and the version it serves, as the server plans it", async () => {
    const { rollbackTarget } = await load("prompt-log.js");
    for (let seed = 1; seed <= 200; seed++) {
      const random = mulberry32(seed); // seeded, so a failing history can be replayed
      const task = new Task();
      for (let step = 0; step < 30; step++) {
        const r = random();
        const version = 1 + Math.floor(random() * (task.maxVersion + 1));
        if (r < 0.2) task.runChampion();
        else if (r < 0.4) task.apply({ action: "promote", version, reason: null });
        else if (r < 0.65) task.apply({ action: "rollback", reason: null });
        else if (r < 0.75) task.apply({ action: "pin", version: random() < 0.5 ? null : version, reason: null });
        else if (r < 0.85) task.apply({ action: "unpin", reason: null });
        else task.apply({ action: "manual", reason: null });

        const plan = planLiveChange(task.state(null), { action: "rollback", reason: null });
        const expected = plan.kind === "change" ? { seq: plan.change.undoes, toVersion: plan.change.toVersion } : null;
        // What the API shows of each change: no undoSeq, newest first.
        const shown = task.changes.map(({ undoSeq: _hidden, ...c }) => ({ ...c, runId: null, createdAt: "" })).reverse();
        expect(rollbackTarget(shown), `seed ${seed} step ${step}`).toEqual(expected);
      }
    }
  });

  it("has nothing to roll back before any change, or after the first live version's own change", async () => {
    const { rollbackTarget } = await load("prompt-log.js");
    expect(rollbackTarget([])).toBeNull();
    expect(rollbackTarget([{ seq: 1, action: "promote", fromVersion: null, toVersion: 1 }])).toBeNull();
    expect(rollbackTarget([{ seq: 1, action: "promote", fromVersion: 1, toVersion: 2 }, { seq: 2, action: "rollback", fromVersion: 2, toVersion: 1, undoes: 1 }])).toBeNull();
  });
});
