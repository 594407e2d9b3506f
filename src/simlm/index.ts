/**
 * SimLM, the simulated OpenAI-compatible model (see shared design simlm.md). This module
 * re-exports what runs anywhere (Node and workerd); the Node server lives in ./server.
 */
export { createSimLm, createSimLmFetch, type SimLm, type SimLmOptions, type Sleep } from "./handler";
export { simulateReply, detectMode, type SimMode, type SimTurn, type SimReply } from "./simulate";
export {
  SIM_TASKS,
  SIM_TASK_IDS,
  HELD_OUT_TASK_ID,
  PRETRAIN_TASK_IDS,
  generateExamples,
  getSimTask,
  parseSimTag,
  lookupExample,
  type SimTask,
  type SimExample,
  type SimExampleDetail,
  type SimScorerSpec,
  type SimTag,
} from "./task-pool";
export { TASK_SKILLS, META_SKILLS, detectTaskSkills, detectMetaSkills, type Skill } from "./landscape";
export { expectedAccuracy, correctProbability, answerTaskExample } from "./task-model";
export type { FaultKind, FaultRates, Latency, RateLimit, SimLmStats } from "./traffic";
