import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { parseCliOptions } from "../../../src/simlm/cli";
import { createSimLmFetch } from "../../../src/simlm/handler";
import { type SimLmServer, startSimLmServer } from "../../../src/simlm/server";
import { generateExamples, getSimTask } from "../../../src/simlm/task-pool";
import { readJson } from "./helpers";

const task = getSimTask("sim-logic")!;
const example = generateExamples(task.id, 1)[0]!;
const messages = [
  { role: "system" as const, content: task.seedPrompt },
  { role: "user" as const, content: example.input },
];

describe("the SimLM Node server", () => {
  let server: SimLmServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("answers a real fetch on 127.0.0.1 and serves its stats", async () => {
    server = await startSimLmServer({ seed: 2 });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.baseUrl).toBe(`${server.url}/v1`);
    const res = await fetch(`${server.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "simlm-1", messages, max_tokens: 256 }),
    });
    expect(res.status).toBe(200);
    const body = await readJson(res);
    expect(body.choices[0].message.content).toMatch(/Answer: [A-D]$/);
    const stats = await readJson(await fetch(`${server.url}/simlm/stats`));
    expect(stats).toMatchObject({ simulated: true, calls: 1, completed: 1 });
    expect(server.stats().calls).toBe(1);
  });

  it("serves the openai client, and its 429 carries retry-after", async () => {
    server = await startSimLmServer({ rateLimit: { rps: 1 } });
    const client = new OpenAI({ baseURL: server.baseUrl, apiKey: "simulated", maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: "simlm-1", messages });
    expect(completion.choices[0]?.message.content).toContain("Answer:");
    const error = await client.chat.completions.create({ model: "simlm-1", messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers?.get("retry-after")).toBe("1");
  });

  it("lets a hanging request end when the client times out", async () => {
    server = await startSimLmServer({ faults: { timeout: 1 }, timeout: { mode: "hang" } });
    const client = new OpenAI({ baseURL: server.baseUrl, apiKey: "simulated", maxRetries: 0, timeout: 150 });
    const error = await client.chat.completions.create({ model: "simlm-1", messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    await new Promise((r) => setTimeout(r, 50));
    expect(server.stats().inFlight).toBe(0);
  });
});

describe("SimLM in process", () => {
  it("serves the openai client through createSimLmFetch", async () => {
    const client = new OpenAI({
      baseURL: "http://simlm.local/v1",
      apiKey: "x",
      maxRetries: 0,
      fetch: createSimLmFetch({ seed: 4 }),
    });
    const completion = await client.chat.completions.create({ model: "any-model-name", messages, max_tokens: 512 });
    expect(completion.model).toBe("any-model-name");
    expect(completion.choices[0]?.message.content).toMatch(/Answer: [A-D]$/);
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
  });

  it("surfaces injected 500s as the openai client's InternalServerError", async () => {
    const client = new OpenAI({
      baseURL: "http://simlm.local/v1",
      apiKey: "x",
      maxRetries: 0,
      fetch: createSimLmFetch({ faults: { serverError: 1 } }),
    });
    await expect(client.chat.completions.create({ model: "m", messages })).rejects.toBeInstanceOf(OpenAI.InternalServerError);
  });
});

describe("the SimLM command line", () => {
  it("parses every flag into server options", () => {
    const options = parseCliOptions([
      "--port", "9000", "--seed", "3", "--latency", "5-15", "--rate-limit-rps", "20", "--max-concurrent", "4",
      "--fault-500", "0.05", "--fault-timeout", "0.01", "--fault-truncated", "0.02", "--fault-malformed", "0.03",
      "--fault-empty-content", "0.04", "--timeout-mode", "hang", "--timeout-ms", "100",
    ]);
    expect(options).toMatchObject({
      port: 9000,
      host: "127.0.0.1",
      seed: 3,
      latencyMs: { min: 5, max: 15 },
      rateLimit: { rps: 20, maxConcurrent: 4 },
      faults: { serverError: 0.05, timeout: 0.01, truncated: 0.02, malformed: 0.03, emptyContent: 0.04 },
      timeout: { mode: "hang", afterMs: 100 },
    });
    expect(parseCliOptions(["--latency", "0"]).latencyMs).toBe(0);
    expect(() => parseCliOptions(["--seed", "x"])).toThrow(/--seed/);
    expect(() => parseCliOptions(["--bogus"])).toThrow();
  });
});
