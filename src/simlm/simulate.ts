/**
 * SimLM's pure core entry: one chat turn in, one simulated reply out. The mode follows
 * from the user message: the engine's proposal formats (task prompt, prompt-agent prompt,
 * TextGrad's critique request, MetaSPO's shared system prompt), an example carrying a sim
 * tag, or anything else (a generic reply). No I/O, clock or ambient randomness.
 */
import { CRITIQUE_REQUEST_HEADER, writeCritique } from "./critique";
import { hashOf } from "./hash";
import { proposeTaskPrompt } from "./prompt-agent";
import { proposeAgentPrompt } from "./self-improve";
import { proposeSystemPrompt, SYSTEM_PROPOSAL_HEADER } from "./system-prompt";
import { answerTaskExample } from "./task-model";
import { parseSimTag } from "./task-pool";

/** Which simulated role answered. */
export type SimMode = "task" | "propose-task" | "propose-agent" | "critique" | "propose-system" | "chat";

/** One chat turn as SimLM sees it. */
export interface SimTurn {
  seed: number;
  /** All system (and developer) messages, joined. */
  system: string;
  /** The last user message. */
  user: string;
  /** Distinct samples of the same turn (pass@k). */
  sampleIndex: number;
}

export interface SimReply {
  mode: SimMode;
  text: string;
}

/** The engine's proposal headers (prompt-templates.ts); they open the user message. */
export const TASK_PROPOSAL_HEADER = "# Task prompt to improve";
export const AGENT_PROPOSAL_HEADER = "# Prompt-agent prompt to improve";
export { CRITIQUE_REQUEST_HEADER, SYSTEM_PROPOSAL_HEADER };

const GENERIC = [
  "This is SimLM, a simulated model for offline testing. It answers tagged simulated examples and prompt-improvement requests.",
  "SimLM (simulated model) here. Nothing in this reply comes from a real language model.",
  "Simulated reply: SimLM only models prompt quality on its built-in simulated tasks.",
];

/**
 * The sim tag of a task example: it opens the example's first line. A tag further down
 * (an example quoted inside some other request) does not make the request a task call.
 */
function leadingTag(user: string) {
  return parseSimTag(user.trimStart().split("\n", 1)[0] ?? "");
}

/** Which mode a user message selects. */
export function detectMode(user: string): SimMode {
  const head = user.trimStart();
  if (head.startsWith(TASK_PROPOSAL_HEADER)) return "propose-task";
  if (head.startsWith(AGENT_PROPOSAL_HEADER)) return "propose-agent";
  if (head.startsWith(CRITIQUE_REQUEST_HEADER)) return "critique";
  if (head.startsWith(SYSTEM_PROPOSAL_HEADER)) return "propose-system";
  return leadingTag(user) ? "task" : "chat";
}

/** The simulated reply to one turn. Same turn, same reply. */
export function simulateReply(turn: SimTurn): SimReply {
  const mode = detectMode(turn.user);
  if (mode === "propose-task") {
    return { mode, text: proposeTaskPrompt(turn.seed, turn.system, turn.user, turn.sampleIndex) };
  }
  if (mode === "propose-agent") {
    return { mode, text: proposeAgentPrompt(turn.seed, turn.system, turn.user, turn.sampleIndex) };
  }
  if (mode === "critique") return { mode, text: writeCritique(turn.seed, turn.system, turn.user, turn.sampleIndex) };
  if (mode === "propose-system") {
    return { mode, text: proposeSystemPrompt(turn.seed, turn.system, turn.user, turn.sampleIndex) };
  }
  if (mode === "task") {
    const tag = leadingTag(turn.user);
    const answer = tag ? answerTaskExample(turn.seed, turn.system, tag, turn.sampleIndex) : null;
    if (answer) return { mode, text: answer.text };
  }
  const line = GENERIC[hashOf(turn.seed, turn.system, turn.user, turn.sampleIndex) % GENERIC.length] as string;
  return { mode: "chat", text: line };
}
