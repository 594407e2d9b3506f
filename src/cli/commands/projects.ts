/**
 * `sepo projects` and `sepo keys`: the admin API (projects and their API keys). These
 * commands send the admin key (--admin-key, SEPO_ADMIN_KEY, `sepo config set admin-key`),
 * never the project key. A new key is printed once, by `keys create`; lists show prefixes.
 */
import type { ApiKeyView, Project } from "../../storage/project-repo";
import type { CommandGroup } from "../command";
import { configPath, readConfig, writeConfig } from "../config-store";
import type { CliContext } from "../context";
import { table } from "../format";
import { fetchList, PAGE_OPTIONS, PAGE_USAGE, printList } from "../list";

const ADMIN_NOTE = "Sends the admin key: --admin-key, SEPO_ADMIN_KEY or `sepo config set admin-key -`.";

/** The name a key gets without --name, so a list still says where it came from. */
export const DEFAULT_KEY_NAME = "sepo-cli";

export const projectsGroup: CommandGroup = {
  name: "projects",
  summary: "projects (admin key): each has its own tasks, runs, prompts and keys",
  commands: {
    create: {
      summary: "create a project",
      usage: `sepo projects create <name>\n\n${ADMIN_NOTE}\nThen give it a key: sepo keys create <projectId>`,
      async run(ctx, args) {
        const { positionals } = ctx.parse(args, {}, { min: 1, max: 1, names: "project name" });
        const project = await (await ctx.adminClient()).createProject(positionals[0]!);
        if (ctx.globals.json) {
          ctx.json(project);
          return;
        }
        ctx.out(`created project ${project.id} "${project.name}"`);
        ctx.out(`next: sepo keys create ${project.id} --name <label>`);
      },
    },
    list: {
      summary: "list projects",
      usage: `sepo projects list [--limit n] [--cursor c] [--all]\n\n${PAGE_USAGE}\n\n${ADMIN_NOTE}`,
      async run(ctx, args) {
        const { values } = ctx.parse(args, PAGE_OPTIONS, { max: 0 });
        const client = await ctx.adminClient();
        const page = await fetchList(values, (q) => client.listProjects(q));
        printList(ctx, page, "sepo projects list", renderProjects, "no projects yet; create one with `sepo projects create <name>`");
      },
    },
  },
};

export const keysGroup: CommandGroup = {
  name: "keys",
  summary: "a project's API keys (admin key): create, list, revoke",
  commands: {
    create: {
      summary: "create a key; prints it once (only stdout holds it)",
      usage: `sepo keys create <projectId> [--name <label>] [--save]

  --name <label>    who or what uses the key, e.g. ci (default ${DEFAULT_KEY_NAME})
  --save            also store it as this CLI's project key (\`sepo config set key\`)
Prints the key alone on stdout, so \`sepo keys create proj_1 --name ci > ci.key\` keeps it;
--json prints the whole record ({id, name, prefix, key, ...}). The key is never shown again.
${ADMIN_NOTE}`,
      async run(ctx, args) {
        const { values, positionals } = ctx.parse(args, { name: { type: "string" }, save: { type: "boolean" } }, { min: 1, max: 1, names: "project id" });
        const created = await (await ctx.adminClient()).createApiKey(positionals[0]!, values.name ?? DEFAULT_KEY_NAME);
        if (values.save) await saveProjectKey(ctx, created.key);
        if (ctx.globals.json) ctx.json(created);
        else ctx.out(created.key);
        // Notes on stderr: stdout carries only the key.
        ctx.io.stderr.write(`created key ${created.id} "${created.name}" for project ${created.projectId}; it is shown only now${values.save ? " (saved as this CLI's key)" : ""}\n`);
      },
    },
    list: {
      summary: "list a project's keys (prefixes only)",
      usage: `sepo keys list <projectId>\n\n${ADMIN_NOTE}`,
      async run(ctx, args) {
        const { positionals } = ctx.parse(args, {}, { min: 1, max: 1, names: "project id" });
        const keys = await (await ctx.adminClient()).listApiKeys(positionals[0]!);
        if (ctx.globals.json) ctx.json(keys);
        else ctx.out(keys.items.length ? renderKeys(keys.items) : `project ${positionals[0]} has no keys; create one with \`sepo keys create ${positionals[0]}\``);
      },
    },
    revoke: {
      summary: "revoke a key at once",
      usage: `sepo keys revoke <projectId> <keyId>\n\nRequests with the key get 401 from now on. ${ADMIN_NOTE}`,
      async run(ctx, args) {
        const { positionals } = ctx.parse(args, {}, { min: 2, max: 2, names: "project id and key id" });
        const revoked = await (await ctx.adminClient()).revokeApiKey(positionals[0]!, positionals[1]!);
        if (ctx.globals.json) ctx.json(revoked);
        else ctx.out(`revoked key ${revoked.id} "${revoked.name}" (${revoked.prefix}…) of project ${revoked.projectId}`);
      },
    },
  },
};

async function saveProjectKey(ctx: CliContext, key: string): Promise<void> {
  const path = configPath(ctx.io.env, ctx.io.homedir);
  await writeConfig(path, { ...(await readConfig(path)), key });
}

function renderProjects(projects: Project[]): string {
  return table(
    ["id", "name", "created"],
    projects.map((p) => [p.id, p.name, p.createdAt]),
  );
}

function renderKeys(keys: ApiKeyView[]): string {
  return table(
    ["id", "name", "prefix", "created", "last used", "revoked"],
    keys.map((k) => [k.id, k.name, `${k.prefix}…`, k.createdAt, k.lastUsedAt ?? "-", k.revokedAt ?? "-"]),
  );
}
