/**
 * The one place a task's scorer configuration is validated: task creation parses it here
 * (a bad option is a 400 naming the field), and the consumer trusts the parsed value.
 * Each variant's schema lives next to its scorer; this file only lists them.
 *
 * Adding a scorer (a benchmark's, say) takes three steps, and the compiler checks the
 * last: write `src/scoring/<name>.ts` exporting `XxxSpecSchema` (a `z.strictObject` with
 * `type: z.literal("<name>")`) and `xxxScorer`; add the schema to the list below; add the
 * scorer to the table in ./registry.
 */
import { z } from "zod";
import { ArcGridSpecSchema } from "./arc-grid";
import { BoxedIntegerSpecSchema } from "./boxed-integer";
import { ChoiceSpecSchema } from "./choice";
import { CodeTestsSpecSchema } from "./code-tests";
import { ContainsSpecSchema } from "./contains";
import { ExactSpecSchema } from "./exact";
import { IsJsonSpecSchema } from "./is-json";
import { JsonFieldSpecSchema } from "./json-field";
import { NumericSpecSchema } from "./numeric";
import { RegexSpecSchema } from "./regex";
import { SudokuSpecSchema } from "./sudoku";

export const ScorerSpecSchema = z.discriminatedUnion("type", [
  ExactSpecSchema,
  NumericSpecSchema,
  ChoiceSpecSchema,
  RegexSpecSchema,
  ContainsSpecSchema,
  JsonFieldSpecSchema,
  IsJsonSpecSchema,
  BoxedIntegerSpecSchema,
  SudokuSpecSchema,
  ArcGridSpecSchema,
  CodeTestsSpecSchema,
]);

/** A parsed scorer spec: every option present, defaults filled in. */
export type ScorerSpec = z.infer<typeof ScorerSpecSchema>;
/** What a client may send: options with defaults may be left out. */
export type ScorerSpecInput = z.input<typeof ScorerSpecSchema>;
export type ScorerType = ScorerSpec["type"];
