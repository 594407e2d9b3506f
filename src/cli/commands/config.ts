/** `sepo config`: where the API is and which keys to send, kept in the config file. */
import { UsageError } from "../cli-error";
import type { CommandGroup } from "../command";
import { configPath, maskKey, normalizeUrl, readConfig, type StoredConfig, writeConfig } from "../config-store";
import type { CliContext } from "../context";
import { table } from "../format";

/** The setting's name on the command line -> its field in the config file. */
const SETTINGS = { url: "url", key: "key", "admin-key": "adminKey" } as const;
type SettingName = keyof typeof SETTINGS;

function settingName(name: string | undefined): SettingName {
  if (name && Object.hasOwn(SETTINGS, name)) return name as SettingName;
  throw new UsageError(name ? `unknown setting "${name}"; settings are url, key and admin-key` : "missing setting name (url, key or admin-key)");
}

function storePath(ctx: CliContext): string {
  return configPath(ctx.io.env, ctx.io.homedir);
}

export const configGroup: CommandGroup = {
  name: "config",
  summary: "the API URL and key the CLI uses",
  commands: {
    set: {
      summary: "store a setting in the config file",
      usage: `sepo config set url <url> | sepo config set key <key|-> | sepo config set admin-key <key|->

  url         the API's base URL, e.g. https://sepo.example.workers.dev
  key         a project's API key, sent as "Authorization: Bearer <key>"; "-" reads it from stdin
              (keeps it out of shell history)
  admin-key   the service's admin key (ADMIN_API_KEY), sent only by \`sepo projects\` and \`sepo keys\`
The file is $SEPO_CONFIG, else ~/.config/sepo/config.json, written with mode 0600.
Flags (--url, --key, --admin-key) and the environment (SEPO_URL, SEPO_API_KEY, SEPO_ADMIN_KEY) override it.`,
      async run(ctx, args) {
        const { positionals } = ctx.parse(args, {}, { min: 2, max: 2, names: "setting and value" });
        const name = settingName(positionals[0]);
        let value = positionals[1]!;
        if (name === "url") value = normalizeUrl(value);
        else value = (await ctx.textArg(value)).trim();
        if (!value) throw new UsageError(`the ${name} must not be empty; use \`sepo config unset ${name}\` to remove it`);
        const path = storePath(ctx);
        const stored: StoredConfig = { ...(await readConfig(path)), [SETTINGS[name]]: value };
        await writeConfig(path, stored);
        if (ctx.globals.json) ctx.json({ path, [SETTINGS[name]]: name === "url" ? value : maskKey(value) });
        else ctx.out(`${name} saved to ${path}`);
      },
    },
    unset: {
      summary: "remove a setting from the config file",
      usage: "sepo config unset url|key|admin-key",
      async run(ctx, args) {
        const { positionals } = ctx.parse(args, {}, { min: 1, max: 1, names: "setting name" });
        const name = settingName(positionals[0]);
        const path = storePath(ctx);
        const stored = await readConfig(path);
        delete stored[SETTINGS[name]];
        await writeConfig(path, stored);
        if (ctx.globals.json) ctx.json({ path, removed: name });
        else ctx.out(`${name} removed from ${path}`);
      },
    },
    show: {
      summary: "the settings in effect and where each comes from",
      usage: "sepo config show\n\nThe keys are masked. Sources: flag, env, file, default, unset.",
      async run(ctx, args) {
        ctx.parse(args, {}, { max: 0 });
        const config = await ctx.config();
        const key = maskKey(config.key.value);
        const adminKey = maskKey(config.adminKey.value);
        if (ctx.globals.json) {
          ctx.json({ path: config.path, url: config.url, key: { value: key, source: config.key.source }, adminKey: { value: adminKey, source: config.adminKey.source } });
          return;
        }
        ctx.out(
          table(
            ["setting", "value", "source"],
            [
              ["url", config.url.value, sourceLabel(config.url.source, "SEPO_URL")],
              ["key", key ?? "(none)", sourceLabel(config.key.source, "SEPO_API_KEY")],
              ["admin-key", adminKey ?? "(none)", sourceLabel(config.adminKey.source, "SEPO_ADMIN_KEY")],
            ],
          ),
        );
        ctx.out(`config file: ${config.path}`);
      },
    },
  },
};

function sourceLabel(source: string, envName: string): string {
  return source === "env" ? `env ${envName}` : source;
}
