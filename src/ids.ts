/**
 * Ids the service chooses for the rows it writes. Choosing ids up front (rather than
 * letting the database assign them) is what makes every write an idempotent upsert.
 */

/** The prefixes in use, so an id says what it names: `task_…`, `ex_…`, `run_…`, `agt_…`. */
export const ID_PREFIXES = ["task", "ex", "run", "agt"] as const;
export type IdPrefix = (typeof ID_PREFIXES)[number];

/**
 * A new random id: the prefix, an underscore, and a UUIDv4 without dashes
 * (`task_3f2a…`, 32 hex digits after the prefix). A trailing underscore on the prefix is
 * accepted (`newId("task_")`) and not doubled.
 */
export function newId(prefix: IdPrefix | `${IdPrefix}_` | (string & {})): string {
  const stem = prefix.endsWith("_") ? prefix.slice(0, -1) : prefix;
  return `${stem}_${crypto.randomUUID().replaceAll("-", "")}`;
}
