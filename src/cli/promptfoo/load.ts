/**
 * Reading a promptfoo config from disk. Only JSON is parsed: the project has no YAML
 * library, and a home-made YAML subset would misread real configs in quiet ways, so a
 * YAML file gets a message saying how to proceed instead.
 */
import { readFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { InputError } from "../cli-error";
import type { RefReader } from "./prompts";

export function parsePromptfooConfig(path: string, text: string): unknown {
  if (/\.ya?ml$/i.test(path)) {
    throw new InputError(
      `${basename(path)} is YAML, and this sepo cannot read YAML yet (it needs the "yaml" package); ` +
        "save the same configuration as JSON (promptfooconfig.json) and pass that",
    );
  }
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
