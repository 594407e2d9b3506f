import { describe, expect, it } from "vitest";
import { BLOAT_SENTENCES } from "../../../src/simlm/landscape";
import { detectMode, simulateReply } from "../../../src/simlm/simulate";
import { correctProbability, expectedAccuracy } from "../../../src/simlm/task-model";
import { generateExamples, SIM_TASKS } from "../../../src/simlm/task-pool";
import { fullCuePrompt, sampledAccuracy } from "./helpers";

describe("the simulated task model", () => {
  const arithmetic = SIM_TASKS[0]!;
  const example = generateExamples(arithmetic.id, 1)[0]!;

  it("answers the same turn the same way, and differs across samples and seeds", () => {
    const turn = { seed: 1, system: arithmetic.seedPrompt, user: example.input, sampleIndex: 0 };
    expect(simulateReply(turn)).toEqual(simulateReply(turn));
    expect(simulateReply(turn).mode).toBe("task");
    const texts = new Set(
      Array.from({ length: 12 }, (_, i) => simulateReply({ ...turn, sampleIndex: i }).text),
    );
    expect(texts.size).toBeGreaterThan(1);
  });

  it("ends every answer with an Answer line and some reasoning before it", () => {
    const { text } = simulateReply({ seed: 0, system: arithmetic.seedPrompt, user: example.input, sampleIndex: 0 });
    const lines = text.split("\n");
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.at(-1)).toMatch(/^Answer: \S+/);
  });

  // The measured numbers are reported by the SimLM hand-off; the bounds are the spec's.
  it.each(SIM_TASKS.map((t) => [t.id, t] as const))("scores %s: seed 0.3-0.5, full cues 0.8+", (id, task) => {
    const seed = sampledAccuracy(task.seedPrompt, id, 200);
    const full = sampledAccuracy(fullCuePrompt(task), id, 200);
    expect(seed).toBeGreaterThanOrEqual(0.28);
    expect(seed).toBeLessThanOrEqual(0.52);
    expect(full).toBeGreaterThanOrEqual(0.8);
    expect(full - seed).toBeGreaterThan(0.3);
    expect(expectedAccuracy(fullCuePrompt(task), id)).toBeGreaterThan(0.85);
  });

  it("rewards each needed skill and punishes a deleted working instruction", () => {
    const seedScore = expectedAccuracy(arithmetic.seedPrompt, arithmetic.id);
    const withVerify = expectedAccuracy(`${arithmetic.seedPrompt}\nVerify the answer by substituting it back into the problem.`, arithmetic.id);
    const noFormat = expectedAccuracy("You are a helpful assistant that solves math word problems. Think step by step.", arithmetic.id);
    const irrelevant = expectedAccuracy(`${arithmetic.seedPrompt}\nCompare the text with the definition of each label before choosing a label.`, arithmetic.id);
    expect(withVerify).toBeGreaterThan(seedScore + 0.03);
    expect(noFormat).toBeLessThan(seedScore - 0.1);
    expect(Math.abs(irrelevant - seedScore)).toBeLessThan(0.01);
  });

  it("makes bloat and copied examples cost accuracy", () => {
    const full = fullCuePrompt(arithmetic);
    const bloated = [full, ...BLOAT_SENTENCES, ...BLOAT_SENTENCES].join("\n");
    const copied = `${full}\nFor example, for "${example.input.split("\n")[1]}" the correct answer is ${example.expected}.`;
    expect(expectedAccuracy(bloated, arithmetic.id)).toBeLessThan(expectedAccuracy(full, arithmetic.id) - 0.03);
    expect(expectedAccuracy(copied, arithmetic.id)).toBeLessThan(expectedAccuracy(full, arithmetic.id) - 0.02);
  });

  it("knows nothing of untagged or unknown examples", () => {
    expect(correctProbability("x", { taskId: "sim-unknown", number: 1 })).toBeNull();
    const reply = simulateReply({ seed: 0, system: "", user: "Hello there", sampleIndex: 0 });
    expect(reply.mode).toBe("chat");
    expect(reply.text).toMatch(/simulated/i);
  });
});

describe("mode detection", () => {
  it("answers as the task model only when the first line carries the tag", () => {
    expect(detectMode("[sim:sim-logic#3]\nWho finished last?")).toBe("task");
    expect(detectMode("  \n[sim:sim-logic#3] Who?")).toBe("task");
    expect(detectMode("Critique these answers:\n[sim:sim-logic#3]\nWho?")).toBe("chat");
    expect(detectMode("# Task prompt to improve\n<parent_prompt>")).toBe("propose-task");
    expect(detectMode("# Prompt-agent prompt to improve\n")).toBe("propose-agent");
  });
});
