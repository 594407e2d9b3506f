/**
 * The program in a model's answer. Chat models wrap code in Markdown fences and often add
 * a usage example in a second fence, so the choice is: the last fence tagged with the
 * language that defines the function the tests call, else the last fence tagged with the
 * language, else the last untagged fence, else the whole output (a bare program).
 */

/** Fence tags accepted per language (lower case). */
const TAGS: Record<CodeLanguage, readonly string[]> = {
  javascript: ["javascript", "js", "node", "mjs", "cjs"],
  python: ["python", "py", "python3"],
};

export type CodeLanguage = "javascript" | "python";

interface Fence {
  tag: string;
  body: string;
}

// An opening fence of 3+ backticks or tildes with an optional tag, up to the same fence.
const FENCE = /^([ \t]*)(`{3,}|~{3,})[ \t]*([\w+#.-]*)[^\n]*\n([\s\S]*?)^\1?\2[ \t]*$/gm;

// A fence left open at the end (the answer was cut off at the token limit).
const OPEN_FENCE = /^[ \t]*(?:`{3,}|~{3,})[ \t]*([\w+#.-]*)[^\n]*\n([\s\S]*)$/m;

function fences(output: string): Fence[] {
  const closed = [...output.matchAll(FENCE)];
  const found = closed.map((m) => ({ tag: (m[3] ?? "").toLowerCase(), body: m[4] ?? "" }));
  const last = closed.at(-1);
  const rest = last ? output.slice((last.index ?? 0) + last[0].length) : output;
  const open = OPEN_FENCE.exec(rest);
  if (open) found.push({ tag: (open[1] ?? "").toLowerCase(), body: open[2] ?? "" });
  return found;
}

/** True when `code` defines `name` as a function (declaration, expression or arrow). */
export function definesFunction(code: string, name: string, language: CodeLanguage): boolean {
  const id = name.replace(/[$]/g, "\\$");
  const pattern =
    language === "python"
      ? new RegExp(`^\\s*(?:async\\s+)?def\\s+${id}\\s*\\(`, "m")
      : new RegExp(`(?:function\\s*\\*?\\s*${id}\\s*\\(|(?:const|let|var)\\s+${id}\\s*=)`);
  return pattern.test(code);
}

/**
 * The code to run from `output`, or "" when there is none. `entryPoint`, when known, picks
 * among several fences the one that defines it.
 */
export function extractCode(output: string, language: CodeLanguage, entryPoint?: string): string {
  const all = fences(output);
  const tagged = all.filter((f) => TAGS[language].includes(f.tag));
  const defining = entryPoint ? tagged.filter((f) => definesFunction(f.body, entryPoint, language)) : [];
  const untagged = all.filter((f) => f.tag === "");
  const chosen = defining.at(-1) ?? tagged.at(-1) ?? untagged.at(-1);
  if (chosen) return chosen.body.trim();
  // A fence for another language only: running the whole text would be a syntax error anyway.
  if (all.length > 0) return "";
  return output.trim();
}
