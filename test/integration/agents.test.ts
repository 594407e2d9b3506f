import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getLatestAgentSnapshot } from "../../src/storage/agent-repo";
import { DEFAULT_PROJECT_ID } from "../../src/storage/project-repo";
import { authedFetch } from "./support/auth";

let clock = 1_900_000_000_000;

/** Inserts a snapshot row as a pre-training run would, each one newer than the last. */
async function insertSnapshot(overrides: Partial<{ id: string; lineage: string; fitness: number }> = {}) {
  const id = overrides.id ?? `agt_${crypto.randomUUID().replaceAll("-", "")}`;
  clock += 1000;
  await env.DB.prepare(
    "INSERT INTO agent_snapshots (id, run_id, candidate_id, text, fitness, lineage, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
  )
    .bind(id, "run_pre", "cand_7", `You improve prompts (${id}).`, overrides.fitness ?? 0.12, overrides.lineage ?? '["cand_0","cand_7"]', clock)
    .run();
  return { id, createdAt: new Date(clock).toISOString() };
}

function get(path: string) {
  return authedFetch(path);
}

describe("/v1/agents", () => {
  it("reads one snapshot and 404s an unknown id", async () => {
    const { id, createdAt } = await insertSnapshot();
    const res = await get(`/v1/agents/${id}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      id,
      runId: "run_pre",
      candidateId: "cand_7",
      kind: "prompt-agent",
      text: `You improve prompts (${id}).`,
      fitness: 0.12,
      lineage: ["cand_0", "cand_7"],
      createdAt,
    });
    const missing = await get("/v1/agents/agt_nope");
    expect(missing.status).toBe(404);
    expect((await missing.json<any>()).error).toMatchObject({ code: "not_found", message: expect.stringContaining("agt_nope") });
  });

  it("lists newest first through cursor pages", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await insertSnapshot()).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await (await get(`/v1/agents?limit=2${cursor ? `&cursor=${cursor}` : ""}`)).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((s: any) => s.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.filter((id) => ids.includes(id))).toEqual([...ids].reverse());
    expect((await getLatestAgentSnapshot(env.DB, DEFAULT_PROJECT_ID))?.id).toBe(ids[4]);
  });

  it("keeps listing when a row's lineage is corrupt", async () => {
    const { id } = await insertSnapshot({ lineage: "{not json" });
    const res = await get("/v1/agents?limit=100");
    expect(res.status).toBe(200);
    expect((await res.json<any>()).items.find((s: any) => s.id === id)?.lineage).toEqual([]);
  });

  it("rejects bad paging parameters", async () => {
    for (const [query, path] of [["limit=500", "limit"], ["cursor=%%%", "cursor"]]) {
      const res = await get(`/v1/agents?${query}`);
      expect(res.status).toBe(400);
      expect((await res.json<any>()).error.issues[0].path).toBe(path);
    }
  });
});
