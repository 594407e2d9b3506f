import { describe, expect, it } from "vitest";
import { convertPromptfoo, type ConvertOptions, defaultSeedPrompt } from "../../../src/cli/promptfoo/convert";

/** Converts with an in-memory file map for file:// references. */
function convert(config: unknown, options: Partial<ConvertOptions> & { files?: Record<string, string> } = {}) {
  const { files = {}, ...rest } = options;
  return convertPromptfoo(config, {
    fileName: "promptfooconfig.json",
    readRef: (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`no file ${path}`);
      return text;
    },
    ...rest,
  });
}

const capitals = {
  description: "Capitals",
  prompts: ["What is the capital of {{country}}?"],
  providers: ["openai:gpt-4o-mini"],
  tests: [
    { vars: { country: "France" }, assert: [{ type: "equals", value: "Paris" }] },
    { vars: { country: "Japan" }, assert: [{ type: "equals", value: "Tokyo" }] },
  ],
};

describe("promptfoo -> task", () => {
  it("maps a text prompt, equals assertions and an OpenAI provider", () => {
    const { body, warnings } = convert(capitals);
    expect(body).toEqual({
      name: "Capitals",
      description: "Capitals",
      seedPrompt: defaultSeedPrompt("exact"),
      scorer: { type: "exact", caseSensitive: true },
      model: { model: "gpt-4o-mini" },
      examples: [
        { input: "What is the capital of France?", expected: "Paris" },
        { input: "What is the capital of Japan?", expected: "Tokyo" },
      ],
    });
    expect(warnings.join("\n")).toContain("has no system message");
  });

  it("takes the seed prompt from a chat prompt's system message, and the user message as the input", () => {
    const chat = JSON.stringify([
      { role: "system", content: "You classify support messages." },
      { role: "user", content: "Message: {{text}}" },
    ]);
    const { body, warnings, notes } = convert({
      prompts: ["file://prompt.json"],
      defaultTest: { assert: [{ type: "icontains", value: "{{label}}" }] },
      tests: [
        { vars: { text: "It broke", label: "complaint" } },
        { vars: { text: "How do I?", label: "question" } },
      ],
    }, { files: { "prompt.json": chat } });
    expect(body.seedPrompt).toBe("You classify support messages.");
    expect(body.scorer).toEqual({ type: "contains" });
    expect(body.examples).toEqual([
      { input: "Message: It broke", expected: "complaint" },
      { input: "Message: How do I?", expected: "question" },
    ]);
    expect(body.name).toBe("promptfoo: promptfooconfig.json");
    expect(warnings).toEqual([]);
    expect(notes.join("\n")).toContain("seed prompt from the system message of prompt 1 (file://prompt.json)");
  });

  it("lets --seed-prompt, --model and --name win, with a warning when a system message is replaced", () => {
    const chat = JSON.stringify([{ role: "system", content: "Old." }, { role: "user", content: "{{q}}" }]);
    const { body, warnings } = convert(
      { prompts: [chat], providers: ["openai:gpt-4o-mini"], tests: [{ vars: { q: "x" }, assert: [{ type: "contains", value: "y" }] }] },
      { seedPrompt: "New.", model: { model: "m2" }, name: "Mine" },
    );
    expect(body).toMatchObject({ seedPrompt: "New.", model: { model: "m2" }, name: "Mine", scorer: { type: "contains", caseSensitive: true } });
    expect(warnings).toContain("--seed-prompt replaces the chat prompt's system message");
  });

  it("maps a shared regex assertion to one regex scorer", () => {
    const { body } = convert({
      prompts: ["Is {{n}} even? Answer yes or no."],
      defaultTest: { assert: [{ type: "regex", value: "^(yes|no)$" }] },
      tests: [{ vars: { n: 2 } }, { vars: { n: 3 } }],
    });
    expect(body.scorer).toEqual({ type: "regex", pattern: "^(yes|no)$" });
    expect(body.examples).toEqual([
      { input: "Is 2 even? Answer yes or no.", expected: "" },
      { input: "Is 3 even? Answer yes or no.", expected: "" },
    ]);
    expect(body.seedPrompt).toBe(defaultSeedPrompt("regex"));
  });

  it("expands array vars into one example per combination, as promptfoo runs them", () => {
    const { body, notes } = convert({
      prompts: ["Say {{word}} in {{lang}}"],
      tests: [{ vars: { word: "hi", lang: ["French", "German"] }, assert: [{ type: "contains", value: "{{lang}}" }] }],
    });
    expect(body.examples).toEqual([
      { input: "Say hi in French", expected: "French" },
      { input: "Say hi in German", expected: "German" },
    ]);
    expect(notes[0]).toContain("array vars expanded");
  });

  it("applies options.prefix/suffix and reads file:// text vars", () => {
    const { body } = convert(
      { prompts: ["{{doc}}"], tests: [{ vars: { doc: "file://doc.txt" }, options: { prefix: "> ", suffix: " <" }, assert: [{ type: "equals", value: 4 }] }] },
      { files: { "doc.txt": "two plus two" } },
    );
    expect(body.examples).toEqual([{ input: "> two plus two <", expected: "4" }]);
  });

  it("takes expected values from a var with --expected-var, ignoring assertions", () => {
    const { body, warnings } = convert(
      { prompts: ["{{q}}"], tests: [{ vars: { q: "a", gold: { x: 1 } }, assert: [{ type: "is-json" }] }] },
      { expectedVar: "gold", scorer: { type: "json-field", path: "x" } },
    );
    expect(body.scorer).toEqual({ type: "json-field", path: "x" });
    expect(body.examples[0]!.expected).toBe('{"x":1}');
    expect(warnings[0]).toContain("ignored 1 assertion(s)");
  });

  it("maps is-json to the is-json scorer", () => {
    const { body } = convert({ prompts: ["{{q}}"], tests: [{ vars: { q: "a" }, assert: [{ type: "is-json" }] }, { vars: { q: "b" }, assert: [{ type: "is-json" }] }] }, {});
    expect(body.scorer).toEqual({ type: "is-json" });
    expect(body.examples).toEqual([{ input: "a", expected: "" }, { input: "b", expected: "" }]);
  });

  it("drops assertion types named by --ignore-assert", () => {
    const { body, warnings } = convert(
      { prompts: ["{{q}}"], tests: [{ vars: { q: "a" }, assert: [{ type: "equals", value: "b" }, { type: "latency", threshold: 500 }] }] },
      { ignoreAsserts: ["latency"] },
    );
    expect(body.examples).toEqual([{ input: "a", expected: "b" }]);
    expect(warnings).toContain('ignored 1 "latency" assertion(s) (--ignore-assert)');
  });

  it("warns about extra prompts and providers, and a non-OpenAI provider", () => {
    const { body, warnings } = convert({ ...capitals, prompts: ["A {{country}}", "B {{country}}"], providers: [{ id: "anthropic:messages:claude" }, "openai:gpt-4o"] });
    expect(body.model).toBeUndefined();
    expect(warnings.join("\n")).toMatch(/2 prompts; only the first[\s\S]*2 providers[\s\S]*not an OpenAI chat model id/);
  });

  it("maps openai:chat:<model> with apiBaseUrl", () => {
    const { body } = convert({ ...capitals, providers: [{ id: "openai:chat:llama3", config: { apiBaseUrl: "http://localhost:11434/v1" } }] });
    expect(body.model).toEqual({ model: "llama3", baseUrl: "http://localhost:11434/v1" });
  });
});

describe("promptfoo -> task: what it refuses, and what to change", () => {
  const base = { prompts: ["{{q}}"] };
  it.each([
    ["mixed assertion types", { ...base, tests: [{ vars: { q: "a" }, assert: [{ type: "equals", value: "1" }] }, { vars: { q: "b" }, assert: [{ type: "contains", value: "2" }] }] }, /different scorers: equals \(1 test\), contains \(1 test\)\. A SePO task has one scorer/],
    ["different regex patterns", { ...base, tests: [{ vars: { q: "a" }, assert: [{ type: "regex", value: "^a" }] }, { vars: { q: "b" }, assert: [{ type: "regex", value: "^b" }] }] }, /regex \/\^a\/ \(1 test\), regex \/\^b\/ \(1 test\)/],
    ["is-json with a schema", { ...base, tests: [{ vars: { q: "a" }, assert: [{ type: "is-json", value: { type: "object" } }] }] }, /is-json with a JSON schema is not supported/],
    ["javascript", { ...base, tests: [{ vars: { q: "a" }, assert: [{ type: "equals", value: "x" }, { type: "javascript", value: "output.length < 9" }] }] }, /--ignore-assert javascript/],
    ["two scoring assertions", { ...base, tests: [{ vars: { q: "a" }, assert: [{ type: "equals", value: "x" }, { type: "contains", value: "x" }] }] }, /test 1 \(equals, contains\) has more than one scoring assertion/],
    ["no assertion", { ...base, tests: [{ vars: { q: "a" } }] }, /test 1 has no equals\/contains\/icontains\/regex\/is-json assertion/],
    ["a missing var", { prompts: ["{{question}}"], tests: [{ description: "capital", vars: { q: "a" }, assert: [{ type: "equals", value: "x" }] }] }, /test 1 \("capital"\): the template uses \{\{question\}\} but the test has no var "question"/],
    ["Nunjucks filters", { prompts: ["{{ q | upper }}"], tests: [{ vars: { q: "a" }, assert: [{ type: "equals", value: "x" }] }] }, /only plain \{\{var\}\} substitutions/],
    ["Nunjucks tags", { prompts: ["{% if q %}{{q}}{% endif %}"], tests: [{ vars: { q: "a" } }] }, /uses Nunjucks tags/],
    ["tests from a CSV file", { ...base, tests: "file://tests.csv" }, /tests loads file:\/\/tests\.csv; only YAML \(\.yaml, \.yml\) and JSON test files are supported/],
    ["no prompts", { tests: [] }, /no prompts/],
    ["no tests", { ...base }, /no tests/],
    ["a script prompt", { prompts: ["file://prompt.py"], tests: [{ vars: {} }] }, /only text \(\.txt, \.md, \.j2\) and chat \(\.json, \.yaml\) prompt files/],
    ["a few-shot chat", { prompts: [JSON.stringify([{ role: "user", content: "1" }, { role: "assistant", content: "2" }, { role: "user", content: "{{q}}" }])], tests: [{ vars: { q: "a" } }] }, /chat with 2 user and 1 other/],
    ["vars in the system message", { prompts: [JSON.stringify([{ role: "system", content: "Be {{tone}}" }, { role: "user", content: "{{q}}" }])], tests: [{ vars: { q: "a" } }] }, /the system message uses \{\{tone\}\}/],
  ])("refuses %s", (_, config, message) => {
    expect(() => convert(config)).toThrow(message);
  });

  it("needs --scorer with --expected-var", () => {
    expect(() => convert({ ...base, tests: [{ vars: { q: "a", want: "b" } }] }, { expectedVar: "want" })).toThrow(/--expected-var needs --scorer/);
  });

  it("refuses to reuse regex assertions for another scorer without --expected-var", () => {
    const config = { ...base, tests: [{ vars: { q: "a" }, assert: [{ type: "regex", value: "^a" }] }] };
    expect(() => convert(config, { scorer: { type: "exact" } })).toThrow(/regex assertions carry no expected value/);
  });
});
