/**
 * `sepo webhooks`: outbound subscriptions (the service POSTs events to your URL), their
 * delivery log (webhook-deliveries.ts) and inbound endpoints (webhook-endpoints.ts). A
 * signing secret is printed by the commands that create or rotate it, never again.
 */
import type { WebhookSubscription } from "../../storage/webhook-subscription-repo";
import { UsageError } from "../cli-error";
import type { CommandGroup } from "../command";
import type { CliContext } from "../context";
import { table } from "../format";
import { fetchList, PAGE_OPTIONS, PAGE_USAGE, printList } from "../list";
import { deliveriesCommand, deliveryCommand, retryCommand } from "./webhook-deliveries";
import { endpointCommand } from "./webhook-endpoints";

const EVENTS_USAGE = `  --events <types>  comma-separated: run.started, generation.completed, candidate.admitted,
                    champion.promoted, run.finished, run.failed, budget.threshold; or all`;

/** `--events a,b`; "all" (or "*", which a shell may expand) is every event. */
export function parseEvents(value: string): string[] {
  const events = value
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)
    .map((e) => (e === "all" ? "*" : e));
  if (events.length === 0) throw new UsageError("--events needs at least one event type, e.g. --events run.finished,champion.promoted (or all)");
  return events;
}

const SUBSCRIBE_OPTIONS = { events: { type: "string" }, description: { type: "string" } } as const;
const UPDATE_OPTIONS = { url: { type: "string" }, events: { type: "string" }, description: { type: "string" }, enable: { type: "boolean" }, disable: { type: "boolean" } } as const;

export const webhooksGroup: CommandGroup = {
  name: "webhooks",
  summary: "outbound webhook subscriptions and deliveries, inbound webhook endpoints",
  commands: {
    status: {
      summary: "how many subscriptions, deliveries by status, the event types",
      usage: "sepo webhooks status",
      async run(ctx, args) {
        ctx.parse(args, {}, { max: 0 });
        const overview = await (await ctx.client()).getWebhooks();
        if (ctx.globals.json) {
          ctx.json(overview);
          return;
        }
        const d = overview.deliveries;
        ctx.out(`subscriptions  ${overview.subscriptions}`);
        ctx.out(`deliveries     ${d.pending} pending, ${d.delivered} delivered, ${d.failed} failed${d.failed ? " (see: sepo webhooks deliveries --status failed)" : ""}`);
        ctx.out(`event types    ${overview.eventTypes.join(", ")}`);
      },
    },
    subscribe: {
      summary: "POST these events to a URL; prints the signing secret once",
      usage: `sepo webhooks subscribe <url> --events <types> [--description text]

${EVENTS_USAGE}
  --description <text>
Deliveries are signed the Standard Webhooks way (webhook-id, webhook-timestamp,
webhook-signature headers) with the secret printed here; verify them with it.`,
      async run(ctx, args) {
        const { values, positionals } = ctx.parse(args, SUBSCRIBE_OPTIONS, { min: 1, max: 1, names: "URL" });
        if (!values.events) throw new UsageError("--events is required, e.g. --events run.finished,champion.promoted (or all)");
        const input = { url: positionals[0]!, events: parseEvents(values.events), ...(values.description !== undefined ? { description: values.description } : {}) };
        const sub = await (await ctx.client()).createSubscription(input);
        if (ctx.globals.json) {
          ctx.json(sub);
          return;
        }
        ctx.out(`subscribed ${sub.id} to ${eventNames(sub.events)}`);
        ctx.out(`url      ${sub.url}`);
        ctx.out(`secret   ${sub.secret}`);
        ctx.out("The secret is shown only now; the receiver verifies each delivery's signature with it.");
        ctx.out(`try it:  sepo webhooks test ${sub.id}`);
      },
    },
    list: {
      summary: "list subscriptions, newest first",
      usage: `sepo webhooks list [--limit n] [--cursor c] [--all]\n\n${PAGE_USAGE}`,
      async run(ctx, args) {
        const { values } = ctx.parse(args, PAGE_OPTIONS, { max: 0 });
        const client = await ctx.client();
        const page = await fetchList(values, (q) => client.listSubscriptions(q));
        printList(ctx, page, "sepo webhooks list", renderSubscriptions, "no subscriptions; add one with `sepo webhooks subscribe <url> --events ...`");
      },
    },
    get: {
      summary: "show one subscription",
      usage: "sepo webhooks get <subscriptionId>",
      async run(ctx, args) {
        const { positionals } = ctx.parse(args, {}, { min: 1, max: 1, names: "subscription id" });
        print(ctx, await (await ctx.client()).getSubscription(positionals[0]!));
      },
    },
    update: {
      summary: "change a subscription's URL, events, description, or enable/disable it",
      usage: `sepo webhooks update <subscriptionId> [--url u] [--events types] [--description text] [--enable | --disable]

  --url <url>       the new URL
${EVENTS_USAGE}
  --description <text>
  --enable, --disable   a disabled subscription gets no deliveries (and cannot be tested)`,
      async run(ctx, args) {
        const { values, positionals } = ctx.parse(args, UPDATE_OPTIONS, { min: 1, max: 1, names: "subscription id" });
        if (values.enable && values.disable) throw new UsageError("give one of --enable or --disable");
        const patch = {
          ...(values.url !== undefined ? { url: values.url } : {}),
          ...(values.events !== undefined ? { events: parseEvents(values.events) } : {}),
          ...(values.description !== undefined ? { description: values.description } : {}),
          ...(values.enable ? { enabled: true } : values.disable ? { enabled: false } : {}),
        };
        if (Object.keys(patch).length === 0) throw new UsageError("nothing to change: give --url, --events, --description, --enable or --disable");
        const sub = await (await ctx.client()).updateSubscription(positionals[0]!, patch);
        if (ctx.globals.json) ctx.json(sub);
        else ctx.out(`updated ${sub.id}: ${sub.enabled ? "enabled" : "disabled"}, ${eventNames(sub.events)} -> ${sub.url}`);
      },
    },
    delete: {
      summary: "delete a subscription and its delivery log",
      usage: "sepo webhooks delete <subscriptionId>",
      async run(ctx, args) {
        const { positionals } = ctx.parse(args, {}, { min: 1, max: 1, names: "subscription id" });
        const sub = await (await ctx.client()).deleteSubscription(positionals[0]!);
        if (ctx.globals.json) ctx.json(sub);
        else ctx.out(`deleted subscription ${sub.id} (${sub.url})`);
      },
    },
    rotate: {
      summary: "replace a subscription's signing secret; prints the new one once",
      usage: "sepo webhooks rotate <subscriptionId>\n\nThe old secret keeps signing alongside the new one for 24 hours, so receivers can switch over.",
      async run(ctx, args) {
        const { positionals } = ctx.parse(args, {}, { min: 1, max: 1, names: "subscription id" });
        const sub = await (await ctx.client()).rotateSubscriptionSecret(positionals[0]!);
        if (ctx.globals.json) {
          ctx.json(sub);
          return;
        }
        ctx.out(`secret   ${sub.secret}`);
        ctx.out(`new secret of ${sub.id}, shown only now; the old one also signs for 24 hours`);
      },
    },
    test: {
      summary: "send a webhook.test delivery to one subscription",
      usage: "sepo webhooks test <subscriptionId>\n\nQueues the delivery and prints its id; follow it with `sepo webhooks delivery <id>`.",
      async run(ctx, args) {
        const { positionals } = ctx.parse(args, {}, { min: 1, max: 1, names: "subscription id" });
        const delivery = await (await ctx.client()).testSubscription(positionals[0]!);
        if (ctx.globals.json) ctx.json(delivery);
        else ctx.out(`queued test delivery ${delivery.id} to ${delivery.subscriptionId}\nfollow it: sepo webhooks delivery ${delivery.id}`);
      },
    },
    deliveries: deliveriesCommand,
    delivery: deliveryCommand,
    retry: retryCommand,
    endpoint: endpointCommand,
  },
};

function eventNames(events: string[]): string {
  return events.includes("*") ? "all events" : events.join(", ");
}

function print(ctx: CliContext, sub: WebhookSubscription): void {
  if (ctx.globals.json) {
    ctx.json(sub);
    return;
  }
  ctx.out(`${sub.id}  ${sub.enabled ? "enabled" : "disabled"}`);
  ctx.out(`url          ${sub.url}`);
  ctx.out(`events       ${eventNames(sub.events)}`);
  if (sub.description) ctx.out(`description  ${sub.description}`);
  ctx.out(`created      ${sub.createdAt}`);
  ctx.out(`updated      ${sub.updatedAt}`);
}

function renderSubscriptions(subs: WebhookSubscription[]): string {
  return table(
    ["id", "enabled", "events", "created", "url"],
    subs.map((s) => [s.id, s.enabled ? "yes" : "no", eventNames(s.events), s.createdAt, s.url]),
  );
}
