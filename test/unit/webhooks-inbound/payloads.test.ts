import { describe, expect, it } from "vitest";
import { AppError } from "../../../src/errors";
import { GitHubActionSchema } from "../../../src/webhooks/inbound/github-action";
import { parseDelivery } from "../../../src/webhooks/inbound/parse-delivery";

const JSON_TYPE = { "content-type": "application/json" };
const standard = { scheme: "standard" as const, action: null };
const github = (action: Record<string, unknown> = {}) => ({ scheme: "github" as const, action: GitHubActionSchema.parse({ type: "run.start", data: { kind: "finetune", taskId: "task_1" }, ...action }) });
const ghHeaders = (event: string, type = "application/json") => new Headers({ "content-type": type, "x-github-event": event, "x-github-delivery": "d-1" });

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describe("Standard Webhooks bodies", () => {
  it("reads run.start with the body of POST /v1/runs, defaults included", () => {
    const body = JSON.stringify({ type: "run.start", timestamp: "2026-04-01T12:00:00Z", data: { kind: "finetune", taskId: "task_1", config: { generations: 1 } } });
    expect(parseDelivery(standard, body, new Headers(JSON_TYPE))).toEqual({
      event: "run.start",
      intent: { action: "run.start", request: { kind: "finetune", taskId: "task_1", config: { generations: 1 } } },
    });
  });

  it("reads examples.append", () => {
    const body = JSON.stringify({ type: "examples.append", data: { taskId: "task_1", examples: [{ input: "2+2", expected: "4" }, { input: "3+3", expected: "6", split: "val" }] } });
    expect(parseDelivery(standard, body, new Headers(JSON_TYPE)).intent).toEqual({
      action: "examples.append",
      taskId: "task_1",
      examples: [{ input: "2+2", expected: "4" }, { input: "3+3", expected: "6", split: "val" }],
    });
  });

  it("refuses with a 4xx that names the field: bad JSON, unknown type, bad data, unknown keys, wrong content type", () => {
    const parse = (body: string, headers: Record<string, string> = JSON_TYPE) => refusal(() => parseDelivery(standard, body, new Headers(headers)));
    expect(parse("{nope")).toMatchObject({ status: 400, message: /not valid JSON/ });
    expect(parse(JSON.stringify({ type: "run.delete", data: {} }))).toMatchObject({ status: 400, message: /type must be one of "run.start", "examples.append"/ });
    expect(parse(JSON.stringify({ type: "run.start", data: { kind: "finetune" } }))).toMatchObject({ status: 400, issues: [expect.objectContaining({ path: "data.taskId" })] });
    expect(parse(JSON.stringify({ type: "examples.append", data: { taskId: "t", examples: [] } }))).toMatchObject({ status: 400, issues: [expect.objectContaining({ path: "data.examples" })] });
    expect(parse(JSON.stringify({ type: "run.start", data: { kind: "finetune", taskId: "t" }, extra: 1 }))).toMatchObject({ status: 400 });
    expect(parse("{}", { "content-type": "text/plain" })).toMatchObject({ status: 415 });
  });
});

describe("GitHub deliveries", () => {
  const push = JSON.stringify({ ref: "refs/heads/main" });

  it("acknowledges ping, starts the configured run on a configured event, ignores the rest", () => {
    expect(parseDelivery(github(), JSON.stringify({ zen: "Keep it logically awesome." }), ghHeaders("ping")).intent).toEqual({ action: "ping" });
    expect(parseDelivery(github(), push, ghHeaders("push")).intent).toEqual({ action: "run.start", request: { kind: "finetune", taskId: "task_1", config: {} } });
    expect(parseDelivery(github(), push, ghHeaders("issues")).intent).toMatchObject({ action: "ignore", reason: /push, not on 'issues'/ });
  });

  it("acts on the configured ref only", () => {
    const endpoint = github({ ref: "refs/heads/main" });
    expect(parseDelivery(endpoint, push, ghHeaders("push")).intent.action).toBe("run.start");
    expect(parseDelivery(endpoint, JSON.stringify({ ref: "refs/heads/dev" }), ghHeaders("push")).intent).toMatchObject({ action: "ignore", reason: /refs\/heads\/dev/ });
  });

  it("reads form-encoded payloads", () => {
    const form = new URLSearchParams({ payload: push }).toString();
    expect(parseDelivery(github({ ref: "refs/heads/main" }), form, ghHeaders("push", "application/x-www-form-urlencoded")).intent.action).toBe("run.start");
  });

  it("refuses a body that is not JSON, a missing event and an unknown content type", () => {
    expect(refusal(() => parseDelivery(github(), "nope", ghHeaders("push")))).toMatchObject({ status: 400 });
    expect(refusal(() => parseDelivery(github(), push, new Headers(JSON_TYPE)))).toMatchObject({ status: 400, message: /X-GitHub-Event/ });
    expect(refusal(() => parseDelivery(github(), push, ghHeaders("push", "text/plain")))).toMatchObject({ status: 415 });
  });

  it("validates an endpoint's action like the body of POST /v1/runs", () => {
    expect(GitHubActionSchema.safeParse({ type: "run.start", data: { kind: "finetune" } }).success).toBe(false);
    expect(GitHubActionSchema.safeParse({ type: "examples.append", data: { kind: "finetune", taskId: "t" } }).success).toBe(false);
    expect(GitHubActionSchema.parse({ type: "run.start", data: { kind: "finetune", taskId: "t" } }).events).toEqual(["push"]);
  });
});
