import { describe, expect, it } from "vitest";
import type { EvaluateJob } from "../../../src/engine/jobs";
import { runEvaluate } from "../../../src/jobs/run-evaluate";
import type { ChatPort, ChatRequest } from "../../../src/llm/chat-port";
import { LlmError } from "../../../src/llm/llm-error";
import { MemoryJobData } from "../../../src/offline/memory-job-data";

function setup() {
  const data = new MemoryJobData();
  data.addTask("t", { name: "T", scorer: { type: "exact", caseSensitive: false } }, [
    { id: "e1", input: "2+2?", expected: "4" },
    { id: "e2", input: "3+3?", expected: "6" },
  ]);
  return data;
}

function job(overrides: Partial<EvaluateJob> = {}): EvaluateJob {
  return {
    v: 1, type: "evaluate", jobId: "j1", runId: "r1", taskId: "t", candidateId: "c1", prompt: "Solve.", split: "train",
    exampleIds: ["e1", "e2"], model: { role: "task", model: "m" }, maxOutputTokens: 50, ...overrides,
  };
}

/** Answers right only on the given sample index. */
function chatRightOn(sample: number): ChatPort & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = [];
  return {
    requests,
    async complete(request) {
      requests.push(request);
      const right = (request.sampleIndex ?? 0) === sample;
      const answer = request.user.startsWith("2+2") ? "4" : "6";
      return { text: `Answer: ${right ? answer : "0"}`, promptTokens: 10, completionTokens: 3 };
    },
  };
}

describe("runEvaluate", () => {
  it("scores each example once by default, charging every call", async () => {
    const chat = chatRightOn(0);
    const result = await runEvaluate(job(), chat, setup());
    expect(result.rows.map((r) => r.score)).toEqual([1, 1]);
    expect(result.usage).toEqual({ calls: 2, promptTokens: 20, completionTokens: 6 });
    expect(chat.requests.every((r) => r.sampleIndex === undefined)).toBe(true);
  });

  it("pass@k: k distinct samples per example, the best one counts, every call is charged", async () => {
    const chat = chatRightOn(2);
    const result = await runEvaluate(job({ attempts: 3 }), chat, setup());
    expect(result.rows.map((r) => r.score)).toEqual([1, 1]);
    expect(result.rows[0]!.feedback).toMatch(/^attempt 3 of 3 \(best\)/);
    expect(result.usage).toEqual({ calls: 6, promptTokens: 60, completionTokens: 18 });
    expect(new Set(chat.requests.map((r) => r.sampleIndex ?? 0))).toEqual(new Set([0, 1, 2]));
    const miss = await runEvaluate(job({ attempts: 2 }), chatRightOn(5), setup());
    expect(miss.rows.map((r) => r.score)).toEqual([0, 0]);
  });

  it("scores an unknown example 0 without a call, and lets transport errors through for the queue to retry", async () => {
    const result = await runEvaluate(job({ exampleIds: ["e1", "gone"] }), chatRightOn(0), setup());
    expect(result.rows[1]).toMatchObject({ exampleId: "gone", score: 0, feedback: "example not found" });
    expect(result.usage.calls).toBe(1);
    const failing: ChatPort = { complete: async () => { throw new LlmError("rate_limited", "slow down", 1000); } };
    await expect(runEvaluate(job(), failing, setup())).rejects.toBeInstanceOf(LlmError);
  });
});
