/**
 * `sepo webhooks endpoint create|list|get|revoke|rotate|deliveries`: inbound endpoints,
 * where other systems (CI, GitHub) POST signed deliveries that start runs or add
 * examples. The receiver is the public POST /hooks/:endpointId; creating an endpoint
 * prints its full URL and (once) its secret.
 */
import type { InboundDeliveryView } from "../../storage/inbound-delivery-repo";
import type { InboundEndpointWithUrl } from "../../routes/webhook-endpoints";
import { InputError, UsageError } from "../cli-error";
import type { Command } from "../command";
import type { CliContext } from "../context";
import { table } from "../format";
import { fetchList, PAGE_OPTIONS, PAGE_USAGE, printList } from "../list";

const CREATE_OPTIONS = {
  scheme: { type: "string" },
  action: { type: "string" },
  task: { type: "string" },
  events: { type: "string" },
  ref: { type: "string" },
} as const;

type CreateFlags = { [K in keyof typeof CREATE_OPTIONS]?: string | undefined };

const USAGE = `sepo webhooks endpoint create|list|get|revoke|rotate|deliveries [arguments]

Inbound webhook endpoints: where other systems POST signed deliveries that start runs or add examples.

sepo webhooks endpoint create <name> [--scheme standard|github] [github options]
    a new endpoint; prints its URL (POST /hooks/<id>) and its secret, shown only now
  --scheme <s>        standard (default): Standard Webhooks signatures; the body says what to do,
                      e.g. {"type": "run.start", "data": {...}} or {"type": "examples.append", ...}
                      github: GitHub's X-Hub-Signature-256; the endpoint's action says what to do
  --action <json|@file|->   github: the action, e.g. {"type": "run.start", "events": ["push"],
                      "ref": "refs/heads/main", "data": {"kind": "finetune", "taskId": "..."}}
  --task <id>         github, instead of --action: fine-tune this task on each delivery
  --events <names>    with --task: the GitHub events that act (default push)
  --ref <ref>         with --task: only deliveries for this ref, e.g. refs/heads/main
sepo webhooks endpoint list [paging]         the project's endpoints
sepo webhooks endpoint get <endpointId>
sepo webhooks endpoint revoke <endpointId>   deliveries to it are refused from now on
sepo webhooks endpoint rotate <endpointId>   a new secret, shown only now (the old one stops working)
sepo webhooks endpoint deliveries <endpointId> [paging]   what it received and what each did

${PAGE_USAGE}`;

type Sub = (ctx: CliContext, args: string[]) => Promise<void>;

const SUBCOMMANDS: Record<string, Sub> = {
  async create(ctx, args) {
    const { values, positionals } = ctx.parse(args, CREATE_OPTIONS, { min: 1, max: 1, names: "endpoint name" });
    const scheme = values.scheme ?? "standard";
    if (scheme !== "standard" && scheme !== "github") throw new UsageError(`--scheme must be standard or github, not "${scheme}"`);
    const action = await endpointAction(ctx, scheme, values);
    const endpoint = await (await ctx.client()).createEndpoint({ name: positionals[0]!, scheme, ...(action ? { action } : {}) });
    if (ctx.globals.json) {
      ctx.json(endpoint);
      return;
    }
    ctx.out(`created endpoint ${endpoint.id} "${endpoint.name}" (${endpoint.scheme})`);
    ctx.out(`url      ${endpoint.url}`);
    ctx.out(`secret   ${endpoint.secret}`);
    ctx.out(
      scheme === "github"
        ? "The secret is shown only now: paste the URL and the secret into the GitHub webhook (content type application/json)."
        : "The secret is shown only now: senders sign each delivery with it (webhook-id, webhook-timestamp, webhook-signature).",
    );
  },
  async list(ctx, args) {
    const { values } = ctx.parse(args, PAGE_OPTIONS, { max: 0 });
    const client = await ctx.client();
    const page = await fetchList(values, (q) => client.listEndpoints(q));
    printList(ctx, page, "sepo webhooks endpoint list", renderEndpoints, "no endpoints; create one with `sepo webhooks endpoint create <name>`");
  },
  async get(ctx, args) {
    const { positionals } = ctx.parse(args, {}, { min: 1, max: 1, names: "endpoint id" });
    const endpoint = await (await ctx.client()).getEndpoint(positionals[0]!);
    if (ctx.globals.json) ctx.json(endpoint);
    else ctx.out(describeEndpoint(endpoint));
  },
  async revoke(ctx, args) {
    const { positionals } = ctx.parse(args, {}, { min: 1, max: 1, names: "endpoint id" });
    const endpoint = await (await ctx.client()).revokeEndpoint(positionals[0]!);
    if (ctx.globals.json) ctx.json(endpoint);
    else ctx.out(`revoked endpoint ${endpoint.id} "${endpoint.name}"; deliveries to ${endpoint.url} are refused from now on`);
  },
  async rotate(ctx, args) {
    const { positionals } = ctx.parse(args, {}, { min: 1, max: 1, names: "endpoint id" });
    const endpoint = await (await ctx.client()).rotateEndpointSecret(positionals[0]!);
    if (ctx.globals.json) {
      ctx.json(endpoint);
      return;
    }
    ctx.out(`secret   ${endpoint.secret}`);
    ctx.out(`new secret of ${endpoint.id}, shown only now; the old one no longer verifies`);
  },
  async deliveries(ctx, args) {
    const { values, positionals } = ctx.parse(args, PAGE_OPTIONS, { min: 1, max: 1, names: "endpoint id" });
    const id = positionals[0]!;
    const client = await ctx.client();
    const page = await fetchList(values, (q) => client.listEndpointDeliveries(id, q));
    printList(ctx, page, `sepo webhooks endpoint deliveries ${id}`, renderInbound, "no deliveries received yet");
  },
};

export const endpointCommand: Command = {
  summary: "inbound endpoints: create | list | get | revoke | rotate | deliveries",
  usage: USAGE,
  async run(ctx, args) {
    const [name, ...rest] = args;
    const sub = name === undefined ? undefined : Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
    if (!sub) {
      const known = Object.keys(SUBCOMMANDS).join(", ");
      throw new UsageError(name === undefined || name.startsWith("-") ? `missing endpoint command (${known})` : `unknown command "webhooks endpoint ${name}" (${known})`);
    }
    await sub(ctx, rest);
  },
};

/** A github endpoint's action: --action JSON, or built from --task/--events/--ref. Standard endpoints take none. */
async function endpointAction(ctx: CliContext, scheme: string, flags: CreateFlags): Promise<unknown> {
  const shorthand = flags.task !== undefined || flags.events !== undefined || flags.ref !== undefined;
  if (scheme === "standard") {
    if (flags.action !== undefined || shorthand) throw new UsageError("--action, --task, --events and --ref are for --scheme github; a standard delivery names its action in its body");
    return undefined;
  }
  if (flags.action !== undefined) {
    if (shorthand) throw new UsageError("give --action or --task (with --events, --ref), not both");
    const text = await ctx.textArg(flags.action);
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new InputError(`--action is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (!flags.task) throw new UsageError("a github endpoint needs --task <id> (fine-tune it on each push) or --action <json>");
  const events = flags.events?.split(",").map((e) => e.trim()).filter(Boolean);
  return { type: "run.start", ...(events?.length ? { events } : {}), ...(flags.ref ? { ref: flags.ref } : {}), data: { kind: "finetune", taskId: flags.task } };
}

function describeEndpoint(e: InboundEndpointWithUrl): string {
  return [
    `${e.id}  "${e.name}"  ${e.scheme}${e.revokedAt ? `  revoked ${e.revokedAt}` : ""}`,
    `url       ${e.url}`,
    `secret    ${e.secretPrefix}… (rotated ${e.secretRotatedAt ?? "never"})`,
    ...(e.action ? [`action    ${JSON.stringify(e.action)}`] : []),
    `created   ${e.createdAt}`,
  ].join("\n");
}

function renderEndpoints(items: InboundEndpointWithUrl[]): string {
  return table(
    ["id", "name", "scheme", "secret", "revoked", "created", "url"],
    items.map((e) => [e.id, e.name, e.scheme, `${e.secretPrefix}…`, e.revokedAt ?? "-", e.createdAt, e.url]),
  );
}

function renderInbound(items: InboundDeliveryView[]): string {
  return table(
    ["id", "received", "event", "outcome", "http", "action", "error"],
    items.map((d) => [d.id, d.receivedAt, d.event ?? "-", d.outcome, d.httpStatus === null ? "-" : String(d.httpStatus), d.action ?? "-", d.error ?? "-"]),
  );
}
