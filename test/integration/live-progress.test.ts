/**
 * Live progress (`GET /v1/runs/:id/events`): a real fine-tuning on SimLM, watched over
 * SSE from its start, by a second SSE subscriber that joins mid-run, and over a
 * WebSocket; then resumption with Last-Event-ID / ?after= once it finished.
 */
import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { LiveHub } from "../../durable-objects/live-hub";
import { LiveLog } from "../../durable-objects/live-log";
import type { LiveMessage } from "../../durable-objects/live-protocol";
import { api, createSimTask, startRun, uniqueSimHost, waitForRun } from "./support/api";
import { type Frame, SseReader, withTimeout } from "./support/sse";
import { withAuth } from "./support/auth";
import { runStub, storedState } from "./support/run-object";

async function subscribe(runId: string, headers: Record<string, string> = {}, query = ""): Promise<{ res: Response; sse: SseReader }> {
  const res = await exports.default.fetch(`http://x/v1/runs/${runId}/events${query}`, { headers: await withAuth(headers) });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
  return { res, sse: new SseReader(res.body!) };
}

/** Opens a WebSocket subscription and collects its messages until the server closes it. */
async function watchOverWebSocket(runId: string): Promise<{ messages: LiveMessage[]; closed: Promise<number> }> {
  const res = await exports.default.fetch(`http://x/v1/runs/${runId}/events`, { headers: await withAuth({ upgrade: "websocket" }) });
  expect(res.status).toBe(101);
  const socket = res.webSocket!;
  const messages: LiveMessage[] = [];
  const closed = new Promise<number>((resolve) => socket.addEventListener("close", (event) => resolve(event.code)));
  socket.addEventListener("message", (event) => {
    messages.push(JSON.parse(event.data as string));
  });
  socket.accept();
  return { messages, closed };
}

const ofType = <T extends LiveMessage["type"]>(messages: LiveMessage[], type: T) => messages.filter((m): m is Extract<LiveMessage, { type: T }> => m.type === type);

describe("a fine-tuning watched live", () => {
  let runId: string;
  let first: LiveMessage[];
  let late: LiveMessage[];
  let socket: LiveMessage[];
  let socketCloseCode: number;
  let summary: any;

  beforeAll(async () => {
    const host = uniqueSimHost("live");
    const taskId = await createSimTask("sim-logic", { model: { model: "simlm-task", baseUrl: `http://${host}/v1` } });
    ({ runId } = await startRun({ kind: "finetune", taskId, agentModel: { model: "simlm-agent", baseUrl: `http://${host}/v1` }, config: { generations: 3, childrenPerGeneration: 2 } }));
    const ws = await watchOverWebSocket(runId);
    const { sse } = await subscribe(runId);
    first = [];
    // Read until generation 1 is under way, then let a second subscriber join.
    for (let m = await sse.message(); m; m = await sse.message()) {
      first.push(m);
      if (m.type === "generation.started" && m.generation === 1) break;
    }
    const joined = await subscribe(runId);
    [late] = await Promise.all([joined.sse.rest(), sse.rest().then((rest) => first.push(...rest))]);
    socketCloseCode = await withTimeout(ws.closed, 10_000, "WebSocket close");
    socket = ws.messages;
    summary = await waitForRun(runId, 10_000);
  }, 120_000);

  it("starts with a snapshot and numbers every later message in order, without gaps or duplicates", () => {
    const [snapshot, ...rest] = first;
    expect(snapshot).toMatchObject({ type: "snapshot", run: { runId, kind: "finetune", status: "running" } });
    expect(rest.map((m) => m.seq)).toEqual(rest.map((_, i) => snapshot!.seq + 1 + i));
    expect(ofType(first, "snapshot")).toHaveLength(1);
  });

  it("reports generations in order and ends with run.finished, then closes", () => {
    const generations = first.filter((m) => m.type === "generation.started" || m.type === "generation.completed").map((m) => `${m.type}:${(m as { generation: number }).generation}`);
    expect(generations).toEqual(["generation.started:1", "generation.completed:1", "generation.started:2", "generation.completed:2", "generation.started:3", "generation.completed:3"]);
    const last = first.at(-1)!;
    expect(last).toMatchObject({ type: "run.finished", status: "completed", reason: "completed" });
    expect(last.type === "run.finished" && last.report).toEqual(summary.report);
    expect(summary.status).toBe("completed");
  });

  it("sends candidates, scores, verdicts and the budget, compactly", () => {
    const created = ofType(first, "candidate.created");
    const verdicts = [...ofType(first, "candidate.admitted"), ...ofType(first, "candidate.rejected")];
    // Every candidate but the seed (created with the run, before anyone subscribed).
    expect(created).toHaveLength(summary.counts.candidates - 1);
    expect(verdicts).toHaveLength(summary.counts.admitted + summary.counts.rejected);
    expect(ofType(first, "candidate.scored").length).toBeGreaterThan(0);
    expect(ofType(first, "evaluation.recorded").every((m) => m.examples > 0 && m.meanScore >= 0 && m.meanScore <= 1)).toBe(true);
    // Per-example rows and model outputs never travel on the stream.
    for (const m of first) expect(JSON.stringify(m)).not.toMatch(/"(rows|output|feedback)"/);
    const budgets = ofType(first, "budget");
    const calls = budgets.map((b) => b.spent.calls);
    expect(calls).toEqual([...calls].sort((a, b) => a - b));
    expect(budgets.at(-1)).toMatchObject({ spent: summary.budget.spent, reserved: summary.budget.reserved, limits: summary.budget.limits });
  });

  it("gives a subscriber joining mid-run a snapshot, then exactly the messages after it", () => {
    const [snapshot, ...rest] = late as [LiveMessage, ...LiveMessage[]];
    expect(snapshot).toMatchObject({ type: "snapshot", run: { runId, status: "running" } });
    expect(snapshot.seq).toBeGreaterThanOrEqual(first.find((m) => m.type === "generation.started")!.seq);
    expect(snapshot.type === "snapshot" && snapshot.run.generation).toBeGreaterThanOrEqual(1);
    expect(rest).toEqual(first.filter((m) => m.type !== "snapshot" && m.seq > snapshot.seq));
  });

  it("sends the same messages over a WebSocket, then closes it normally", () => {
    const [snapshot, ...rest] = socket;
    expect(snapshot?.type).toBe("snapshot");
    expect(rest).toEqual(first.filter((m) => m.type !== "snapshot" && m.seq > snapshot!.seq));
    expect(socketCloseCode).toBe(1000);
  });

  it("resumes after Last-Event-ID (or ?after=) with exactly the missed messages", async () => {
    const from = ofType(first, "generation.completed")[0]!.seq;
    const expected = first.filter((m) => m.seq > from);
    expect(await (await subscribe(runId, { "last-event-id": String(from) })).sse.rest()).toEqual(expected);
    expect(await (await subscribe(runId, {}, `?after=${from}`)).sse.rest()).toEqual(expected);
    // The log is in the object's storage: a fresh instance (after eviction or a deploy) replays the same.
    await abortAllDurableObjects();
    expect(await (await subscribe(runId, { "last-event-id": String(from) })).sse.rest()).toEqual(expected);
  });

  it("answers 204 to a client that already has run.finished, so EventSource stops reconnecting", async () => {
    const res = await exports.default.fetch(`http://x/v1/runs/${runId}/events`, { headers: await withAuth({ "last-event-id": String(first.at(-1)!.seq) }) });
    expect(res.status).toBe(204);
  });

  it("gives a new subscriber to a finished run its snapshot and run.finished, then ends", async () => {
    for (const headers of [{}, { "last-event-id": "not-a-number" }] as Array<Record<string, string>>) {
      const messages = await (await subscribe(runId, headers)).sse.rest();
      expect(messages.map((m) => m.type)).toEqual(["snapshot", "run.finished"]);
      expect(messages[0]).toMatchObject({ seq: first.at(-1)!.seq, run: { status: "completed", report: summary.report } });
      expect(messages[1]).toEqual(first.at(-1));
    }
    const ws = await watchOverWebSocket(runId);
    expect(await withTimeout(ws.closed, 10_000, "WebSocket close")).toBe(1000);
    expect(ws.messages.map((m) => m.type)).toEqual(["snapshot", "run.finished"]);
  });
});

describe("live progress of a run that is waiting", () => {
  /** A task whose model always answers 429 "retry in a minute": its runs stay in their first phase. */
  let stuckTaskId: string;
  beforeAll(async () => {
    stuckTaskId = await createSimTask("sim-logic", { model: { model: "simlm-task", baseUrl: "http://status-429-after-60.fault/v1" } });
  });

  it("sends keepalive comments while nothing happens", async () => {
    const { runId } = await startRun({ kind: "finetune", taskId: stuckTaskId });
    const state = await storedState(runId);
    const frames = await runInDurableObject(runStub(runId), async (_instance, ctx) => {
      const res = new LiveHub(ctx, { heartbeatMs: 20 }).connect(new Request("http://x/events"), state);
      const sse = new SseReader(res.body!);
      const seen: Frame[] = [];
      while (!seen.some((f) => f.comment?.startsWith("keepalive"))) seen.push((await sse.next(5_000))!);
      await sse.cancel();
      return seen;
    });
    expect(frames[0]?.retry).toMatch(/^\d+$/);
    expect(frames.find((f) => f.data)?.data).toContain('"type":"snapshot"');
    await api("POST", `/v1/runs/${runId}/cancel`);
  });

  it("ends the stream with run.finished when the run is cancelled", async () => {
    const { runId } = await startRun({ kind: "finetune", taskId: stuckTaskId });
    const { sse } = await subscribe(runId);
    expect((await sse.message())?.type).toBe("snapshot");
    await api("POST", `/v1/runs/${runId}/cancel`);
    const rest = await sse.rest();
    expect(rest.at(-1)).toMatchObject({ type: "run.finished", status: "cancelled", reason: "cancelled through the API" });
  });
});

describe("the live log", () => {
  it("keeps the newest messages, numbered across instances, and says when it cannot replay", async () => {
    const stub = env.RUNS.get(env.RUNS.idFromName(`live-log-${crypto.randomUUID()}`));
    const after = await runInDurableObject(stub, (_instance, ctx) => {
      const log = new LiveLog(ctx.storage, 3);
      log.append([1, 2, 3].map((generation) => ({ type: "generation.started" as const, at: generation, generation })));
      log.append([4, 5].map((generation) => ({ type: "generation.started" as const, at: generation, generation })));
      const again = new LiveLog(ctx.storage, 3);
      return { lastSeq: again.lastSeq, from1: again.after(1), from2: again.after(2)?.map((m) => m.seq), from5: again.after(5), from6: again.after(6) };
    });
    expect(after).toEqual({ lastSeq: 5, from1: null, from2: [3, 4, 5], from5: [], from6: null });
  });
});

describe("GET /v1/runs/:id/events errors", () => {
  it("is a 404 for unknown and malformed run ids", async () => {
    for (const id of [`run_${"0".repeat(32)}`, "nope"]) {
      const res = await api("GET", `/v1/runs/${id}/events`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("not_found");
    }
  });

  it("is a 400 for a bad ?after=", async () => {
    const taskId = await createSimTask("sim-logic", { model: { model: "simlm-task", baseUrl: "http://status-429-after-60.fault/v1" } });
    const { runId } = await startRun({ kind: "finetune", taskId });
    const res = await api("GET", `/v1/runs/${runId}/events?after=-3`);
    expect(res.status).toBe(400);
    expect(res.body.error.issues.map((i: any) => i.path)).toEqual(["after"]);
    await api("POST", `/v1/runs/${runId}/cancel`);
  });
});
