/**
 * Opaque pagination cursors. A cursor is the sort key of the last item of a page,
 * encoded as base64url JSON so clients treat it as a token rather than build their own.
 */
import { z } from "zod";
import { AppError } from "../errors";

/** One page of a list: `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Paging options the repositories accept; `cursor` is what a previous page returned. */
export interface PageOptions {
  limit: number;
  cursor?: string | undefined;
}

/** Newest-first lists sort by (created_at DESC, id DESC): ids break ties within a millisecond. */
export const CreatedCursorSchema = z.tuple([z.number().int(), z.string().min(1)]);
export type CreatedCursor = z.infer<typeof CreatedCursorSchema>;

/**
 * The WHERE clause of a newest-first page, with ?1 = created_at and ?2 = id of the last
 * row seen. Written as a range on created_at (rather than an OR) so SQLite can seek the
 * created_at index instead of scanning from the top.
 */
export const BEFORE_CURSOR = "created_at <= ?1 AND (created_at < ?1 OR id < ?2)";

/** The cursor key of a first page: before everything ever created. */
export const START_OF_NEWEST_FIRST: CreatedCursor = [Number.MAX_SAFE_INTEGER, ""];

/** The (created_at, id) a newest-first page starts before: the cursor's, or the start (a bad cursor is a 400). */
export function newestFirstKey(cursor: string | undefined): CreatedCursor {
  return cursor === undefined ? START_OF_NEWEST_FIRST : decodeCursor(cursor, CreatedCursorSchema);
}

export function encodeCursor(key: unknown): string {
  return btoa(JSON.stringify(key)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Decodes a cursor or throws a 400 naming the `cursor` parameter. */
export function decodeCursor<S extends z.ZodType>(cursor: string, schema: S): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(atob(cursor.replaceAll("-", "+").replaceAll("_", "/")));
  } catch {
    value = undefined;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const message = "is not a cursor this list returned; pass the nextCursor of the previous page unchanged";
    throw new AppError("invalid_request", `Invalid query parameters: cursor: ${message}`, [{ path: "cursor", message }]);
  }
  return parsed.data;
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only proves there is more,
 * and the cursor is the key of the last row kept.
 */
export function toPage<R, T>(rows: R[], limit: number, map: (row: R) => T, key: (row: R) => unknown): Page<T> {
  const kept = rows.slice(0, limit);
  const last = kept[kept.length - 1];
  return {
    items: kept.map(map),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(key(last)) : null,
  };
}
