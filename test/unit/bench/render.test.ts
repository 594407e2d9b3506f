import { describe, expect, it } from "vitest";
import { costMarkdown, csvField, formatStat, resultsCsv, scoreMarkdown, tableMarkdown } from "../../../scripts/lib/bench/render";
import { gridCells } from "../../../scripts/lib/bench/results-store";
import { costTable, scoreTable } from "../../../scripts/lib/bench/stats";
import { makeCell, makeResults, spend } from "./builders";

const results = makeResults([
  makeCell({ method: "manual-cot", task: "sim-a", seed: 1, score: 0.5 }),
  makeCell({ method: "manual-cot", task: "sim-a", seed: 2, score: 0.6 }),
  makeCell({ method: "sepo-generalist", task: "sim-a", seed: 1, score: 0.7, note: 'say "hi", twice' }),
  makeCell({ method: "sepo-generalist", task: "sim-a", seed: 2, score: 0.9 }),
]);
const scores = scoreTable(results, ["manual-cot", "sepo-generalist"], ["sim-a"], [1, 2]);

describe("formatStat", () => {
  it("prints x100 with two decimals, and n when seeds are missing", () => {
    expect(formatStat({ mean: 0.57551, sd: 0.0123, n: 5 }, 5)).toBe("57.55 ± 1.23");
    expect(formatStat({ mean: 0.5, sd: null, n: 1 }, 5)).toBe("50.00 (n=1)");
    expect(formatStat(null, 5)).toBe("–");
  });
});

describe("markdown", () => {
  it("renders the score table with the best mean per column in bold", () => {
    expect(scoreMarkdown(scores)).toMatchInlineSnapshot(`
      "| Method | sim-a | Avg |
      |---|---:|---:|
      | Manual-CoT | 55.00 ± 7.07 | 55.00 ± 7.07 |
      | SePO-Generalist | **80.00 ± 14.14** | **80.00 ± 14.14** |"
    `);
  });

  it("renders the cost table without USD when nothing had a price", () => {
    const text = costMarkdown(costTable(results, ["manual-cot"], ["sim-a"], [1, 2]), false);
    expect(text).toContain("| Manual-CoT | 2 | 100 | 1000 | 10 | 100 | 0 | – | – | – | – |");
    expect(text).not.toContain("USD");
  });

  it("adds USD columns when prices were given", () => {
    const priced = makeResults([makeCell({ method: "manual-cot", task: "sim-a", seed: 1, finetune: { task: spend(100, 1000, 0.02), agent: spend(10, 100, 0.005) } })]);
    const text = costMarkdown(costTable(priced, ["manual-cot"], ["sim-a"], [1]), true);
    expect(text).toContain("FT USD");
    expect(text).toContain("| Manual-CoT | 1 | 100 | 1000 | 10 | 100 | 0.0250 | 0 | – | – | – | – | – |");
  });

  it("puts the exact command line at the top of table.md", () => {
    const doc = tableMarkdown({ title: "T", command: "npm run bench -- --seeds 1,2", results, scores, costs: costTable(results, ["manual-cot"], ["sim-a"], [1, 2]), notes: ["a note"] });
    expect(doc.split("\n").slice(0, 5)).toEqual(["# T", "", "```", "npm run bench -- --seeds 1,2", "```"]);
    expect(doc).toContain("- a note");
    expect(doc).toContain("Fine-tuning budget per target: 830 task-model calls.");
  });
});

describe("csv", () => {
  it("quotes fields with commas or quotes", () => {
    expect(csvField('say "hi", twice')).toBe('"say ""hi"", twice"');
    expect(csvField(null)).toBe("");
    expect(csvField(0.5)).toBe("0.5");
  });

  it("writes one row per recorded cell in grid order, without run ids or timings", () => {
    const csv = resultsCsv(results, gridCells(["manual-cot", "sepo-generalist"], ["sim-a"], [1, 2]));
    const lines = csv.trimEnd().split("\n");
    expect(lines).toHaveLength(5);
    expect(lines[0]!.startsWith("method,method_label,task,seed,status,score")).toBe(true);
    expect(lines[1]).toBe("manual-cot,Manual-CoT,sim-a,1,completed,0.5,0.4,0.65,0.35,0.6,0.3,830,100,1000,0,10,100,0,0,,,,,,,completed,");
    expect(lines[2]!.startsWith("sepo-generalist,SePO-Generalist,sim-a,1,")).toBe(true);
    expect(lines[2]!.endsWith(',"say ""hi"", twice"')).toBe(true);
    expect(csv).not.toContain("run_");
  });
});
