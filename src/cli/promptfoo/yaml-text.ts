/**
 * YAML for promptfoo files (configs, chat prompt files, test files), read with the `yaml`
 * package. A malformed file stops with the parser's own words and position ("... at line
 * 3, column 1") rather than a half-read value: the parser recovers from many errors and
 * would otherwise hand back a config missing its tests without a word.
 */
import { parseDocument } from "yaml";
import { InputError } from "../cli-error";

/** How many more errors the message mentions after the first (the first is usually the cause). */
const MORE = (n: number) => (n > 0 ? ` (and ${n} more error${n === 1 ? "" : "s"})` : "");

export function isYamlPath(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

/** The file's value as plain JSON-like data; `name` is how messages refer to the file. */
export function parseYamlText(name: string, text: string): unknown {
  // uniqueKeys: a key written twice is a mistake in a config (the second would silently win).
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    // The message's first line names the problem and its position; the rest is a source excerpt.
    let summary = first.message.split("\n")[0]!.replace(/:\s*$/, "");
    // The parser's advice here is for programmers ("use parseAllDocuments()").
    if (first.code === "MULTIPLE_DOCS") summary = `it holds more than one document (a second "---" at line ${first.linePos?.[0].line ?? "?"}); keep one`;
    throw new InputError(`${name} is not valid YAML: ${summary}${MORE(doc.errors.length - 1)}`);
  }
  try {
    // maxAliasCount bounds alias expansion ("billion laughs"): a config never needs many.
    return doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    throw new InputError(`${name} is not usable YAML: ${(error as Error).message}`);
  }
}
