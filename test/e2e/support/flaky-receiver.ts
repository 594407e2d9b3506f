/**
 * A webhook receiver in the test process for the dashboard's webhook tests: a Node HTTP
 * server on 127.0.0.1 that answers 500 to the next `failNext` requests and 204 to the
 * others, so a test decides which attempt fails. And `until`, to wait on the API.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface FlakyReceiver {
  url: string;
  /** How many of the coming requests get a 500; counts down with each. */
  failNext: number;
  close(): Promise<void>;
}

export function startFlakyReceiver(failNext: number): Promise<FlakyReceiver> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const fail = receiver.failNext > 0;
      if (fail) receiver.failNext--;
      res.writeHead(fail ? 500 : 204).end(fail ? "not yet" : undefined);
    });
  });
  const receiver: FlakyReceiver = { url: "", failNext, close: () => new Promise((resolve) => server.close(() => resolve())) };
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dashboard-hooks`;
      resolve(receiver);
    });
  });
}

/** Reads until done says yes, or throws after timeoutMs with the last value read. */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}
