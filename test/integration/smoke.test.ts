import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("worker", () => {
  it("answers health and has migrated D1", async () => {
    const res = await exports.default.fetch("http://x/health");
    expect(res.status).toBe(200);
    const row = await env.DB.prepare("SELECT count(*) AS n FROM tasks").first<{ n: number }>();
    expect(row?.n).toBe(0);
  });
});
