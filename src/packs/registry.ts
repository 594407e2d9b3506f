/**
 * Every benchmark pack by id, for the loader and the bench CLI. A static table, like the
 * scorer registry, so an unknown id is reported with the list of known ones.
 */
import { aime25Pack } from "./aime25/aime25-pack";
import { arcAgi1Pack } from "./arc/arc-pack";
import { gpqaDiamondPack } from "./gpqa/gpqa-pack";
import { mbppJsPack } from "./mbpp/mbpp-js-pack";
import type { TaskPack } from "./pack";
import { sudokuPack } from "./sudoku/sudoku-pack";

// A pack registers here by adding one entry.
const PACKS: readonly TaskPack[] = [aime25Pack, arcAgi1Pack, gpqaDiamondPack, mbppJsPack, sudokuPack];

/** The ids of every registered pack, in registration order. */
export const PACK_IDS: readonly string[] = PACKS.map((pack) => pack.id);

/** The pack with this id, or an Error listing the known ids. */
export function getPack(id: string): TaskPack {
  const pack = PACKS.find((p) => p.id === id);
  if (!pack) throw new Error(`unknown pack "${id}"; known packs: ${PACK_IDS.join(", ")}`);
  return pack;
}
