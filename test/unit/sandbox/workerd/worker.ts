/**
 * A Worker that exposes the code sandbox and the scorers over HTTP, so that
 * ../workerd.test.ts can prove them under `wrangler dev` (the vitest pool allows `eval`
 * and would prove nothing). SANDBOX_SECRET is a binding the guest code must not reach.
 */
import { loadQuickJs } from "../../../../src/sandbox/quickjs-module";
import { runJavaScript } from "../../../../src/sandbox/run-javascript";
import { scoreOutputAsync } from "../../../../src/scoring/registry";
import { ScorerSpecSchema } from "../../../../src/scoring/scorer-spec";

interface Env {
  SANDBOX_SECRET: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === "/health") return new Response("ok");
    if (pathname === "/memory") {
      const quickjs = await loadQuickJs();
      return Response.json({ wasmBytes: quickjs.getWasmMemory().buffer.byteLength });
    }
    if (pathname === "/eval") {
      // Shows the host itself refuses code generation, so the sandbox cannot rely on it.
      try {
        return Response.json({ evalWorks: new Function("return 1 + 1")() === 2 });
      } catch (error) {
        return Response.json({ evalWorks: false, error: String(error) });
      }
    }
    const body = (await request.json()) as Record<string, unknown>;
    if (pathname === "/run") {
      const code = String(body["code"]).replaceAll("%SECRET%", env.SANDBOX_SECRET);
      const started = Date.now();
      const result = runJavaScript(await loadQuickJs(), code, { timeLimitMs: Number(body["timeLimitMs"] ?? 1000) });
      return Response.json({ ...result, hostMs: Date.now() - started });
    }
    if (pathname === "/score") {
      const spec = ScorerSpecSchema.parse(body["spec"]);
      return Response.json(await scoreOutputAsync(spec, String(body["output"]), String(body["expected"])));
    }
    return new Response("not found", { status: 404 });
  },
};
