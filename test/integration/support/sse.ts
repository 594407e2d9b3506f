/**
 * Reading a Server-Sent Events body in tests: frame by frame (comments and `retry:`
 * included), or as the live progress messages it carries.
 */
import { expect } from "vitest";
import type { LiveMessage } from "../../../durable-objects/live-protocol";

export type Frame = { id?: string; data?: string; comment?: string; retry?: string };

/** Reads an SSE body frame by frame. */
export class SseReader {
  private buffer = "";
  private readonly decoder = new TextDecoder();
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;

  constructor(body: ReadableStream<Uint8Array>) {
    this.reader = body.getReader();
  }

  /** The next frame, or null at the end of the stream. */
  async next(timeoutMs = 60_000): Promise<Frame | null> {
    for (;;) {
      const end = this.buffer.indexOf("\n\n");
      if (end !== -1) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        return parseFrame(block);
      }
      const chunk = await withTimeout(this.reader.read(), timeoutMs, "no SSE frame");
      if (chunk.done) return null;
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
    }
  }

  /** The next message (skipping comments and `retry:`), or null at the end. */
  async message(timeoutMs?: number): Promise<LiveMessage | null> {
    for (let frame = await this.next(timeoutMs); frame; frame = await this.next(timeoutMs)) {
      if (frame.data === undefined) continue;
      const message = JSON.parse(frame.data) as LiveMessage;
      expect(frame.id).toBe(String(message.seq));
      return message;
    }
    return null;
  }

  /** Every message until the server ends the stream. */
  async rest(): Promise<LiveMessage[]> {
    const out: LiveMessage[] = [];
    for (let m = await this.message(); m; m = await this.message()) out.push(m);
    return out;
  }

  cancel(): Promise<void> {
    return this.reader.cancel();
  }
}

function parseFrame(block: string): Frame {
  const frame: Frame = {};
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) frame.comment = line.slice(1).trim();
    else if (line.startsWith("id: ")) frame.id = line.slice(4);
    else if (line.startsWith("data: ")) frame.data = line.slice(6);
    else if (line.startsWith("retry: ")) frame.retry = line.slice(7);
  }
  return frame;
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
