/** Runs the CLI's main in process with captured output, a private config path and a fake API. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../../../src/cli/main";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  fetch?: typeof fetch;
  env?: Record<string, string | undefined>;
  /** Makes stdout (and stderr) look like a terminal. */
  tty?: boolean;
  stdin?: string;
  cwd?: string;
}

/** A fresh directory per call unless a test shares one (config files, input files). */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "sepo-cli-"));
}

export async function runCli(argv: string[], options: RunCliOptions = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const home = tempDir();
  const code = await main(argv, {
    stdout: { write: (t: string) => (stdout += t), isTTY: options.tty ?? false, columns: 200 },
    stderr: { write: (t: string) => (stderr += t), isTTY: options.tty ?? false },
    env: { SEPO_CONFIG: join(home, "config.json"), ...options.env },
    homedir: home,
    cwd: options.cwd ?? home,
    readStdin: async () => options.stdin ?? "",
    sleep: async () => {},
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return { code, stdout, stderr };
}
