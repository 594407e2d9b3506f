/**
 * A run's live subscribers, for its Durable Object: connects them (SSE or WebSocket) with
 * a snapshot or a replay, and sends each step's messages to all of them.
 *
 * Two transports, one protocol (live-protocol.ts):
 * - SSE (`GET /v1/runs/:id/events`): for curl, EventSource, the CLI. The object holds the
 *   stream open, so it stays in memory while someone watches.
 * - WebSocket (the same URL with `Upgrade: websocket`): accepted through the hibernation
 *   API, so a long run between steps costs nothing while clients stay connected; "ping"
 *   is answered "pong" without waking the object.
 *
 * Resuming: SSE's `Last-Event-ID` header, or `?after=<seq>` on either transport.
 */
import { type RunState, summarizeRun } from "../src/engine";
import type { DomainEvent } from "../src/engine/types";
import { AppError } from "../src/errors";
import { LiveLog } from "./live-log";
import { type LiveMessage, toLiveEntries } from "./live-protocol";
import { SseSubscriber } from "./live-sse";

/** Under the ~100 s idle timeouts of common proxies and load balancers. */
export const HEARTBEAT_MS = 15_000;
/** Tag of the hub's hibernatable WebSockets (`ctx.getWebSockets(LIVE_SOCKET_TAG)`). */
const LIVE_SOCKET_TAG = "live";

export interface LiveHubOptions {
  heartbeatMs?: number;
}

export class LiveHub {
  private readonly log: LiveLog;
  private readonly streams = new Set<SseSubscriber>();
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private readonly heartbeatMs: number;

  constructor(
    private readonly ctx: DurableObjectState,
    options: LiveHubOptions = {},
  ) {
    this.log = new LiveLog(ctx.storage);
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  /**
   * Answers a subscription. A finished run whose last message the client already has
   * gets 204, which is what stops EventSource from reconnecting forever.
   */
  connect(request: Request, state: RunState | null): Response {
    if (!state) return Response.json(new AppError("not_found", "The run has no state yet; try again shortly.").toJSON(), { status: 404 });
    const after = resumePoint(request);
    const finished = state.status !== "running";
    if (finished && after !== null && after >= this.log.lastSeq) return new Response(null, { status: 204 });
    const opening = this.opening(state, after);
    if (request.headers.get("upgrade")?.toLowerCase() === "websocket") return this.acceptSocket(opening, finished);
    const stream = new SseSubscriber((s) => this.unsubscribe(s));
    stream.send(opening);
    if (finished) stream.close();
    else this.subscribe(stream);
    return stream.response;
  }

  /**
   * Records one step's messages and sends them to every subscriber; closes every stream
   * after `run.finished`. Never throws: live progress must not fail the step it reports.
   */
  publish(events: DomainEvent[], state: RunState): void {
    try {
      const entries = toLiveEntries(events, state.budget);
      if (entries.length === 0) return;
      const messages = this.log.append(entries);
      const finished = messages.some((m) => m.type === "run.finished");
      for (const stream of [...this.streams]) {
        stream.send(messages);
        if (finished) stream.close();
      }
      for (const socket of this.ctx.getWebSockets(LIVE_SOCKET_TAG)) sendToSocket(socket, messages, finished);
    } catch (error) {
      console.error("live progress: publishing failed", error);
    }
  }

  /**
   * What a new subscriber gets first: the messages it missed when it is resuming and the
   * log still holds them; otherwise a snapshot (plus `run.finished` when the run is over).
   */
  private opening(state: RunState, after: number | null): LiveMessage[] {
    const missed = after === null ? null : this.log.after(after);
    if (missed) return missed;
    const snapshot: LiveMessage = { seq: this.log.lastSeq, at: Date.now(), type: "snapshot", run: summarizeRun(state) };
    if (state.status === "running") return [snapshot];
    const newest = this.log.newest();
    const finished: LiveMessage =
      newest?.type === "run.finished"
        ? newest
        : // A run that finished before it had a log: the same facts, from its state.
          { seq: this.log.lastSeq, at: state.finishedAt ?? Date.now(), type: "run.finished", status: state.status, reason: state.stopReason ?? "", report: state.report };
    return [snapshot, finished];
  }

  private acceptSocket(opening: LiveMessage[], finished: boolean): Response {
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [LIVE_SOCKET_TAG]);
    sendToSocket(server, opening, finished);
    return new Response(null, { status: 101, webSocket: client });
  }

  private subscribe(stream: SseSubscriber): void {
    this.streams.add(stream);
    this.heartbeat ??= setInterval(() => {
      for (const s of [...this.streams]) s.keepalive();
    }, this.heartbeatMs);
  }

  private unsubscribe(stream: SseSubscriber): void {
    this.streams.delete(stream);
    if (this.streams.size === 0 && this.heartbeat !== null) {
      clearInterval(this.heartbeat);
      this.heartbeat = null;
    }
  }
}

/** Answers a client's close (before the compatibility date that makes the runtime do it). */
export function closeSocket(socket: WebSocket, code: number, reason: string): void {
  try {
    // 1005 and 1006 only report how a socket closed; they may not be sent.
    socket.close(code === 1005 || code === 1006 ? 1000 : code, reason);
  } catch {
    // Already closed.
  }
}

function sendToSocket(socket: WebSocket, messages: LiveMessage[], finished: boolean): void {
  try {
    for (const m of messages) socket.send(JSON.stringify(m));
    if (finished) socket.close(1000, "run finished");
  } catch {
    // A socket closing under us: its client reconnects and resumes.
  }
}

/** Where a resuming client left off: `Last-Event-ID` (set by EventSource) or `?after=`; null for a fresh start. */
function resumePoint(request: Request): number | null {
  const raw = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("after");
  if (raw === null || !/^\d{1,15}$/.test(raw.trim())) return null;
  return Number(raw.trim());
}
