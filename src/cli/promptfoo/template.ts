/**
 * promptfoo renders prompts with Nunjucks. The converter substitutes only plain
 * `{{ var }}` and `{{ var.field }}`; anything else (filters, tags, expressions) is refused
 * with a message rather than rendered wrongly, since a mis-rendered input would silently
 * become training data.
 */
import { InputError } from "../cli-error";

const VAR = /\{\{\s*([A-Za-z_$][\w$]*(?:\.[\w$]+)*)\s*\}\}/g;

/** Why the converter cannot render `template`, or null. */
export function templateProblem(template: string): string | null {
  if (/\{%|\{#/.test(template)) return "uses Nunjucks tags ({% ... %} or {# ... #})";
  const rest = template.replace(VAR, "");
  const odd = /\{\{[\s\S]*?\}\}/.exec(rest);
  if (odd) return `uses ${JSON.stringify(odd[0])}: only plain {{var}} substitutions are supported (no filters or expressions)`;
  return null;
}

/** The variable names a template uses (the first segment of a dotted path), in order, once each. */
export function templateVars(template: string): string[] {
  return [...new Set([...template.matchAll(VAR)].map((m) => m[1]!.split(".")[0]!))];
}

/**
 * `template` with each `{{ path }}` replaced by the var's text. Throws when a var is
 * missing: promptfoo would render it empty, which almost always means a typo.
 */
export function renderTemplate(template: string, vars: Record<string, unknown>, where: string): string {
  return template.replace(VAR, (_, path: string) => {
    const value = readPath(vars, path);
    if (value === undefined) throw new InputError(`${where}: the template uses {{${path}}} but the test has no var "${path}"`);
    return varText(value);
  });
}

/** How a var value appears in text: strings as they are, other values as JSON. */
export function varText(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function readPath(vars: Record<string, unknown>, path: string): unknown {
  let value: unknown = vars;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
