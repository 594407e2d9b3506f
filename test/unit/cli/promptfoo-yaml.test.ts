import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { makeTask } from "./support/builders";
import { fakeApi, type RecordedRequest } from "./support/fake-api";
import { runCli, tempDir } from "./support/run-cli";

const FIXTURES = fileURLToPath(new URL("./fixtures/promptfoo-yaml/", import.meta.url));

function workdir(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** `tasks create --promptfoo <file> --dry-run`: the converted body, without an API. */
async function dryRun(file: string, cwd: string) {
  const r = await runCli(["tasks", "create", "--promptfoo", file, "--dry-run"], { cwd });
  return { ...r, body: r.code === 0 ? JSON.parse(r.stdout) : undefined };
}

describe("promptfoo YAML configs", () => {
  it("reads promptfooconfig.yaml with a YAML chat prompt file, defaultTest and a YAML test file", async () => {
    const r = await dryRun("promptfooconfig.yaml", FIXTURES);
    expect(r.code, r.stderr).toBe(0);
    expect(r.body).toEqual({
      name: "Capitals",
      description: "Capitals",
      seedPrompt: "You name capitals. Answer with the city only.",
      scorer: { type: "exact", caseSensitive: true },
      model: { model: "gpt-4o-mini" },
      examples: [
        { input: "What is the capital of France?", expected: "Paris" },
        { input: "What is the capital of Japan?", expected: "Tokyo" },
        { input: "What is the capital of New Zealand?", expected: "Wellington" },
      ],
    });
    expect(r.stderr).toContain("promptfoo: seed prompt from the system message of prompt 1 (file://prompt.yaml)");
  });

  it("reads .yml with anchors, aliases, flow collections and block scalars", async () => {
    const r = await dryRun("regex.yml", FIXTURES);
    expect(r.code, r.stderr).toBe(0);
    expect(r.body.scorer).toEqual({ type: "regex", pattern: "^(yes|no)$" });
    expect(r.body.examples).toEqual([
      { input: "Is 2 an even number?\nAnswer yes or no.", expected: "" },
      { input: "Is 7 an even number?\nAnswer yes or no.", expected: "" },
    ]);
  });

  it("creates the task through the API from a YAML config", async () => {
    const api = fakeApi({ "POST /v1/tasks": (req: RecordedRequest) => makeTask({ id: "task_y", name: (req.body as { name: string }).name }) });
    const r = await runCli(["tasks", "create", "--promptfoo", "promptfooconfig.yaml", "--name", "From YAML"], { cwd: FIXTURES, fetch: api.fetch });
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests[0]!.body).toMatchObject({ name: "From YAML", examples: expect.arrayContaining([{ input: "What is the capital of Japan?", expected: "Tokyo" }]) });
    expect(r.stdout).toContain("created task task_y");
  });

  it.each([
    ["bad indentation", "prompts:\n  - '{{q}}'\n tests:\n  - vars: {q: a}\n", "All mapping items must start at the same column at line 3, column 1"],
    ["an unclosed quote", "prompts:\n  - 'x {{q}}\ntests: []\n", "Missing closing 'quote at line"],
    ["a key written twice", "prompts: ['{{q}}']\ntests: []\nprompts: ['{{r}}']\n", "Map keys must be unique at line 3, column 1"],
    ["a tab as indentation", "prompts:\n\t- '{{q}}'\n", "Tabs are not allowed as indentation at line 2"],
    ["two documents", "prompts: ['{{q}}']\n---\ntests: []\n", 'it holds more than one document (a second "---" at line 2)'],
  ])("stops on %s with the line number, one line on stderr (exit 1)", async (_, text, message) => {
    const r = await dryRun("promptfooconfig.yaml", workdir({ "promptfooconfig.yaml": text }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`sepo: error: promptfooconfig.yaml is not valid YAML: ${message}`);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("names a malformed referenced test file, and a YAML file that is not a mapping", async () => {
    const cwd = workdir({
      "promptfooconfig.yaml": "prompts: ['{{q}}']\ntests: file://tests.yaml\n",
      "tests.yaml": "- vars: {q: a\n",
      "list.yaml": "- just\n- a list\n",
    });
    const broken = await dryRun("promptfooconfig.yaml", cwd);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/file:\/\/tests\.yaml is not valid YAML: .* at line \d+/);
    const list = await dryRun("list.yaml", cwd);
    expect(list.code).toBe(1);
    expect(list.stderr).toContain("a promptfoo config must be an object");
  });

  it("refuses CSV test files and unsupported assertions with what to do instead", async () => {
    const cwd = workdir({
      "csv.yaml": "prompts: ['{{q}}']\ntests: file://tests.csv\n",
      "json.yaml": "prompts: ['{{q}}']\ntests:\n  - vars: {q: a}\n    assert:\n      - type: javascript\n        value: output.length < 9\n",
    });
    const csv = await dryRun("csv.yaml", cwd);
    expect(csv.code).toBe(1);
    expect(csv.stderr).toContain("only YAML (.yaml, .yml) and JSON test files are supported");
    const isJson = await dryRun("json.yaml", cwd);
    expect(isJson.code).toBe(1);
    expect(isJson.stderr).toContain("unsupported assertion types: javascript (1 test)");
  });
});
