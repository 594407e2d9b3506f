import { describe, expect, it } from "vitest";
import {
  extractPrompt,
  FIXED_META_OPTIMIZER_PROMPT,
  renderAgentProposal,
  SEED_AGENT_PROMPT,
  type TrackRecordItem,
} from "../../../src/engine/prompt-templates";
import { detectMetaSkills } from "../../../src/simlm/landscape";
import { metaEvidence, parseAgentProposal } from "../../../src/simlm/self-improve";
import { simulateReply } from "../../../src/simlm/simulate";
import { getSimTask } from "../../../src/simlm/task-pool";
import { agentWith, mean } from "./helpers";

const seedPrompt = getSimTask("sim-arithmetic")!.seedPrompt;
const TRACK: TrackRecordItem[] = [
  {
    taskName: "sim-arithmetic",
    seedPrompt,
    producedPrompt: "You are a helpful assistant that solves math word problems. Give the final answer on the last line as 'Answer: <number>'.",
    seedScore: 0.42,
    producedScore: 0.31,
    failures: [],
  },
];

function improve(system: string, parent: string, seed: number): string {
  const reply = simulateReply({ seed, system, user: renderAgentProposal(parent, TRACK), sampleIndex: 0 });
  expect(reply.mode).toBe("propose-agent");
  return extractPrompt(reply.text, 8000) as string;
}

/** Share of self-improvement steps whose child holds more meta-skills than the parent. */
function gainRate(agent: string, runs = 200): number {
  const before = detectMetaSkills(agent).size;
  return mean(Array.from({ length: runs }, (_, s) => (detectMetaSkills(improve(agent, agent, s)).size > before ? 1 : 0)));
}

describe("simulated self-improvement", () => {
  it("reads back what renderAgentProposal wrote", () => {
    const parsed = parseAgentProposal(renderAgentProposal(SEED_AGENT_PROMPT, TRACK));
    expect(parsed.parent).toBe(SEED_AGENT_PROMPT);
    expect(parsed.tasks).toEqual([
      { seedScore: 0.42, producedScore: 0.31, seedPrompt, producedPrompt: TRACK[0]!.producedPrompt },
    ]);
  });

  it("reads the track record for what went wrong: a lost reasoning instruction, no gain", () => {
    const evidence = metaEvidence(parseAgentProposal(renderAgentProposal(SEED_AGENT_PROMPT, TRACK)).tasks);
    expect(evidence.get("depth")).toBe(1);
    expect(evidence.get("diagnose")).toBe(1);
    expect(evidence.has("generalize")).toBe(false);
  });

  it("is deterministic and returns a prompt", () => {
    const a = improve(SEED_AGENT_PROMPT, SEED_AGENT_PROMPT, 3);
    expect(improve(SEED_AGENT_PROMPT, SEED_AGENT_PROMPT, 3)).toBe(a);
    expect(a.length).toBeGreaterThan(0);
  });

  it("adds meta-skills faster when the improving agent already has more", () => {
    const rates = [0, 2, 4].map((k) => gainRate(agentWith(SEED_AGENT_PROMPT, k)));
    expect(rates[0]!).toBeGreaterThan(0.15);
    expect(rates[1]!).toBeGreaterThan(rates[0]! + 0.15);
    expect(rates[2]!).toBeGreaterThan(rates[1]!);
  });

  it("lets a diagnosing agent pick the rule the track record asks for", () => {
    const parent = agentWith(SEED_AGENT_PROMPT, 1); // diagnose only
    const added = Array.from({ length: 100 }, (_, s) => improve(parent, parent, s))
      .map((child) => [...detectMetaSkills(child)].filter((id) => id !== "diagnose"))
      .filter((ids) => ids.length === 1)
      .map((ids) => ids[0]);
    expect(added.length).toBeGreaterThan(30);
    // The track record lost "Think step by step": the missing rule is reasoning depth.
    expect(added.filter((id) => id === "depth").length / added.length).toBeGreaterThan(0.8);
  });

  it("works under the fixed meta-optimizer too, at the seed agent's pace", () => {
    const rate = mean(
      Array.from({ length: 200 }, (_, s) => (detectMetaSkills(improve(FIXED_META_OPTIMIZER_PROMPT, SEED_AGENT_PROMPT, s)).size > 0 ? 1 : 0)),
    );
    expect(rate).toBeGreaterThan(0.15);
    expect(rate).toBeLessThan(0.6);
  });
});
