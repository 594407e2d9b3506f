import { describe, expect, it } from "vitest";
import { FIXED_META_OPTIMIZER_PROMPT, SEED_AGENT_PROMPT } from "../../../src/engine/prompt-templates";
import { detectMetaSkills, detectTaskSkills, META_SKILLS, TASK_SKILLS } from "../../../src/simlm/landscape";
import { SIM_TASKS } from "../../../src/simlm/task-pool";

describe("skill detection", () => {
  it("finds each cue as exactly its own skill", () => {
    for (const skill of TASK_SKILLS) expect([...detectTaskSkills(skill.cue)]).toEqual([skill.id]);
    for (const skill of META_SKILLS) expect([...detectMetaSkills(skill.cue)]).toEqual([skill.id]);
  });

  it("ignores case, spacing and typographic quotes", () => {
    expect(detectTaskSkills("VERIFY   the answer by\nsubstituting it back into the problem.").has("verify")).toBe(true);
    expect(detectTaskSkills("Pay close attention to negations such as \u2018not\u2019.").has("negation")).toBe(true);
  });

  it("accepts a rephrased instruction through its keyword set", () => {
    expect(detectTaskSkills("Always convert every value to one common unit; use the same unit throughout.").has("units")).toBe(true);
    expect(detectMetaSkills("Find the root cause of what went wrong.").has("diagnose")).toBe(true);
  });

  it("does not see skills in unrelated text", () => {
    expect(detectTaskSkills("You are a helpful assistant. Be friendly.").size).toBe(0);
  });

  it("sees only reasoning and the answer format in every Manual-CoT seed", () => {
    for (const task of SIM_TASKS) expect([...detectTaskSkills(task.seedPrompt)].sort()).toEqual(["answer-format", "reasoning"]);
  });

  it("sees no meta-skill in the engine's hand-written agent prompts", () => {
    expect(detectMetaSkills(SEED_AGENT_PROMPT).size).toBe(0);
    expect(detectMetaSkills(FIXED_META_OPTIMIZER_PROMPT).size).toBe(0);
  });
});
