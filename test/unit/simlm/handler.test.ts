import { describe, expect, it } from "vitest";
import { createSimLm, createSimLmFetch, type SimLmOptions } from "../../../src/simlm/handler";
import { simulateReply } from "../../../src/simlm/simulate";
import { generateExamples, getSimTask } from "../../../src/simlm/task-pool";
import { readJson } from "./helpers";

const task = getSimTask("sim-arithmetic")!;
const example = generateExamples(task.id, 1)[0]!;
const BASE = "http://simlm.local";

function chatRequest(body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`${BASE}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const taskBody = (extra: Record<string, unknown> = {}) => ({
  model: "simlm-1",
  messages: [
    { role: "system", content: task.seedPrompt },
    { role: "user", content: example.input },
  ],
  ...extra,
});

/** A SimLM with a fixed clock and instant sleeps, recording every sleep. */
function makeSimLm(options: SimLmOptions = {}) {
  const clock = { now: 1_750_000_000_000 };
  const sleeps: number[] = [];
  const simlm = createSimLm({ now: () => clock.now, sleep: async (ms) => void sleeps.push(ms), ...options });
  return { simlm, clock, sleeps };
}

describe("SimLM chat completions", () => {
  it("answers in the OpenAI shape, with estimated usage and the injected clock", async () => {
    const { simlm } = makeSimLm({ seed: 3 });
    const res = await simlm.handle(chatRequest(taskBody({ temperature: 0.7 })));
    expect(res.status).toBe(200);
    expect(res.headers.get("x-simlm")).toBe("simulated");
    const body = await readJson(res);
    const expected = simulateReply({ seed: 3, system: task.seedPrompt, user: example.input, sampleIndex: 0 }).text;
    expect(body).toMatchObject({
      object: "chat.completion",
      created: 1_750_000_000,
      model: "simlm-1",
      choices: [{ index: 0, message: { role: "assistant", content: expected }, finish_reason: "stop" }],
    });
    const chars = task.seedPrompt.length + example.input.length;
    expect(body.usage).toEqual({
      prompt_tokens: Math.ceil(chars / 4),
      completion_tokens: Math.ceil(expected.length / 4),
      total_tokens: Math.ceil(chars / 4) + Math.ceil(expected.length / 4),
    });
  });

  it("cuts the answer at max_tokens and says so", async () => {
    const { simlm } = makeSimLm();
    const body = await readJson(await simlm.handle(chatRequest(taskBody({ max_tokens: 3 }))));
    expect(body.choices[0].message.content).toHaveLength(12);
    expect(body.choices[0].finish_reason).toBe("length");
    expect(body.usage.completion_tokens).toBe(3);
  });

  it("takes the sample index from x-simlm-sample or the seed field, and n choices after it", async () => {
    const { simlm } = makeSimLm({ seed: 1 });
    const sample = (i: number) => simulateReply({ seed: 1, system: task.seedPrompt, user: example.input, sampleIndex: i }).text;
    const byHeader = await readJson(await simlm.handle(chatRequest(taskBody({ n: 3 }), { "x-simlm-sample": "4" })));
    expect(byHeader.choices.map((c: { message: { content: string } }) => c.message.content)).toEqual([sample(4), sample(5), sample(6)]);
    const bySeed = await readJson(await simlm.handle(chatRequest(taskBody({ seed: 9 }))));
    expect(bySeed.choices[0].message.content).toBe(sample(9));
  });

  it("rejects bad JSON, bad shapes and streaming with 400", async () => {
    const { simlm } = makeSimLm();
    for (const body of ["{not json", { model: "m" }, { model: "m", messages: [] }, taskBody({ stream: true })]) {
      const res = await simlm.handle(chatRequest(body));
      expect(res.status).toBe(400);
      expect((await readJson(res)).error.type).toBe("invalid_request_error");
    }
    expect(simlm.stats().badRequests).toBe(4);
    expect(simlm.stats().calls).toBe(0);
  });
});

describe("SimLM routes", () => {
  it("lists models, answers 404 elsewhere, counts and resets", async () => {
    const { simlm } = makeSimLm({ models: ["simlm-task", "simlm-agent"] });
    const models = await readJson(await simlm.handle(new Request(`${BASE}/v1/models`)));
    expect(models.data.map((m: { id: string }) => m.id)).toEqual(["simlm-task", "simlm-agent"]);
    expect((await simlm.handle(new Request(`${BASE}/v2/nothing`))).status).toBe(404);
    await simlm.handle(chatRequest(taskBody()));
    const stats = await readJson(await simlm.handle(new Request(`${BASE}/simlm/stats`)));
    expect(stats).toMatchObject({ simulated: true, requests: 4, calls: 1, completed: 1, byMode: { task: 1 } });
    expect(stats.totalTokens).toBeGreaterThan(0);
    expect((await simlm.handle(new Request(`${BASE}/simlm/reset`, { method: "POST" }))).status).toBe(200);
    expect(simlm.stats()).toMatchObject({ requests: 0, calls: 0, totalTokens: 0 });
  });
});

describe("SimLM rate limits", () => {
  it("answers 429 with retry-after beyond the requests per second, until the window slides", async () => {
    const { simlm, clock } = makeSimLm({ rateLimit: { rps: 2 } });
    expect((await simlm.handle(chatRequest(taskBody()))).status).toBe(200);
    clock.now += 400;
    expect((await simlm.handle(chatRequest(taskBody()))).status).toBe(200);
    const limited = await simlm.handle(chatRequest(taskBody()));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(limited.headers.get("retry-after-ms")).toBe("600");
    expect((await readJson(limited)).error.code).toBe("rate_limit_exceeded");
    clock.now += 601;
    expect((await simlm.handle(chatRequest(taskBody()))).status).toBe(200);
    expect(simlm.stats().rateLimited).toBe(1);
  });

  it("answers 429 beyond the concurrent requests", async () => {
    const release: Array<() => void> = [];
    const simlm = createSimLm({
      latencyMs: 100,
      rateLimit: { maxConcurrent: 2 },
      sleep: (ms) => (ms > 0 ? new Promise<void>((resolve) => release.push(resolve)) : Promise.resolve()),
    });
    const pending = [simlm.handle(chatRequest(taskBody())), simlm.handle(chatRequest(taskBody()))];
    await new Promise((r) => setTimeout(r, 10));
    const limited = await simlm.handle(chatRequest(taskBody()));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(simlm.stats().inFlight).toBe(2);
    release.forEach((r) => r());
    expect((await Promise.all(pending)).map((r) => r.status)).toEqual([200, 200]);
    expect(simlm.stats()).toMatchObject({ inFlight: 0, maxInFlight: 2 });
  });
});

describe("SimLM faults", () => {
  it("injects each fault at roughly its rate, deterministically by seed", async () => {
    const faults = { serverError: 0.1, timeout: 0.05, truncated: 0.05, malformed: 0.05, emptyContent: 0.05 };
    const run = async () => {
      const { simlm } = makeSimLm({ seed: 11, faults });
      const statuses: number[] = [];
      for (let i = 0; i < 2000; i++) statuses.push((await simlm.handle(chatRequest(taskBody()))).status);
      return { statuses, stats: simlm.stats() };
    };
    const { statuses, stats } = await run();
    expect((await run()).statuses).toEqual(statuses);
    expect(stats.faults.server_error / 2000).toBeCloseTo(0.1, 1);
    for (const kind of ["timeout", "truncated", "malformed", "empty_content"] as const) {
      expect(stats.faults[kind]).toBeGreaterThan(60);
      expect(stats.faults[kind]).toBeLessThan(140);
    }
    expect(statuses.filter((s) => s === 500)).toHaveLength(stats.faults.server_error);
    expect(statuses.filter((s) => s === 504)).toHaveLength(stats.faults.timeout);
    expect(stats.completed).toBe(2000 - Object.values(stats.faults).reduce((a, b) => a + b, 0));
  });

  it("shapes each faulty body as announced", async () => {
    const bodies = async (fault: keyof NonNullable<SimLmOptions["faults"]>) =>
      (await makeSimLm({ faults: { [fault]: 1 } }).simlm.handle(chatRequest(taskBody()))).text();
    await expect(bodies("truncated").then((t) => JSON.parse(t))).rejects.toThrow();
    expect(JSON.parse(await bodies("malformed")).choices).toEqual([]);
    expect(JSON.parse(await bodies("emptyContent")).choices[0].message.content).toBeNull();
    expect(JSON.parse(await bodies("serverError")).error.type).toBe("server_error");
  });

  it("times out with a 504 after the configured wait, and draws latency in range", async () => {
    const { simlm, sleeps } = makeSimLm({ faults: { timeout: 1 }, timeout: { mode: "504", afterMs: 1234 }, latencyMs: { min: 10, max: 20 } });
    expect((await simlm.handle(chatRequest(taskBody()))).status).toBe(504);
    expect(sleeps[0]).toBeGreaterThanOrEqual(10);
    expect(sleeps[0]).toBeLessThanOrEqual(20);
    expect(sleeps[1]).toBe(1234);
  });

  it("hangs until the caller aborts, in process through createSimLmFetch", async () => {
    const simlm = createSimLm({ faults: { timeout: 1 }, timeout: { mode: "hang" } });
    const fetchSim = createSimLmFetch(simlm);
    const controller = new AbortController();
    const call = fetchSim(`${BASE}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify(taskBody()),
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 30);
    await expect(call).rejects.toMatchObject({ name: "AbortError" });
    await new Promise((r) => setTimeout(r, 10));
    expect(simlm.stats().inFlight).toBe(0);
  });
});
