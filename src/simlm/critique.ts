/**
 * The simulated critique (TextGrad's "textual gradient"): reads a critique request
 * (prompt-templates.ts renderCritiqueRequest) and writes a critique, not a prompt. A
 * critique that names the cue of a skill the shown failures need is what makes the
 * following rewrite useful (prompt-agent.ts acts on a named cue with CRITIQUE_FOLLOW).
 * How often it names one depends on the optimizer's meta-skills ("diagnose") and on how
 * clear the evidence is: failures that share a missing skill are easier to read than
 * failures that each miss a different one. Otherwise the critique names a random
 * instruction (a misdiagnosis, sometimes right by luck) or stays vague.
 */
import { type Rng, rngOf } from "./hash";
import { detectMetaSkills, getSkill, TASK_SKILLS } from "./landscape";
import { missingNeeds, parseTaskProposal, presentSkills } from "./prompt-agent";
import { toLines } from "./text";

/** The header renderCritiqueRequest opens with. */
export const CRITIQUE_REQUEST_HEADER = "# Prompt to critique";

/** P(the critique names a skill the failures need), before the evidence discount. */
const NAMES_NEED = { diagnoses: 0.9, plain: 0.5 };
/** Failures that do not share a missing skill make the diagnosis this much less likely. */
const SCATTERED_EVIDENCE = 0.6;
/** After a misdiagnosis, the chance that the critique still names some instruction. */
const NAMES_SOMETHING_ELSE = 0.5;

const VAGUE = "The prompt is too generic. It should push the assistant to be more thorough and to take more care with every question.";
const NO_GAP = "The failed examples do not point to a clear gap in the prompt; they may simply be hard cases.";

/** P(naming a needed skill) for an optimizer with these meta-skills, given the evidence. */
export function namesNeedProbability(meta: Set<string>, sharedNeed: boolean): number {
  const p = meta.has("diagnose") ? NAMES_NEED.diagnoses : NAMES_NEED.plain;
  return sharedNeed ? p : p * SCATTERED_EVIDENCE;
}

function naming(cue: string, why: string): string {
  return `The prompt lacks an instruction that ${why}. It should tell the assistant:\n${cue}`;
}

/** The critique's body: a named cue (right or wrong), a vague remark, or no gap found. */
function critiqueBody(counts: Map<string, number>, present: Set<string>, meta: Set<string>, rng: Rng): string {
  if (counts.size === 0) return NO_GAP;
  const top = Math.max(...counts.values());
  if (rng.chance(namesNeedProbability(meta, top >= 2))) {
    const ranked = rng.shuffle([...counts.entries()]);
    // A diagnosing optimizer names the most common gap; otherwise one in proportion to its failures.
    const chosen = meta.has("diagnose")
      ? ranked.reduce((best, e) => (e[1] > best[1] ? e : best))[0]
      : (ranked[rng.weighted(ranked.map((e) => e[1]))] as [string, number])[0];
    return naming(getSkill(chosen).cue, `${counts.get(chosen)} of the failed examples needed`);
  }
  const other = rng.chance(NAMES_SOMETHING_ELSE) ? rng.pick(TASK_SKILLS.filter((s) => !present.has(s.id))) : undefined;
  return other ? naming(other.cue, "would likely have avoided these errors") : VAGUE;
}

/** The simulated answer to a critique request. Deterministic in (seed, system, user, sampleIndex). */
export function writeCritique(seed: number, system: string, user: string, sampleIndex = 0): string {
  const rng = rngOf(seed, "critique", system, user, sampleIndex);
  const request = parseTaskProposal(user);
  const lines = toLines(request.parent);
  const counts = missingNeeds(lines, request.examples, request.shared);
  const body = critiqueBody(counts, presentSkills(lines, request.shared), detectMetaSkills(system), rng);
  const failed = request.examples.filter((e) => e.result !== "success").length;
  const analysis = `Critique (simulated optimizer): ${failed} of ${request.examples.length} shown examples did not fully succeed.`;
  return `${analysis}\n\n<critique>\n${body}\n</critique>`;
}
