/**
 * Test helpers for SimLM: a minimal stand-in for the project's scorers (the last
 * `Answer:` line, compared by the task's scorer type), and the prompts tests compare.
 */
import { getSkill, META_SKILLS } from "../../../src/simlm/landscape";
import { simulateReply } from "../../../src/simlm/simulate";
import { generateExamples, getSimTask, type SimTask } from "../../../src/simlm/task-pool";

/** 1 when the output's last `Answer:` matches the gold answer under the task's scorer. */
export function scoreOutput(task: SimTask, output: string, expected: string): number {
  const answer = [...output.matchAll(/Answer:\s*(.+)/g)].at(-1)?.[1]?.trim();
  if (answer === undefined) return 0;
  if (task.scorer.type === "numeric") return Math.abs(Number(answer) - Number(expected)) < 1e-6 ? 1 : 0;
  if (task.scorer.type === "choice") return answer.toUpperCase() === expected.toUpperCase() ? 1 : 0;
  return answer === expected ? 1 : 0;
}

/** Sampled accuracy of a system prompt on `count` examples of a task, through the full reply path. */
export function sampledAccuracy(system: string, taskId: string, count = 200, seed = 0, dataSeed = 7): number {
  const task = getSimTask(taskId)!;
  let sum = 0;
  for (const example of generateExamples(taskId, count, dataSeed)) {
    const { text } = simulateReply({ seed, system, user: example.input, sampleIndex: 0 });
    sum += scoreOutput(task, text, example.expected);
  }
  return sum / count;
}

/** The seed prompt plus the cue of every skill the task weighs. */
export function fullCuePrompt(task: SimTask): string {
  const extra = task.skills.filter((s) => s.id !== "reasoning" && s.id !== "answer-format");
  return [task.seedPrompt, ...extra.map((s) => getSkill(s.id).cue)].join("\n");
}

/** A prompt-agent prompt holding the first `k` meta-skills, on top of the engine's seed agent. */
export function agentWith(base: string, k: number): string {
  return [base, ...META_SKILLS.slice(0, k).map((s) => s.cue)].join("\n");
}

export function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** A response body as loosely typed JSON: the tests assert its shape themselves. */
// biome-ignore lint/suspicious/noExplicitAny: test-side JSON, checked by the assertions.
export async function readJson(res: Response): Promise<any> {
  return res.json();
}
