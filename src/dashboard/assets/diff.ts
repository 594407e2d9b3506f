/**
 * Client module `diff.js`: a word diff of two prompts (a child against its parent, a
 * prompt version against the one before). Pure, with no DOM, so Node can import it too.
 *
 * Words and whitespace runs are the tokens, so a reworded sentence shows as a few
 * words struck and added rather than a whole line replaced. The LCS table is quadratic:
 * the common prefix and suffix (most of a mutated prompt) are stripped first, and past
 * MAX_CELLS the middle is shown as one replacement rather than freezing the page.
 */
export const diffJs = String.raw`
export const MAX_CELLS = 4000000;

export function tokenize(text) {
  return String(text || "").match(/\s+|[^\s]+/g) || [];
}

/** [{ op: "eq" | "del" | "add", text }] turning before into after, adjacent parts merged. */
export function diffWords(before, after) {
  return diffTokens(tokenize(before), tokenize(after));
}

export function diffTokens(a, b) {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const parts = [];
  if (start > 0) parts.push({ op: "eq", text: a.slice(0, start).join("") });
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length * midB.length > MAX_CELLS) {
    if (midA.length) parts.push({ op: "del", text: midA.join("") });
    if (midB.length) parts.push({ op: "add", text: midB.join("") });
  } else {
    parts.push(...lcsDiff(midA, midB));
  }
  if (endA < a.length) parts.push({ op: "eq", text: a.slice(endA).join("") });
  return merge(parts);
}

function lcsDiff(a, b) {
  const n = a.length;
  const m = b.length;
  const w = m + 1;
  // t[i*w+j] = length of the LCS of a[i..] and b[j..]
  const t = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      t[i * w + j] = a[i] === b[j] ? t[(i + 1) * w + j + 1] + 1 : Math.max(t[(i + 1) * w + j], t[i * w + j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: "eq", text: a[i++] });
      j++;
    } else if (t[(i + 1) * w + j] >= t[i * w + j + 1]) {
      out.push({ op: "del", text: a[i++] });
    } else {
      out.push({ op: "add", text: b[j++] });
    }
  }
  while (i < n) out.push({ op: "del", text: a[i++] });
  while (j < m) out.push({ op: "add", text: b[j++] });
  return out;
}

/**
 * Merges runs of the same op, and folds a lone whitespace "eq" between two changes
 * into them, so "a b" -> "c d" reads as one replacement, not four fragments.
 */
function merge(parts) {
  const folded = [];
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k];
    const prev = parts[k - 1];
    const next = parts[k + 1];
    if (p.op === "eq" && /^\s+$/.test(p.text) && prev && next && prev.op !== "eq" && next.op !== "eq") {
      folded.push({ op: "del", text: p.text }, { op: "add", text: p.text });
    } else {
      folded.push(p);
    }
  }
  // Group each change block as all deletions then all additions before merging neighbours.
  const grouped = [];
  let dels = [];
  let adds = [];
  const flush = () => {
    if (dels.length) grouped.push({ op: "del", text: dels.join("") });
    if (adds.length) grouped.push({ op: "add", text: adds.join("") });
    dels = [];
    adds = [];
  };
  for (const p of folded) {
    if (p.op === "del") dels.push(p.text);
    else if (p.op === "add") adds.push(p.text);
    else {
      flush();
      const last = grouped[grouped.length - 1];
      if (last && last.op === "eq") last.text += p.text;
      else grouped.push({ op: "eq", text: p.text });
    }
  }
  flush();
  return grouped.filter((p) => p.text.length > 0);
}

/** Words added and removed (whitespace not counted). */
export function diffStats(parts) {
  const words = (text) => (text.match(/[^\s]+/g) || []).length;
  let added = 0;
  let removed = 0;
  for (const p of parts) {
    if (p.op === "add") added += words(p.text);
    if (p.op === "del") removed += words(p.text);
  }
  return { added, removed };
}
`;
