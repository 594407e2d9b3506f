/** The messages the baselines send (rendered by the consumer from job data), as inline snapshots. */
import { describe, expect, it } from "vitest";
import {
  extractCritique,
  type FeedbackItem,
  renderCritiqueRequest,
  renderSystemPromptProposal,
  renderTaskProposal,
  type TrackRecordItem,
} from "../../../src/engine";

const failure: FeedbackItem = { input: "2+2?", output: "Answer: 5", expected: "4", score: 0, feedback: "Expected 4." };
const success: FeedbackItem = { input: "1+1?", output: "Answer: 2", expected: "2", score: 1, feedback: "Correct." };

describe("baseline message formats", () => {
  it("TextGrad: the critique request", () => {
    expect(renderCritiqueRequest("Add numbers.", [failure])).toMatchInlineSnapshot(`
      "# Prompt to critique
      <parent_prompt>
      Add numbers.
      </parent_prompt>

      # Results of this prompt on 1 training examples
      <example index="1" result="failure" score="0.00">
      <input>2+2?</input>
      <model_output>Answer: 5</model_output>
      <expected>4</expected>
      <feedback>Expected 4.</feedback>
      </example>

      # Your job
      Give feedback on this prompt: explain what in it, or missing from it, causes the failures above, and how it should change. Do not write a new prompt.
      Reply with your critique between <critique> and </critique>."
    `);
  });

  it("TextGrad: the rewrite shows the critique; MetaSPO: the shared prompt as fixed context", () => {
    expect(renderTaskProposal("Add numbers.", [success], { critique: "Say </critique> less.", sharedPrompt: "Be helpful." })).toMatchInlineSnapshot(`
      "# Task prompt to improve
      The assistant's full system prompt is the shared system prompt below, followed by this task prompt. Only the task prompt is yours to change.
      <parent_prompt>
      Add numbers.
      </parent_prompt>

      # Shared system prompt (fixed; do not repeat it)
      <shared_prompt>
      Be helpful.
      </shared_prompt>

      # Results of this prompt on 1 training examples
      <example index="1" result="success" score="1.00">
      <input>1+1?</input>
      <model_output>Answer: 2</model_output>
      <expected>2</expected>
      <feedback>Correct.</feedback>
      </example>

      # Critique of this prompt
      <critique>
      Say </ critique> less.
      </critique>

      # Your job
      Write an improved version of the task prompt for this assistant, acting on the critique where it is right.
      Reply with the complete new prompt between <prompt> and </prompt>, and nothing after it."
    `);
  });

  it("SePO's task proposal is unchanged without context", () => {
    expect(renderTaskProposal("Add numbers.", [failure], {})).toBe(renderTaskProposal("Add numbers.", [failure]));
    expect(renderTaskProposal("Add numbers.", [failure])).not.toMatch(/critique|shared/i);
  });

  it("MetaSPO: the shared system prompt proposal", () => {
    const record: TrackRecordItem = { taskName: 'Sums "easy"', seedPrompt: "x", producedPrompt: "Be helpful.\n\nAdd numbers.", seedScore: 0.5, producedScore: 0.625, failures: [failure] };
    expect(renderSystemPromptProposal("Be helpful.", [record])).toMatchInlineSnapshot(`
      "# System prompt to improve
      This system prompt is shared by the assistants of several tasks: each one's full prompt is this text followed by its own task prompt.
      <parent_prompt>
      Be helpful.
      </parent_prompt>

      # Results per task (held-out examples; the task prompt was adapted under this system prompt)
      <task name="Sums 'easy'" seed_score="0.500" produced_score="0.625">
      <task_prompt>
      Be helpful.

      Add numbers.
      </task_prompt>
      <failure index="1" result="failure" score="0.00">
      <input>2+2?</input>
      <model_output>Answer: 5</model_output>
      <expected>4</expected>
      <feedback>Expected 4.</feedback>
      </failure>
      </task>

      # Your job
      Write an improved shared system prompt: task-agnostic instructions that make the assistants answer more examples correctly on these tasks and on new ones.
      Reply with the complete new prompt between <prompt> and </prompt>, and nothing after it."
    `);
  });

  it("reads a critique from its tags, or takes the whole answer", () => {
    expect(extractCritique("thinking...\n<critique>\n Too vague. \n</critique>", 100)).toBe("Too vague.");
    expect(extractCritique("  Too vague.  ", 100)).toBe("Too vague.");
    expect(extractCritique("<critique> </critique>", 100)).toBeNull();
    expect(extractCritique("abcdef", 3)).toBe("abc");
  });
});
