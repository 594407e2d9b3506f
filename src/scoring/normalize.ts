/**
 * Answer normalization shared by the comparing scorers. Models decorate answers in ways
 * that never change their meaning (markdown bold, quotes, a closing period, LaTeX `$`);
 * scoring those as wrong would teach the prompt agent formatting, not the task.
 */

const QUOTE_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['"', '"'],
  ["'", "'"],
  ["“", "”"],
  ["‘", "’"],
  ["«", "»"],
  ["`", "`"],
  ["$", "$"],
];

/** Removes surrounding decorations: markdown emphasis, quotes, `$...$`, a trailing period. */
export function stripDecorations(text: string): string {
  let s = text.trim();
  // Layers nest ("**"42".**"), so peel until nothing changes; bounded so it cannot spin.
  for (let i = 0; i < 8; i++) {
    const before = s;
    s = s.replace(/^\*+|\*+$/g, "").trim();
    if (s.length >= 2 && s.startsWith("_") && s.endsWith("_")) s = s.replace(/^_+|_+$/g, "").trim();
    s = s.replace(/[.。]+$/, "").trim();
    for (const [open, close] of QUOTE_PAIRS) {
      if (s.length >= 2 && s.startsWith(open) && s.endsWith(close)) s = s.slice(open.length, -close.length).trim();
    }
    if (s === before) break;
  }
  return s;
}

/**
 * The comparable form of an answer: decorations stripped, Unicode compatibility forms
 * folded (full-width digits), whitespace collapsed, and lower-cased unless `caseSensitive`.
 */
export function normalizeAnswer(text: string, caseSensitive = false): string {
  const s = stripDecorations(text.normalize("NFKC")).replace(/\s+/g, " ");
  return caseSensitive ? s : s.toLowerCase();
}
