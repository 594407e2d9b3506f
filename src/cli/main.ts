/**
 * `sepo`: the CLI's entry. `main(argv, io)` runs one command and returns its exit code,
 * never calling process.exit, so tests run it in process against a fake API.
 */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { describeError, EXIT, UsageError } from "./cli-error";
import { type CommandGroup, groupUsage } from "./command";
import { agentsGroup } from "./commands/agents";
import { budgetGroup } from "./commands/budget";
import { configGroup } from "./commands/config";
import { keysGroup, projectsGroup } from "./commands/projects";
import { promptGroup } from "./commands/prompt";
import { runsGroup } from "./commands/runs";
import { schedulesGroup } from "./commands/schedules";
import { tasksGroup } from "./commands/tasks";
import { webhooksGroup } from "./commands/webhooks";
import { CliContext, type CliIo, type GlobalFlags } from "./context";
import { USAGE } from "./usage";

const GROUPS: readonly CommandGroup[] = [tasksGroup, promptGroup, runsGroup, agentsGroup, schedulesGroup, webhooksGroup, budgetGroup, projectsGroup, keysGroup, configGroup];

export async function main(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  const ctx = new CliContext({ ...defaultIo(), ...io }, { json: false });
  try {
    return await dispatch(ctx, argv);
  } catch (error) {
    const { code, message } = describeError(error, ctx.baseUrl);
    const hint = code === EXIT.usage ? ` (see \`sepo ${helpTarget(argv)}--help\`)` : "";
    ctx.io.stderr.write(`sepo: error: ${message}${hint}\n`);
    return code;
  }
}

async function dispatch(ctx: CliContext, argv: string[]): Promise<number> {
  const { rest, help, version } = leadingGlobals(argv, ctx.globals);
  if (version) {
    ctx.out(await cliVersion());
    return EXIT.ok;
  }
  const [groupName, commandName, ...args] = rest;
  if (!groupName || groupName === "help") {
    const topic = GROUPS.find((g) => g.name === commandName);
    if (groupName === "help" || help) {
      ctx.out(topic ? groupUsage(topic) : USAGE);
      return EXIT.ok;
    }
    ctx.io.stderr.write(`${USAGE}\n`);
    return EXIT.usage;
  }
  const group = GROUPS.find((g) => g.name === groupName);
  if (!group) throw new UsageError(`unknown command "${groupName}"`);
  const wantsHelp = help || args.includes("--help") || args.includes("-h");
  const command = commandName === undefined ? undefined : group.commands[commandName];
  if (!command) {
    if (commandName === undefined || commandName === "--help" || commandName === "-h" || commandName === "help") {
      const asked = help || commandName !== undefined;
      (asked ? ctx.io.stdout : ctx.io.stderr).write(`${groupUsage(group)}\n`);
      return asked ? EXIT.ok : EXIT.usage;
    }
    throw new UsageError(`unknown command "${group.name} ${commandName}"`);
  }
  if (wantsHelp) {
    ctx.out(command.usage);
    return EXIT.ok;
  }
  return (await command.run(ctx, args)) ?? EXIT.ok;
}

/** Global flags given before the command (`sepo --json tasks list`); the rest is the command line. */
function leadingGlobals(argv: string[], globals: GlobalFlags): { rest: string[]; help: boolean; version: boolean } {
  let i = 0;
  let help = false;
  let version = false;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--json") globals.json = true;
    else if (arg === "--help" || arg === "-h") help = true;
    else if (arg === "--version") version = true;
    else if (arg === "--url" || arg === "--key" || arg === "--admin-key") {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`option ${arg} needs a value`);
      globals[arg === "--url" ? "url" : arg === "--key" ? "key" : "adminKey"] = value;
    } else if (arg.startsWith("--url=")) globals.url = arg.slice(6);
    else if (arg.startsWith("--key=")) globals.key = arg.slice(6);
    else if (arg.startsWith("--admin-key=")) globals.adminKey = arg.slice(12);
    // Only the option's name: `--kye=sk_...` must not print the key it carries.
    else if (arg.startsWith("-")) throw new UsageError(`unknown option "${arg.split("=")[0]}"`);
    else break;
  }
  return { rest: argv.slice(i), help, version };
}

/** "runs start " for `sepo runs start --bad`, so the hint names the right help. */
function helpTarget(argv: string[]): string {
  const words = argv.filter((a) => !a.startsWith("-"));
  const group = GROUPS.find((g) => g.name === words[0]);
  if (!group) return "";
  return words[1] && group.commands[words[1]] ? `${group.name} ${words[1]} ` : `${group.name} `;
}

async function cliVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

function defaultIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    homedir: homedir(),
    cwd: process.cwd(),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
}
