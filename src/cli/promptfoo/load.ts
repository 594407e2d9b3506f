/**
 * Reading a promptfoo config from disk: promptfooconfig.yaml / .yml (promptfoo's usual
 * form) with the `yaml` package, anything else as JSON.
 */
import { readFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { InputError } from "../cli-error";
import type { RefReader } from "./prompts";
import { isYamlPath, parseYamlText } from "./yaml-text";

export function parsePromptfooConfig(path: string, text: string): unknown {
  if (isYamlPath(path)) return parseYamlText(basename(path), text);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${basename(path)} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Reads `file://` references relative to the config file's directory, as promptfoo does. */
export function fileRefReader(configPath: string): RefReader {
  const base = dirname(configPath);
  return (path) => {
    try {
      return readFileSync(resolve(base, path), "utf8");
    } catch (error) {
      throw new InputError(`cannot read file://${path} (relative to ${base}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  };
}
