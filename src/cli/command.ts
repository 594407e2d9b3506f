/** The shape of a command and of a command group (`sepo <group> <command>`). */
import type { CliContext } from "./context";

export interface Command {
  /** One line for the group's help. */
  summary: string;
  /** The command's full help: synopsis first, then its options. */
  usage: string;
  /** Returns the exit code (undefined = 0). */
  run(ctx: CliContext, args: string[]): Promise<number | void>;
}

export interface CommandGroup {
  name: string;
  summary: string;
  commands: Record<string, Command>;
}

/** The group's help: every command's synopsis line and summary. */
export function groupUsage(group: CommandGroup): string {
  const lines = [`sepo ${group.name}: ${group.summary}`, "", "Commands:"];
  for (const command of Object.values(group.commands)) {
    lines.push(`  ${command.usage.split("\n")[0]}`);
    lines.push(`      ${command.summary}`);
  }
  lines.push("", `Run \`sepo ${group.name} <command> --help\` for a command's options.`);
  return lines.join("\n");
}
