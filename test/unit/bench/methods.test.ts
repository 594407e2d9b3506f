import { describe, expect, it } from "vitest";
import { type BenchTaskInfo, METHOD_IDS, planCell, pretrainKey, relatedTask } from "../../../scripts/lib/bench/methods";

const POOL: BenchTaskInfo[] = [
  { id: "sim-arithmetic", scorerType: "numeric" },
  { id: "sim-logic", scorerType: "choice" },
  { id: "sim-extraction", scorerType: "exact" },
  { id: "sim-units", scorerType: "numeric" },
  { id: "sim-classify", scorerType: "exact" },
];

const plan = (method: (typeof METHOD_IDS)[number], target: string, tasks = POOL) => {
  const result = planCell(method, target, tasks, 3);
  if (!result.ok) throw new Error(result.reason);
  return result.plan;
};

describe("relatedTask", () => {
  it("prefers the first other task with the same scorer type, else the first other task", () => {
    expect(relatedTask("sim-classify", POOL)).toBe("sim-extraction");
    expect(relatedTask("sim-arithmetic", POOL)).toBe("sim-units");
    expect(relatedTask("sim-logic", POOL)).toBe("sim-arithmetic");
    expect(relatedTask("x", [{ id: "x", scorerType: "exact" }])).toBeNull();
  });
});

describe("planCell", () => {
  it("Manual-CoT only scores the seed", () => {
    expect(plan("manual-cot", "sim-logic")).toEqual({ pretrain: null, finetune: { generations: 0, seed: 3 }, usesSnapshot: false, needsMethod: null });
  });

  it("holds the target out of every multi-task pre-training", () => {
    for (const method of ["sepo-generalist", "wo-open-ended", "metaspo"] as const) {
      const p = plan(method, "sim-units");
      expect(p.pretrain!.pool).toEqual(["sim-arithmetic", "sim-logic", "sim-extraction", "sim-classify"]);
      expect(p.usesSnapshot).toBe(true);
    }
    expect(plan("sepo-specialist", "sim-units").pretrain!.pool).toEqual(["sim-arithmetic"]);
  });

  it("maps the ablations and baselines to their run configs", () => {
    expect(plan("wo-self-improvement", "sim-logic")).toMatchObject({ pretrain: null, usesSnapshot: false, finetune: { generations: 5, childrenPerGeneration: 2 } });
    const linear = plan("wo-open-ended", "sim-logic");
    expect(linear.pretrain!.config).toMatchObject({ search: "linear" });
    expect(linear.finetune).toMatchObject({ search: "linear" });
    expect(plan("textgrad", "sim-logic")).toMatchObject({ needsMethod: "textgrad", finetune: { method: "textgrad", generations: 10 } });
    const meta = plan("metaspo", "sim-logic");
    expect(meta.pretrain!.config).toMatchObject({ method: "metaspo" });
    expect(meta.finetune).toMatchObject({ method: "metaspo" });
  });

  it("cannot pre-train with a single task", () => {
    expect(planCell("sepo-generalist", "a", [{ id: "a", scorerType: "exact" }], 1)).toEqual({ ok: false, reason: "needs at least one other task to pre-train on" });
    expect(planCell("wo-self-improvement", "a", [{ id: "a", scorerType: "exact" }], 1).ok).toBe(true);
  });

  it("keys pre-trainings by variant, pool and seed, so identical runs are shared", () => {
    const a = plan("sepo-specialist", "sim-logic").pretrain!;
    const b = plan("sepo-specialist", "sim-units").pretrain!;
    expect(pretrainKey(a, 3)).toBe("sepo|sim-arithmetic|3");
    expect(pretrainKey(b, 3)).toBe(pretrainKey(a, 3));
    expect(pretrainKey(plan("wo-open-ended", "sim-logic").pretrain!, 3)).not.toBe(pretrainKey(plan("sepo-generalist", "sim-logic").pretrain!, 3));
  });
});
