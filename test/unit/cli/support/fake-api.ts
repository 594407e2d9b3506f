/** A fake SePO API as a fetch function: routes by "METHOD /path/:param", records every request. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  headers: Record<string, string>;
}

export type Handler = (req: RecordedRequest, params: Record<string, string>) => unknown;

/** A handler's answer with a status other than 200. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

export function apiError(status: number, message: string, code = "invalid_request"): Reply {
  return new Reply(status, { error: { code, message } });
}

export function fakeApi(routes: Record<string, Handler | unknown>) {
  const requests: RecordedRequest[] = [];
  const fetch: typeof globalThis.fetch = (async (input: URL | RequestInfo, init?: RequestInit) => {
    const url = new URL(String(input));
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    const req: RecordedRequest = {
      method: init?.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
      headers,
    };
    requests.push(req);
    for (const [pattern, handler] of Object.entries(routes)) {
      const params = match(pattern, req);
      if (!params) continue;
      const result = typeof handler === "function" ? (handler as Handler)(req, params) : handler;
      const reply = result instanceof Reply ? result : new Reply(200, result);
      // A 204 has no body (Response refuses one).
      return new Response(reply.status === 204 ? null : JSON.stringify(reply.body), { status: reply.status, headers: { "content-type": "application/json" } });
    }
    return new Response(JSON.stringify({ error: { code: "not_found", message: `no route ${req.method} ${req.path}` } }), { status: 404 });
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

function match(pattern: string, req: RecordedRequest): Record<string, string> | null {
  const [method, path] = pattern.split(" ") as [string, string];
  if (method !== req.method) return null;
  const want = path.split("/");
  const got = req.path.split("/");
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    if (part.startsWith(":")) params[part.slice(1)] = decodeURIComponent(got[i]!);
    else if (part !== got[i]) return null;
  }
  return params;
}
