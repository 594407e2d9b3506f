/** Plain-text rendering shared by the commands: aligned tables, short previews, numbers. */

/** Columns padded to their widest cell; the last column is not padded (it may be long). */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** The first line of `text`, cut to `max` characters with an ellipsis. */
export function preview(text: string, max = 60): string {
  const first = text.trim().split("\n")[0] ?? "";
  const cut = first.length > max ? `${first.slice(0, max - 1)}…` : first;
  return text.trim().includes("\n") && cut === first ? `${cut} …` : cut;
}

/** A score on [0, 1] with three decimals, or "-" when unknown. */
export function score(x: number | null | undefined): string {
  return x === null || x === undefined ? "-" : x.toFixed(3);
}

export function count(n: number): string {
  return n.toLocaleString("en-US");
}

export function usd(x: number): string {
  return `$${x < 1 ? x.toFixed(4) : x.toFixed(2)}`;
}

/** Indents every line of a block (prompt texts under a heading). */
export function indent(text: string, by = "  "): string {
  return text
    .split("\n")
    .map((l) => (l ? by + l : l))
    .join("\n");
}

/** "(more: sepo tasks list --cursor X)" for a page that has a next one. */
export function nextPageHint(command: string, nextCursor: string | null | undefined): string | null {
  return nextCursor ? `more: ${command} --cursor ${nextCursor}` : null;
}
