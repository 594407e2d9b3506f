/**
 * The simulated prompt agent (fine-tuning mode): reads a task-proposal message in the
 * engine's format (prompt-templates.ts renderTaskProposal) and writes a child prompt, the
 * parent with one or two edits. Which edits it makes depends on the meta-skills in its
 * own system prompt: a good agent adds the cue of a skill the shown failures need; a
 * poor one adds random or harmful text, deletes working instructions or copies examples.
 * Two optional parts of the message change that: a critique (TextGrad) that names a
 * missing instruction is acted on first, with probability CRITIQUE_FOLLOW; a shared
 * system prompt (MetaSPO) counts as present when the agent looks for what is missing.
 */
import { type Rng, rngOf } from "./hash";
import { detectMetaSkills, detectTaskSkills, getSkill, TASK_SKILLS } from "./landscape";
import { addBloat, addLine, deleteSentence, type EditResult, pasteExample, phrase } from "./edits";
import { lookupExample, parseSimTag } from "./task-pool";
import { between, fromLines, type PromptLines, toLines, unfence } from "./text";

/** One example shown to the agent, as parsed back from the proposal message. */
export interface ShownExample {
  result: string;
  input: string;
  expected: string;
}

/** The parts of a task-proposal message SimLM reads. */
export interface TaskProposal {
  parent: string;
  examples: ShownExample[];
  /** MetaSPO's fixed shared system prompt ("" when the message has none). */
  shared: string;
  /** TextGrad's critique, or null when the message has none. */
  critique: string | null;
}

/** A rewrite acts on a critique that names a missing instruction with this probability. */
export const CRITIQUE_FOLLOW = 0.85;

/** Parses renderTaskProposal's (and renderCritiqueRequest's) output; missing parts come back empty, never throw. */
export function parseTaskProposal(user: string): TaskProposal {
  const parent = unfence(between(user, "parent_prompt") ?? "").trim();
  const shared = unfence(between(user, "shared_prompt") ?? "").trim();
  // The critique block sits on lines of its own (a request's instructions may name the tags inline).
  const critique = /(?:^|\n)<critique>\n([\s\S]*?)\n<\/critique>(?:\n|$)/.exec(user)?.[1] ?? null;
  const examples: ShownExample[] = [];
  for (const m of user.matchAll(/<example[^>]*result="(\w+)"[^>]*>([\s\S]*?)<\/example>/g)) {
    const block = m[2] ?? "";
    examples.push({
      result: m[1] ?? "failure",
      input: unfence(between(block, "input") ?? ""),
      expected: unfence(between(block, "expected") ?? ""),
    });
  }
  return { parent, examples, shared, critique: critique === null ? null : unfence(critique).trim() };
}

export type EditKind = "targeted" | "random" | "bloat" | "delete" | "paste" | "shallow";
/** Every kind of edit, in the order their weights are drawn. */
export const EDIT_KINDS: readonly EditKind[] = ["targeted", "random", "bloat", "delete", "paste", "shallow"];

/**
 * How likely each kind of edit is. Meta-skills shift weight from harmful edits to
 * targeted ones; a bloated agent prompt dilutes its own guidance a little.
 */
export function editWeights(meta: Set<string>, agentPromptChars: number): Record<EditKind, number> {
  const dilution = Math.exp(-Math.max(0, agentPromptChars - 1500) / 3000);
  const has = (id: string) => (meta.has(id) ? 1 : 0);
  return {
    targeted: (1 + 1.2 * has("diagnose") + 0.8 * has("targeted")) * dilution,
    random: 0.8,
    bloat: 0.5 * (meta.has("concise") ? 0.15 : 1),
    delete: 0.6 * (meta.has("preserve") ? 0.12 : 1),
    paste: 0.6 * (meta.has("generalize") ? 0.1 : 1),
    shallow: 0.4 * (meta.has("depth") ? 0.05 : 1),
  };
}

/** Task skills of `lines`, plus those of a fixed context (MetaSPO's other part) when there is one. */
export function presentSkills(lines: PromptLines, context: string): Set<string> {
  const text = fromLines(lines);
  return detectTaskSkills(context ? `${context}\n${text}` : text);
}

/** Missing needed skills over the shown failures, with how many failures need each. */
export function missingNeeds(lines: PromptLines, examples: ShownExample[], context = ""): Map<string, number> {
  const present = presentSkills(lines, context);
  const counts = new Map<string, number>();
  for (const ex of examples.filter((e) => e.result !== "success")) {
    const tag = parseSimTag(ex.input);
    const detail = tag ? lookupExample(tag) : null;
    for (const need of detail?.needs ?? []) {
      if (!present.has(need)) counts.set(need, (counts.get(need) ?? 0) + 1);
    }
  }
  return counts;
}

/** What an edit may look at besides the prompt it edits. */
export interface EditContext {
  examples: ShownExample[];
  /** Missing needed skills over the shown failures, for the prompt as edited so far. */
  needsOf: (lines: PromptLines) => Map<string, number>;
  /** Text whose skills count as present besides the edited lines ("" for none). */
  context: string;
  meta: Set<string>;
  rng: Rng;
}

function addRandomSkill(lines: PromptLines, rng: Rng, concise: boolean, context = ""): EditResult {
  const present = presentSkills(lines, context);
  const skill = rng.pick(TASK_SKILLS.filter((s) => !present.has(s.id)));
  if (!skill) return addBloat(lines, rng);
  return addLine(lines, phrase(skill.cue, concise, rng), "Added a general instruction that might help.");
}

function targetedEdit(lines: PromptLines, ctx: EditContext): EditResult {
  const { meta, rng } = ctx;
  const concise = meta.has("concise");
  const counts = ctx.needsOf(lines);
  if (counts.size === 0) {
    // Nothing left to fix in what was shown: a concise agent trims filler instead.
    if (!concise) return addRandomSkill(lines, rng, concise, ctx.context);
    const trimmed = deleteSentence(lines, TASK_SKILLS, rng, { protect: [], preferFiller: true });
    return trimmed ?? { lines, note: "No change needed." };
  }
  // Without diagnosis the agent misreads the failures half of the time.
  if (!meta.has("diagnose") && rng.chance(0.5)) return addRandomSkill(lines, rng, concise, ctx.context);
  const ranked = rng.shuffle([...counts.entries()]);
  const chosen = meta.has("diagnose")
    ? ranked.reduce((best, e) => (e[1] > best[1] ? e : best))[0]
    : (rng.pick(ranked) as [string, number])[0];
  const skill = getSkill(chosen);
  return addLine(lines, phrase(skill.cue, concise, rng), `Failures suggest a missing instruction (${counts.get(chosen)} of them).`);
}

function shallowEdit(lines: PromptLines, rng: Rng): EditResult {
  const reasoning = lines.flat().filter((s) => detectTaskSkills(s).has("reasoning"));
  if (reasoning.length === 0) return addBloat(lines, rng);
  const kept = lines.map((l) => l.filter((s) => !detectTaskSkills(s).has("reasoning"))).filter((l) => l.length > 0);
  return addLine(kept, "Keep your reasoning brief and answer quickly.", "Shortened the reasoning to save tokens.");
}

export function applyEdit(kind: EditKind, lines: PromptLines, ctx: EditContext): EditResult {
  const { meta, rng } = ctx;
  const concise = meta.has("concise");
  switch (kind) {
    case "targeted":
      return targetedEdit(lines, ctx);
    case "random":
      return addRandomSkill(lines, rng, concise, ctx.context);
    case "bloat":
      return addBloat(lines, rng);
    case "delete": {
      const protect = meta.has("depth") ? ["reasoning"] : [];
      return deleteSentence(lines, TASK_SKILLS, rng, { protect, preferFiller: concise }) ?? addBloat(lines, rng);
    }
    case "paste": {
      const failures = ctx.examples.filter((e) => e.result !== "success");
      const ex = rng.pick(failures.length > 0 ? failures : ctx.examples);
      return ex ? pasteExample(lines, ex.input, ex.expected) : addBloat(lines, rng);
    }
    case "shallow":
      return shallowEdit(lines, rng);
  }
}

/** How many edits one answer makes: one, sometimes two (more often for a targeted agent). */
export function editCount(meta: Set<string>, rng: Rng): number {
  return 1 + (rng.chance(0.25 + 0.35 * (meta.has("targeted") ? 1 : 0)) ? 1 : 0);
}

/**
 * Acts on a critique that names instructions the prompt (with its context) lacks: adds
 * one of them with probability CRITIQUE_FOLLOW. Null when the critique names none, or
 * the draw says the rewrite ignores it (then the usual edits follow).
 */
function followCritique(lines: PromptLines, critique: string, ctx: EditContext): EditResult | null {
  const present = presentSkills(lines, ctx.context);
  const named = TASK_SKILLS.filter((s) => detectTaskSkills(critique).has(s.id) && !present.has(s.id));
  if (named.length === 0 || !ctx.rng.chance(CRITIQUE_FOLLOW)) return null;
  const skill = ctx.rng.pick(named) as (typeof named)[number];
  return addLine(lines, phrase(skill.cue, ctx.meta.has("concise"), ctx.rng), "Acted on the critique.");
}

/**
 * The simulated prompt agent's full answer: a short analysis, then the child prompt
 * between <prompt> tags. Deterministic in (seed, system, user, sampleIndex).
 */
export function proposeTaskPrompt(seed: number, system: string, user: string, sampleIndex = 0): string {
  const rng = rngOf(seed, "propose-task", system, user, sampleIndex);
  const proposal = parseTaskProposal(user);
  const meta = detectMetaSkills(system);
  const weights = editWeights(meta, system.length);
  const count = editCount(meta, rng);
  const ctx: EditContext = {
    examples: proposal.examples,
    needsOf: (lines) => missingNeeds(lines, proposal.examples, proposal.shared),
    context: proposal.shared,
    meta,
    rng,
  };
  let lines = toLines(proposal.parent);
  const notes: string[] = [];
  // A critique that names a missing instruction takes the first edit (no draw without one).
  const followed = proposal.critique === null ? null : followCritique(lines, proposal.critique, ctx);
  if (followed) {
    lines = followed.lines;
    notes.push(followed.note);
  }
  for (let i = followed ? 1 : 0; i < count; i++) {
    const kind = EDIT_KINDS[rng.weighted(EDIT_KINDS.map((k) => weights[k]))] as EditKind;
    const edit = applyEdit(kind, lines, ctx);
    lines = edit.lines;
    notes.push(edit.note);
  }
  const failed = proposal.examples.filter((e) => e.result !== "success").length;
  const analysis = `Analysis (simulated prompt agent): ${failed} of ${proposal.examples.length} shown examples did not fully succeed.`;
  return `${analysis}\n${notes.map((n) => `- ${n}`).join("\n")}\n\n<prompt>\n${fromLines(lines)}\n</prompt>`;
}
