/**
 * AIME 2025 (I and II): 30 problems, each answer an integer from 0 to 999. The data is
 * MathArena's plain-text layout (per contest an `answers.csv` of `id,answer` plus one
 * LaTeX statement per problem), read from the last eth-sri/matharena commit that still
 * holds it, so the download is plain text and needs no parquet reader.
 */
import { parseCsvObjects } from "../csv";
import { sourceText, takeLimit, type PackExample, type PackSource, type TaskPack } from "../pack";

/** eth-sri/matharena at the last commit with data/aime in the repository (2025-04-09). */
const MATHARENA_COMMIT = "81f103e38b1df076afa65ee0a3ffbe148d42e6d2";
const RAW = `https://raw.githubusercontent.com/eth-sri/matharena/${MATHARENA_COMMIT}/data/aime`;
const CONTESTS = [
  { dir: "aime_2025_I", label: "I" },
  { dir: "aime_2025_II", label: "II" },
] as const;
const PROBLEMS_PER_CONTEST = 15;

/** MathArena's own instruction, so scores are comparable with its leaderboard. */
const MATHARENA_INSTRUCTION =
  "Please reason step by step, and put your final answer within \\boxed{}. The answer is an integer between 0 and 999 inclusive.";

function buildSources(): PackSource[] {
  return CONTESTS.flatMap(({ dir, label }) => [
    {
      name: `${dir}/answers.csv`,
      url: `${RAW}/${dir}/answers.csv`,
      note: `AIME 2025 ${label} answers: CSV "id,answer" (MathArena, MIT; problems (c) MAA). Now also HF MathArena/aime_2025.`,
    },
    ...Array.from({ length: PROBLEMS_PER_CONTEST }, (_, k) => ({
      name: `${dir}/problems/${k + 1}.tex`,
      url: `${RAW}/${dir}/problems/${k + 1}.tex`,
      note: `AIME 2025 ${label} problem ${k + 1}: LaTeX statement`,
    })),
  ]);
}

/**
 * One contest's examples in problem order. Throws on a non-integer or out-of-range
 * answer, or an answer whose statement is missing, naming the file: a silently dropped
 * problem would change the benchmark.
 */
function parseContest(files: Record<string, Uint8Array>, dir: string, label: string): PackExample[] {
  const answersName = `${dir}/answers.csv`;
  const rows = parseCsvObjects(sourceText(files, answersName));
  const examples = rows.map((row, r) => {
    const id = row["id"]?.trim() ?? "";
    const answer = row["answer"]?.trim() ?? "";
    if (!/^\d+$/.test(id)) throw new Error(`${answersName}: record ${r + 1} has no numeric id`);
    if (!/^\d{1,3}$/.test(answer)) throw new Error(`${answersName}: problem ${id} has answer "${answer}", not an integer 0-999`);
    const problem = sourceText(files, `${dir}/problems/${Number(id)}.tex`).trim();
    if (!problem) throw new Error(`${dir}/problems/${Number(id)}.tex is empty`);
    const meta = { id: `2025-${label}-${Number(id)}`, contest: `AIME 2025 ${label}`, problem: Number(id) };
    return { input: problem, expected: String(Number(answer)), meta };
  });
  return examples.sort((a, b) => a.meta.problem - b.meta.problem);
}

/** The AIME 2025 pack; scored by `boxed-integer` (the last `\boxed{}` as an exact integer). */
export const aime25Pack: TaskPack = {
  id: "aime25",
  name: "AIME 2025",
  description: "AIME 2025 I and II: 30 competition math problems; the answer is an integer from 0 to 999, scored by exact match.",
  seedPrompt: `You are an expert competition mathematician solving an AIME problem.\n\n${MATHARENA_INSTRUCTION}`,
  scorer: { type: "boxed-integer" },
  sources: buildSources(),
  // Only 30 problems: half to learn from, the rest split so val and test stay non-trivial.
  split: { train: 0.5, val: 0.25, test: 0.25 },
  parse(files, options) {
    const examples = CONTESTS.flatMap(({ dir, label }) => parseContest(files, dir, label));
    return takeLimit(examples, options.limit);
  },
};
