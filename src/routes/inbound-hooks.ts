/**
 * `POST /hooks/:endpointId`: where senders deliver inbound webhooks. Public (outside
 * /v1 and its API keys): the signature made with the endpoint's secret is the
 * credential. Everything else is in src/webhooks/inbound/receive-delivery.ts.
 */
import { Hono } from "hono";
import type { HonoEnv } from "../app";
import { receiveDelivery } from "../webhooks/inbound/receive-delivery";

export const inboundHookRoutes = new Hono<HonoEnv>();

inboundHookRoutes.post("/:endpointId", async (c) => {
  const reply = await receiveDelivery(c.env, c.req.param("endpointId"), c.req.raw);
  return c.json(reply.body, reply.status);
});
