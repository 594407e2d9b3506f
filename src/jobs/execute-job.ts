/** Runs one job of either kind. Shared by the queue consumer and the offline driver. */
import type { Job, JobResult } from "../engine/jobs";
import type { ChatPort } from "../llm/chat-port";
import type { JobData } from "./job-data";
import { runEvaluate } from "./run-evaluate";
import { runPropose } from "./run-propose";

export function executeJob(job: Job, chat: ChatPort, data: JobData): Promise<JobResult> {
  return job.type === "evaluate" ? runEvaluate(job, chat, data) : runPropose(job, chat, data);
}
