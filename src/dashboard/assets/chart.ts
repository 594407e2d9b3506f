/**
 * Client module `chart.js`: candidate fitness by generation as an inline SVG scatter,
 * with the archive's best-so-far as a step line. Redrawn whole on every poll: a run has
 * at most a few hundred candidates, far below what makes that noticeable.
 */
export const chartJs = String.raw`
import { svg, shortId, score } from "./dom.js";

const W = 680;
const H = 260;
const M = { left: 48, right: 16, top: 14, bottom: 36 };

/** Fine-tuning fitness is a mean score in [0, 1]; pre-training's is a gain that may be negative. */
function yDomain(values) {
  if (values.every((v) => v >= 0 && v <= 1)) return [0, 1];
  let lo = Math.min(0, ...values);
  let hi = Math.max(...values);
  if (hi - lo < 0.05) hi = lo + 0.05;
  const pad = (hi - lo) * 0.08;
  return [lo - pad, hi + pad];
}

/** Best fitness among archive members created up to each generation. */
export function bestSoFar(points, maxGen) {
  const line = [];
  let best = null;
  for (let g = 0; g <= maxGen; g++) {
    for (const p of points) {
      if (p.generation === g && p.inArchive && (best === null || p.fitness > best)) best = p.fitness;
    }
    if (best !== null) line.push([g, best]);
  }
  return line;
}

/**
 * points: [{ id, generation, fitness, status, inArchive }]; generations: the configured G.
 * onSelect(id) is called when a point is clicked; selectedId is drawn ringed. The best
 * line stops at upTo (the generation in progress), not at the end of the axis.
 */
export function fitnessChart(points, generations, { onSelect, selectedId, yLabel, upTo } = {}) {
  const scored = points.filter((p) => typeof p.fitness === "number");
  const maxGen = Math.max(1, generations, ...points.map((p) => p.generation));
  const [lo, hi] = yDomain(scored.length ? scored.map((p) => p.fitness) : [0, 1]);
  const x = (g) => M.left + (g / maxGen) * (W - M.left - M.right);
  const y = (f) => H - M.bottom - ((f - lo) / (hi - lo)) * (H - M.top - M.bottom);
  const root = svg("svg", { viewBox: "0 0 " + W + " " + H, class: "chart", role: "img", "aria-label": "Candidate fitness by generation" });

  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    root.append(
      svg("line", { x1: M.left, x2: W - M.right, y1: y(v), y2: y(v), class: "grid" }),
      svg("text", { x: M.left - 6, y: y(v) + 4, class: "tick", "text-anchor": "end" }, v.toFixed(2)),
    );
  }
  const step = Math.ceil(maxGen / 12);
  for (let g = 0; g <= maxGen; g += step) {
    root.append(svg("text", { x: x(g), y: H - M.bottom + 16, class: "tick", "text-anchor": "middle" }, String(g)));
  }
  root.append(
    svg("line", { x1: M.left, x2: W - M.right, y1: H - M.bottom, y2: H - M.bottom, class: "axis" }),
    svg("text", { x: (M.left + W - M.right) / 2, y: H - 4, class: "label", "text-anchor": "middle" }, "generation"),
    svg("text", { x: 12, y: (M.top + H - M.bottom) / 2, class: "label", "text-anchor": "middle", transform: "rotate(-90 12 " + (M.top + H - M.bottom) / 2 + ")" }, yLabel || "fitness"),
  );

  const last = Math.min(maxGen, upTo === undefined ? maxGen : upTo);
  const best = bestSoFar(scored, last);
  if (best.length) {
    const [g0, f0] = best[0];
    const d = "M" + x(g0) + " " + y(f0) + best.slice(1).map(([g, f]) => " H" + x(g) + " V" + y(f)).join("") + " H" + x(last);
    const end = best[best.length - 1];
    root.append(svg("path", { d, class: "best-line" }), svg("text", { x: x(last) + (last > maxGen / 2 ? -2 : 4), y: y(end[1]) - 6, class: "best-label", "text-anchor": last > maxGen / 2 ? "end" : "start" }, "best " + score(end[1])));
  }

  // Spread candidates of one generation sideways so equal fitnesses stay visible.
  const perGen = new Map();
  for (const p of scored) perGen.set(p.generation, (perGen.get(p.generation) || 0) + 1);
  const seen = new Map();
  for (const p of scored) {
    const n = perGen.get(p.generation);
    const i = seen.get(p.generation) || 0;
    seen.set(p.generation, i + 1);
    const spread = Math.min(18, (W - M.left - M.right) / maxGen / 3);
    const dx = n > 1 ? (i / (n - 1) - 0.5) * spread : 0;
    const dot = svg(
      "circle",
      { cx: x(p.generation) + dx, cy: y(p.fitness), r: p.id === selectedId ? 7 : 5, class: "dot status-" + p.status + (p.id === selectedId ? " selected" : ""), "data-id": p.id, tabindex: 0 },
      svg("title", {}, shortId(p.id) + " · gen " + p.generation + " · " + p.status + " · fitness " + score(p.fitness)),
    );
    if (onSelect) dot.addEventListener("click", () => onSelect(p.id));
    root.append(dot);
  }
  if (!scored.length) {
    root.append(svg("text", { x: W / 2, y: H / 2, class: "label", "text-anchor": "middle" }, "no candidate has a fitness yet"));
  }
  return root;
}
`;
