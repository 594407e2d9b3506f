/**
 * Where the CLI finds the API: a flag beats the environment, which beats the config
 * file, which beats the default. The file holds API keys, so it is written 0600.
 * Two keys: the project key every project command sends, and the admin key that only
 * `sepo projects` and `sepo keys` send (it never goes to a project route, so a stray
 * admin key in the environment cannot act on some project by accident).
 */
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { InputError, UsageError } from "./cli-error";

export const DEFAULT_URL = "http://127.0.0.1:8787";

export interface StoredConfig {
  url?: string;
  key?: string;
  adminKey?: string;
}

export type SettingSource = "flag" | "env" | "file" | "default" | "unset";

export interface Setting {
  value: string | undefined;
  source: SettingSource;
}

export interface ResolvedConfig {
  path: string;
  url: Setting & { value: string };
  key: Setting;
  adminKey: Setting;
}

type Env = Record<string, string | undefined>;

/** $SEPO_CONFIG, else $XDG_CONFIG_HOME/sepo/config.json, else ~/.config/sepo/config.json. */
export function configPath(env: Env, homedir: string): string {
  if (env.SEPO_CONFIG) return env.SEPO_CONFIG;
  return join(env.XDG_CONFIG_HOME || join(homedir, ".config"), "sepo", "config.json");
}

/** The stored settings; a missing file is an empty config, a broken one an error naming it. */
export async function readConfig(path: string): Promise<StoredConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InputError(`the config file ${path} is not valid JSON; fix or delete it`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new InputError(`the config file ${path} must hold a JSON object`);
  const { url, key, adminKey } = parsed as Record<string, unknown>;
  return { ...(typeof url === "string" ? { url } : {}), ...(typeof key === "string" ? { key } : {}), ...(typeof adminKey === "string" ? { adminKey } : {}) };
}

export async function writeConfig(path: string, config: StoredConfig): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  // writeFile's mode only applies when it creates the file; an older file may be wider.
  await chmod(path, 0o600);
}

export function resolveConfig(flags: StoredConfig, env: Env, file: StoredConfig, path: string): ResolvedConfig {
  const url = pick(flags.url, env.SEPO_URL, file.url);
  const key = pick(flags.key, env.SEPO_API_KEY, file.key);
  const adminKey = pick(flags.adminKey, env.SEPO_ADMIN_KEY, file.adminKey);
  return {
    path,
    url: url.value === undefined ? { value: DEFAULT_URL, source: "default" } : { value: url.value, source: url.source },
    key,
    adminKey,
  };
}

function pick(flag: string | undefined, env: string | undefined, file: string | undefined): Setting {
  if (flag) return { value: flag, source: "flag" };
  if (env) return { value: env, source: "env" };
  if (file) return { value: file, source: "file" };
  return { value: undefined, source: "unset" };
}

/** An http(s) URL without a trailing slash, or an error saying what is wrong. */
export function normalizeUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`"${raw}" is not a URL; use e.g. ${DEFAULT_URL}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`"${raw}" must be an http:// or https:// URL`);
  return raw.replace(/\/+$/, "");
}

/** Enough of a key to recognise it, never enough to use it. */
export function maskKey(key: string | undefined): string | null {
  if (!key) return null;
  return key.length <= 10 ? "*".repeat(key.length) : `${key.slice(0, 3)}…${key.slice(-4)}`;
}
