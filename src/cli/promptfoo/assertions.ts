/**
 * promptfoo assertions -> one SePO scorer and an expected value per example.
 *
 * A SePO task scores every example with ONE scorer, and the scorer is what the optimizer
 * climbs, so the converter never guesses: each test must carry exactly one scoring
 * assertion, all of the same kind (regex: the same pattern), or it stops with a message
 * saying what to change. Mapping:
 *   equals     -> exact (caseSensitive: true; SePO compares the final "Answer:" line)
 *   contains   -> contains (caseSensitive: true)      icontains -> contains
 *   regex      -> regex with that pattern (the pattern is the spec; expected is unused)
 *   is-json    -> is-json (without a schema: a JSON-schema value is refused)
 *   every other type -> not convertible (see unsupportedMessage)
 * Escape hatches: --ignore-assert drops named types; --expected-var takes the expected
 * value from a test var and ignores assertions (with --scorer naming the scorer).
 */
import { InputError, UsageError } from "../cli-error";
import { renderTemplate, varText } from "./template";

export interface TestCase {
  /** "test 3" or 'test 3 ("capital of France")', for messages. */
  label: string;
  vars: Record<string, unknown>;
  asserts: unknown[];
  /** promptfoo's options.prefix / options.suffix, added around the rendered prompt. */
  prefix?: string;
  suffix?: string;
}

export interface ScorerChoice {
  scorer: Record<string, unknown>;
  expected: string[];
  notes: string[];
  warnings: string[];
}

export interface ScorerOptions {
  /** --scorer: replaces the scorer the assertions imply. */
  scorer?: Record<string, unknown>;
  expectedVar?: string;
  ignoreAsserts?: string[];
}

type Mapped = { scorer: Record<string, unknown>; expected: string };

const SCORING: Record<string, (value: unknown, where: string) => Mapped> = {
  equals: (v) => ({ scorer: { type: "exact", caseSensitive: true }, expected: varText(v) }),
  contains: (v) => ({ scorer: { type: "contains", caseSensitive: true }, expected: varText(v) }),
  icontains: (v) => ({ scorer: { type: "contains" }, expected: varText(v) }),
  regex: (v, where) => {
    if (typeof v !== "string" || !v) throw new InputError(`${where}: a regex assertion needs a pattern string as its value`);
    return { scorer: { type: "regex", pattern: v }, expected: "" };
  },
  "is-json": (v, where) => {
    if (v !== undefined && v !== null) throw new InputError(`${where}: is-json with a JSON schema is not supported (the is-json scorer checks that the whole answer is JSON); remove the schema`);
    return { scorer: { type: "is-json" }, expected: "" };
  },
};

export const CONVERTIBLE_ASSERTS = Object.keys(SCORING);

export function chooseScorer(tests: TestCase[], options: ScorerOptions): ScorerChoice {
  if (options.expectedVar !== undefined) return fromExpectedVar(tests, options.expectedVar, options.scorer);
  const ignore = new Set(options.ignoreAsserts ?? []);
  const warnings: string[] = [];
  const ignored = new Map<string, number>();
  const unsupported = new Map<string, number>();
  const none: string[] = [];
  const several: string[] = [];
  const kinds = new Map<string, { label: string; tests: number }>();
  const mapped: Mapped[] = [];
  for (const test of tests) {
    const scoring: Mapped[] = [];
    const types: string[] = [];
    const unsupportedHere = new Set<string>();
    for (const [i, raw] of test.asserts.entries()) {
      const type = assertType(raw, `${test.label}, assertion ${i + 1}`);
      if (ignore.has(type)) bump(ignored, type);
      else if (SCORING[type]) {
        const value = renderValue((raw as { value?: unknown }).value, test);
        scoring.push(SCORING[type](value, `${test.label}, assertion ${i + 1}`));
        types.push(type);
      } else unsupportedHere.add(type);
    }
    for (const type of unsupportedHere) bump(unsupported, type);
    if (scoring.length === 0) none.push(test.label);
    else if (scoring.length > 1) several.push(`${test.label} (${types.join(", ")})`);
    else {
      const key = JSON.stringify(scoring[0]!.scorer);
      const label = types[0] === "regex" ? `regex /${String(scoring[0]!.scorer.pattern)}/` : types[0]!;
      kinds.set(key, { label, tests: (kinds.get(key)?.tests ?? 0) + 1 });
      mapped.push(scoring[0]!);
    }
  }
  for (const [type, n] of ignored) warnings.push(`ignored ${n} "${type}" assertion(s) (--ignore-assert)`);
  if (unsupported.size > 0) throw new InputError(unsupportedMessage(unsupported));
  if (several.length > 0) {
    throw new InputError(
      `${listLabels(several)} ${several.length === 1 ? "has" : "have"} more than one scoring assertion; each example gets one expected value ` +
        `and the task one scorer, so keep one of ${CONVERTIBLE_ASSERTS.join("/")} per test (or drop some with --ignore-assert)`,
    );
  }
  if (none.length > 0) {
    throw new InputError(
      `${listLabels(none)} ${none.length === 1 ? "has" : "have"} no ${CONVERTIBLE_ASSERTS.join("/")} assertion, so no expected value; ` +
        "add one to each test or to defaultTest.assert, or take the expected value from a var with --expected-var <var> --scorer <scorer>",
    );
  }
  if (kinds.size > 1) {
    const list = [...kinds.values()].map((k) => `${k.label} (${k.tests} test${k.tests === 1 ? "" : "s"})`).join(", ");
    throw new InputError(
      `the tests use different scorers: ${list}. A SePO task has one scorer, so every test must use the same assertion ` +
        "type (regex: the same pattern); make them uniform, or pass --expected-var <var> --scorer <scorer>",
    );
  }
  const derived = mapped[0]!.scorer;
  const notes = [`scorer ${JSON.stringify(derived)} from the ${[...kinds.values()][0]!.label} assertions`];
  let scorer = derived;
  if (options.scorer) {
    if (derived.type === "regex" && options.scorer.type !== "regex") {
      throw new UsageError("regex assertions carry no expected value; to score with another scorer add --expected-var <var>");
    }
    if (options.scorer.type !== derived.type) warnings.push(`--scorer ${String(options.scorer.type)} replaces the ${String(derived.type)} scorer the assertions imply`);
    scorer = options.scorer;
    notes[0] = `scorer ${JSON.stringify(scorer)} from --scorer; expected values from the assertions`;
  }
  return { scorer, expected: mapped.map((m) => m.expected), notes, warnings };
}

function fromExpectedVar(tests: TestCase[], name: string, scorer: Record<string, unknown> | undefined): ScorerChoice {
  if (!scorer) throw new UsageError("--expected-var needs --scorer, e.g. --scorer exact or --scorer '{\"type\":\"json-field\",\"path\":\"answer\"}'");
  const expected = tests.map((t) => {
    if (!(name in t.vars)) throw new InputError(`${t.label} has no var "${name}" (--expected-var)`);
    return varText(t.vars[name]);
  });
  const asserts = tests.reduce((n, t) => n + t.asserts.length, 0);
  return {
    scorer,
    expected,
    notes: [`scorer ${JSON.stringify(scorer)} from --scorer; expected values from var "${name}"`],
    warnings: asserts > 0 ? [`ignored ${asserts} assertion(s): with --expected-var the scorer and the var define success`] : [],
  };
}

function assertType(raw: unknown, where: string): string {
  const type = raw && typeof raw === "object" ? (raw as { type?: unknown }).type : undefined;
  if (typeof type !== "string") throw new InputError(`${where} must be an object with a "type"`);
  return type;
}

/** promptfoo renders assertion values with the test's vars: `value: "{{answer}}"`. */
function renderValue(value: unknown, test: TestCase): unknown {
  return typeof value === "string" && value.includes("{{") ? renderTemplate(value, test.vars, test.label) : value;
}

function unsupportedMessage(unsupported: Map<string, number>): string {
  const list = [...unsupported].map(([type, n]) => `${type} (${n} test${n === 1 ? "" : "s"})`).join(", ");
  let message =
    `unsupported assertion types: ${list}. A SePO task scores each example with one built-in scorer, so only ` +
    `${CONVERTIBLE_ASSERTS.join(", ")} assertions convert. Remove the others, drop them with --ignore-assert ` +
    `${[...unsupported.keys()].join(",")}, or take expected values from a var with --expected-var <var> --scorer <scorer>`;
  return message;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function listLabels(labels: string[]): string {
  const shown = labels.slice(0, 5).join(", ");
  return labels.length > 5 ? `${shown} and ${labels.length - 5} more` : shown;
}
