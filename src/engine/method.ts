/**
 * What each method (RunConfig.method) changes in the one evolution loop: how many
 * children a generation has, how the next parent is found, who may become champion.
 */
import type { RunConfig } from "./types";

/**
 * How the loop continues after a generation:
 * - `archive`: SePO's open-ended search, DGM selection over every admitted candidate;
 * - `latest`: a linear chain that moves to the newest child whatever its score (SePO's
 *   w/o-open-ended ablation, and TextGrad);
 * - `greedy`: a linear chain that moves only to a child that beats it (MetaSPO).
 */
export type ChainRule = "archive" | "latest" | "greedy";

export function chainRule(config: RunConfig): ChainRule {
  if (config.method === "metaspo") return "greedy";
  if (config.method === "textgrad" || config.search === "linear") return "latest";
  return "archive";
}

/** K for SePO; the baselines propose exactly one child per iteration. */
export function childrenPerGeneration(config: RunConfig): number {
  return config.method === "sepo" ? config.childrenPerGeneration : 1;
}
