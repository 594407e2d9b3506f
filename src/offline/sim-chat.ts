/** SimLM as a ChatPort, in process: no HTTP, for fast offline runs of the whole method. */
import type { ChatPort } from "../llm/chat-port";
import { simulateReply } from "../simlm/simulate";

/** Same estimate SimLM's HTTP handler reports: about four characters a token. */
const tokens = (text: string) => Math.ceil(text.length / 4);

export function createSimChat(seed: number): ChatPort & { calls: number } {
  const port = {
    calls: 0,
    async complete(request: Parameters<ChatPort["complete"]>[0]) {
      port.calls++;
      const { text } = simulateReply({ seed, system: request.system, user: request.user, sampleIndex: request.sampleIndex ?? 0 });
      const clipped = text.slice(0, request.maxTokens * 4);
      return { text: clipped, promptTokens: tokens(request.system) + tokens(request.user), completionTokens: tokens(clipped) };
    },
  };
  return port;
}
