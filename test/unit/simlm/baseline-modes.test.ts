/** SimLM's answers to the baselines' messages: TextGrad's critique and rewrite, MetaSPO's shared system prompt. */
import { describe, expect, it } from "vitest";
import {
  extractCritique,
  extractPrompt,
  type FeedbackItem,
  METASPO_OPTIMIZER_PROMPT,
  renderCritiqueRequest,
  renderSystemPromptProposal,
  renderTaskProposal,
  TEXTGRAD_OPTIMIZER_PROMPT,
  type TrackRecordItem,
} from "../../../src/engine/prompt-templates";
import { namesNeedProbability } from "../../../src/simlm/critique";
import { detectMetaSkills, detectTaskSkills, getSkill } from "../../../src/simlm/landscape";
import { parseTaskProposal } from "../../../src/simlm/prompt-agent";
import { detectMode, simulateReply } from "../../../src/simlm/simulate";
import { parseSystemPromptProposal } from "../../../src/simlm/system-prompt";
import { expectedAccuracy } from "../../../src/simlm/task-model";
import { generateExamples, getSimTask, lookupExample, parseSimTag, PRETRAIN_TASK_IDS } from "../../../src/simlm/task-pool";
import { agentWith, mean, scoreOutput } from "./helpers";

/** The parent's results as the engine would show them: failures and successes 1:1. */
function feedbackFor(prompt: string, taskId: string, dataSeed: number, size = 16): FeedbackItem[] {
  const task = getSimTask(taskId)!;
  const rows = generateExamples(taskId, 48, dataSeed).map((e) => {
    const output = simulateReply({ seed: 0, system: prompt, user: e.input, sampleIndex: 0 }).text;
    const score = scoreOutput(task, output, e.expected);
    return { input: e.input, output, expected: e.expected, score, feedback: score ? "Correct." : `Expected ${e.expected}.` };
  });
  const failures = rows.filter((r) => r.score === 0).slice(0, size / 2);
  return [...failures, ...rows.filter((r) => r.score === 1).slice(0, size - failures.length)];
}

function critique(system: string, parent: string, feedback: FeedbackItem[], seed: number): string {
  const reply = simulateReply({ seed, system, user: renderCritiqueRequest(parent, feedback), sampleIndex: 0 });
  expect(reply.mode).toBe("critique");
  return extractCritique(reply.text, 4000)!;
}

/** Skills the shown failures need that the prompt lacks. */
function neededMissing(prompt: string, feedback: FeedbackItem[]): Set<string> {
  const present = detectTaskSkills(prompt);
  return new Set(feedback.filter((f) => f.score < 1).flatMap((f) => lookupExample(parseSimTag(f.input)!)!.needs.filter((n) => !present.has(n))));
}

describe("TextGrad's critique", () => {
  const task = getSimTask("sim-arithmetic")!;

  it("is its own mode, and reads back what renderCritiqueRequest wrote", () => {
    const feedback = feedbackFor(task.seedPrompt, task.id, 1);
    const user = renderCritiqueRequest(task.seedPrompt, feedback);
    expect(detectMode(user)).toBe("critique");
    const parsed = parseTaskProposal(user);
    expect(parsed.parent).toBe(task.seedPrompt);
    expect(parsed.examples).toHaveLength(feedback.length);
    expect(parsed.critique).toBeNull();
    const reply = simulateReply({ seed: 3, system: TEXTGRAD_OPTIMIZER_PROMPT, user, sampleIndex: 0 });
    expect(simulateReply({ seed: 3, system: TEXTGRAD_OPTIMIZER_PROMPT, user, sampleIndex: 0 })).toEqual(reply);
    expect(reply.text).toMatch(/^Critique \(simulated optimizer\)/);
    expect(extractPrompt(reply.text, 8000)).toBeNull();
    expect(extractCritique(reply.text, 4000)).not.toContain("Critique (simulated");
  });

  it("names a needed skill more often for a diagnosing optimizer, and when failures share a need", () => {
    expect(namesNeedProbability(new Set(["diagnose"]), true)).toBeGreaterThan(namesNeedProbability(new Set(), true));
    expect(namesNeedProbability(new Set(), true)).toBeGreaterThan(namesNeedProbability(new Set(), false));
    const rate = (system: string) =>
      mean(
        Array.from({ length: 80 }, (_, s) => {
          const feedback = feedbackFor(task.seedPrompt, task.id, s);
          const named = detectTaskSkills(critique(system, task.seedPrompt, feedback, s));
          const needed = neededMissing(task.seedPrompt, feedback);
          return [...named].some((id) => needed.has(id)) ? 1 : 0;
        }),
      );
    const plain = rate(TEXTGRAD_OPTIMIZER_PROMPT);
    const diagnosing = rate(`${TEXTGRAD_OPTIMIZER_PROMPT}\n${getSkill("diagnose").cue}`);
    expect(detectMetaSkills(TEXTGRAD_OPTIMIZER_PROMPT).size).toBe(0);
    expect(plain).toBeGreaterThan(0.35);
    expect(plain).toBeLessThan(0.85);
    expect(diagnosing).toBeGreaterThan(plain + 0.15);
  });

  it("a rewrite adds the instruction a critique names, most of the time", () => {
    const cue = getSkill("careful-arithmetic").cue;
    const named = `The prompt lacks an instruction. It should tell the assistant:\n${cue}`;
    const added = Array.from({ length: 100 }, (_, s) => {
      const user = renderTaskProposal(task.seedPrompt, feedbackFor(task.seedPrompt, task.id, s), { critique: named });
      expect(parseTaskProposal(user).critique).toBe(named);
      const child = extractPrompt(simulateReply({ seed: s, system: TEXTGRAD_OPTIMIZER_PROMPT, user, sampleIndex: 0 }).text, 8000)!;
      return detectTaskSkills(child).has("careful-arithmetic") ? 1 : 0;
    });
    const without = Array.from({ length: 100 }, (_, s) => {
      const user = renderTaskProposal(task.seedPrompt, feedbackFor(task.seedPrompt, task.id, s));
      const child = extractPrompt(simulateReply({ seed: s, system: TEXTGRAD_OPTIMIZER_PROMPT, user, sampleIndex: 0 }).text, 8000)!;
      return detectTaskSkills(child).has("careful-arithmetic") ? 1 : 0;
    });
    expect(mean(added)).toBeGreaterThan(0.8);
    expect(mean(without)).toBeLessThan(0.4);
  });

  it("a vague critique changes nothing about how the rewrite edits", () => {
    const feedback = feedbackFor(task.seedPrompt, task.id, 4);
    const vague = renderTaskProposal(task.seedPrompt, feedback, { critique: "Be more thorough." });
    const reply = simulateReply({ seed: 1, system: TEXTGRAD_OPTIMIZER_PROMPT, user: vague, sampleIndex: 0 });
    expect(reply.mode).toBe("propose-task");
    expect(reply.text).not.toContain("Acted on the critique");
  });
});

describe("MetaSPO's shared system prompt", () => {
  const shared = "You are a helpful assistant.";

  it("counts as present in a task proposal, so the agent does not add what the shared prompt has", () => {
    const task = getSimTask("sim-units")!;
    const diagnosing = agentWith(METASPO_OPTIMIZER_PROMPT, 1);
    const withUnits = `${shared} ${getSkill("units").cue}`;
    const full = `${withUnits}\n\n${task.seedPrompt}`;
    const user = renderTaskProposal(task.seedPrompt, feedbackFor(full, task.id, 2), { sharedPrompt: withUnits });
    expect(parseTaskProposal(user).shared).toBe(withUnits);
    const children = Array.from({ length: 40 }, (_, s) => extractPrompt(simulateReply({ seed: s, system: diagnosing, user, sampleIndex: 0 }).text, 8000)!);
    expect(children.filter((c) => detectTaskSkills(c).has("units"))).toHaveLength(0);
  });

  it("a cue in the shared prefix counts for the task model", () => {
    const task = getSimTask("sim-logic")!;
    const prefix = `${shared} ${getSkill("negation").cue}`;
    expect(expectedAccuracy(`${prefix}\n\n${task.seedPrompt}`, task.id)).toBeGreaterThan(expectedAccuracy(`${shared}\n\n${task.seedPrompt}`, task.id) + 0.03);
  });

  /** One outer step's message: each pool task's full prompt under `parent`, with its failures. */
  function systemProposal(parent: string, dataSeed: number): string {
    const trackRecord: TrackRecordItem[] = PRETRAIN_TASK_IDS.map((id) => {
      const task = getSimTask(id)!;
      const full = `${parent}\n\n${task.seedPrompt}`;
      const failures = feedbackFor(full, id, dataSeed, 8).filter((f) => f.score < 1).slice(0, 4);
      return { taskName: task.name, seedPrompt: full, producedPrompt: full, seedScore: 0.4, producedScore: 0.45, failures };
    });
    return renderSystemPromptProposal(parent, trackRecord);
  }

  it("is its own mode, and reads back what renderSystemPromptProposal wrote", () => {
    const user = systemProposal(shared, 1);
    expect(detectMode(user)).toBe("propose-system");
    const parsed = parseSystemPromptProposal(user);
    expect(parsed.parent).toBe(shared);
    expect(parsed.tasks).toHaveLength(4);
    expect(parsed.tasks[0]!.prompt).toBe(`${shared}\n\n${getSimTask(PRETRAIN_TASK_IDS[0]!)!.seedPrompt}`);
    expect(parsed.tasks.every((t) => t.failures.length > 0 && t.failures.every((f) => parseSimTag(f.input) !== null))).toBe(true);
  });

  it("a better optimizer writes shared prompts that help the pool more", () => {
    const poolGain = (optimizer: string) =>
      mean(
        Array.from({ length: 40 }, (_, s) => {
          const reply = simulateReply({ seed: s, system: optimizer, user: systemProposal(shared, s), sampleIndex: 0 });
          expect(reply.mode).toBe("propose-system");
          const child = extractPrompt(reply.text, 8000)!;
          return mean(PRETRAIN_TASK_IDS.map((id) => expectedAccuracy(`${child}\n\n${getSimTask(id)!.seedPrompt}`, id, 100) - expectedAccuracy(`${shared}\n\n${getSimTask(id)!.seedPrompt}`, id, 100)));
        }),
      );
    const plain = poolGain(METASPO_OPTIMIZER_PROMPT);
    const skilled = poolGain(agentWith(METASPO_OPTIMIZER_PROMPT, 5));
    expect(skilled).toBeGreaterThan(plain + 0.01);
    expect(skilled).toBeGreaterThan(0);
  });
});
