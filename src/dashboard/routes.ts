/**
 * `/dashboard`: the web dashboard, served by the Worker itself. One static HTML shell
 * and a few ES modules kept as strings in TypeScript, so there is no build step and
 * nothing to download: the browser fetches the JSON API under /v1 like any client.
 */
import { Hono } from "hono";
import { trimTrailingSlash } from "hono/trailing-slash";
import type { HonoEnv } from "../app";
import { AppError } from "../errors";
import { DASHBOARD_ASSETS } from "./assets";
import { dashboardShell } from "./shell";

export const DASHBOARD_PATH = "/dashboard";

/**
 * The shell holds no inline script or style, so the CSP can forbid both: even a markup
 * injection bug in a client module could not run script. `connect-src 'self'` keeps
 * the key from being sent anywhere but this API.
 */
const SECURITY_HEADERS = {
  "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
};

const SHELL = dashboardShell(DASHBOARD_PATH);

export const dashboardRoutes = new Hono<HonoEnv>();

// "/dashboard/" is what people type; relative links in the shell are absolute, so a redirect suffices.
dashboardRoutes.use("*", trimTrailingSlash());

dashboardRoutes.get("/", (c) => c.html(SHELL, 200, { ...SECURITY_HEADERS, "Cache-Control": "no-cache" }));

dashboardRoutes.get("/assets/:name", (c) => {
  const name = c.req.param("name");
  const asset = Object.hasOwn(DASHBOARD_ASSETS, name) ? DASHBOARD_ASSETS[name] : undefined;
  if (!asset) throw new AppError("not_found", `No dashboard asset '${name}'.`);
  // no-cache, not a long max-age: the modules change with each deploy and carry no hash in their names.
  return c.body(asset.body, 200, { ...SECURITY_HEADERS, "Content-Type": asset.type, "Cache-Control": "no-cache" });
});
