/**
 * The simulated optimizer of a shared system prompt (MetaSPO's outer step): reads a
 * system-prompt proposal (prompt-templates.ts renderSystemPromptProposal) and edits the
 * shared prompt the way the prompt agent edits a task prompt (prompt-agent.ts), with the
 * same edit kinds and meta-skill weights. A targeted edit adds the cue of the skill most
 * failures across the pool tasks miss, judged against each task's full prompt; harmful
 * edits hit every task at once, since the shared prompt is part of every task's prompt.
 */
import { rngOf } from "./hash";
import { detectMetaSkills, detectTaskSkills } from "./landscape";
import { applyEdit, EDIT_KINDS, type EditContext, type EditKind, editCount, editWeights, type ShownExample } from "./prompt-agent";
import { lookupExample, parseSimTag } from "./task-pool";
import { between, fromLines, type PromptLines, toLines, unfence } from "./text";

/** The header renderSystemPromptProposal opens with. */
export const SYSTEM_PROPOSAL_HEADER = "# System prompt to improve";

/** One pool task as the message shows it: its full prompt and its failures. */
export interface PoolTaskSeen {
  prompt: string;
  failures: ShownExample[];
}

/** Parses renderSystemPromptProposal's output; missing parts come back empty, never throw. */
export function parseSystemPromptProposal(user: string): { parent: string; tasks: PoolTaskSeen[] } {
  const parent = unfence(between(user, "parent_prompt") ?? "").trim();
  const tasks: PoolTaskSeen[] = [];
  for (const m of user.matchAll(/<task [^>]*>([\s\S]*?)<\/task>/g)) {
    const block = m[1] ?? "";
    const failures: ShownExample[] = [];
    for (const f of block.matchAll(/<failure[^>]*result="(\w+)"[^>]*>([\s\S]*?)<\/failure>/g)) {
      const body = f[2] ?? "";
      failures.push({ result: f[1] ?? "failure", input: unfence(between(body, "input") ?? ""), expected: unfence(between(body, "expected") ?? "") });
    }
    tasks.push({ prompt: unfence(between(block, "task_prompt") ?? "").trim(), failures });
  }
  return { parent, tasks };
}

/** Needed skills missing from each task's full prompt (and from the edited shared lines), over all failures. */
function poolNeeds(tasks: PoolTaskSeen[], lines: PromptLines): Map<string, number> {
  const shared = detectTaskSkills(fromLines(lines));
  const counts = new Map<string, number>();
  for (const task of tasks) {
    const present = detectTaskSkills(task.prompt);
    for (const ex of task.failures.filter((e) => e.result !== "success")) {
      const tag = parseSimTag(ex.input);
      for (const need of (tag ? lookupExample(tag) : null)?.needs ?? []) {
        if (!present.has(need) && !shared.has(need)) counts.set(need, (counts.get(need) ?? 0) + 1);
      }
    }
  }
  return counts;
}

/** The simulated answer to a system-prompt proposal. Deterministic in (seed, system, user, sampleIndex). */
export function proposeSystemPrompt(seed: number, system: string, user: string, sampleIndex = 0): string {
  const rng = rngOf(seed, "propose-system", system, user, sampleIndex);
  const { parent, tasks } = parseSystemPromptProposal(user);
  const meta = detectMetaSkills(system);
  const weights = editWeights(meta, system.length);
  const ctx: EditContext = { examples: tasks.flatMap((t) => t.failures), needsOf: (lines) => poolNeeds(tasks, lines), context: "", meta, rng };
  const count = editCount(meta, rng);
  let lines = toLines(parent);
  const notes: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = EDIT_KINDS[rng.weighted(EDIT_KINDS.map((k) => weights[k]))] as EditKind;
    const edit = applyEdit(kind, lines, ctx);
    lines = edit.lines;
    notes.push(edit.note);
  }
  const failures = ctx.examples.length;
  const analysis = `Analysis (simulated optimizer): ${failures} failures shown across ${tasks.length} tasks.`;
  return `${analysis}\n${notes.map((n) => `- ${n}`).join("\n")}\n\n<prompt>\n${fromLines(lines)}\n</prompt>`;
}
