/** The pure SePO engine: a run as a state machine. Re-exports only. */
export { createRun, checkRunInput, chooseExampleSets } from "./create-run";
export { step } from "./step";
export { summarizeRun, type RunSummary, type ArchiveMemberSummary, type SplitSummary } from "./summarize-run";
export { decodeRunState, RunStateSchema, type RunState, type Candidate, type RunPhase } from "./run-state";
export { estimateRun, type RunEstimate } from "./estimate-run";
export { estimateJob } from "./job-estimate";
export { createRng, nextFloat, nextInt, sampleWithoutReplacement, type RngState } from "./rng";
export { selectParents, selectionProbabilities, type SelectionMember, type SelectionOptions } from "./parent-selection";
export { admissionEpsilon, isAdmitted } from "./admission";
export { sampleFeedback, sampleFailures, type ScoredExamples } from "./feedback-sampling";
export { mean, standardError } from "./stats";
export { utf8Length } from "./utf8";
export { canAfford, canDispatch, usdOf, withinLimits } from "./budget";
export * from "./types";
export * from "./jobs";
export * from "./prompt-templates";
export { decidePromotion, pairedBootstrap, type BootstrapInterval } from "./promotion-gate";
