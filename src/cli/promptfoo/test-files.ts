/**
 * promptfoo's `tests` may name files instead of listing the cases: `tests: file://tests.yaml`,
 * or entries such as `- file://more.yaml` among inline cases. YAML and JSON files of
 * test cases are read (relative to the config, as promptfoo does); CSV and scripts are not.
 */
import { InputError } from "../cli-error";
import type { RefReader } from "./prompts";
import { isYamlPath, parseYamlText } from "./yaml-text";

/** The config's test cases, with file references replaced by the cases they hold. */
export function loadTestList(tests: unknown, readRef: RefReader): unknown[] {
  if (typeof tests === "string") return casesOf(tests, "tests", readRef);
  if (!Array.isArray(tests)) return [];
  return tests.flatMap((entry, i) => (typeof entry === "string" ? casesOf(entry, `tests[${i}]`, readRef) : [entry]));
}

function casesOf(ref: string, where: string, readRef: RefReader): unknown[] {
  if (!ref.startsWith("file://")) throw new InputError(`${where} is "${ref}"; a test is an object { vars, assert }, or a file://tests.yaml reference`);
  const path = ref.slice("file://".length);
  if (/[*?]/.test(path)) throw new InputError(`${where}: test file globs (${ref}) are not supported; name one file`);
  let value: unknown;
  if (isYamlPath(path)) value = parseYamlText(ref, readRef(path));
  else if (/\.json$/i.test(path)) {
    try {
      value = JSON.parse(readRef(path));
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(`${ref} is not valid JSON: ${(error as Error).message}`);
    }
  } else {
    throw new InputError(`${where} loads ${ref}; only YAML (.yaml, .yml) and JSON test files are supported (not CSV or scripts): list the tests inline or convert the file`);
  }
  if (Array.isArray(value)) return value;
  if (value && typeof value === "object") return [value];
  throw new InputError(`${ref} must hold a list of tests ({ vars, assert })`);
}
