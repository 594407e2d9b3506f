/**
 * Feedback is read by the prompt agent next to every failed example, many at a time, so
 * it must stay short and single-line: a long quote would crowd out the other examples.
 */

/** The longest feedback text a scorer returns. */
export const MAX_FEEDBACK_CHARS = 300;

/** A one-line, double-quoted excerpt of `text`, cut with an ellipsis past `max` characters. */
export function quote(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const cut = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  return `"${cut.replace(/"/g, "'")}"`;
}

/** Cuts feedback to MAX_FEEDBACK_CHARS so that no scorer can flood the agent's context. */
export function clampFeedback(text: string): string {
  return text.length > MAX_FEEDBACK_CHARS ? `${text.slice(0, MAX_FEEDBACK_CHARS - 1)}…` : text;
}

/** The shared hint for outputs without a recognisable final answer. */
export const NO_ANSWER_FEEDBACK = 'No final answer found; end with "Answer: <value>".';
