import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { aime25Pack } from "../../../src/packs/aime25/aime25-pack";
import { loadPack, packTaskBody, readLocalSources } from "../../../src/packs/load";
import { CreateTaskSchema } from "../../../src/routes/task-input";
import { scoreOutput } from "../../../src/scoring/registry";
import { ScorerSpecSchema } from "../../../src/scoring/scorer-spec";

const FIXTURES = fileURLToPath(new URL("./fixtures/aime25/", import.meta.url));
// The real data lives next to the repository (../shared/datasets), in CI as here.
const DATASETS = fileURLToPath(new URL("../../../../shared/datasets/", import.meta.url));
const REAL_DIR = `${DATASETS}aime25/matharena`;
const HAS_REAL = existsSync(REAL_DIR);

const spec = ScorerSpecSchema.parse({ type: "boxed-integer" });
const score = (output: string, expected = "70") => scoreOutput(spec, output, expected);

/**
 * The fixture files keyed by source name, as the loader would hand them to parse. The
 * (synthetic) fixture folders are named contest-I/II; parse sees the public names.
 */
async function fixtureFiles(): Promise<Record<string, Uint8Array>> {
  const names = ["aime_2025_I/answers.csv", "aime_2025_I/problems/1.tex", "aime_2025_I/problems/2.tex", "aime_2025_II/answers.csv", "aime_2025_II/problems/1.tex"];
  return Object.fromEntries(await Promise.all(names.map(async (n) => [n, new Uint8Array(await readFile(FIXTURES + n.replace("aime_2025_", "contest-")))] as const)));
}

describe("aime25 pack: parse", () => {
  it("reads MathArena's answers.csv + problems/<id>.tex layout in contest and problem order", async () => {
    const examples = aime25Pack.parse(await fixtureFiles(), { seed: 0 });
    expect(examples.map((e) => [e.meta?.["id"], e.expected])).toEqual([
      ["2025-I-1", "7"],
      ["2025-I-2", "120"],
      ["2025-II-1", "7"], // "007" in the CSV
    ]);
    // Statements are trimmed LaTeX, kept otherwise verbatim.
    expect(examples[1]!.input).toMatch(/^Fixture problem with a figure: let \$x\$ satisfy\n\\\[\n {2}x\^2 = 14400/);
    expect(examples[1]!.input.endsWith("Find $x$.")).toBe(true);
  });

  it("is deterministic and honours limit as a prefix", async () => {
    const files = await fixtureFiles();
    expect(aime25Pack.parse(files, { seed: 1 })).toEqual(aime25Pack.parse(files, { seed: 2 }));
    expect(aime25Pack.parse(files, { seed: 0, limit: 2 }).map((e) => e.meta?.["id"])).toEqual(["2025-I-1", "2025-I-2"]);
  });

  it("builds a valid POST /v1/tasks body", async () => {
    const body = packTaskBody(aime25Pack, aime25Pack.parse(await fixtureFiles(), { seed: 0 }), 4);
    expect(CreateTaskSchema.parse(body)).toMatchObject({ scorer: { type: "boxed-integer" }, splitSeed: 4, examples: [{ expected: "7" }, {}, {}] });
  });

  it("fails loudly, naming the file, on a missing statement or a bad answer", async () => {
    const files = await fixtureFiles();
    const withoutTex = { ...files };
    delete withoutTex["aime_2025_I/problems/2.tex"];
    expect(() => aime25Pack.parse(withoutTex, { seed: 0 })).toThrow(/aime_2025_I\/problems\/2\.tex/);
    const badAnswer = { ...files, "aime_2025_II/answers.csv": new TextEncoder().encode("id,answer\n1,1000\n") };
    expect(() => aime25Pack.parse(badAnswer, { seed: 0 })).toThrow(/aime_2025_II\/answers\.csv: problem 1 has answer "1000"/);
  });

  it("documents 32 public plain-text sources at a pinned matharena commit", () => {
    expect(aime25Pack.sources).toHaveLength(32);
    for (const source of aime25Pack.sources) {
      expect(source.url).toBe(`https://raw.githubusercontent.com/eth-sri/matharena/81f103e38b1df076afa65ee0a3ffbe148d42e6d2/data/aime/${source.name}`);
    }
    expect(aime25Pack.seedPrompt).toContain("put your final answer within \\boxed{}. The answer is an integer between 0 and 999 inclusive.");
    expect(ScorerSpecSchema.parse(aime25Pack.scorer)).toEqual(aime25Pack.scorer);
  });
});

describe("boxed-integer scorer", () => {
  it.each([
    ["a bare box", "So the sum is \\boxed{70}."],
    ["leading zeros", "\\boxed{070}"],
    ["a box in math mode with a period", "Therefore $\\boxed{70}$."],
    ["\\text inside the box", "\\boxed{\\text{70}}"],
    ["an equation in the box", "\\boxed{b_1 + b_2 = 70}"],
    ["degrees", "\\boxed{70^\\circ}"],
    ["an integral decimal", "\\boxed{70.0}"],
    ["nested braces", "\\boxed{{70}}"],
    ["a later box overriding an earlier one", "First guess \\boxed{21}. Wait, recheck: \\boxed{70}"],
    ["the last box over a later Answer line (MathArena's rule)", "\\boxed{70}\nAnswer: 71"],
    ["no box, an Answer line with working after it", "Reasoning with 3 and 4.\nAnswer: 70 (since 7 * 10)"],
    ["no box, 'the answer is'", "We find that the answer is **70**."],
    ["no box, the last number", "Adding up the bases 21 and 49 gives 70"],
  ])("scores 1 for %s", (_, output) => {
    expect(score(output)).toEqual({ score: 1, feedback: expect.stringMatching(/^Correct: 0*70/) });
  });

  it.each([
    ["a wrong box", "\\boxed{71}", /Expected 70, got 71 \(from the box/],
    ["an off-by-one answer line", "Answer: 69", /Expected 70, got 69/],
    ["a negative", "\\boxed{-70}", /got -70/],
    ["a fraction", "\\boxed{\\frac{7}{2}}", /not an integer/],
    ["a non-integer", "\\boxed{70.5}", /70\.5 .* is not an integer/],
    ["two numbers in the box", "\\boxed{17, 53}", /More than one number \(17, 53\)/],
    ["an empty output", "", /No final answer found; end with "\\boxed\{<integer>\}"/],
    ["no number at all", "I could not solve it.", /No number in the output/],
  ])("scores 0 for %s, with feedback", (_, output, feedback) => {
    const result = score(output);
    expect(result.score).toBe(0);
    expect(result.feedback).toMatch(feedback);
  });

  it("reads the expected value leniently and reports a broken one", () => {
    expect(score("\\boxed{7}", "007").score).toBe(1);
    expect(score("\\boxed{7}", " 7\n").score).toBe(1);
    expect(score("7", "\\boxed{007}").score).toBe(1);
    expect(score("\\boxed{7}", "seven")).toEqual({ score: 0, feedback: expect.stringContaining("is not an integer; fix the example") });
  });

  it("rejects unknown options in the spec", () => {
    expect(ScorerSpecSchema.safeParse({ type: "boxed-integer", tolerance: 1 }).success).toBe(false);
  });
});

describe.skipIf(!HAS_REAL)(`aime25 against the real data at ${REAL_DIR}${HAS_REAL ? "" : " (absent: skipped)"}`, () => {
  it("loads the 30 problems of AIME 2025 I and II from the local MathArena copy", async () => {
    const examples = await loadPack("aime25", { fromFile: REAL_DIR, seed: 0 });
    expect(examples).toHaveLength(30);
    expect(examples.map((e) => e.meta?.["id"])).toEqual([
      ...Array.from({ length: 15 }, (_, k) => `2025-I-${k + 1}`),
      ...Array.from({ length: 15 }, (_, k) => `2025-II-${k + 1}`),
    ]);
    expect(examples.every((e) => /^\d{1,3}$/.test(e.expected) && e.input.length > 20)).toBe(true);
  });

  it("agrees with the derived aime25.jsonl (same statements and answers)", async () => {
    const examples = aime25Pack.parse(await readLocalSources(aime25Pack, REAL_DIR), { seed: 0 });
    const jsonl = (await readFile(`${DATASETS}aime25/aime25.jsonl`, "utf8")).trim().split("\n").map((l) => JSON.parse(l));
    expect(examples.map((e) => [e.meta?.["id"], e.input, e.expected])).toEqual(jsonl.map((r) => [r.id, r.problem, String(r.answer)]));
  });

  it("scores every gold answer 1 and every perturbed answer 0", async () => {
    const examples = await loadPack("aime25", { fromFile: REAL_DIR, seed: 0 });
    const tally = { gold: 0, goldStyles: 0, perturbed: 0 };
    for (const { expected } of examples) {
      const gold = Number(expected);
      if (scoreOutput(aime25Pack.scorer, `Reasoning...\nThus the answer is $\\boxed{${gold}}$.`, expected).score === 1) tally.gold++;
      const styles = [`\\boxed{${String(gold).padStart(3, "0")}}`, `Answer: ${gold}`, `the answer is **${gold}**.`];
      if (styles.every((s) => scoreOutput(aime25Pack.scorer, s, expected).score === 1)) tally.goldStyles++;
      const wrong = [(gold + 1) % 1000, (gold + 999) % 1000, gold * 10 + 1];
      tally.perturbed += wrong.filter((w) => scoreOutput(aime25Pack.scorer, `\\boxed{${w}}`, expected).score === 0).length;
    }
    expect(tally).toEqual({ gold: 30, goldStyles: 30, perturbed: 90 });
  });
});
