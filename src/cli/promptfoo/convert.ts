/**
 * A promptfoo configuration (already parsed from JSON or YAML) -> the body of `POST /v1/tasks`.
 * Pure apart from `readRef`, so tests feed it configs and file maps directly.
 *
 * - prompts: the first prompt (see prompts.ts); the input of an example is that prompt
 *   rendered with the test's vars (`{{var}}` only; see template.ts).
 * - tests (+ defaultTest): one example per test (inline, or from YAML/JSON files: see
 *   test-files.ts); array-valued vars expand into one example per combination, as
 *   promptfoo runs them.
 * - assert: one scorer for the task and an expected value per example (see assertions.ts).
 * - providers: the first `openai:<model>` / `openai:chat:<model>` becomes the task model.
 */
import { InputError } from "../cli-error";
import { type ScorerOptions, type TestCase, chooseScorer } from "./assertions";
import { firstPrompt, type RefReader } from "./prompts";
import { renderTemplate, templateProblem } from "./template";
import { loadTestList } from "./test-files";

export interface ConvertOptions extends ScorerOptions {
  readRef: RefReader;
  /** The config file's name, for the default task name. */
  fileName: string;
  name?: string;
  description?: string;
  seedPrompt?: string;
  model?: { model: string; baseUrl?: string };
}

export interface TaskBody {
  name: string;
  description: string;
  seedPrompt: string;
  scorer: Record<string, unknown>;
  model?: { model: string; baseUrl?: string };
  examples: Array<{ input: string; expected: string }>;
}

export interface ConvertedTask {
  body: TaskBody;
  /** How the config was read, one decision per line (printed by `tasks create`). */
  notes: string[];
  /** Things the conversion dropped or replaced. */
  warnings: string[];
}

/** Scorers that read a final "Answer: ..." line; the default seed asks for one. */
const ANSWER_LINE_SCORERS = new Set(["exact", "numeric", "choice"]);

export function defaultSeedPrompt(scorerType: unknown): string {
  const base = "You are a careful assistant. Follow the instructions in the user's message and answer accurately.";
  return ANSWER_LINE_SCORERS.has(String(scorerType)) ? `${base} Give the final answer on the last line as 'Answer: <answer>'.` : base;
}

export function convertPromptfoo(config: unknown, options: ConvertOptions): ConvertedTask {
  if (!config || typeof config !== "object" || Array.isArray(config)) throw new InputError("a promptfoo config must be an object (with prompts, tests, ...)");
  const c = config as Record<string, unknown>;
  if (c.scenarios !== undefined) throw new InputError("promptfoo scenarios are not supported; list the cases under tests");
  const warnings: string[] = [];
  const { shape, others } = firstPrompt(c.prompts, options.readRef);
  const problem = templateProblem(shape.user);
  if (problem) throw new InputError(`${shape.origin} ${problem}; simplify it to plain {{var}} substitutions`);
  if (others > 0) warnings.push(`the config lists ${others + 1} prompts; only the first is used (SePO evolves one prompt per task)`);

  const testList = loadTestList(c.tests, options.readRef);
  const tests = expandTests(c, testList, options.readRef, warnings);
  const choice = chooseScorer(tests, options);
  warnings.push(...choice.warnings);
  const examples = tests.map((test, i) => ({ input: renderInput(shape.user, test), expected: choice.expected[i]! }));

  const notes = [`${examples.length} example(s) from ${tests.length === testList.length ? "the tests" : "the tests (array vars expanded)"}`, ...choice.notes];
  let seedPrompt: string;
  if (options.seedPrompt !== undefined) {
    if (shape.system) warnings.push("--seed-prompt replaces the chat prompt's system message");
    seedPrompt = options.seedPrompt;
    notes.push("seed prompt from --seed-prompt");
  } else if (shape.system) {
    seedPrompt = shape.system;
    notes.push(`seed prompt from the system message of ${shape.origin}`);
  } else {
    seedPrompt = defaultSeedPrompt(choice.scorer.type);
    warnings.push(`${shape.origin} has no system message; the seed prompt is the default ${JSON.stringify(seedPrompt)} (choose one with --seed-prompt)`);
  }
  notes.push(`input of each example = ${shape.origin} rendered with the test's vars (sent as the user message)`);

  const model = options.model ?? providerModel(c.providers, warnings);
  if (model) notes.push(`task model ${model.model}${options.model ? " from --model" : " from providers"}`);
  const description = typeof c.description === "string" ? c.description : "";
  const body: TaskBody = {
    name: (options.name ?? (description || `promptfoo: ${options.fileName}`)).slice(0, 200),
    description: (options.description ?? description).slice(0, 2000),
    seedPrompt,
    scorer: choice.scorer,
    ...(model ? { model } : {}),
    examples,
  };
  return { body, notes, warnings };
}

function expandTests(c: Record<string, unknown>, testList: unknown[], readRef: RefReader, warnings: string[]): TestCase[] {
  if (testList.length === 0) throw new InputError('the config has no tests; add "tests": [{ "vars": {...}, "assert": [...] }]');
  if (typeof c.defaultTest === "string") throw new InputError("defaultTest loaded from a file is not supported; inline it");
  const defaults = objectOr(c.defaultTest, "defaultTest");
  const out: TestCase[] = [];
  let transformWarned = false;
  for (const [i, raw] of testList.entries()) {
    const test = objectOr(raw, `tests[${i}]`);
    const vars = { ...objectOr(defaults.vars, "defaultTest.vars"), ...objectOr(test.vars, `tests[${i}].vars`) };
    const asserts = [...arrayOr(defaults.assert, "defaultTest.assert"), ...arrayOr(test.assert, `tests[${i}].assert`)];
    const opts = { ...objectOr(defaults.options, "defaultTest.options"), ...objectOr(test.options, `tests[${i}].options`) };
    if (opts.transform !== undefined && !transformWarned) {
      warnings.push("options.transform is ignored: SePO scores the model's raw output");
      transformWarned = true;
    }
    const base = typeof test.description === "string" ? `test ${i + 1} (${JSON.stringify(test.description)})` : `test ${i + 1}`;
    const combos = combinations(loadFileVars(vars, readRef, base));
    for (const [k, combo] of combos.entries()) {
      const label = combos.length > 1 ? `${base} [combination ${k + 1}]` : base;
      out.push({ label, vars: combo, asserts, prefix: stringOr(opts.prefix), suffix: stringOr(opts.suffix) });
    }
  }
  return out;
}

function renderInput(template: string, test: TestCase): string {
  const input = (test.prefix ?? "") + renderTemplate(template, test.vars, test.label) + (test.suffix ?? "");
  if (!input.trim()) throw new InputError(`${test.label}: the rendered prompt is empty`);
  return input;
}

/** promptfoo runs a test once per combination of its array-valued vars. */
function combinations(vars: Record<string, unknown>): Array<Record<string, unknown>> {
  let out: Array<Record<string, unknown>> = [{}];
  for (const [key, value] of Object.entries(vars)) {
    const values = Array.isArray(value) ? value : [value];
    out = out.flatMap((partial) => values.map((v) => ({ ...partial, [key]: v })));
  }
  return out;
}

/** `file://x.txt` var values are the file's text, as in promptfoo; scripts and data files are not run. */
function loadFileVars(vars: Record<string, unknown>, readRef: RefReader, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(vars)) {
    if (typeof value === "string" && value.startsWith("file://")) {
      const path = value.slice("file://".length);
      if (!/\.(txt|md)$/i.test(path)) throw new InputError(`${where}: var "${key}" loads ${value}; only .txt and .md var files are supported`);
      out[key] = readRef(path);
    } else out[key] = value;
  }
  return out;
}

/** The task model from the first provider when it names an OpenAI-compatible chat model. */
export function providerModel(providers: unknown, warnings: string[]): { model: string; baseUrl?: string } | undefined {
  const list = providerList(providers);
  if (list.length === 0) return undefined;
  if (list.length > 1) warnings.push(`the config lists ${list.length} providers; only the first is considered (a task has one model)`);
  const { id, config } = list[0]!;
  const match = /^openai:(?:(?:chat|responses):)?(.+)$/.exec(id);
  if (!match || /^(completion|embeddings?|assistant|image|realtime|transcription|moderation):/.test(match[1]!)) {
    warnings.push(`provider "${id}" is not an OpenAI chat model id; the task uses the service's default model (choose one with --model)`);
    return undefined;
  }
  const baseUrl = typeof config?.apiBaseUrl === "string" ? config.apiBaseUrl : undefined;
  return { model: match[1]!, ...(baseUrl ? { baseUrl } : {}) };
}

function providerList(providers: unknown): Array<{ id: string; config?: Record<string, unknown> }> {
  if (providers === undefined || providers === null) return [];
  if (typeof providers === "string") return [{ id: providers }];
  if (Array.isArray(providers)) {
    return providers.map((p, i) => {
      if (typeof p === "string") return { id: p };
      const o = objectOr(p, `providers[${i}]`);
      if (typeof o.id !== "string") throw new InputError(`providers[${i}] needs an "id"`);
      return { id: o.id, config: objectOr(o.config, `providers[${i}].config`) };
    });
  }
  // The record form: { "openai:gpt-4o": { config: {...} } }.
  return Object.entries(objectOr(providers, "providers")).map(([id, v]) => ({ id, config: objectOr((v as { config?: unknown })?.config, `providers.${id}.config`) }));
}

function objectOr(value: unknown, where: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw new InputError(`${where} must be an object`);
  return value as Record<string, unknown>;
}

function arrayOr(value: unknown, where: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InputError(`${where} must be a list`);
  return value;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
