/**
 * Request bodies for the fuzzer: per known POST route a valid template and mutations its
 * schema certainly rejects (so a fuzzed body never creates anything), raw bodies that are
 * not the expected JSON at all, and extreme-but-valid run configs for dry runs only.
 */
import type { FuzzRoute, KnownIds } from "./faults-fuzz";
import { clone, forceSet, type Json, nested, type Prng, randomMutation, setAt, toText } from "./faults-fuzz-values";

/** A template body per known POST route, and mutations its schema certainly rejects. */
interface BodySpec {
  template(ids: KnownIds): Json;
  invalid: Array<[string, (body: Json) => Json]>;
}

const extraTopLevel: [string, (b: Json) => Json] = ["unknown top-level field", (b) => forceSet(b, ["__fuzz_unknown_field"], 1)];

const TASK_BODY: BodySpec = {
  template: () => ({
    name: "fuzz task",
    description: "made by the fuzzer",
    seedPrompt: "Answer with one word.",
    scorer: { type: "exact" },
    examples: [
      { input: "a", expected: "A" },
      { input: "b", expected: "B" },
      { input: "c", expected: "C" },
      { input: "d", expected: "D" },
    ],
    split: { train: 0.5, val: 0.5, test: 0 },
    splitSeed: 1,
    attempts: 1,
  }),
  invalid: [
    extraTopLevel,
    ["name removed", (b) => setAt(b, ["name"], undefined)],
    ["name not a string", (b) => forceSet(b, ["name"], 123)],
    ["name blank", (b) => forceSet(b, ["name"], "   ")],
    ["seedPrompt removed", (b) => setAt(b, ["seedPrompt"], undefined)],
    ["seedPrompt too long", (b) => forceSet(b, ["seedPrompt"], "p".repeat(8001))],
    ["scorer removed", (b) => setAt(b, ["scorer"], undefined)],
    ["scorer unknown type", (b) => forceSet(b, ["scorer"], { type: "transmogrify" })],
    ["examples empty", (b) => forceSet(b, ["examples"], [])],
    ["examples an object", (b) => forceSet(b, ["examples"], { input: "a", expected: "b" })],
    ["example input empty", (b) => forceSet(b, ["examples", 0, "input"], "")],
    ["example split invalid", (b) => forceSet(b, ["examples", 0, "split"], "training")],
    ["example extra field", (b) => forceSet(b, ["examples", 1, "bogus"], true)],
    ["split ratios do not sum to 1", (b) => forceSet(b, ["split"], { train: 0.9, val: 0.9, test: 0 })],
    ["split ratio negative", (b) => forceSet(b, ["split"], { train: 1.5, val: -0.5, test: 0 })],
    ["no val split possible", (b) => forceSet(b, ["split"], { train: 1, val: 0, test: 0 })],
    ["attempts 0", (b) => forceSet(b, ["attempts"], 0)],
    ["attempts 11", (b) => forceSet(b, ["attempts"], 11)],
    ["attempts fractional", (b) => forceSet(b, ["attempts"], 1.5)],
    ["splitSeed a string", (b) => forceSet(b, ["splitSeed"], "NaN")],
    ["splitSeed unsafe", (b) => forceSet(b, ["splitSeed"], 2 ** 60)],
    ["model baseUrl not a URL", (b) => forceSet(b, ["model"], { model: "m", baseUrl: "javascript:alert(1)" })],
    ["model extra field", (b) => forceSet(b, ["model"], { model: "m", temperature: 2 })],
  ],
};

const RUN_BODY: BodySpec = {
  template: (ids) => ({ kind: "finetune", taskId: ids.taskId, config: { generations: 1, childrenPerGeneration: 1, seed: 1 } }),
  invalid: [
    extraTopLevel,
    ["kind invalid", (b) => forceSet(b, ["kind"], "transmogrify")],
    ["kind removed", (b) => setAt(b, ["kind"], undefined)],
    ["kind pretrain without taskIds", (b) => forceSet(b, ["kind"], "pretrain")],
    ["taskId removed", (b) => setAt(b, ["taskId"], undefined)],
    ["taskId a number", (b) => forceSet(b, ["taskId"], 42)],
    ["taskId unknown", (b) => forceSet(b, ["taskId"], "task_00000000000000000000000000000000")],
    ["config an array", (b) => forceSet(b, ["config"], [1, 2])],
    ["config unknown knob", (b) => forceSet(b, ["config", "bogusKnob"], 1)],
    ["generations negative", (b) => forceSet(b, ["config", "generations"], -1)],
    ["generations too many", (b) => forceSet(b, ["config", "generations"], 101)],
    ["method invalid", (b) => forceSet(b, ["config", "method"], "gradient-descent")],
    ["search invalid", (b) => forceSet(b, ["config", "search"], "closed")],
    ["budget maxCalls zero", (b) => forceSet(b, ["config", "budget"], { maxCalls: 0 })],
    ["budget unknown limit", (b) => forceSet(b, ["config", "budget"], { maxDollars: 5 })],
    ["prices negative", (b) => forceSet(b, ["config", "prices"], { "simlm-task": { inputPerMTok: -1, outputPerMTok: 0 } })],
    ["agentModel baseUrl bad", (b) => forceSet(b, ["agentModel"], { model: "x", baseUrl: "not a url" })],
    ["agentSnapshotId unknown", (b) => forceSet(b, ["agentSnapshotId"], "agt_00000000000000000000000000000000")],
    ["promotionConfidence 1", (b) => forceSet(b, ["config", "promotionConfidence"], 1)],
  ],
};

const NAME_BODY: BodySpec = {
  template: () => ({ name: "fuzz" }),
  invalid: [
    extraTopLevel,
    ["name removed", (b) => setAt(b, ["name"], undefined)],
    ["name not a string", (b) => forceSet(b, ["name"], ["fuzz"])],
    ["name blank", (b) => forceSet(b, ["name"], " \t ")],
    ["name too long", (b) => forceSet(b, ["name"], "n".repeat(201))],
  ],
};

const BODY_SPECS: Record<string, BodySpec> = {
  "POST /v1/tasks": TASK_BODY,
  "POST /v1/runs": RUN_BODY,
  "POST /v1/projects": NAME_BODY,
  "POST /v1/projects/:id/keys": NAME_BODY,
};

/** A route we know nothing about: an object with an unknown field (strict schemas refuse it). */
const GENERIC_BODY: BodySpec = { template: () => ({}), invalid: [extraTopLevel] };

/** Extreme but schema-valid run configs: only ever sent with `?dryRun=true`. */
export function extremeConfig(rng: Prng): Record<string, Json> {
  const config: Record<string, Json> = {};
  const knobs: Array<[string, () => Json]> = [
    ["generations", () => rng.pick([0, 1, 100])],
    ["childrenPerGeneration", () => rng.pick([1, 64])],
    ["method", () => rng.pick(["sepo", "textgrad", "metaspo"])],
    ["search", () => rng.pick(["open-ended", "linear"])],
    ["selfImprove", () => rng.chance(0.5)],
    ["innerSteps", () => rng.pick([1, 5])],
    ["feedbackSize", () => rng.pick([1, 64])],
    ["fitnessExamples", () => rng.pick([1, 1000])],
    ["evalChunkSize", () => rng.pick([1, 100])],
    ["epsilonFloor", () => rng.pick([0, 1])],
    ["selectionLambda", () => rng.pick([1e-300, 1e308, 5e-324])],
    ["selectionTop", () => rng.pick([1, 2 ** 31, Number.MAX_SAFE_INTEGER])],
    ["seed", () => rng.pick([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, -1, 0])],
    ["budget", () => ({ maxCalls: rng.pick([1, Number.MAX_SAFE_INTEGER]), maxUsd: rng.pick([5e-324, 1e308]), maxTokens: 1 })],
    ["prices", () => ({ "simlm-task": { inputPerMTok: rng.pick([0, 1e308, 5e-324]), outputPerMTok: rng.pick([0, 1e308]) } })],
    ["maxOutputTokens", () => ({ task: rng.pick([1, Number.MAX_SAFE_INTEGER]), agent: rng.pick([1, Number.MAX_SAFE_INTEGER]) })],
    ["promotionConfidence", () => rng.pick([0.5, 0.999])],
    ["maxPromptChars", () => rng.pick([1, 100_000])],
  ];
  for (const [key, value] of knobs) if (rng.chance(0.4)) config[key] = value();
  return config;
}

function specFor(route: FuzzRoute): BodySpec {
  return BODY_SPECS[`${route.method} ${route.path}`] ?? GENERIC_BODY;
}

/** A template body with one mutation its schema certainly rejects and 0-3 random ones. */
export function invalidBody(rng: Prng, route: FuzzRoute, ids: KnownIds): { text: string; note: string } {
  const spec = specFor(route);
  let body = clone(spec.template(ids));
  const notes: string[] = [];
  for (let i = rng.int(4); i > 0; i--) {
    const m = randomMutation(rng, body);
    body = m.body;
    notes.push(m.note);
  }
  // The certain one goes last, so no random mutation can undo it.
  const [name, apply] = rng.pick(spec.invalid);
  body = apply(body === null || typeof body !== "object" || Array.isArray(body) ? clone(spec.template(ids)) : body);
  notes.push(name);
  return { text: toText(body), note: notes.join("; ") };
}

export function rawBody(rng: Prng, limit: number): { text: string; note: string } {
  const choices: Array<() => { text: string; note: string }> = [
    () => ({ text: "", note: "empty body" }),
    () => ({ text: "{", note: "truncated JSON" }),
    () => ({ text: "{'name': 'x'}", note: "single quotes" }),
    () => ({ text: '{"name": "x",}', note: "trailing comma" }),
    () => ({ text: "null", note: "null" }),
    () => ({ text: "[]", note: "array" }),
    () => ({ text: "[{}]", note: "array of object" }),
    () => ({ text: "42", note: "number" }),
    () => ({ text: '"a string"', note: "string" }),
    () => ({ text: "true", note: "boolean" }),
    () => ({ text: "NaN", note: "NaN" }),
    () => ({ text: '{"a":1}{"b":2}', note: "two documents" }),
    () => ({ text: "\ufeff{}", note: "BOM" }),
    () => ({ text: '{"__proto__": {"admin": true}}', note: "__proto__" }),
    () => ({ text: '{"name": "\\ud800", "seedPrompt": "\\udfff", "__fuzz_unknown_field": "\\ud800"}', note: "lone surrogates" }),
    () => ({ text: "\u0000\u0001\u0002", note: "control bytes" }),
    () => ({ text: "<xml/>", note: "xml" }),
    () => ({ text: "name=x&seedPrompt=y", note: "form-encoded" }),
    () => {
      const depth = 100 + rng.int(100_000);
      return { text: nested(depth, rng.chance(0.5) ? "array" : "object"), note: `nesting depth ${depth}` };
    },
    () => {
      const size = Math.max(0, limit - 64 - rng.int(1024));
      return { text: JSON.stringify({ name: "n".repeat(size) }), note: `string of ${size} bytes (under the limit)` };
    },
    () => {
      const size = limit + 1 + rng.int(1024);
      return { text: JSON.stringify({ name: "n".repeat(size) }), note: `string of ${size} bytes (over the limit)` };
    },
    () => {
      const n = 5001 + rng.int(3000);
      return { text: JSON.stringify({ examples: Array.from({ length: n }, () => ({ input: "", expected: 1 })) }), note: `${n} bad examples` };
    },
  ];
  return rng.pick(choices)();
}
