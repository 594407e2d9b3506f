/**
 * Reading numbers the way models write them: thousands separators ("1,234"), signs
 * (including the Unicode minus), decimals, exponents, fractions ("3/4", "\frac{3}{4}").
 * A percent sign is ignored ("50%" reads as 50): the expected value decides the scale.
 */
import { stripDecorations } from "./normalize";

export interface NumberToken {
  value: number;
  /** The text the number was read from, for feedback. */
  raw: string;
  index: number;
}

// A sign counts only where it cannot be a binary minus ("5-3" is 5 and 3, "= -3" is -3),
// and digits glued to letters ("H2O", "x2") are not numbers.
const SIGN = String.raw`(?:(?<![\w)\]}])[-−+])?`;
const UNSIGNED = String.raw`(?<![A-Za-z_\d.])(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?|(?<![\w.])\.\d+`;
const NUM = `${SIGN}(?:${UNSIGNED})`;
const LATEX_FRACTION = String.raw`(${SIGN})\\d?frac\s*\{\s*(${NUM})\s*\}\s*\{\s*(${NUM})\s*\}`;
const FRACTION = String.raw`(?<![\d/])(${NUM})\s*\/\s*(${NUM})(?![\d/])`;
const TOKEN = new RegExp(`${LATEX_FRACTION}|${FRACTION}|(${NUM})`, "g");

/** Every number in `text`, in order of appearance. */
export function findNumbers(text: string): NumberToken[] {
  const tokens: NumberToken[] = [];
  for (const match of text.normalize("NFKC").matchAll(TOKEN)) {
    const [raw, latexSign, latexTop, latexBottom, top, bottom, single] = match;
    let value: number;
    if (latexTop !== undefined && latexBottom !== undefined) {
      value = (latexSign && /[-−]/.test(latexSign) ? -1 : 1) * (toNumber(latexTop) / toNumber(latexBottom));
    } else if (top !== undefined && bottom !== undefined) {
      value = toNumber(top) / toNumber(bottom);
    } else {
      value = toNumber(single ?? raw);
    }
    if (Number.isFinite(value)) tokens.push({ value, raw: raw.trim(), index: match.index });
  }
  return tokens;
}

/** `text` read as one number ("1,234", "-3/4", "$42", "50%"), or null when it is not exactly one. */
export function parseNumber(text: string): number | null {
  const tokens = findNumbers(stripDecorations(text));
  return tokens.length === 1 ? tokens[0]!.value : null;
}

/**
 * The number a final answer states. In an explicit answer the first number after the
 * last "=" (or the first number) is the value ("42 apples (6 * 7)", "x = 12"); in a
 * fallback last line the last number is ("so in total we get 42").
 */
export function pickAnswerNumber(answer: string, explicit: boolean): NumberToken | null {
  const tokens = findNumbers(answer);
  if (!explicit) return tokens.at(-1) ?? null;
  const equals = answer.lastIndexOf("=");
  return tokens.find((token) => token.index > equals) ?? tokens.at(-1) ?? null;
}

function toNumber(raw: string): number {
  return Number(raw.replace(/,/g, "").replace("−", "-"));
}
