/**
 * GPQA pack tests. The real questions are under a do-not-publish canary, so the
 * real-data tests assert on tallies only: no question or option text can reach an
 * assertion message or the log, whatever fails.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseCsv, parseCsvObjects } from "../../../src/packs/csv";
import { gpqaDiamondPack } from "../../../src/packs/gpqa/gpqa-pack";
import { optionOrder } from "../../../src/packs/gpqa/option-order";
import { loadPack, packTaskBody } from "../../../src/packs/load";
import { CreateTaskSchema } from "../../../src/routes/task-input";
import { ScorerSpecSchema } from "../../../src/scoring/scorer-spec";
import { scoreOutput } from "../../../src/scoring/registry";

const FIXTURE = fileURLToPath(new URL("./fixtures/gpqa/gpqa_mini.csv", import.meta.url));
const DATASETS = fileURLToPath(new URL("../../../../shared/datasets/", import.meta.url));
const REAL_DIR = `${DATASETS}gpqa`;
const HAS_REAL = existsSync(`${REAL_DIR}/gpqa_diamond.csv.gz`);

const fixtureFiles = async () => ({ "gpqa_diamond.csv": new Uint8Array(await readFile(FIXTURE)) });

describe("parseCsv (RFC 4180)", () => {
  it.each([
    ["plain fields", "a,b\n1,2\n", [["a", "b"], ["1", "2"]]],
    ["no final newline", "a,b\n1,2", [["a", "b"], ["1", "2"]]],
    ["CRLF records", "a,b\r\n1,2\r\n", [["a", "b"], ["1", "2"]]],
    ["a BOM", "\uFEFFa,b\n", [["a", "b"]]],
    ["empty fields", ",x,\n", [["", "x", ""]]],
    ["a quoted comma", '"a,b",c\n', [["a,b", "c"]]],
    ["doubled quotes", '"say ""hi""",x\n', [['say "hi"', "x"]]],
    ["embedded LF and CRLF newlines", '"l1\nl2\r\nl3",x\r\ny,z\n', [["l1\nl2\r\nl3", "x"], ["y", "z"]]],
    ["an empty quoted field", '"",x\n', [["", "x"]]],
    ["a quoted last field without newline", 'a,"b\n"', [["a", "b\n"]]],
    ["a lone carriage return inside a field", "a\rb,c\n", [["a\rb", "c"]]],
    ["a blank line as one empty field", "a\n\nb\n", [["a"], [""], ["b"]]],
  ])("reads %s", (_, text, records) => {
    expect(parseCsv(text)).toEqual(records);
  });

  it.each([
    ["an unclosed quote", 'a,"b\nc\n', /unclosed quoted field starting on line 1/],
    ["text after a closing quote", '"a"b,c\n', /unexpected "b" after a closing quote on line 1/],
    ["a quote inside an unquoted field", 'ab"c",d\n', /a quote inside an unquoted field on line 1/],
  ])("rejects %s", (_, text, message) => {
    expect(() => parseCsv(text)).toThrow(message);
  });

  it("keys records by the header and rejects a record with the wrong field count", () => {
    expect(parseCsvObjects("x,y\n1,2\n")).toEqual([{ x: "1", y: "2" }]);
    expect(() => parseCsvObjects("x,y\n1,2,3\n")).toThrow("CSV: record 1 has 3 fields, the header has 2");
  });
});

describe("optionOrder", () => {
  it("is a deterministic permutation of seed and id", () => {
    const order = optionOrder(0, "recABC");
    expect([...order].sort()).toEqual([0, 1, 2, 3]);
    expect(optionOrder(0, "recABC")).toEqual(order);
    const ids = Array.from({ length: 50 }, (_, i) => `rec${i}`);
    expect(ids.some((id) => optionOrder(1, id).join() !== optionOrder(0, id).join())).toBe(true);
  });

  it("puts the correct option (index 0) on each letter about equally often", () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[optionOrder(7, `rec${i}`).indexOf(0)]!++;
    for (const count of counts) expect(count).toBeGreaterThan(900);
  });
});

describe("gpqa-diamond pack: parse", () => {
  it("renders the question with shuffled A) to D) options and expects the correct letter", async () => {
    const examples = gpqaDiamondPack.parse(await fixtureFiles(), { seed: 0 });
    expect(examples).toHaveLength(3);
    const correct = ["Toy Mars", "42", "alpha"];
    examples.forEach((example, k) => {
      const lines = example.input.split("\n").slice(-4);
      expect(lines.map((l) => l.slice(0, 3))).toEqual(["A) ", "B) ", "C) ", "D) "]);
      expect(lines["ABCD".indexOf(example.expected)]).toBe(`${example.expected}) ${correct[k]}`);
      expect(example.input).not.toContain("CANARY");
    });
    // Quoting survives: doubled quotes, embedded newlines, a comma inside an option.
    expect(examples[0]!.input).toMatch(/^Fixture question one: which toy planet is called the "Red Toy"\?\n\nA\) /);
    expect(examples[0]!.input).toContain(") Toy Mercury, the small one");
    expect(examples[1]!.input.startsWith("Fixture question two spans\nseveral lines, with a comma.\n\nPick the made-up constant.\n\n")).toBe(true);
    expect(examples[1]!.meta).toEqual({ id: "recFIXTURE0002", domain: "Chemistry", subdomain: "Toy Chemistry" });
  });

  it("keeps two equal distractors (as published) but refuses a distractor equal to the answer", async () => {
    const files = await fixtureFiles();
    const third = gpqaDiamondPack.parse(files, { seed: 0 })[2]!;
    expect(third.input.split("\n").filter((l) => / beta$/.test(l))).toHaveLength(2);
    const text = new TextDecoder().decode(files["gpqa_diamond.csv"]).replace("alpha,beta,beta", "alpha,alpha,beta");
    expect(() => gpqaDiamondPack.parse({ "gpqa_diamond.csv": new TextEncoder().encode(text) }, { seed: 0 })).toThrow(
      "gpqa_diamond.csv record 3 (recFIXTURE0003): an incorrect answer equals the correct one",
    );
  });

  it("derives the option order from seed + Record ID, not from the row's position", async () => {
    const files = await fixtureFiles();
    const all = gpqaDiamondPack.parse(files, { seed: 5 });
    expect(gpqaDiamondPack.parse(files, { seed: 5 })).toEqual(all);
    expect(gpqaDiamondPack.parse(files, { seed: 5, limit: 1 })).toEqual(all.slice(0, 1));
    const seeds = Array.from({ length: 20 }, (_, s) => gpqaDiamondPack.parse(files, { seed: s }).map((e) => e.expected).join(""));
    expect(new Set(seeds).size).toBeGreaterThan(1);
  });

  it("names the record, never its text, in errors", async () => {
    const text = new TextDecoder().decode((await fixtureFiles())["gpqa_diamond.csv"]).replace("recFIXTURE0001", "");
    const parse = () => gpqaDiamondPack.parse({ "gpqa_diamond.csv": new TextEncoder().encode(text) }, { seed: 0 });
    expect(parse).toThrow("gpqa_diamond.csv record 1: no Record ID");
  });

  it("builds a valid POST /v1/tasks body", async () => {
    const body = packTaskBody(gpqaDiamondPack, gpqaDiamondPack.parse(await fixtureFiles(), { seed: 0 }), 0);
    expect(CreateTaskSchema.safeParse(body).success).toBe(true);
    expect(ScorerSpecSchema.parse(gpqaDiamondPack.scorer)).toEqual(gpqaDiamondPack.scorer);
  });

  it("loads a local file by any name for its single source", async () => {
    const examples = await loadPack("gpqa-diamond", { fromFile: FIXTURE, seed: 0 });
    expect(examples.map((e) => e.meta?.["id"])).toEqual(["recFIXTURE0001", "recFIXTURE0002", "recFIXTURE0003"]);
  });
});

describe("choice scorer on GPQA-style outputs", () => {
  const spec = gpqaDiamondPack.scorer;
  it.each([
    "Answer: C",
    "Let me think step by step.\nOption A fails, B too.\nAnswer: C",
    "**Answer: C**",
    "Answer: $C$",
    "Answer: (C)",
    "Answer: C) 3.2 eV",
    "The final answer is C.",
    "So the answer is \\boxed{C}",
  ])("scores 1 for %j", (output) => {
    expect(scoreOutput(spec, output, "C").score).toBe(1);
  });

  it.each(["Answer: B", "Answer: D) 7 eV", "", "I am not sure."])("scores 0 for %j", (output) => {
    expect(scoreOutput(spec, output, "C").score).toBe(0);
  });
});

describe.skipIf(!HAS_REAL)(`gpqa-diamond against the real data at ${REAL_DIR}${HAS_REAL ? "" : " (absent: skipped)"}`, () => {
  it("loads 198 questions from the gzipped CSV, in memory", async () => {
    const examples = await loadPack("gpqa-diamond", { fromFile: REAL_DIR, seed: 0 });
    const shaped = examples.filter(
      (e) => /^[ABCD]$/.test(e.expected) && /\nA\) [^]*\nB\) [^]*\nC\) [^]*\nD\) /.test(e.input) && !e.input.includes("gpqa:4b24"),
    ).length;
    expect({ count: examples.length, shaped, ids: new Set(examples.map((e) => e.meta?.["id"])).size }).toEqual({ count: 198, shaped: 198, ids: 198 });
    const perLetter = [..."ABCD"].map((l) => examples.filter((e) => e.expected === l).length);
    for (const n of perLetter) expect(n).toBeGreaterThan(30);
  });

  it("scores every gold letter 1 and every other letter 0", async () => {
    const examples = await loadPack("gpqa-diamond", { fromFile: REAL_DIR, seed: 0 });
    const tally = { gold: 0, perturbed: 0 };
    for (const { expected } of examples) {
      if (scoreOutput(gpqaDiamondPack.scorer, `Step by step...\nAnswer: ${expected}`, expected).score === 1) tally.gold++;
      for (const other of "ABCD".replace(expected, "")) {
        if (scoreOutput(gpqaDiamondPack.scorer, `Answer: ${other}`, expected).score === 0) tally.perturbed++;
      }
    }
    expect(tally).toEqual({ gold: 198, perturbed: 594 });
  });

  it("puts the correct answer text behind the expected letter", async () => {
    // Compare with the derived JSONL (also gzipped) without ever printing either.
    const { gunzipSync } = await import("node:zlib");
    const jsonl = gunzipSync(await readFile(`${REAL_DIR}/gpqa_diamond.jsonl.gz`)).toString("utf8").trim().split("\n");
    const correct = new Map(jsonl.map((line) => JSON.parse(line) as { record_id: string; correct_answer: string }).map((r) => [r.record_id, r.correct_answer.trim()]));
    const examples = await loadPack("gpqa-diamond", { fromFile: REAL_DIR, seed: 3 });
    const matching = examples.filter((e) => e.input.includes(`\n${e.expected}) ${correct.get(String(e.meta?.["id"]))}`)).length;
    expect(matching).toBe(198);
  });
});
