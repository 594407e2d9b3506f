import { Hono } from "hono";
import type { HonoEnv } from "../app";

export const taskRoutes = new Hono<HonoEnv>();
