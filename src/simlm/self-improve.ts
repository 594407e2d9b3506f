/**
 * The simulated self-improvement step: reads an agent-proposal message
 * (prompt-templates.ts renderAgentProposal) and returns an edited prompt-agent prompt.
 * The chance of adding a missing meta-skill grows with the meta-skills already in the
 * system prompt, so better optimizers improve themselves faster; harmful edits (deleting
 * a meta-skill, adding filler) grow less likely with "keep what works" and "be concise".
 */
import { type Rng, rngOf } from "./hash";
import { detectMetaSkills, detectTaskSkills, META_SKILLS } from "./landscape";
import { addBloat, addLine, deleteSentence, type EditResult, phrase } from "./edits";
import { between, countQuotedSpans, fromLines, type PromptLines, toLines, unfence } from "./text";

/** One pool task of the track record, as parsed back from the message. */
export interface TrackRecordSeen {
  seedScore: number;
  producedScore: number;
  seedPrompt: string;
  producedPrompt: string;
}

/** Parses renderAgentProposal's output; missing parts come back empty, never throw. */
export function parseAgentProposal(user: string): { parent: string; tasks: TrackRecordSeen[] } {
  const parent = unfence(between(user, "parent_prompt") ?? "").trim();
  const tasks: TrackRecordSeen[] = [];
  for (const m of user.matchAll(/<task [^>]*seed_score="([\d.-]+)" produced_score="([\d.-]+)">([\s\S]*?)<\/task>/g)) {
    const block = m[3] ?? "";
    tasks.push({
      seedScore: Number(m[1]),
      producedScore: Number(m[2]),
      seedPrompt: unfence(between(block, "seed_prompt") ?? "").trim(),
      producedPrompt: unfence(between(block, "produced_prompt") ?? "").trim(),
    });
  }
  return { parent, tasks };
}

/** What the track record says the agent lacks, by meta-skill id. */
export function metaEvidence(tasks: TrackRecordSeen[]): Map<string, number> {
  const evidence = new Map<string, number>();
  const add = (id: string, by = 1) => evidence.set(id, (evidence.get(id) ?? 0) + by);
  for (const t of tasks) {
    const kept = detectTaskSkills(t.producedPrompt);
    const lost = [...detectTaskSkills(t.seedPrompt)].filter((id) => !kept.has(id));
    if (lost.includes("reasoning")) add("depth");
    if (lost.some((id) => id !== "reasoning")) add("preserve");
    if (countQuotedSpans(t.producedPrompt) > 0) add("generalize");
    if (t.producedPrompt.length > t.seedPrompt.length + 300) add("concise");
    if (t.producedScore <= t.seedScore + 0.005) {
      add("diagnose");
      add("targeted", 0.5);
    }
  }
  return evidence;
}

function chooseMissingMeta(missing: string[], evidence: Map<string, number>, diagnoses: boolean, rng: Rng): string {
  if (!diagnoses) return rng.pick(missing) as string;
  // Missing ids are in META_SKILLS order, so ties fall to the more valuable skill.
  return missing.reduce((best, id) => ((evidence.get(id) ?? 0) > (evidence.get(best) ?? 0) ? id : best));
}

type AgentEditKind = "add" | "delete" | "bloat";
const KINDS: AgentEditKind[] = ["add", "delete", "bloat"];

/** Edit weights for a self-improvement step, from the meta-skills of the system prompt. */
export function agentEditWeights(meta: Set<string>): Record<AgentEditKind, number> {
  return {
    add: 0.5 + 0.5 * meta.size + (meta.has("diagnose") ? 0.5 : 0),
    delete: 0.6 * (meta.has("preserve") ? 0.12 : 1),
    bloat: 0.5 * (meta.has("concise") ? 0.15 : 1),
  };
}

function addMeta(lines: PromptLines, meta: Set<string>, evidence: Map<string, number>, rng: Rng): EditResult {
  const present = detectMetaSkills(fromLines(lines));
  const missing = META_SKILLS.filter((s) => !present.has(s.id)).map((s) => s.id);
  if (missing.length === 0) {
    const trim = meta.has("concise") ? deleteSentence(lines, META_SKILLS, rng, { protect: [], preferFiller: true }) : null;
    return trim ?? { lines, note: "The instructions already cover what matters." };
  }
  const id = chooseMissingMeta(missing, evidence, meta.has("diagnose"), rng);
  const cue = META_SKILLS.find((s) => s.id === id)?.cue as string;
  return addLine(lines, phrase(cue, meta.has("concise"), rng), "Added a rule suggested by the track record.");
}

/**
 * The simulated answer to an agent-proposal message: analysis, then the new prompt-agent
 * prompt between <prompt> tags. Deterministic in (seed, system, user, sampleIndex).
 */
export function proposeAgentPrompt(seed: number, system: string, user: string, sampleIndex = 0): string {
  const rng = rngOf(seed, "propose-agent", system, user, sampleIndex);
  const { parent, tasks } = parseAgentProposal(user);
  const meta = detectMetaSkills(system);
  const weights = agentEditWeights(meta);
  const evidence = metaEvidence(tasks);
  let lines = toLines(parent);
  const notes: string[] = [];
  const count = rng.chance(0.3) ? 2 : 1;
  for (let i = 0; i < count; i++) {
    const kind = KINDS[rng.weighted(KINDS.map((k) => weights[k]))] as AgentEditKind;
    let edit: EditResult;
    if (kind === "add") edit = addMeta(lines, meta, evidence, rng);
    else if (kind === "delete") {
      const options = { protect: [], preferFiller: meta.has("concise") };
      edit = deleteSentence(lines, META_SKILLS, rng, options) ?? addBloat(lines, rng);
    } else edit = addBloat(lines, rng);
    lines = edit.lines;
    notes.push(edit.note);
  }
  const gains = tasks.map((t) => t.producedScore - t.seedScore);
  const mean = gains.length > 0 ? gains.reduce((a, b) => a + b, 0) / gains.length : 0;
  const analysis =
    `Analysis (simulated prompt agent): over ${tasks.length} tasks the produced prompts ` +
    `changed the score by ${mean.toFixed(3)} on average.`;
  return `${analysis}\n${notes.map((n) => `- ${n}`).join("\n")}\n\n<prompt>\n${fromLines(lines)}\n</prompt>`;
}
