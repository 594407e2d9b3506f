/**
 * Runs inside the benchmarked Worker, never in the service: bench-stack.ts copies this
 * file into the source snapshot and points wrangler at an entry (`meteredEntry`) that
 * re-exports the real Worker and Durable Object classes with a metered `env`:
 *  - every D1 statement is counted, by verb and table, with the round trips that carried
 *    it and D1's own `meta.rows_written` / `rows_read` (what Cloudflare bills);
 *  - `GET /__bench/meter` answers the counts, `GET /__bench/limiter?key=` a rate
 *    limiter's status (its window, for the warm-up) and `GET /__bench/run-storage?run=` a
 *    run's Durable Object storage size, so the benchmark reads them from outside.
 * Counting from the outside (row counts before/after) would miss updates and reads, and the
 * DO's outbox entries are gone once carried out. Self-contained: it is copied alone.
 *
 * Under wrangler dev the Worker and its Durable Objects share one isolate, so one set of
 * counters sees the consumer's reads and the DO's outbox writes alike.
 */

export interface MeterCounts {
  /** D1 calls that reached the database: one per batch() and per run/all/first/raw/exec outside one. */
  roundTrips: number;
  /** Statements by "VERB table" (e.g. "INSERT evaluations", "SELECT examples"). */
  statements: Record<string, number>;
  rowsWritten: number;
  rowsRead: number;
}

const counts: MeterCounts = { roundTrips: 0, statements: {}, rowsWritten: 0, rowsRead: 0 };

/** "INSERT evaluations" for `INSERT OR REPLACE INTO evaluations (...)`; the verb alone when no table is found. */
export function statementKind(sql: string): string {
  const text = sql.replace(/\s+/g, " ").trim();
  const verb = (/^\w+/.exec(text)?.[0] ?? "?").toUpperCase();
  const table =
    /^(?:INSERT|REPLACE)(?: OR \w+)? INTO ["`]?(\w+)/i.exec(text)?.[1] ??
    /^UPDATE(?: OR \w+)? ["`]?(\w+)/i.exec(text)?.[1] ??
    /^DELETE FROM ["`]?(\w+)/i.exec(text)?.[1] ??
    /\bFROM ["`]?(\w+)/i.exec(text)?.[1];
  return table ? `${verb} ${table}` : verb;
}

const statementSql = new WeakMap<object, { real: D1PreparedStatement; sql: string }>();

function tally(sql: string): void {
  const kind = statementKind(sql);
  counts.statements[kind] = (counts.statements[kind] ?? 0) + 1;
}

function addMeta(result: unknown): void {
  const meta = (result as { meta?: { rows_written?: number; rows_read?: number } } | null)?.meta;
  counts.rowsWritten += meta?.rows_written ?? 0;
  counts.rowsRead += meta?.rows_read ?? 0;
}

function meterStatement(real: D1PreparedStatement, sql: string): D1PreparedStatement {
  const proxy = new Proxy(real, {
    get(target, prop) {
      if (prop === "bind") return (...values: unknown[]) => meterStatement(target.bind(...values), sql);
      if (prop === "run" || prop === "all" || prop === "first" || prop === "raw") {
        return async (...args: unknown[]) => {
          counts.roundTrips++;
          tally(sql);
          // first() and raw() return rows, not a result with meta: their rows are not counted.
          const result = await (target[prop] as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          addMeta(result);
          return result;
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  statementSql.set(proxy, { real, sql });
  return proxy;
}

function meterDb(db: D1Database): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => meterStatement(target.prepare(sql), sql);
      if (prop === "batch") {
        return async (statements: D1PreparedStatement[]) => {
          counts.roundTrips++;
          const real = statements.map((s) => {
            const known = statementSql.get(s);
            if (known) tally(known.sql);
            return known?.real ?? s;
          });
          const results = await target.batch(real);
          for (const r of results) addMeta(r);
          return results;
        };
      }
      if (prop === "exec") {
        return async (sql: string) => {
          counts.roundTrips++;
          tally(sql);
          return target.exec(sql);
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

type Env = { DB?: D1Database; LIMITERS?: DurableObjectNamespace; RUNS?: DurableObjectNamespace } & Record<string, unknown>;

export function meterEnv<E>(env: E): E {
  const e = env as Env;
  return (e.DB ? { ...e, DB: meterDb(e.DB) } : e) as E;
}

/** A Durable Object class whose instances see the metered env. */
export function meteredClass<T extends abstract new (ctx: DurableObjectState, env: never) => object>(Base: T): T {
  const Ctor = Base as unknown as new (ctx: DurableObjectState, env: unknown) => object;
  return class extends Ctor {
    constructor(ctx: DurableObjectState, env: unknown) {
      super(ctx, meterEnv(env));
    }
  } as unknown as T;
}

type Handlers = {
  fetch?: (request: Request, env: unknown, ctx: ExecutionContext) => Response | Promise<Response>;
  queue?: (batch: MessageBatch, env: unknown, ctx: ExecutionContext) => Promise<void>;
  scheduled?: (controller: ScheduledController, env: unknown, ctx: ExecutionContext) => Promise<void>;
};

/** The Worker's handlers with the metered env, plus the benchmark's two read-only routes. */
export function meteredWorker(worker: Handlers): Handlers {
  return {
    async fetch(request, env, ctx) {
      const url = new URL(request.url);
      if (url.pathname === "/__bench/meter") return Response.json(counts);
      if (url.pathname === "/__bench/limiter") {
        const ns = (env as Env).LIMITERS;
        if (!ns) return Response.json(null);
        const stub = ns.get(ns.idFromName(url.searchParams.get("key") ?? "")) as unknown as { status(): Promise<unknown> };
        return Response.json(await stub.status());
      }
      if (url.pathname === "/__bench/run-storage") {
        const ns = (env as Env).RUNS!;
        const stub = ns.get(ns.idFromName(url.searchParams.get("run") ?? "")) as unknown as { storageInfo(): Promise<unknown> };
        return Response.json(await stub.storageInfo());
      }
      return worker.fetch!(request, meterEnv(env), ctx);
    },
    ...(worker.queue ? { queue: (batch, env, ctx) => worker.queue!(batch, meterEnv(env), ctx) } : {}),
    ...(worker.scheduled ? { scheduled: (controller, env, ctx) => worker.scheduled!(controller, meterEnv(env), ctx) } : {}),
  } satisfies Handlers;
}

/** The entry module wrangler builds instead of the Worker's own `main`. */
export function meteredEntry(main: string, classNames: readonly string[]): string {
  const spec = JSON.stringify(main.replace(/\.ts$/, ""));
  return [
    `import worker, * as app from ${spec};`,
    `import { meteredClass, meteredWorker } from "./bench-meter";`,
    ...classNames.map((name) => `export const ${name} = meteredClass(app.${name});`),
    `export default meteredWorker(worker);`,
    "",
  ].join("\n");
}
