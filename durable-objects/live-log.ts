/**
 * The run's recent live messages, numbered, in the Durable Object's SQLite: a ring of the
 * last LOG_CAPACITY messages. It is what makes a dropped subscriber resumable (SSE's
 * `Last-Event-ID`): the messages it missed are replayed, even after the object was
 * evicted or redeployed, and the sequence never restarts, so a number always means the
 * same message. A subscriber too far behind gets a fresh snapshot instead.
 */
import type { LiveEntry, LiveMessage } from "./live-protocol";

/** About a dozen generations of a small run; each message is a few hundred bytes. */
export const LOG_CAPACITY = 512;

export class LiveLog {
  private last: number;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly capacity = LOG_CAPACITY,
  ) {
    storage.sql.exec(`CREATE TABLE IF NOT EXISTS live_messages (seq INTEGER PRIMARY KEY, data TEXT NOT NULL)`);
    this.last = storage.sql.exec<{ seq: number }>(`SELECT coalesce(max(seq), 0) AS seq FROM live_messages`).one().seq;
  }

  /** The number of the newest message (0 before the first). */
  get lastSeq(): number {
    return this.last;
  }

  /** Numbers and stores the entries (dropping the oldest beyond capacity), and returns them numbered. */
  append(entries: LiveEntry[]): LiveMessage[] {
    // `seq` first, so a message reads in order on the wire.
    const messages = entries.map((entry, i) => ({ seq: this.last + 1 + i, ...entry }) as LiveMessage);
    this.storage.transactionSync(() => {
      for (const m of messages) this.storage.sql.exec(`INSERT INTO live_messages (seq, data) VALUES (?, ?)`, m.seq, JSON.stringify(m));
      this.storage.sql.exec(`DELETE FROM live_messages WHERE seq <= ?`, this.last + messages.length - this.capacity);
    });
    this.last += messages.length;
    return messages;
  }

  /**
   * Every message after `seq`, oldest first; null when the log cannot say: `seq` is
   * beyond the newest (not this run's number) or older than the ring still holds.
   */
  after(seq: number): LiveMessage[] | null {
    if (seq > this.last || seq < 0) return null;
    if (seq === this.last) return [];
    const rows = this.storage.sql.exec<{ data: string }>(`SELECT data FROM live_messages WHERE seq > ? ORDER BY seq`, seq).toArray();
    if (rows.length !== this.last - seq) return null;
    return rows.map((row) => JSON.parse(row.data) as LiveMessage);
  }

  /** The newest message, if the log holds any. */
  newest(): LiveMessage | null {
    const row = this.storage.sql.exec<{ data: string }>(`SELECT data FROM live_messages ORDER BY seq DESC LIMIT 1`).toArray()[0];
    return row ? (JSON.parse(row.data) as LiveMessage) : null;
  }
}
