import { describe, expect, it } from "vitest";
import { chainWaves } from "../../../scripts/lib/bench-load";
import { meteredEntry, statementKind } from "../../../scripts/lib/bench-meter";
import { traffic } from "../../../scripts/lib/bench-waves";

describe("engine benchmark: D1 metering", () => {
  it("names a statement by verb and table, as the service writes them", () => {
    expect(statementKind("INSERT OR REPLACE INTO evaluations (candidate_id) VALUES (?)")).toBe("INSERT evaluations");
    expect(statementKind(`INSERT OR IGNORE INTO agent_snapshots (id)\n    SELECT ?, project_id FROM runs WHERE id = ?`)).toBe("INSERT agent_snapshots");
    expect(statementKind("  UPDATE candidates SET status = ? WHERE id = ?")).toBe("UPDATE candidates");
    expect(statementKind("DELETE FROM webhook_deliveries WHERE id = ?")).toBe("DELETE webhook_deliveries");
    expect(statementKind("SELECT id, input FROM examples WHERE id IN (?, ?)")).toBe("SELECT examples");
    expect(statementKind("select count(*) from \"runs\"")).toBe("SELECT runs");
    expect(statementKind("PRAGMA table_list")).toBe("PRAGMA");
  });

  it("counts a run's traffic as the difference of two readings, writes per evaluation from INSERT evaluations", () => {
    const before = { roundTrips: 10, rowsWritten: 5, rowsRead: 0, statements: { "SELECT tasks": 3, "INSERT tasks": 1 } };
    const after = {
      roundTrips: 14,
      rowsWritten: 41,
      rowsRead: 9,
      statements: { "SELECT tasks": 3, "INSERT tasks": 1, "INSERT evaluations": 8, "INSERT usage_ledger": 1, "UPDATE candidates": 1, "SELECT examples": 2 },
    };
    expect(traffic(before, after)).toEqual({
      evaluations: 8,
      writes: 10,
      reads: 2,
      roundTrips: 4,
      rowsWritten: 36,
      statements: { "INSERT evaluations": 8, "INSERT usage_ledger": 1, "UPDATE candidates": 1, "SELECT examples": 2 },
    });
  });

  it("builds an entry that wraps the Worker and every Durable Object class", () => {
    const entry = meteredEntry("./src/index.ts", ["RunObject", "RateLimiter"]);
    expect(entry).toContain('import worker, * as app from "./src/index";');
    expect(entry).toContain("export const RunObject = meteredClass(app.RunObject);");
    expect(entry).toContain("export const RateLimiter = meteredClass(app.RateLimiter);");
    expect(entry).toContain("export default meteredWorker(worker);");
  });
});

describe("load benchmark: a run's chain of waves", () => {
  it("is the seed, proposals and evaluations per generation, then validation and test", () => {
    // 32 examples in jobs of 8: 4 jobs; K = 4 children -> 16 evaluate jobs, 2 batches of 10.
    expect(chainWaves({ groups: [1], children: 4, generations: 3, trainExamples: 32, evalChunkSize: 8, latencyMs: 200, batchSize: 10 })).toBe(1 + 3 * (1 + 2) + 2);
    expect(chainWaves({ groups: [1], children: 4, generations: 6, trainExamples: 32, evalChunkSize: 1, latencyMs: 200, batchSize: 32 })).toBe(1 + 6 * (1 + 4) + 2);
  });
});
