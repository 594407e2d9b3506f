/**
 * Changing what a task serves by hand: add a manual version, promote any version,
 * roll back, pin and unpin. Each answers the task's live state afterwards and the change
 * it wrote (null when the request changed nothing: promoting the live version, pinning
 * a pinned task at its live version, unpinning an unpinned one), so retrying a request
 * is safe. Mounted by prompts.ts.
 */
import { type Context, Hono } from "hono";
import type { HonoEnv } from "../app";
import { projectIdOf } from "../auth/authenticate";
import { AppError } from "../errors";
import { readJson } from "../http/validate";
import type { LiveRequest, Refusal } from "../prompts/plan-live-change";
import { getPromptVersion, insertManualVersion, type PromptVersion } from "../storage/champion-repo";
import { type AddedPrompt, applyLiveRequest, type LiveChangeResult, type PromptState, readLiveState } from "../storage/prompt-change-repo";
import { taskNotFound } from "./not-found";
import { AddPromptSchema, PinSchema, PromoteSchema, readOptionalJson, RollbackSchema } from "./prompt-input";

export const promptControlRoutes = new Hono<HonoEnv>();

export function versionNotFound(taskId: string, version: number | string): AppError {
  return new AppError("not_found", `Task '${taskId}' has no prompt version ${version}. List its versions with GET /v1/tasks/${taskId}/prompts.`);
}

promptControlRoutes.post("/:id/prompts", async (c) => {
  const id = c.req.param("id");
  const body = await readJson(c, AddPromptSchema);
  const projectId = projectIdOf(c);
  const note = body.note ?? null;
  let added: AddedPrompt;
  if (body.live) {
    const request: LiveRequest = { action: "manual", reason: note };
    const state = answer(id, request, await applyLiveRequest(c.env.DB, projectId, id, request, Date.now(), { text: body.text, note }));
    const prompt = state.change?.toVersion ? await getPromptVersion(c.env.DB, projectId, id, state.change.toVersion) : null;
    if (!prompt) throw taskNotFound(id); // only if the task was deleted in between
    added = { ...state, prompt };
  } else {
    const prompt = await insertManualVersion(c.env.DB, projectId, id, body.text, note, Date.now());
    const state = prompt && (await readLiveState(c.env.DB, projectId, id));
    if (!prompt || !state) throw taskNotFound(id);
    added = { taskId: id, liveVersion: state.liveVersion, pinned: state.pinned, change: null, prompt };
  }
  return c.json(added, 201, { Location: `/v1/tasks/${id}/prompts/${added.prompt.version}` });
});

promptControlRoutes.post("/:id/prompt/promote", async (c) => {
  const body = await readJson(c, PromoteSchema);
  return c.json(await apply(c, { action: "promote", version: body.version, reason: body.reason ?? null }));
});

promptControlRoutes.post("/:id/prompt/rollback", async (c) => {
  const body = await readOptionalJson(c, RollbackSchema);
  return c.json(await apply(c, { action: "rollback", reason: body.reason ?? null }));
});

promptControlRoutes.post("/:id/prompt/pin", async (c) => {
  const body = await readOptionalJson(c, PinSchema);
  return c.json(await apply(c, { action: "pin", version: body.version ?? null, reason: body.reason ?? null }));
});

promptControlRoutes.delete("/:id/prompt/pin", async (c) => c.json(await apply(c, { action: "unpin", reason: null })));

async function apply(c: Context<HonoEnv>, request: LiveRequest): Promise<PromptState> {
  const id = c.req.param("id")!;
  return answer(id, request, await applyLiveRequest(c.env.DB, projectIdOf(c), id, request, Date.now()));
}

/** The response to a change request, or the 404/409 that explains why it was not applied. */
function answer(taskId: string, request: LiveRequest, result: LiveChangeResult): PromptState {
  switch (result.kind) {
    case "changed":
      return { taskId, liveVersion: result.change.toVersion, pinned: result.change.pinned, change: result.change };
    case "unchanged":
      return { taskId, liveVersion: result.state.liveVersion, pinned: result.state.pinned, change: null };
    case "not_found":
      throw taskNotFound(taskId);
    case "refused":
      throw refusalError(taskId, request, result.refusal, result.state.liveVersion);
    case "busy":
      throw new AppError("conflict", `The live version of task '${taskId}' kept changing while this request was applied; read it again (GET /v1/tasks/${taskId}/prompt) and retry.`);
  }
}

function refusalError(taskId: string, request: LiveRequest, refusal: Refusal, live: number | null): AppError {
  const base = `/v1/tasks/${taskId}/prompt`;
  switch (refusal) {
    case "unknown_version":
      return versionNotFound(taskId, "version" in request ? String(request.version) : "?");
    case "pinned":
      return new AppError(
        "conflict",
        `Task '${taskId}' is pinned at v${live}, so a new version cannot go live with "live": true. Add it without "live" and promote it (POST ${base}/promote), or unpin first (DELETE ${base}/pin).`,
      );
    case "nothing_to_roll_back":
      return new AppError(
        "conflict",
        `Task '${taskId}' has no earlier live version to roll back to: every recorded change of its live version is already rolled back (or none was recorded). Make a version live with POST ${base}/promote.`,
      );
    case "no_live_version":
      return new AppError("conflict", `Task '${taskId}' has no live version to pin; send {"version": n} to pin (and serve) version n.`);
  }
}
