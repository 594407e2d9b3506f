/** The few statistics the method needs, over plain arrays of numbers. */

/** Arithmetic mean; 0 for an empty list (callers never score an empty split). */
export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

/** Standard error of the mean: sample standard deviation (n - 1) over sqrt(n); 0 below two values. */
export function standardError(xs: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const m = mean(xs);
  let squares = 0;
  for (const x of xs) squares += (x - m) * (x - m);
  return Math.sqrt(squares / (n - 1)) / Math.sqrt(n);
}
