/** `sepo webhooks deliveries | delivery | retry`: the outbound delivery log, one delivery, a manual retry. */
import type { WebhookDelivery, WebhookDeliveryDetail } from "../../storage/webhook-delivery-repo";
import type { Command } from "../command";
import { indent, table } from "../format";
import { fetchList, PAGE_OPTIONS, PAGE_USAGE, printList } from "../list";

const FILTER_OPTIONS = { ...PAGE_OPTIONS, status: { type: "string" }, subscription: { type: "string" }, event: { type: "string" } } as const;

export const deliveriesCommand: Command = {
  summary: "the delivery log, newest first",
  usage: `sepo webhooks deliveries [--status pending|delivered|failed] [--subscription id] [--event type] [paging]

  --status <s>          only deliveries in this state
  --subscription <id>   only this subscription's
  --event <type>        only this event type (e.g. run.finished, webhook.test)
${PAGE_USAGE}`,
  async run(ctx, args) {
    const { values } = ctx.parse(args, FILTER_OPTIONS, { max: 0 });
    const client = await ctx.client();
    const filter = { status: values.status, subscriptionId: values.subscription, eventType: values.event };
    const page = await fetchList(values, (q) => client.listDeliveries({ ...q, ...filter }));
    printList(ctx, page, "sepo webhooks deliveries", renderDeliveries, "no deliveries");
  },
};

export const deliveryCommand: Command = {
  summary: "one delivery: its payload and every attempt",
  usage: "sepo webhooks delivery <deliveryId>",
  async run(ctx, args) {
    const { positionals } = ctx.parse(args, {}, { min: 1, max: 1, names: "delivery id" });
    const delivery = await (await ctx.client()).getDelivery(positionals[0]!);
    if (ctx.globals.json) ctx.json(delivery);
    else ctx.out(describeDelivery(delivery));
  },
};

export const retryCommand: Command = {
  summary: "send a failed delivery again (a new round of attempts)",
  usage: "sepo webhooks retry <deliveryId>\n\nOnly a failed delivery of an enabled subscription can be retried; it keeps its event id.",
  async run(ctx, args) {
    const { positionals } = ctx.parse(args, {}, { min: 1, max: 1, names: "delivery id" });
    const delivery = await (await ctx.client()).retryDelivery(positionals[0]!);
    if (ctx.globals.json) ctx.json(delivery);
    else ctx.out(`delivery ${delivery.id} is ${delivery.status} again\nfollow it: sepo webhooks delivery ${delivery.id}`);
  },
};

/** "200", "timeout" (no response): what the receiver answered last. */
function lastResult(d: WebhookDelivery): string {
  if (d.lastStatus !== null) return String(d.lastStatus);
  return d.lastError ? "no response" : "-";
}

function renderDeliveries(items: WebhookDelivery[]): string {
  return table(
    ["id", "event", "status", "attempts", "last", "created", "subscription"],
    items.map((d) => [d.id, d.eventType, d.status, String(d.attempts), lastResult(d), d.createdAt, d.subscriptionId]),
  );
}

function describeDelivery(d: WebhookDeliveryDetail): string {
  const lines = [
    `${d.id}  ${d.eventType}  ${d.status}`,
    `subscription  ${d.subscriptionId}`,
    `event id      ${d.eventId}`,
    `created       ${d.createdAt}`,
    ...(d.deliveredAt ? [`delivered     ${d.deliveredAt}`] : []),
    ...(d.nextAttemptAt ? [`next attempt  ${d.nextAttemptAt}`] : []),
    ...(d.lastError ? [`last error    ${d.lastError}`] : []),
    `attempts      ${d.attempts}`,
  ];
  if (d.attemptLog.length > 0) {
    const log = table(
      ["#", "at", "status", "ms", "error"],
      d.attemptLog.map((a) => [String(a.attempt), a.at, a.status === null ? "-" : String(a.status), String(a.durationMs), a.error ?? "-"]),
    );
    lines.push(indent(log));
  }
  lines.push("payload:", indent(JSON.stringify(d.payload, null, 2)));
  return lines.join("\n");
}
