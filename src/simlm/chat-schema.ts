/**
 * The slice of the OpenAI Chat Completions protocol SimLM speaks: the request it
 * validates (zod, at its trust boundary) and the bodies it answers with.
 */
import { z } from "zod";

const ContentPartSchema = z.object({ type: z.string(), text: z.string().optional() });

const MessageSchema = z.object({
  role: z.string().min(1),
  content: z.union([z.string(), z.array(ContentPartSchema), z.null()]).optional(),
});

/** A chat completion request; unknown fields (temperature, top_p, ...) are ignored. */
export const ChatCompletionRequestSchema = z.object({
  model: z.string().min(1),
  messages: z.array(MessageSchema).min(1),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  n: z.number().int().min(1).max(16).nullish(),
  seed: z.number().int().nullish(),
  stream: z.boolean().nullish(),
});
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;
type Message = z.infer<typeof MessageSchema>;

function textOf(message: Message): string {
  const { content } = message;
  if (typeof content === "string") return content;
  return (content ?? []).map((part) => part.text ?? "").join("");
}

/** System and developer messages joined, and the last user message: what SimLM reads. */
export function conversationOf(request: ChatCompletionRequest): { system: string; user: string; chars: number } {
  const system = request.messages
    .filter((m) => m.role === "system" || m.role === "developer")
    .map(textOf)
    .join("\n");
  const users = request.messages.filter((m) => m.role === "user");
  const last = users[users.length - 1];
  const chars = request.messages.reduce((sum, m) => sum + textOf(m).length, 0);
  return { system, user: last ? textOf(last) : "", chars };
}

/** Token estimate used for usage: about four characters per token. */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

/** One choice, with the content cut to `maxTokens` when given. */
export function makeChoice(index: number, text: string, maxTokens: number | undefined) {
  const cut = maxTokens !== undefined && estimateTokens(text.length) > maxTokens;
  const content = cut ? text.slice(0, (maxTokens as number) * 4) : text;
  return {
    index,
    message: { role: "assistant" as const, content, refusal: null },
    logprobs: null,
    finish_reason: cut ? ("length" as const) : ("stop" as const),
  };
}
export type Choice = ReturnType<typeof makeChoice>;

/** OpenAI-shaped error body; `type` and `code` follow OpenAI's where one exists. */
export function errorBody(message: string, type: string, code: string | null = null) {
  return { error: { message, type, param: null, code } };
}
