/**
 * A seeded generator of malformed requests for every route of the app. The route list
 * comes from the Hono app itself (`createApp().routes`), so a route added later is
 * fuzzed without touching this file. Every request is built from one PRNG draw sequence:
 * the same seed and index give the same request, which is printed when it fails.
 *
 * The generator never sends a request that could change state: a path id of a non-GET
 * route is always fake, and a body for a known route always carries at least one
 * mutation that its schema rejects. The one exception, by design, is `POST /v1/runs?
 * dryRun=true`, which may receive valid bodies (with extreme values) because a dry run
 * changes nothing.
 */
import { createApp } from "../../../src/app";
import { extremeConfig, invalidBody, rawBody } from "./faults-fuzz-bodies";
import { type Json, pickWeighted, type Prng, requestRng, toText } from "./faults-fuzz-values";

// ---------------------------------------------------------------- routes

export interface FuzzRoute {
  method: string;
  /** Hono's pattern, e.g. /v1/runs/:id/candidates/:candidateId */
  path: string;
  params: string[];
}

/** Every concrete method+path the app serves (middleware entries, method ALL, left out). */
export function discoverRoutes(): FuzzRoute[] {
  const seen = new Set<string>();
  const routes: FuzzRoute[] = [];
  for (const r of createApp().routes) {
    if (r.method === "ALL") continue;
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    routes.push({ method: r.method, path: r.path, params: [...r.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!) });
  }
  return routes;
}

// ---------------------------------------------------------------- what the fuzzer knows

/** Real resources of the fuzzed service: used in GET paths only, so that query and header mutations reach deeper. */
export interface KnownIds {
  taskId: string;
  runId: string;
  candidateId: string;
  projectId?: string;
}

/** The real id a GET route's param may take, or undefined (then only fake ids are used). */
function realIdFor(route: FuzzRoute, param: string, ids: KnownIds): string | undefined {
  const p = route.path;
  if (p.startsWith("/v1/tasks/:id") && param === "id") return ids.taskId;
  if (p.startsWith("/v1/runs/:id") && param === "id") return ids.runId;
  if (param === "candidateId") return ids.candidateId;
  if (p.startsWith("/v1/projects/:id") && param === "id") return ids.projectId;
  if (p.startsWith("/dashboard/assets/") && param === "name") return "main.js";
  return undefined;
}

/** Ids that name nothing: long, unicode, traversal-like, injection-like, almost-valid. */
function badId(rng: Prng): string {
  const hex = (n: number) => Array.from({ length: n }, () => "0123456789abcdef"[rng.int(16)]).join("");
  const choices: Array<() => string> = [
    () => `run_${hex(32)}`,
    () => `task_${hex(32)}`,
    () => `agt_${hex(32)}`,
    () => `run_${hex(31)}`,
    () => `run_${hex(32).toUpperCase()}`,
    () => `${hex(8)}:c${rng.int(100)}`,
    () => "x".repeat(1 + rng.int(3000)),
    () => "é漢字🙂".repeat(1 + rng.int(50)),
    () => "\u202e\u0000\u200b",
    () => "..",
    () => "../../../etc/passwd",
    () => "..%2F..%2Fetc%2Fpasswd",
    () => "%2e%2e%2f%2e%2e%2f",
    () => "%00",
    () => "%",
    () => "%ZZ",
    () => "%E0%A4%A",
    () => "' OR '1'='1",
    () => "1; DROP TABLE tasks; --",
    () => "null",
    () => "undefined",
    () => "__proto__",
    () => "constructor",
    () => "-1",
    () => "0",
    () => "NaN",
    () => "1e309",
    () => " ",
    () => "a b",
    () => "<script>alert(1)</script>",
    () => "${jndi:ldap://x}",
    () => "*",
    () => "?",
    () => "#",
    () => ";",
    () => "latest",
  ];
  return rng.pick(choices)();
}

/** A path segment as sent: mostly percent-encoded, sometimes raw (the URL parser then normalises it). */
function segment(rng: Prng, id: string): string {
  if (/^%|%[0-9A-Za-z]/.test(id)) return id; // already encoded (or deliberately malformed encoding)
  return rng.chance(0.8) ? encodeURIComponent(id) : id.replaceAll("?", "%3F").replaceAll("#", "%23");
}

// ---------------------------------------------------------------- requests

export interface FuzzRequest {
  index: number;
  family: string;
  route: string;
  method: string;
  /** Path and query, to be resolved against the service's URL. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  note: string;
  /** True for dry runs, whose body may be valid (a dry run changes nothing). */
  mayBeValid: boolean;
}

export interface FuzzSetup {
  seed: number;
  routes: FuzzRoute[];
  ids: KnownIds;
  /** Headers that authenticate a request to a path (empty before auth exists). */
  auth: (path: string) => Record<string, string>;
  /** The body limit of the service (bytes). */
  maxBodyBytes: number;
  /** Relative share of a route (default: 3 for POST, 1 otherwise); 0 leaves it out. */
  routeWeight?: (route: FuzzRoute) => number;
}

const QUERY_NAMES = ["limit", "cursor", "offset", "status", "split", "taskId", "kind", "dryRun", "q", "__proto__", "limit[]", "é"];

function badQueryValue(rng: Prng): string {
  const raw = rng.pick([
    "-1",
    "0",
    "101",
    "501",
    "1.5",
    "1e3",
    "1e309",
    "NaN",
    "Infinity",
    "0x10",
    "abc",
    "",
    " ",
    "null",
    "9".repeat(400),
    "running,completed",
    "RUNNING",
    "train ",
    "%",
    "%ZZ",
    "%E0%A4%A",
    "%00",
    "%F0%9F",
    "eyJhIjoxfQ", // base64 of {"a":1}
    "WyJ4Il0", // base64 of ["x"]
    "WzFlOTk5LCIiXQ", // base64 of [1e999,""]
    "!!!not-base64!!!",
    "A".repeat(5000),
    "漢字🙂",
  ]);
  // Values with a deliberate bad escape are sent raw; the rest are encoded.
  return raw.includes("%") ? raw : encodeURIComponent(raw);
}

function badQuery(rng: Prng): string {
  const n = 1 + rng.int(4);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = rng.pick(QUERY_NAMES);
    parts.push(`${name.includes("%") ? name : encodeURIComponent(name)}=${badQueryValue(rng)}`);
  }
  if (rng.chance(0.1)) parts.push("limit"); // a name without a value
  return parts.join("&");
}

function fillPath(rng: Prng, route: FuzzRoute, setup: FuzzSetup, realAllowed: boolean): string {
  let path = route.path;
  for (const param of route.params) {
    const real = realAllowed && route.method === "GET" ? realIdFor(route, param, setup.ids) : undefined;
    path = path.replace(`:${param}`, real !== undefined ? encodeURIComponent(real) : segment(rng, badId(rng)));
  }
  return path;
}

const BAD_CONTENT_TYPES = [
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=fuzz",
  "application/xml",
  "application/jsonx",
  "json",
  "application/",
  "*/*",
  "",
];

const ODD_JSON_CONTENT_TYPES = ["application/json; charset=utf-16", "application/JSON", "application/merge-patch+json", "application/json;;;", "application/json, text/plain"];

const ODD_HEADERS: Array<(rng: Prng) => [string, string]> = [
  (rng) => ["last-event-id", rng.pick(["-1", "abc", "1e309", "99999999999999999999", " 3 ", "", "0x10", "\u00e9"])],
  (rng) => ["if-none-match", rng.pick(["*", "W/", '"', '"x", W/"y", *', "x".repeat(8000)])],
  (rng) => ["accept", rng.pick(["text/event-stream", "application/xml", "*/*;q=abc", ""])],
  (rng) => ["x-sepo-project", rng.pick(["default", "proj_missing", "", "é", "x".repeat(600)])],
  (rng) => ["content-type", rng.pick(["application/json", "text/plain", "multipart/form-data"])],
  (rng) => ["range", rng.pick(["bytes=0-1", "bytes=-1", "items=abc"])],
  (rng) => ["cookie", rng.pick(["a=b", "=;=;", "x".repeat(4000)])],
  (rng) => ["x-forwarded-for", rng.pick(["1.2.3.4, ::1", "not an ip", "\u00ff"])],
  // Not "identity;q=0" or "*;q=0": workerd itself answers those 415 text/plain on every
  // path (/health included), before the app runs; that is the runtime's, not the API's.
  (rng) => ["accept-encoding", rng.pick(["br;q=abc", "gzip;q=2", "x-unknown"])],
  () => ["x-long", "v".repeat(16_000)],
];

const WRONG_METHODS = ["PUT", "PATCH", "DELETE", "POST", "OPTIONS", "GET"];

const BAD_AUTH = [
  "",
  "Bearer",
  "Bearer ",
  "bearer sk_fuzz",
  "Basic dXNlcjpwYXNz",
  "Bearer sk_" + "0".repeat(40),
  "Bearer " + "k".repeat(600),
  "Bearer a b c",
  "Token abc",
  "Bearer \u00e9\u00e8",
  "Bearer null",
];

/** Builds request `index`: the same (seed, index) always gives the same request. */
export function buildRequest(setup: FuzzSetup, index: number): FuzzRequest {
  const rng = requestRng(setup.seed, index);
  // Routes that take a body are where parsing happens: they get three times the share.
  const weight = setup.routeWeight ?? ((r: FuzzRoute) => (r.method === "POST" ? 3 : 1));
  const route = pickWeighted(rng, setup.routes.map((r) => [r, weight(r)] as const));
  const routeName = `${route.method} ${route.path}`;
  const isPost = route.method === "POST";
  const family: string = pickWeighted(rng, [
    ["path-id", route.params.length > 0 ? (isPost ? 1 : 3) : 0],
    ["query", isPost ? 1 : 3],
    ["method", 1],
    ["auth", 1],
    ["headers", isPost ? 0 : 1],
    ["body", isPost ? 4 : 0],
    ["raw-body", isPost ? 2 : 0],
    ["content-type", isPost ? 1 : 0],
    ["dry-run", routeName === "POST /v1/runs" ? 3 : 0],
  ] as const);
  const headers: Record<string, string> = {};
  let method = route.method;
  let path = fillPath(rng, route, setup, family !== "path-id");
  let query = "";
  let body: string | undefined;
  let note = "";
  let mayBeValid = false;
  /** undefined: the service's own key; null: no Authorization header; a string: that header. */
  let authOverride: string | null | undefined;

  const jsonBody = (b: { text: string; note: string }) => {
    body = b.text;
    note = b.note;
    headers["content-type"] = "application/json";
  };

  switch (family) {
    case "path-id":
      path = fillPath(rng, route, setup, false);
      note = "fake path ids";
      if (isPost) jsonBody(invalidBody(rng, route, setup.ids));
      if (rng.chance(0.3)) query = badQuery(rng);
      break;
    case "query":
      query = badQuery(rng);
      note = "bad query";
      if (isPost) {
        // Non-GET: fake ids, and an invalid body, so nothing can be accepted.
        path = fillPath(rng, route, setup, false);
        jsonBody(invalidBody(rng, route, setup.ids));
        // dryRun must never be "true" here by accident: strip it (valid-looking dry runs are their own family).
        query = query.replace(/(^|&)dryRun=true(?=&|$)/g, "$1dryRun=maybe");
      }
      break;
    case "method": {
      method = rng.pick(WRONG_METHODS.filter((m) => m !== route.method));
      // A wrong method never gets a real id, so that e.g. DELETE on a real key cannot happen.
      path = fillPath(rng, route, setup, false);
      note = `wrong method ${method} on ${routeName}`;
      if (method !== "GET" && method !== "OPTIONS") jsonBody(invalidBody(rng, route, setup.ids));
      break;
    }
    case "auth": {
      const value = rng.pick(BAD_AUTH);
      authOverride = value === "" ? null : value;
      path = fillPath(rng, route, setup, route.method === "GET");
      note = `authorization ${JSON.stringify(value.slice(0, 30))}`;
      if (isPost) jsonBody(invalidBody(rng, route, setup.ids));
      break;
    }
    case "headers": {
      // Odd but sendable headers on a read: resumption, caching, projects, sizes.
      const [name, value] = rng.pick(ODD_HEADERS)(rng);
      headers[name] = value;
      note = `header ${name}: ${JSON.stringify(value.slice(0, 40))}`;
      if (rng.chance(0.3)) query = badQuery(rng);
      break;
    }
    case "body":
      path = fillPath(rng, route, setup, false);
      jsonBody(invalidBody(rng, route, setup.ids));
      if (routeName === "POST /v1/runs" && rng.chance(0.3)) query = "dryRun=true"; // still invalid: validation before estimating
      break;
    case "raw-body": {
      path = fillPath(rng, route, setup, false);
      const raw = rawBody(rng, setup.maxBodyBytes);
      body = raw.text;
      note = raw.note;
      headers["content-type"] = rng.pick(["application/json", ...ODD_JSON_CONTENT_TYPES]);
      break;
    }
    case "content-type": {
      path = fillPath(rng, route, setup, false);
      const b = invalidBody(rng, route, setup.ids);
      body = b.text;
      const type = rng.pick([...BAD_CONTENT_TYPES, ...ODD_JSON_CONTENT_TYPES]);
      if (type) headers["content-type"] = type;
      note = `content-type ${JSON.stringify(type)}; ${b.note}`;
      break;
    }
    case "dry-run": {
      // Valid-shaped bodies with extreme values: allowed to pass, because a dry run stores nothing.
      const pretrain = rng.chance(0.3);
      const base: Record<string, Json> = pretrain ? { kind: "pretrain", taskIds: [setup.ids.taskId] } : { kind: "finetune", taskId: setup.ids.taskId };
      if (!pretrain && rng.chance(0.3)) base.agentSnapshotId = rng.pick(["latest", null]);
      if (pretrain && rng.chance(0.3)) base.seedAgentPrompt = rng.pick(["s", "🙂".repeat(10_000), "\ud800x"]);
      if (rng.chance(0.3)) base.agentModel = { model: rng.pick(["m", "é".repeat(200)]) };
      base.config = extremeConfig(rng);
      body = toText(base);
      headers["content-type"] = "application/json";
      query = "dryRun=true";
      note = "dry run with extreme values";
      mayBeValid = true;
      break;
    }
  }
  const url = query ? `${path}?${query}` : path;
  if (authOverride === undefined) Object.assign(headers, setup.auth(path));
  else if (authOverride !== null) headers.authorization = authOverride;
  return { index, family, route: routeName, method, url, headers, ...(body !== undefined ? { body } : {}), note, mayBeValid };
}

/** The request as printed on a failure: enough to replay it by hand. */
export function describeRequest(r: FuzzRequest, seed: number): string {
  const headers = { ...r.headers };
  if (headers.authorization?.startsWith("Bearer ") && headers.authorization.length > 40) headers.authorization = `${headers.authorization.slice(0, 20)}…`;
  const body = r.body === undefined ? "(none)" : r.body.length > 400 ? `${JSON.stringify(r.body.slice(0, 400))}… (${r.body.length} chars)` : JSON.stringify(r.body);
  const url = r.url.length > 300 ? `${r.url.slice(0, 300)}… (${r.url.length} chars)` : r.url;
  return `#${r.index} (seed ${seed}, family ${r.family}, route ${r.route}): ${r.method} ${url}\n  headers ${JSON.stringify(headers)}\n  body ${body}\n  note ${r.note}`;
}
