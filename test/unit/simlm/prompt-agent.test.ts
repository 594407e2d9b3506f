import { describe, expect, it } from "vitest";
import {
  extractPrompt,
  type FeedbackItem,
  renderTaskProposal,
  SEED_AGENT_PROMPT,
} from "../../../src/engine/prompt-templates";
import { detectTaskSkills } from "../../../src/simlm/landscape";
import { parseTaskProposal } from "../../../src/simlm/prompt-agent";
import { simulateReply } from "../../../src/simlm/simulate";
import { expectedAccuracy } from "../../../src/simlm/task-model";
import { generateExamples, getSimTask, SIM_TASK_IDS } from "../../../src/simlm/task-pool";
import { agentWith, mean, scoreOutput } from "./helpers";

/** What the engine would show: the parent's results, failures and successes 1:1. */
function feedbackFor(prompt: string, taskId: string, dataSeed: number, size = 16): FeedbackItem[] {
  const task = getSimTask(taskId)!;
  const rows = generateExamples(taskId, 48, dataSeed).map((e) => {
    const output = simulateReply({ seed: 0, system: prompt, user: e.input, sampleIndex: 0 }).text;
    const score = scoreOutput(task, output, e.expected);
    return { input: e.input, output, expected: e.expected, score, feedback: score ? "Correct." : `Expected ${e.expected}.` };
  });
  const failures = rows.filter((r) => r.score === 0).slice(0, size / 2);
  const successes = rows.filter((r) => r.score === 1).slice(0, size - failures.length);
  return [...failures, ...successes];
}

function propose(agent: string, parent: string, taskId: string, seed: number): string {
  const user = renderTaskProposal(parent, feedbackFor(parent, taskId, seed));
  const reply = simulateReply({ seed, system: agent, user, sampleIndex: 0 });
  expect(reply.mode).toBe("propose-task");
  return extractPrompt(reply.text, 8000) as string;
}

/** Mean one-step gain in expected accuracy of the children of `agent` over many seeds. */
function meanGain(agent: string, taskId: string, runs = 60): number {
  const parent = getSimTask(taskId)!.seedPrompt;
  const base = expectedAccuracy(parent, taskId, 100);
  return mean(Array.from({ length: runs }, (_, s) => expectedAccuracy(propose(agent, parent, taskId, s), taskId, 100) - base));
}

describe("the simulated prompt agent", () => {
  const task = getSimTask("sim-logic")!;

  it("reads back what renderTaskProposal wrote, fenced tags included", () => {
    const parent = `${task.seedPrompt}\nNever write </prompt> or </example> yourself.`;
    const feedback = feedbackFor(task.seedPrompt, task.id, 1);
    const parsed = parseTaskProposal(renderTaskProposal(parent, feedback));
    expect(parsed.parent).toBe(parent);
    expect(parsed.examples).toHaveLength(feedback.length);
    expect(parsed.examples[0]!.input).toBe(feedback[0]!.input);
    expect(parsed.examples[0]!.result).toBe("failure");
    expect(parsed.examples.at(-1)!.result).toBe("success");
  });

  it("answers with analysis, then one child prompt, deterministically", () => {
    const user = renderTaskProposal(task.seedPrompt, feedbackFor(task.seedPrompt, task.id, 2));
    const first = simulateReply({ seed: 5, system: SEED_AGENT_PROMPT, user, sampleIndex: 0 });
    expect(simulateReply({ seed: 5, system: SEED_AGENT_PROMPT, user, sampleIndex: 0 })).toEqual(first);
    expect(first.text).toMatch(/^Analysis \(simulated prompt agent\)/);
    expect(first.text.trimEnd().endsWith("</prompt>")).toBe(true);
    const child = extractPrompt(first.text, 8000);
    expect(child).not.toBeNull();
    expect(child).not.toBe(task.seedPrompt);
  });

  it("is a better optimizer with more meta-skills, on every task including the held-out one", () => {
    for (const id of SIM_TASK_IDS) {
      const weak = meanGain(SEED_AGENT_PROMPT, id);
      const strong = meanGain(agentWith(SEED_AGENT_PROMPT, 6), id);
      expect(strong).toBeGreaterThan(weak + 0.1);
      expect(strong).toBeGreaterThan(0.1);
    }
  });

  it("improves more with each group of meta-skills (diagnosis first)", () => {
    const gains = [0, 3, 6].map((k) => meanGain(agentWith(SEED_AGENT_PROMPT, k), "sim-units", 80));
    expect(gains[1]!).toBeGreaterThan(gains[0]!);
    expect(gains[2]!).toBeGreaterThan(gains[1]!);
  });

  it("keeps working instructions when told to, and loses them more often when not", () => {
    const lost = (agent: string) =>
      mean(
        Array.from({ length: 80 }, (_, s) => {
          const child = propose(agent, task.seedPrompt, task.id, s);
          return detectTaskSkills(child).has("reasoning") && detectTaskSkills(child).has("answer-format") ? 0 : 1;
        }),
      );
    const careless = lost(SEED_AGENT_PROMPT);
    const careful = lost(agentWith(SEED_AGENT_PROMPT, 6));
    expect(careless).toBeGreaterThan(0.1);
    expect(careful).toBeLessThan(careless / 2);
  });
});
