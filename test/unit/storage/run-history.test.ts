import { describe, expect, it } from "vitest";
import type { DomainEvent, RunReport } from "../../../src/engine/types";
import { historyStatements, snapshotIdFor } from "../../../src/storage/run-history";

const spend = { calls: 0, promptTokens: 0, completionTokens: 0, usd: 0 };
function report(overrides: Partial<RunReport> = {}): RunReport {
  return {
    kind: "finetune",
    championId: "run_1:c5",
    championText: "better prompt",
    tasks: [{ taskId: "task_1", seed: { val: 0.4, test: 0.4 }, champion: { val: 0.6, test: 0.55 } }],
    generations: 2,
    candidates: 5,
    admitted: 3,
    failedProposals: 0,
    spent: spend,
    spentByRole: { task: spend, agent: spend },
    ...overrides,
  };
}

describe("historyStatements", () => {
  it("writes only idempotent statements (insert-or-ignore, upserts, updates by id)", () => {
    const events: DomainEvent[] = [
      { type: "candidate.created", at: 1, candidate: { id: "c1", kind: "task", taskId: "t", parentId: null, generation: 0, text: "p", status: "seed" } },
      { type: "evaluation.recorded", at: 2, candidateId: "c1", taskId: "t", split: "train", rows: [{ exampleId: "e1", output: "o", score: 1, feedback: "ok", promptTokens: 3, completionTokens: 4 }] },
      { type: "job.settled", at: 3, jobId: "j1", role: "task", model: "m", usage: { calls: 1, promptTokens: 3, completionTokens: 4 }, usd: 0 },
      { type: "snapshot.created", at: 4, snapshotKind: "prompt-agent", agentCandidateId: "c9", text: "agent", fitness: 0.1, lineage: ["c0", "c9"] },
    ];
    const sql = historyStatements("run_1", events).map((s) => s.sql.trim());
    expect(sql).toHaveLength(4);
    for (const statement of sql) expect(statement).toMatch(/^INSERT OR (IGNORE|REPLACE)/);
    expect(snapshotIdFor("run_abc")).toBe("agt_abc");
  });

  it("records a seed's fitness on its candidate row", () => {
    const [statement] = historyStatements("run_1", [{ type: "candidate.fitness", at: 5, candidateId: "run_1:c0", fitness: 0.35 }]);
    expect(statement).toEqual({ sql: expect.stringMatching(/^UPDATE candidates SET fitness = \?/), params: [0.35, 5, "run_1:c0"] });
  });

  it("promotes a fine-tuning champion only when the engine's promotion gate says so", () => {
    const finished = (r: RunReport): DomainEvent => ({ type: "run.finished", at: 9, status: "completed", reason: "done", report: r });
    const gate = (promote: boolean) => ({ promote, reason: "", confidence: 0.95, n: 20, meanDiff: 0.2, ciLow: promote ? 0.05 : -0.05, ciHigh: 0.3 });
    const promotes = (r: RunReport) => historyStatements("run_1", [finished(r)]).some((s) => s.sql.includes("INTO champions"));
    expect(promotes(report({ promotion: gate(true) }))).toBe(true);
    // Better on validation, but not shown better by the paired test: the live prompt stays.
    expect(promotes(report({ promotion: gate(false) }))).toBe(false);
    expect(promotes(report())).toBe(false);
    expect(promotes(report({ kind: "pretrain", promotion: gate(true) }))).toBe(false);
  });
});
