/**
 * What a failure tells a caller: an unexpected error is a 500 with a fixed message (the
 * cause goes to the log only), and a refused key is never echoed back.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { bearer, testKey } from "./support/auth";

const SECRET_DETAIL = "D1 exploded near sk_not-a-real-key and /internal/path";

/** A D1 binding whose every statement fails with `SECRET_DETAIL`. */
const brokenDb = new Proxy(env.DB, {
  get(target, name) {
    if (name === "prepare") return () => { throw new Error(SECRET_DETAIL); };
    return Reflect.get(target, name);
  },
});

describe("failures", () => {
  it("an unexpected error answers 500 with a fixed message, and the detail goes only to the log", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const key = await testKey();
      for (const path of ["/v1/tasks", "/v1/budget", "/v1/runs"]) {
        const res = await createApp().fetch(new Request(`http://x${path}`, { headers: bearer(key) }), { ...env, DB: brokenDb });
        expect(res.status, path).toBe(500);
        const text = await res.text();
        expect(JSON.parse(text)).toEqual({ error: { code: "internal", message: "Internal error; the request was not applied." } });
        expect(text).not.toContain("sk_");
        expect(text).not.toContain(key);
      }
      expect(logged).toHaveBeenCalledWith("unhandled error", expect.objectContaining({ message: SECRET_DETAIL }));
      // The log line names the error, never the request's key.
      for (const args of logged.mock.calls) expect(JSON.stringify(args.map(String))).not.toContain(key);
    } finally {
      logged.mockRestore();
    }
  });

  it("a refused token is not echoed in the answer, whatever its shape", async () => {
    for (const token of [`sk_${"Z".repeat(43)}`, "hunter2-password", "x".repeat(600)]) {
      const res = await createApp().fetch(new Request("http://x/v1/budget", { headers: bearer(token) }), env);
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain(token.slice(0, 12));
    }
  });
});
