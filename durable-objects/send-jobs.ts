/** Sends messages (jobs, webhook events) to a queue within its per-call limits (100 messages, 256 KB in all). */

const MAX_MESSAGES = 100;
const MAX_BATCH_BYTES = 200 * 1024; // below the 256 KB limit, leaving room for envelope overhead

export async function sendJobs<T>(queue: Queue<T>, jobs: T[]): Promise<void> {
  let batch: T[] = [];
  let bytes = 0;
  for (const job of jobs) {
    const size = new TextEncoder().encode(JSON.stringify(job)).byteLength;
    if (batch.length > 0 && (batch.length >= MAX_MESSAGES || bytes + size > MAX_BATCH_BYTES)) {
      await queue.sendBatch(batch.map((body) => ({ body, contentType: "json" as const })));
      batch = [];
      bytes = 0;
    }
    batch.push(job);
    bytes += size;
  }
  if (batch.length > 0) await queue.sendBatch(batch.map((body) => ({ body, contentType: "json" as const })));
}
