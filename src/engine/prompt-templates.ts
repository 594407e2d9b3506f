/**
 * The messages the prompt agent sees, and how its answer is read back. Pure text in,
 * text out: the consumer loads the data, these functions render it. The format is
 * part of the engine's version: SimLM parses it, and changing it changes every run.
 */

/** A scored example shown to the prompt agent as feedback. */
export interface FeedbackItem {
  input: string;
  output: string;
  expected: string;
  score: number;
  feedback: string;
}

/** A pool task as the prompt agent's track record shows it (pre-training). */
export interface TrackRecordItem {
  taskName: string;
  seedPrompt: string;
  producedPrompt: string;
  seedScore: number;
  producedScore: number;
  failures: FeedbackItem[];
}

/** Outputs can be long; the agent needs their gist, and the budget needs a bound. */
export const MAX_SHOWN_OUTPUT_CHARS = 1500;
export const MAX_SHOWN_INPUT_CHARS = 3000;

/** The hand-written prompt agent p~(0): the seed of pre-training, and the default agent. */
export const SEED_AGENT_PROMPT = `You are a prompt engineer. You improve the system prompt of an AI assistant that solves a task.
You are shown the current prompt and how the assistant did on some examples with it.
Rewrite the prompt so that the assistant answers more examples correctly.`;

/**
 * The fixed meta-optimizer used when the prompt agent does not rewrite itself
 * (the fixed-optimizer ablation): it writes the child prompt-agent prompt instead.
 */
export const FIXED_META_OPTIMIZER_PROMPT = `You improve the instructions of a prompt engineer, an AI that rewrites the system prompts of other AI assistants.
You are shown its current instructions and how well the prompts it wrote performed.
Rewrite its instructions so that it writes better prompts.`;

const OWN_TAGS = "parent_prompt|example|input|model_output|expected|feedback|task|seed_prompt|produced_prompt|failure|prompt";
const OWN_CLOSING = new RegExp(`</(${OWN_TAGS})>`, "g");

/** Keeps embedded text from closing our own tags early (a prompt may quote them). */
function fence(text: string): string {
  return text.replace(OWN_CLOSING, "</ $1>");
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)} [... ${text.length - max} more characters]`;
}

function renderExample(item: FeedbackItem, index: number, tag = "example"): string {
  const result = item.score >= 1 ? "success" : item.score > 0 ? "partial" : "failure";
  return [
    `<${tag} index="${index + 1}" result="${result}" score="${item.score.toFixed(2)}">`,
    `<input>${fence(clip(item.input, MAX_SHOWN_INPUT_CHARS))}</input>`,
    `<model_output>${fence(clip(item.output, MAX_SHOWN_OUTPUT_CHARS))}</model_output>`,
    `<expected>${fence(clip(item.expected, MAX_SHOWN_INPUT_CHARS))}</expected>`,
    `<feedback>${fence(clip(item.feedback, MAX_SHOWN_OUTPUT_CHARS))}</feedback>`,
    `</${tag}>`,
  ].join("\n");
}

const ANSWER_FORMAT = "Reply with the complete new prompt between <prompt> and </prompt>, and nothing after it.";

/** The user message of a task-prompt proposal (fine-tuning, and pre-training's inner step). */
export function renderTaskProposal(parentPrompt: string, feedback: FeedbackItem[]): string {
  return [
    "# Task prompt to improve",
    `<parent_prompt>\n${fence(parentPrompt)}\n</parent_prompt>`,
    "",
    `# Results of this prompt on ${feedback.length} training examples`,
    ...feedback.map((item, i) => renderExample(item, i)),
    "",
    "# Your job",
    "Write an improved version of the task prompt for this assistant.",
    ANSWER_FORMAT,
  ].join("\n");
}

/** The user message of a self-referential proposal: the agent rewrites a prompt-agent prompt. */
export function renderAgentProposal(parentPrompt: string, trackRecord: TrackRecordItem[]): string {
  const tasks = trackRecord.map((t) =>
    [
      `<task name="${t.taskName.replace(/"/g, "'")}" seed_score="${t.seedScore.toFixed(3)}" produced_score="${t.producedScore.toFixed(3)}">`,
      `<seed_prompt>\n${fence(t.seedPrompt)}\n</seed_prompt>`,
      `<produced_prompt>\n${fence(t.producedPrompt)}\n</produced_prompt>`,
      ...t.failures.map((f, i) => renderExample(f, i, "failure")),
      "</task>",
    ].join("\n"),
  );
  return [
    "# Prompt-agent prompt to improve",
    "These are the instructions of a prompt engineer. It read each task's seed prompt and the",
    "assistant's results, and produced a new task prompt; the scores are on held-out examples.",
    `<parent_prompt>\n${fence(parentPrompt)}\n</parent_prompt>`,
    "",
    "# Its track record",
    ...tasks,
    "",
    "# Your job",
    "Write improved instructions for this prompt engineer, so that the task prompts it writes score higher on tasks like these and on new ones.",
    ANSWER_FORMAT,
  ].join("\n");
}

/**
 * Reads the child prompt from a prompt agent's answer: the last <prompt>...</prompt>
 * block, trimmed. Returns null for an answer with no usable prompt (a failed proposal).
 */
export function extractPrompt(raw: string, maxChars: number): string | null {
  const matches = [...raw.matchAll(/<prompt>([\s\S]*?)<\/prompt>/g)];
  const last = matches.at(-1)?.[1]?.trim();
  if (!last || last.length > maxChars) return null;
  return last;
}
