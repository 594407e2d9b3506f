import { Hono } from "hono";
import type { HonoEnv } from "../app";

export const runRoutes = new Hono<HonoEnv>();
