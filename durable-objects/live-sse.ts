/**
 * One Server-Sent Events subscriber: a stream the Durable Object writes live messages to.
 * Writes are never awaited (a step must not wait for a slow reader), so a reader that
 * falls too far behind is cut off rather than buffered without bound; it reconnects with
 * `Last-Event-ID` and catches up from the log, or from a fresh snapshot.
 */
import type { LiveMessage } from "./live-protocol";

/** How long EventSource waits before reconnecting after a drop (sent as `retry:`). */
const RECONNECT_MS = 2_000;
/** Writes a reader may have unread before it is cut off (each write is one step's messages). */
const MAX_BACKLOG = 256;

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  // no-transform: a compressing proxy would buffer the stream.
  "cache-control": "no-cache, no-transform",
  // nginx and similar proxies buffer responses unless told not to.
  "x-accel-buffering": "no",
} as const;

const encoder = new TextEncoder();

/**
 * One SSE event: `id` is the message's `seq` (what the browser sends back as
 * `Last-Event-ID`), `data` the JSON. No `event:` field, so `EventSource.onmessage`
 * receives every message and clients switch on `type`.
 */
export function formatSse(message: LiveMessage): string {
  return `id: ${message.seq}\ndata: ${JSON.stringify(message)}\n\n`;
}

export class SseSubscriber {
  readonly response: Response;
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>;
  private open = true;

  /** `onGone` is called once when the subscriber is closed, cut off or disconnected. */
  constructor(private readonly onGone: (subscriber: SseSubscriber) => void) {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    this.writer = writable.getWriter();
    // A disconnected client cancels the readable, which errors the writer.
    this.writer.closed.catch(() => this.gone());
    this.response = new Response(readable, { headers: SSE_HEADERS });
    this.write(`retry: ${RECONNECT_MS}\n\n`);
  }

  get isOpen(): boolean {
    return this.open;
  }

  send(messages: LiveMessage[]): void {
    if (messages.length > 0) this.write(messages.map(formatSse).join(""));
  }

  /** A comment line: ignored by clients, but keeps proxies and load balancers from timing the stream out. */
  keepalive(): void {
    this.write(`: keepalive ${Date.now()}\n\n`);
  }

  /** Ends the stream after what was written so far. */
  close(): void {
    if (!this.open) return;
    this.gone();
    this.writer.close().catch(() => undefined);
  }

  private write(text: string): void {
    if (!this.open) return;
    if ((this.writer.desiredSize ?? 0) < -MAX_BACKLOG) {
      this.gone();
      this.writer.abort(new Error("subscriber too slow")).catch(() => undefined);
      return;
    }
    this.writer.write(encoder.encode(text)).catch(() => this.gone());
  }

  private gone(): void {
    if (!this.open) return;
    this.open = false;
    this.onGone(this);
  }
}
