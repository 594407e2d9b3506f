/**
 * A D1 write as plain data. The run's Durable Object keeps pending writes in its outbox
 * across evictions, which a prepared statement object cannot survive.
 */
export type SqlValue = string | number | null;

export interface SqlStatement {
  sql: string;
  params: SqlValue[];
}

export function prepareAll(db: D1Database, statements: SqlStatement[]): D1PreparedStatement[] {
  return statements.map((s) => db.prepare(s.sql).bind(...s.params));
}
