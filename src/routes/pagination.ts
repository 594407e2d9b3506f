/** The query parameters every list endpoint shares: `?limit=1..100&cursor=<nextCursor>`. */
import { z } from "zod";

export const PageQuerySchema = z.object({
  limit: z.coerce
    .number({ error: "must be a whole number from 1 to 100" })
    .int("must be a whole number from 1 to 100")
    .min(1, "must be at least 1")
    .max(100, "must be at most 100")
    .default(20),
  cursor: z.string().min(1, "must not be empty; omit it for the first page").optional(),
});
export type PageQuery = z.infer<typeof PageQuerySchema>;
