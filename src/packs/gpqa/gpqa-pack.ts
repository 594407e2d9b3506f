/**
 * GPQA Diamond: 198 graduate-level science questions, four options each. The source is
 * the CSV simple-evals downloads (the full GPQA column set, fields with embedded
 * newlines). The GPQA authors ask that questions not appear in plain text online, so
 * nothing here logs question text or puts it in an error message: errors name the record
 * by its position and Record ID only.
 */
import { parseCsvObjects } from "../csv";
import { sourceText, takeLimit, type PackExample, type TaskPack } from "../pack";
import { optionOrder } from "./option-order";

const SOURCE = "gpqa_diamond.csv";
const LETTERS = ["A", "B", "C", "D"] as const;
const OPTION_COLUMNS = ["Correct Answer", "Incorrect Answer 1", "Incorrect Answer 2", "Incorrect Answer 3"] as const;

/** simple-evals' multiple-choice instruction (QUERY_TEMPLATE_MULTICHOICE without the question). */
const SEED_PROMPT =
  "Answer the following multiple choice question. The last line of your response should be of the following format: " +
  "'Answer: $LETTER' (without quotes) where LETTER is one of ABCD. Think step by step before answering.";

/** The question and its options as the task model sees them (simple-evals' layout). */
export function renderQuestion(question: string, options: readonly string[]): string {
  const lines = options.map((option, k) => `${LETTERS[k]}) ${option}`);
  return `${question}\n\n${lines.join("\n")}`;
}

/**
 * One CSV record as an example: options trimmed (the CSV keeps trailing newlines),
 * shown in the order optionOrder(seed, Record ID) gives; expected = the letter the
 * correct answer landed on.
 */
function toExample(row: Record<string, string>, position: number, seed: number): PackExample {
  const where = `${SOURCE} record ${position + 1}`;
  const id = row["Record ID"]?.trim();
  if (!id) throw new Error(`${where}: no Record ID`);
  const question = row["Question"]?.trim();
  const options = OPTION_COLUMNS.map((column) => row[column]?.trim() ?? "");
  if (!question) throw new Error(`${where} (${id}): empty Question`);
  const blank = OPTION_COLUMNS.find((_, k) => !options[k]);
  if (blank) throw new Error(`${where} (${id}): empty "${blank}"`);
  // A distractor equal to the correct answer would make the expected letter ambiguous.
  // Two equal distractors do not (two Diamond items have them); they stay, as in simple-evals.
  if (options.slice(1).includes(options[0]!)) throw new Error(`${where} (${id}): an incorrect answer equals the correct one`);
  const order = optionOrder(seed, id);
  const shown = order.map((k) => options[k]!);
  const expected = LETTERS[order.indexOf(0)]!;
  const meta: Record<string, string> = { id };
  for (const [key, column] of [["domain", "High-level domain"], ["subdomain", "Subdomain"]] as const) {
    const value = row[column]?.trim();
    if (value) meta[key] = value;
  }
  return { input: renderQuestion(question, shown), expected, meta };
}

/** The GPQA Diamond pack; reuses the `choice` scorer (the letter after "Answer:"). */
export const gpqaDiamondPack: TaskPack = {
  id: "gpqa-diamond",
  name: "GPQA Diamond",
  description: "GPQA Diamond: 198 graduate-level biology, chemistry and physics questions; 4 options shuffled per item with a fixed seed; accuracy.",
  seedPrompt: SEED_PROMPT,
  scorer: { type: "choice", choices: "ABCD" },
  sources: [
    {
      name: SOURCE,
      url: "https://openaipublic.blob.core.windows.net/simple-evals/gpqa_diamond.csv",
      note: "GPQA Diamond as used by openai/simple-evals: CSV, 198 rows, 77 columns (CC BY 4.0; canary: do not republish questions in plain text).",
    },
  ],
  split: { train: 0.5, val: 0.25, test: 0.25 },
  parse(files, options) {
    const rows = parseCsvObjects(sourceText(files, SOURCE));
    return takeLimit(rows, options.limit).map((row, position) => toExample(row, position, options.seed));
  },
};
