/**
 * What a command runs with: the process's streams and environment (injected, so tests
 * run the CLI in process), the global flags, and a client built from the resolved config.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { SepoClient } from "../client/api-client";
import { InputError, UsageError } from "./cli-error";
import { configPath, normalizeUrl, readConfig, type ResolvedConfig, resolveConfig } from "./config-store";

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  homedir: string;
  cwd: string;
  /** The API transport; tests pass a fake. */
  fetch?: typeof fetch;
  readStdin(): Promise<string>;
  sleep(ms: number): Promise<void>;
}

export interface GlobalFlags {
  json: boolean;
  url?: string;
  key?: string;
  adminKey?: string;
}

/** Accepted by every command, before or after the command name. */
export const GLOBAL_OPTIONS = {
  json: { type: "boolean" },
  url: { type: "string" },
  key: { type: "string" },
  "admin-key": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Requests that hang should not hang the CLI; watch polls, so one slow poll is not fatal. */
const REQUEST_TIMEOUT_MS = 60_000;

export class CliContext {
  private resolved: ResolvedConfig | undefined;

  constructor(
    readonly io: CliIo,
    readonly globals: GlobalFlags,
  ) {}

  /** parseArgs with the global options merged in; its errors become usage errors (exit 2). */
  parse<const O extends Options>(args: string[], options: O, positionals: { min?: number; max: number; names?: string }) {
    let parsed;
    try {
      parsed = parseArgs({ args, options: { ...GLOBAL_OPTIONS, ...options }, allowPositionals: true, strict: true });
    } catch (error) {
      // Node's messages run on with advice about "--"; the first sentence is the useful part.
      throw new UsageError((error as Error).message.split(". ")[0]!.replace(/\.$/, ""));
    }
    // Inside this generic function the values' type is unresolved; the globals are known to be there.
    const values = parsed.values as { json?: boolean; url?: string; key?: string; "admin-key"?: string };
    if (values.json) this.globals.json = true;
    if (typeof values.url === "string") this.globals.url = values.url;
    if (typeof values.key === "string") this.globals.key = values.key;
    if (typeof values["admin-key"] === "string") this.globals.adminKey = values["admin-key"];
    const count = parsed.positionals.length;
    if (count < (positionals.min ?? 0)) throw new UsageError(`missing ${positionals.names ?? "argument"}`);
    if (count > positionals.max) throw new UsageError(`unexpected argument "${parsed.positionals[positionals.max]}"`);
    return parsed;
  }

  async config(): Promise<ResolvedConfig> {
    if (!this.resolved) {
      const path = configPath(this.io.env, this.io.homedir);
      const file = await readConfig(path);
      const { url, key, adminKey } = this.globals;
      const flags = { ...(url ? { url } : {}), ...(key ? { key } : {}), ...(adminKey ? { adminKey } : {}) };
      this.resolved = resolveConfig(flags, this.io.env, file, path);
    }
    return this.resolved;
  }

  /** The base URL in use, for error messages; undefined before the config was read. */
  get baseUrl(): string | undefined {
    return this.resolved?.url.value;
  }

  /** A client that sends the project key (project routes). */
  async client(): Promise<SepoClient> {
    const config = await this.config();
    return this.clientWith(config.url.value, config.key.value);
  }

  /** A client that sends the admin key (the admin routes: projects and keys); without one, exit 1 saying how to set it. */
  async adminClient(): Promise<SepoClient> {
    const config = await this.config();
    if (!config.adminKey.value) {
      throw new InputError("this command needs the admin key (the service's ADMIN_API_KEY): pass --admin-key, set SEPO_ADMIN_KEY, or run `sepo config set admin-key -`");
    }
    return this.clientWith(config.url.value, config.adminKey.value);
  }

  private clientWith(url: string, apiKey: string | undefined): SepoClient {
    return new SepoClient({
      baseUrl: normalizeUrl(url),
      ...(apiKey ? { apiKey } : {}),
      ...(this.io.fetch ? { fetch: this.io.fetch } : {}),
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
  }

  out(text = ""): void {
    this.io.stdout.write(`${text}\n`);
  }

  /** Progress and notes: stderr when stdout carries JSON, so stdout stays parseable. */
  info(text = ""): void {
    (this.globals.json ? this.io.stderr : this.io.stdout).write(`${text}\n`);
  }

  warn(text: string): void {
    this.io.stderr.write(`sepo: warning: ${text}\n`);
  }

  json(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** A file named on the command line, relative to the working directory. */
  async readText(path: string): Promise<string> {
    try {
      return await readFile(resolve(this.io.cwd, path), "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new InputError(code === "ENOENT" ? `no such file: ${path}` : `cannot read ${path}: ${(error as Error).message}`);
    }
  }

  /** `@path` reads a file, `-` reads stdin, anything else is the text itself (curl's convention). */
  async textArg(value: string): Promise<string> {
    if (value === "-") return (await this.io.readStdin()).replace(/\n$/, "");
    if (value.startsWith("@")) return (await this.readText(value.slice(1))).replace(/\n$/, "");
    return value;
  }

  resolvePath(path: string): string {
    return resolve(this.io.cwd, path);
  }
}
