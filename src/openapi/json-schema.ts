/**
 * Zod to OpenAPI 3.1 pieces, with zod 4's own `z.toJSONSchema` (JSON Schema 2020-12, the
 * dialect OpenAPI 3.1 uses), so the document says exactly what the validating schemas
 * accept: no second description to keep in step.
 */
import { z } from "zod";

export type JsonSchema = Record<string, unknown>;

export interface ParameterObject {
  name: string;
  in: "query" | "path" | "header";
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

/**
 * The JSON Schema of what a client may send through `schema` (io "input": fields with
 * defaults are optional). `$schema` is dropped: OpenAPI 3.1 fixes the dialect.
 */
export function inputJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input" }) as JsonSchema;
  return rest;
}

/** One query parameter per property of an object schema, required when the schema requires it. */
export function queryParameters(schema: z.ZodObject, descriptions: Record<string, string> = {}): ParameterObject[] {
  const json = inputJsonSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query" as const,
    required: json.required?.includes(name) ?? false,
    ...(descriptions[name] ? { description: descriptions[name] } : {}),
    schema: property,
  }));
}

/**
 * Named response schemas as `components.schemas`: one registry conversion, so a schema
 * used inside another (a Task in a TaskPage) becomes a `$ref` rather than a copy.
 */
export function componentSchemas(named: Record<string, z.ZodType>): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  // "any" for the odd transform (a scorer option normalised on input): its output is documented as unconstrained.
  const { schemas } = z.toJSONSchema(registry, { io: "output", unrepresentable: "any", uri: (id) => `#/components/schemas/${id}` });
  const out: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    // `$id` would be a URI with a fragment (not allowed in 2020-12) and `$schema` is implied.
    const { $id: _id, $schema: _dialect, ...rest } = schema as JsonSchema;
    out[id] = rest;
  }
  return out;
}
