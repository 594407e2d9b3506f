/**
 * The one interface every model call goes through. The openai adapter implements it for
 * real providers (and SimLM over HTTP); tests may implement it in process.
 */
import type { ModelRef } from "../engine/jobs";

export interface ChatRequest {
  model: ModelRef;
  system: string;
  user: string;
  /** Sent as max_tokens: the budget's reservation relies on this cap. */
  maxTokens: number;
  /** Distinct samples of the same request (pass@k) differ by this index. */
  sampleIndex?: number;
}

export interface ChatResponse {
  text: string;
  promptTokens: number;
  completionTokens: number;
}

/** Throws `LlmError` (./llm-error) for every failure, never a raw provider error. */
export interface ChatPort {
  complete(request: ChatRequest): Promise<ChatResponse>;
}
