/** The paging flags every list command shares: --limit, --cursor, --all. */
import type { Query } from "../client/api-client";
import { UsageError } from "./cli-error";
import type { CliContext } from "./context";
import { nextPageHint } from "./format";

export const PAGE_OPTIONS = {
  limit: { type: "string" },
  cursor: { type: "string" },
  all: { type: "boolean" },
} as const;

export const PAGE_USAGE = `  --limit <n>       items per page (1-100, default 20)
  --cursor <c>      the page after the one that printed this cursor
  --all             follow every page`;

export interface PageFlags {
  limit?: string | undefined;
  cursor?: string | undefined;
  all?: boolean | undefined;
}

export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}

/** One page, or every page with --all (100 at a time, the API's maximum). */
export async function fetchList<T>(flags: PageFlags, fetchPage: (query: Query) => Promise<ListPage<T>>): Promise<ListPage<T>> {
  const limit = flags.limit === undefined ? undefined : Number(flags.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 100)) throw new UsageError("--limit must be a whole number from 1 to 100");
  if (!flags.all) return fetchPage({ limit, cursor: flags.cursor });
  const items: T[] = [];
  let cursor = flags.cursor;
  for (;;) {
    const page = await fetchPage({ limit: 100, cursor });
    items.push(...page.items);
    if (!page.nextCursor) return { items, nextCursor: null };
    cursor = page.nextCursor;
  }
}

/** Prints the page as JSON, or as text plus a hint on stderr when there is a next page. */
export function printList<T>(ctx: CliContext, page: ListPage<T>, command: string, render: (items: T[]) => string, empty: string): void {
  if (ctx.globals.json) {
    ctx.json(page);
    return;
  }
  ctx.out(page.items.length ? render(page.items) : empty);
  const hint = nextPageHint(command, page.nextCursor);
  if (hint) ctx.io.stderr.write(`${hint}\n`);
}
