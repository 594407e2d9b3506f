/** A zod schema for `RunReport` (declared as an interface in types.ts), to decode stored states. */
import { z } from "zod";
import { type RunReport, SpendSchema } from "./types";

const SplitMeansSchema = z.object({ train: z.number().optional(), val: z.number().optional(), test: z.number().optional() });

export const RunReportSchema = z.object({
  kind: z.enum(["pretrain", "finetune"]),
  championId: z.string().nullable(),
  championText: z.string().nullable(),
  tasks: z.array(z.object({ taskId: z.string(), seed: SplitMeansSchema, champion: SplitMeansSchema })),
  promotion: z
    .object({ promote: z.boolean(), reason: z.string(), confidence: z.number(), n: z.number().int(), meanDiff: z.number(), ciLow: z.number(), ciHigh: z.number() })
    .optional(),
  agentFitness: z.object({ seed: z.number(), champion: z.number() }).optional(),
  generations: z.number().int().nonnegative(),
  candidates: z.number().int().nonnegative(),
  admitted: z.number().int().nonnegative(),
  failedProposals: z.number().int().nonnegative(),
  spent: SpendSchema,
  spentByRole: z.object({ task: SpendSchema, agent: SpendSchema }),
});

/** Compile-time proof that the schema and the interface agree both ways. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesInterface: Same<z.infer<typeof RunReportSchema>, RunReport> = true;
void schemaMatchesInterface;
