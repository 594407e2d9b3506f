/**
 * Who a request is. Project routes need a project key (or the admin key naming a
 * project with `x-sepo-project`) and run with `projectId` set; admin routes need the
 * admin key. Every refusal says what to send, never whether some other key or project
 * exists, and no key ever appears in a message or a log line.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { HonoEnv } from "../app";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { findActiveKey, getProject, touchApiKey } from "../storage/project-repo";
import { isApiKeyShaped, toHex } from "./api-key";
import { constantTimeEqual, sha256 } from "./constant-time";

/** What the middleware tells the routes: the project the request acts on. */
export type AuthVariables = { projectId: string };

/** The header with which the admin key acts on one project's resources. */
export const PROJECT_HEADER = "x-sepo-project";
/** Shorter admin keys are refused as misconfiguration: the admin key guards every project. */
export const MIN_ADMIN_KEY_LENGTH = 16;
/** Tokens longer than this are not keys; refused before hashing. */
const MAX_TOKEN_LENGTH = 512;
/** `last_used_at` is a hint for people, not an audit log: written at most once a minute per key. */
const TOUCH_INTERVAL_MS = 60_000;

const MISSING_KEY = "This request needs an API key: send 'Authorization: Bearer <key>'. An admin creates keys with POST /v1/projects/:id/keys.";
const INVALID_KEY = "The API key was not accepted: it is unknown or revoked.";

/** The bearer token of a request, undefined when there is none; a malformed header is a 401. */
export function readBearer(header: string | undefined): string | undefined {
  if (header === undefined || header.trim() === "") return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  if (!match) throw unauthorized("The Authorization header must be 'Bearer <key>'.");
  return match[1];
}

/** The admin key as configured, or why it cannot be used (unset, or too short to be a secret). */
export function adminKeyOf(env: Pick<AppEnv, "ADMIN_API_KEY">): { key: string } | { problem: string } {
  const key = env.ADMIN_API_KEY?.trim();
  if (!key) return { problem: "ADMIN_API_KEY is not set" };
  if (key.length < MIN_ADMIN_KEY_LENGTH) return { problem: `ADMIN_API_KEY is shorter than ${MIN_ADMIN_KEY_LENGTH} characters` };
  return { key };
}

/** Project routes: sets `projectId`, or refuses with 401 (400/403/404 for a misused `x-sepo-project`). */
export const requireProjectKey = createMiddleware<HonoEnv>(async (c, next) => {
  const credential = await identify(c);
  const named = c.req.header(PROJECT_HEADER);
  if (credential.kind === "admin") {
    if (!named) throw new AppError("invalid_request", `The admin key acts on a project only when the request names it: send '${PROJECT_HEADER}: <projectId>'.`);
    if (!(await getProject(c.env.DB, named))) throw new AppError("not_found", `No project with id '${named}'. List projects with GET /v1/projects.`);
    c.set("projectId", named);
  } else {
    if (named !== undefined && named !== credential.projectId) {
      throw new AppError("forbidden", `A project key acts on its own project only; '${PROJECT_HEADER}' is for the admin key.`);
    }
    c.set("projectId", credential.projectId);
  }
  await next();
});

/** Admin routes: the admin key only. 503 while none is configured: admin routes never fall open. */
export const requireAdminKey = createMiddleware<HonoEnv>(async (c, next) => {
  const admin = adminKeyOf(c.env);
  if ("problem" in admin) {
    throw new AppError("unavailable", `Admin routes are disabled: ${admin.problem}. Set it with 'wrangler secret put ADMIN_API_KEY' (locally: ADMIN_API_KEY=... in .dev.vars).`);
  }
  const credential = await identify(c);
  if (credential.kind !== "admin") throw new AppError("forbidden", "This route needs the admin key; a project key cannot manage projects or keys.");
  await next();
});

/** The project a request acts on, as the auth middleware set it. */
export function projectIdOf(c: Context<HonoEnv>): string {
  const projectId = c.get("projectId");
  // A route mounted outside the middleware must fail closed, never query every project.
  if (!projectId) throw new AppError("internal", "This route is not behind the API key check.");
  return projectId;
}

type Credential = { kind: "admin" } | { kind: "project"; projectId: string };

/** The admin key or an active project key; anything else is a 401. */
async function identify(c: Context<HonoEnv>): Promise<Credential> {
  const token = readBearer(c.req.header("authorization"));
  if (token === undefined) throw unauthorized(MISSING_KEY);
  if (token.length > MAX_TOKEN_LENGTH) throw unauthorized(INVALID_KEY);
  const digest = await sha256(token);
  const admin = adminKeyOf(c.env);
  if ("key" in admin && constantTimeEqual(digest, await sha256(admin.key))) return { kind: "admin" };
  if (!isApiKeyShaped(token)) throw unauthorized(INVALID_KEY);
  const key = await findActiveKey(c.env.DB, toHex(digest));
  if (!key) throw unauthorized(INVALID_KEY);
  const now = Date.now();
  if (key.lastUsedAt === null || now - key.lastUsedAt >= TOUCH_INTERVAL_MS) {
    await touchApiKey(c.env.DB, key.id, now).catch((error: unknown) => console.warn("could not record a key's last use", key.id, String(error)));
  }
  return { kind: "project", projectId: key.projectId };
}

function unauthorized(message: string): AppError {
  return new AppError("unauthorized", message);
}
