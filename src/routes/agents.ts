import { Hono } from "hono";
import type { HonoEnv } from "../app";

export const agentRoutes = new Hono<HonoEnv>();
