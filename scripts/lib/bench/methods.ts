/**
 * The benchmark's methods as run configurations: which pre-training (if any) a cell needs
 * and what its fine-tuning is asked to do. Pure, so the mapping is unit-tested and
 * documented in one place (benchmarks/README.md repeats it in prose).
 */

export const METHOD_IDS = [
  "manual-cot",
  "textgrad",
  "metaspo",
  "sepo-specialist",
  "sepo-generalist",
  "wo-self-improvement",
  "wo-open-ended",
] as const;
export type MethodId = (typeof METHOD_IDS)[number];

/** Row labels, in the paper's wording ("-style": our re-implementations, not the authors' code). */
export const METHOD_LABELS: Record<MethodId, string> = {
  "manual-cot": "Manual-CoT",
  textgrad: "TextGrad-style",
  metaspo: "MetaSPO-style",
  "sepo-specialist": "SePO-Specialist",
  "sepo-generalist": "SePO-Generalist",
  "wo-self-improvement": "w/o self-improvement",
  "wo-open-ended": "w/o open-ended evolution",
};

/** SePO's default per stage (method.md: G=5, K=2); the equal budget is sized to fit it. */
export const SEPO_STAGE = { generations: 5, childrenPerGeneration: 2 } as const;
/** The paper gives TextGrad 10 iterations (x 16 feedback examples, the engine's default). */
export const TEXTGRAD_ITERATIONS = 10;

/** What the planner needs to know about a benchmark task. */
export interface BenchTaskInfo {
  /** Bench id: a SimLM task id (sim-logic) or a pack id (aime25). */
  id: string;
  /** The scorer's `type`, the observable notion of "related" used by SePO-Specialist. */
  scorerType: string;
}

export type PretrainVariant = "sepo" | "sepo-linear" | "metaspo";

export interface PretrainPlan {
  variant: PretrainVariant;
  /** Bench task ids pre-trained on, in task-list order (never the target). */
  pool: string[];
  config: Record<string, unknown>;
}

export interface CellPlan {
  pretrain: PretrainPlan | null;
  /** Fine-tuning config without budget and prices (the runner adds those). */
  finetune: Record<string, unknown>;
  /** False: the hand-written prompt agent (agentSnapshotId null). */
  usesSnapshot: boolean;
  /** The `method` field the run needs, when it is not the service's default "sepo". */
  needsMethod: "textgrad" | "metaspo" | null;
}

export type PlanResult = { ok: true; plan: CellPlan } | { ok: false; reason: string };

/**
 * The task SePO-Specialist pre-trains on for `target`: the first other task in the list
 * with the same scorer type (a numeric task for a numeric one), else the first other task.
 * Deliberately simple and observable (no peeking at SimLM's hidden skills).
 */
export function relatedTask(target: string, tasks: readonly BenchTaskInfo[]): string | null {
  const self = tasks.find((t) => t.id === target);
  const others = tasks.filter((t) => t.id !== target);
  return (others.find((t) => t.scorerType === self?.scorerType) ?? others[0])?.id ?? null;
}

/** The cell's runs for `method` on `target` with `seed`; the same seed drives both stages. */
export function planCell(method: MethodId, target: string, tasks: readonly BenchTaskInfo[], seed: number): PlanResult {
  const sepo = { ...SEPO_STAGE, seed };
  const heldOut = tasks.filter((t) => t.id !== target).map((t) => t.id);
  const needPool = (pool: string[], plan: CellPlan): PlanResult =>
    pool.length > 0 ? { ok: true, plan } : { ok: false, reason: "needs at least one other task to pre-train on" };
  switch (method) {
    case "manual-cot":
      // G=0: the run only scores the seed (Manual-CoT) prompt; the champion is the seed.
      return { ok: true, plan: { pretrain: null, finetune: { generations: 0, seed }, usesSnapshot: false, needsMethod: null } };
    case "textgrad":
      return {
        ok: true,
        plan: { pretrain: null, finetune: { method: "textgrad", generations: TEXTGRAD_ITERATIONS, childrenPerGeneration: 1, seed }, usesSnapshot: false, needsMethod: "textgrad" },
      };
    case "metaspo":
      return needPool(heldOut, {
        pretrain: { variant: "metaspo", pool: heldOut, config: { method: "metaspo", ...sepo } },
        finetune: { method: "metaspo", ...sepo },
        usesSnapshot: true,
        needsMethod: "metaspo",
      });
    case "sepo-specialist": {
      const related = relatedTask(target, tasks);
      return needPool(related ? [related] : [], {
        pretrain: { variant: "sepo", pool: related ? [related] : [], config: sepo },
        finetune: sepo,
        usesSnapshot: true,
        needsMethod: null,
      });
    }
    case "sepo-generalist":
      return needPool(heldOut, { pretrain: { variant: "sepo", pool: heldOut, config: sepo }, finetune: sepo, usesSnapshot: true, needsMethod: null });
    case "wo-self-improvement":
      return { ok: true, plan: { pretrain: null, finetune: sepo, usesSnapshot: false, needsMethod: null } };
    case "wo-open-ended": {
      const linear = { ...sepo, search: "linear" };
      return needPool(heldOut, {
        pretrain: { variant: "sepo-linear", pool: heldOut, config: linear },
        finetune: linear,
        usesSnapshot: true,
        needsMethod: null,
      });
    }
  }
}

/**
 * Pre-trainings are shared by key: the same variant, pool and seed is the same
 * deterministic run, so e.g. two Specialist targets whose related task coincides reuse it.
 * Under the Generalist rule the pool is "all but the target", so this is also one run per
 * (variant, target, seed).
 */
export function pretrainKey(plan: PretrainPlan, seed: number): string {
  return `${plan.variant}|${[...plan.pool].sort().join("+")}|${seed}`;
}
