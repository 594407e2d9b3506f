/** The "Notes" section of table.md: what the numbers rest on and what is missing from them. */
import { METHOD_LABELS } from "./methods";
import type { BenchResults } from "./results-store";
import { mean } from "./stats";
import { isSimTask } from "./tasks";

export function reportNotes(results: BenchResults, tasks: readonly string[], capabilityNotes: readonly string[]): string[] {
  const s = results.settings;
  const notes: string[] = [];
  notes.push(
    s.simulated
      ? `Model: SimLM, the project's SIMULATED model (seed ${s.simlmSeed}). The numbers show the optimizer's behaviour on a controlled landscape, not the quality of any real model.`
      : `Service: ${s.service}; task model ${s.taskModel ?? "the service default"}, prompt-agent model ${s.agentModel ?? "the service default"}.`,
  );
  if (tasks.some(isSimTask)) {
    notes.push(`SimLM tasks: ${s.examplesPerTask} examples each, drawn with data seed = bench seed (so seeds differ in data as well as in the optimizer's randomness); split 40/30/30 train/val/test.`);
  }
  if (tasks.some((t) => !isSimTask(t))) {
    notes.push(`Packs: at most ${s.examplesPerTask} examples each (a prefix), the pack's own split with split seed = bench seed.`);
    if (s.simulated) notes.push("SimLM answers only its own simulated tasks, so pack tasks score 0 here: this checks the wiring, not the method. Use a real model (OPENAI_BASE_URL or --url).");
  }
  if (tasks.includes("arc-agi-1")) notes.push("ARC-AGI-1: the pack gives each example 3 attempts and the best counts, so its column is pass@3 as in the paper; every other column is pass@1.");
  notes.push("Methods are configurations of this service's runs; the mapping is in benchmarks/README.md. Each target is held out of its own pre-training.");
  notes.push(...pretrainNotes(results));
  notes.push(...missingCells(results));
  for (const c of capabilityNotes) notes.push(`Not supported by the service when this ran: ${c}`);
  const total = results.sessions.reduce((sum, x) => sum + x.seconds, 0);
  const last = results.sessions.at(-1);
  const codes = [...new Set(results.sessions.map((x) => x.code))];
  if (codes.length > 0) notes.push(`Code: ${codes.join("; ")}${codes.length > 1 ? " (cells come from more than one code version)" : ""}.`);
  if (last) notes.push(`Timing: the last invocation ran ${last.cellsRun} cells in ${formatDuration(last.seconds)}; all invocations together ${formatDuration(total)} (wall clock, including stack start-up).`);
  return notes;
}

function pretrainNotes(results: BenchResults): string[] {
  const byVariant = new Map<string, Array<{ seed: number; champion: number }>>();
  for (const [key, p] of Object.entries(results.pretrains)) {
    if (!p.agentFitness) continue;
    const variant = key.split("|")[0]!;
    byVariant.set(variant, [...(byVariant.get(variant) ?? []), p.agentFitness]);
  }
  return [...byVariant].map(
    ([variant, fits]) =>
      `Pre-training "${variant}" (${fits.length} runs): mean agent fitness as the service reports it (for SePO: the validation gain of a short inner fine-tuning, averaged over the pool) ${mean(fits.map((f) => f.seed)).toFixed(3)} for the seed -> ${mean(fits.map((f) => f.champion)).toFixed(3)} for the champion.`,
  );
}

function missingCells(results: BenchResults): string[] {
  const groups = new Map<string, number>();
  for (const c of Object.values(results.cells)) {
    if (c.status === "completed") continue;
    const key = `${METHOD_LABELS[c.method]}: ${c.status}: ${c.note ?? c.stopReason ?? "no reason given"}`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return [...groups].map(([key, n]) => `${n} cell(s) ${key}`);
}

export function formatDuration(totalSeconds: number): string {
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const sec = Math.round(totalSeconds % 60);
  return h > 0 ? `${h}h ${m}m ${sec}s` : m > 0 ? `${m}m ${sec}s` : `${sec}s`;
}
