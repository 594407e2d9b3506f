/**
 * Text helpers for SimLM: normalizing prompts for cue detection, and editing a prompt
 * sentence by sentence the way the simulated prompt agent does. Pure.
 */

/** Lower case, straight quotes, single spaces: cue detection should not hinge on typography. */
export function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u201b]/g, "'")
    .replace(/[\u201c\u201d\u201f]/g, '"')
    .replace(/[\u2010-\u2014]/g, "-")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Splits text into sentences: at line breaks, and after . ! ? (optionally followed by a
 * closing quote) when the next sentence starts. Keeps each sentence's own punctuation.
 */
export function splitSentences(text: string): string[] {
  return text
    .split(/\n+/)
    .flatMap((line) => line.split(/(?<=[.!?]['")]?)\s+(?=[A-Z0-9"'(\-*])/))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** A prompt as lines of sentences, so edits can delete one sentence and keep the layout. */
export type PromptLines = string[][];

export function toLines(text: string): PromptLines {
  return text
    .split(/\n/)
    .map((line) => splitSentences(line))
    .filter((line, i, all) => line.length > 0 || (i > 0 && (all[i - 1]?.length ?? 0) > 0));
}

export function fromLines(lines: PromptLines): string {
  return lines
    .map((line) => line.join(" "))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Every sentence with its position, for choosing one to delete. */
export function sentencePositions(lines: PromptLines): Array<{ line: number; index: number; text: string }> {
  return lines.flatMap((line, li) => line.map((text, index) => ({ line: li, index, text })));
}

export function removeSentence(lines: PromptLines, line: number, index: number): PromptLines {
  return lines.map((l, li) => (li === line ? l.filter((_, i) => i !== index) : l)).filter((l) => l.length > 0);
}

/**
 * Long quoted spans: how SimLM recognizes example text copied into a prompt. A prompt
 * that quotes whole problems overfits to them, so each such span costs the task model.
 */
export function countQuotedSpans(text: string): number {
  return [...normalize(text).matchAll(/"[^"]{60,}"/g)].length;
}

/** Undoes the engine's fence(): `</ tag>` back to `</tag>` (see prompt-templates.ts). */
export function unfence(text: string): string {
  return text.replace(/<\/ ([a-z_]+)>/g, "</$1>");
}

/** The text between the first `<tag ...>` and its closing tag, or null. */
export function between(text: string, tag: string): string | null {
  const open = text.search(new RegExp(`<${tag}(\\s[^>]*)?>`));
  if (open < 0) return null;
  const start = text.indexOf(">", open) + 1;
  const end = text.indexOf(`</${tag}>`, start);
  return end < 0 ? null : text.slice(start, end);
}
