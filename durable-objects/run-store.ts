/**
 * The run's own durable storage (the Durable Object's SQLite): the engine state and an
 * outbox of side effects not yet carried out. Both are written in one transaction, so a
 * crash after a step can lose no effect: the outbox is replayed, and every effect is
 * idempotent (D1 upserts keyed by id; a job delivered twice is ignored by the engine).
 */
import type { Job } from "../src/engine/jobs";
import type { SqlStatement } from "../src/storage/sql-statement";
import type { WebhookEventMessage } from "../src/webhooks/queue-message";

/** SQLite rows in a Durable Object hold at most 2 MB; state is split into chunks below that. */
const CHUNK_CHARS = 512 * 1024;

export interface OutboxEntry {
  seq: number;
  statements: SqlStatement[];
  jobs: Job[];
  /** Webhook events for the run's subscribers (src/webhooks/run-notices.ts). */
  notices: WebhookEventMessage[];
}

/** What one commit leaves to carry out. */
export interface Effects {
  statements: SqlStatement[];
  jobs: Job[];
  notices: WebhookEventMessage[];
}

export class RunStore {
  constructor(private readonly storage: DurableObjectStorage) {
    storage.sql.exec(`CREATE TABLE IF NOT EXISTS state_chunks (idx INTEGER PRIMARY KEY, data TEXT NOT NULL)`);
    storage.sql.exec(`CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, statements TEXT NOT NULL, jobs TEXT NOT NULL, notices TEXT NOT NULL DEFAULT '[]')`);
    // Runs stored before webhooks existed have an outbox without `notices`.
    const columns = storage.sql.exec<{ name: string }>(`PRAGMA table_info(outbox)`).toArray();
    if (!columns.some((c) => c.name === "notices")) storage.sql.exec(`ALTER TABLE outbox ADD COLUMN notices TEXT NOT NULL DEFAULT '[]'`);
  }

  /** The stored state as parsed JSON, or null for a run never started. */
  loadState(): unknown | null {
    const rows = this.storage.sql.exec<{ data: string }>(`SELECT data FROM state_chunks ORDER BY idx`).toArray();
    return rows.length === 0 ? null : JSON.parse(rows.map((row) => row.data).join(""));
  }

  /** Saves the new state and queues its effects, atomically. */
  commit(state: unknown, { statements, jobs, notices }: Effects): void {
    const text = JSON.stringify(state);
    this.storage.transactionSync(() => {
      this.storage.sql.exec(`DELETE FROM state_chunks`);
      for (let i = 0, idx = 0; i < text.length; i += CHUNK_CHARS, idx++) {
        this.storage.sql.exec(`INSERT INTO state_chunks (idx, data) VALUES (?, ?)`, idx, text.slice(i, i + CHUNK_CHARS));
      }
      if (statements.length > 0 || jobs.length > 0 || notices.length > 0) {
        this.storage.sql.exec(`INSERT INTO outbox (statements, jobs, notices) VALUES (?, ?, ?)`, JSON.stringify(statements), JSON.stringify(jobs), JSON.stringify(notices));
      }
    });
  }

  firstOutboxEntry(): OutboxEntry | null {
    const row = this.storage.sql
      .exec<{ seq: number; statements: string; jobs: string; notices: string }>(`SELECT seq, statements, jobs, notices FROM outbox ORDER BY seq LIMIT 1`)
      .toArray()[0];
    return row ? { seq: row.seq, statements: JSON.parse(row.statements), jobs: JSON.parse(row.jobs), notices: JSON.parse(row.notices) } : null;
  }

  outboxSize(): number {
    return this.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM outbox`).one().n;
  }

  deleteOutboxEntry(seq: number): void {
    this.storage.sql.exec(`DELETE FROM outbox WHERE seq = ?`, seq);
  }

  /** Bytes of SQLite storage this run uses (for benchmarks and status). */
  databaseSize(): number {
    return this.storage.sql.databaseSize;
  }
}
