/**
 * Reading request input through zod, so that every bad request becomes a 400 that names
 * each wrong field and says what is expected there.
 */
import type { Context } from "hono";
import type { z } from "zod";
import { AppError, type FieldIssue } from "../errors";

/** Requests larger than this are refused before parsing (413). */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join(".") : "(body)",
    message: issue.message,
  }));
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = toFieldIssues(result.error);
    const first = issues[0];
    throw new AppError("invalid_request", `Invalid ${what}: ${first ? `${first.path}: ${first.message}` : "malformed"}`, issues);
  }
  return result.data;
}

/** Parses a JSON body: 415 without a JSON content type, 413 when too large, 400 when malformed or invalid. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S, maxBytes = MAX_BODY_BYTES): Promise<z.infer<S>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError("unsupported_media_type", "Send the request body as JSON with 'content-type: application/json'.");
  }
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > maxBytes) throw new AppError("payload_too_large", `The body is ${declared} bytes; the limit is ${maxBytes}.`);
  const text = await c.req.text();
  if (new TextEncoder().encode(text).byteLength > maxBytes) {
    throw new AppError("payload_too_large", `The body is larger than the limit of ${maxBytes} bytes.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AppError("invalid_request", `The body is not valid JSON: ${(error as Error).message}`);
  }
  return parseWith(schema, value, "request body");
}

export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  return parseWith(schema, c.req.query(), "query parameters");
}
