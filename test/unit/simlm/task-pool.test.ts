import { describe, expect, it } from "vitest";
import { getSkill } from "../../../src/simlm/landscape";
import {
  HELD_OUT_TASK_ID,
  PRETRAIN_TASK_IDS,
  SIM_TASK_IDS,
  SIM_TASKS,
  generateExamples,
  lookupExample,
  parseSimTag,
} from "../../../src/simlm/task-pool";

describe("the simulated task pool", () => {
  it("has five tasks with every kind of scorer, one held out", () => {
    expect(SIM_TASK_IDS).toEqual(["sim-arithmetic", "sim-logic", "sim-extraction", "sim-units", "sim-classify"]);
    expect(new Set(SIM_TASKS.map((t) => t.scorer.type))).toEqual(new Set(["numeric", "choice", "exact"]));
    expect(PRETRAIN_TASK_IDS).toHaveLength(4);
    expect(PRETRAIN_TASK_IDS).not.toContain(HELD_OUT_TASK_ID);
  });

  it("names only known skills", () => {
    for (const task of SIM_TASKS) for (const s of task.skills) expect(() => getSkill(s.id)).not.toThrow();
  });

  it("gives the held-out task some skills of the pool and one of its own", () => {
    const held = SIM_TASKS.find((t) => t.id === HELD_OUT_TASK_ID)!;
    const pooled = new Set(SIM_TASKS.filter((t) => t.id !== HELD_OUT_TASK_ID).flatMap((t) => t.skills.map((s) => s.id)));
    const own = held.skills.map((s) => s.id);
    expect(own.filter((id) => pooled.has(id)).length).toBeGreaterThanOrEqual(4);
    expect(own.some((id) => !pooled.has(id))).toBe(true);
  });

  it("generates the same examples for the same seed, other ones for another", () => {
    for (const id of SIM_TASK_IDS) {
      expect(generateExamples(id, 20, 3)).toEqual(generateExamples(id, 20, 3));
      expect(generateExamples(id, 20, 4)[0]!.input).not.toEqual(generateExamples(id, 20, 3)[0]!.input);
    }
  });

  it("tags every input on its first line, and the tag leads back to the example", () => {
    for (const id of SIM_TASK_IDS) {
      for (const example of generateExamples(id, 50, 1)) {
        const [first, ...rest] = example.input.split("\n");
        const tag = parseSimTag(first!);
        expect(tag?.taskId).toBe(id);
        expect(rest.join("\n").length).toBeGreaterThan(60);
        expect(example.input).not.toContain('"');
        const detail = lookupExample(tag!)!;
        expect(detail.expected).toBe(example.expected);
        expect(detail.needs).toContain("answer-format");
        expect(detail.distractors.length).toBeGreaterThan(0);
        expect(detail.distractors).not.toContain(example.expected);
      }
    }
  });

  it("writes gold answers in the format of the task's scorer", () => {
    const formats: Record<string, RegExp> = {
      numeric: /^-?\d+(\.\d+)?$/,
      choice: /^[A-D]$/,
      exact: /^\S.*$/,
    };
    for (const task of SIM_TASKS) {
      for (const example of generateExamples(task.id, 50)) expect(example.expected).toMatch(formats[task.scorer.type]!);
    }
  });

  it("returns null for a tag of no pool task", () => {
    expect(lookupExample({ taskId: "sim-nope", number: 1 })).toBeNull();
    expect(parseSimTag("no tag here")).toBeNull();
  });
});
