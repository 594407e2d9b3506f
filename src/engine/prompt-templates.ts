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

/**
 * The fixed optimizer of the TextGrad-style baseline, used for both of its calls (the
 * critique and the rewrite); a paraphrase of TextGrad's gradient and optimizer prompts.
 */
export const TEXTGRAD_OPTIMIZER_PROMPT = `You are part of an optimization system that improves a text variable: the system prompt of an AI assistant that solves a task.
When you are asked for feedback, you are the gradient engine: give intelligent and creative feedback and constructive criticism of the prompt, based on how the assistant did on some examples. Only explain what should change and why; do not write a new version of the prompt.
When you are asked to improve the prompt, you are the optimizer: use the feedback to write an improved prompt. The feedback may be noisy; identify what is important and what is correct.`;

/**
 * The fixed optimizer of the MetaSPO-style baseline, for both levels: the outer step that
 * rewrites the shared system prompt and the inner steps that adapt a task prompt.
 */
export const METASPO_OPTIMIZER_PROMPT = `You are an expert in optimizing the prompts of AI assistants.
An assistant's full prompt has two parts: a system prompt shared by many tasks, followed by a task prompt written for one task. You are shown one part, the other part when it matters, and the assistant's results on some examples.
Analyze the incorrect responses to find the weaknesses of the current prompt, then rewrite the part you are asked to improve so that the assistant answers more examples correctly. A shared system prompt must stay task-agnostic, so that it helps on every task, including unseen ones.`;

/** MetaSPO's default seed of the shared system prompt. */
export const METASPO_SEED_SYSTEM_PROMPT = "You are a helpful assistant.";

/** A critique longer than this is clipped before the rewrite sees it (and the budget bounds it). */
export const MAX_CRITIQUE_CHARS = 4000;

const OWN_TAGS =
  "parent_prompt|example|input|model_output|expected|feedback|task|seed_prompt|produced_prompt|failure|prompt|critique|shared_prompt|task_prompt";
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

/**
 * Optional context of a task-prompt proposal. Absent in SePO, whose message is then
 * exactly the plain format.
 */
export interface TaskProposalContext {
  /** TextGrad: the critique of the parent prompt to act on. */
  critique?: string;
  /** MetaSPO: the fixed shared system prompt that precedes the task prompt. */
  sharedPrompt?: string;
}

/** The user message of a task-prompt proposal (fine-tuning, and pre-training's inner step). */
export function renderTaskProposal(parentPrompt: string, feedback: FeedbackItem[], context: TaskProposalContext = {}): string {
  const { critique, sharedPrompt } = context;
  return [
    "# Task prompt to improve",
    ...(sharedPrompt === undefined
      ? []
      : ["The assistant's full system prompt is the shared system prompt below, followed by this task prompt. Only the task prompt is yours to change."]),
    `<parent_prompt>\n${fence(parentPrompt)}\n</parent_prompt>`,
    ...(sharedPrompt === undefined ? [] : ["", "# Shared system prompt (fixed; do not repeat it)", `<shared_prompt>\n${fence(sharedPrompt)}\n</shared_prompt>`]),
    "",
    `# Results of this prompt on ${feedback.length} training examples`,
    ...feedback.map((item, i) => renderExample(item, i)),
    ...(critique === undefined ? [] : ["", "# Critique of this prompt", `<critique>\n${fence(critique)}\n</critique>`]),
    "",
    "# Your job",
    critique === undefined
      ? "Write an improved version of the task prompt for this assistant."
      : "Write an improved version of the task prompt for this assistant, acting on the critique where it is right.",
    ANSWER_FORMAT,
  ].join("\n");
}

/** The user message of TextGrad's first call: a critique ("textual gradient") of a prompt, not a rewrite. */
export function renderCritiqueRequest(parentPrompt: string, feedback: FeedbackItem[]): string {
  return [
    "# Prompt to critique",
    `<parent_prompt>\n${fence(parentPrompt)}\n</parent_prompt>`,
    "",
    `# Results of this prompt on ${feedback.length} training examples`,
    ...feedback.map((item, i) => renderExample(item, i)),
    "",
    "# Your job",
    "Give feedback on this prompt: explain what in it, or missing from it, causes the failures above, and how it should change. Do not write a new prompt.",
    "Reply with your critique between <critique> and </critique>.",
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
 * The user message of MetaSPO's outer step: rewrite the shared system prompt, shown each
 * pool task's full prompt (shared + adapted task part), scores and failures.
 */
export function renderSystemPromptProposal(parentPrompt: string, trackRecord: TrackRecordItem[]): string {
  const tasks = trackRecord.map((t) =>
    [
      `<task name="${t.taskName.replace(/"/g, "'")}" seed_score="${t.seedScore.toFixed(3)}" produced_score="${t.producedScore.toFixed(3)}">`,
      `<task_prompt>\n${fence(t.producedPrompt)}\n</task_prompt>`,
      ...t.failures.map((f, i) => renderExample(f, i, "failure")),
      "</task>",
    ].join("\n"),
  );
  return [
    "# System prompt to improve",
    "This system prompt is shared by the assistants of several tasks: each one's full prompt is this text followed by its own task prompt.",
    `<parent_prompt>\n${fence(parentPrompt)}\n</parent_prompt>`,
    "",
    "# Results per task (held-out examples; the task prompt was adapted under this system prompt)",
    ...tasks,
    "",
    "# Your job",
    "Write an improved shared system prompt: task-agnostic instructions that make the assistants answer more examples correctly on these tasks and on new ones.",
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

/**
 * Reads a critique back: the last <critique>...</critique> block, or the whole answer
 * when it has none (a critique needs no strict format), trimmed and clipped to
 * `maxChars`. Null for an empty answer (a failed proposal).
 */
export function extractCritique(raw: string, maxChars: number): string | null {
  const matches = [...raw.matchAll(/<critique>([\s\S]*?)<\/critique>/g)];
  const text = (matches.at(-1)?.[1] ?? raw).trim();
  if (!text) return null;
  return text.slice(0, maxChars);
}
