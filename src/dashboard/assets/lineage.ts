/**
 * Client module `lineage.js`: a run's candidates as a parent -> children tree of nested
 * lists. Nested HTML rather than SVG because a tree of mutations is mostly deep chains:
 * an indented outline stays readable at any size and needs no layout code.
 */
export const lineageJs = String.raw`
import { h, score, shortId } from "./dom.js";

const STATUS_WORDS = { seed: "seed", admitted: "admitted", rejected: "rejected", evaluating: "evaluating…", inner: "inner" };

/**
 * nodes: [{ id, parentId, generation, status, fitness }] in creation order (parents
 * first). A node whose parent is not listed becomes a root.
 */
export function lineageTree(nodes, { selectedId, bestId, onSelect } = {}) {
  const ids = new Set(nodes.map((n) => n.id));
  const children = new Map();
  const roots = [];
  for (const n of nodes) {
    if (n.parentId && ids.has(n.parentId)) {
      if (!children.has(n.parentId)) children.set(n.parentId, []);
      children.get(n.parentId).push(n);
    } else {
      roots.push(n);
    }
  }
  const item = (n) => {
    const kids = children.get(n.id) || [];
    const classes = ["node", "status-" + n.status];
    if (n.id === selectedId) classes.push("selected");
    if (n.id === bestId) classes.push("best");
    const button = h(
      "button",
      {
        type: "button",
        class: classes.join(" "),
        "data-id": n.id,
        "data-status": n.status,
        "aria-pressed": n.id === selectedId ? "true" : "false",
        title: n.id + " (" + n.status + ")",
      },
      h("span", { class: "node-id" }, shortId(n.id)),
      h("span", { class: "node-gen" }, "gen " + n.generation),
      h("span", { class: "node-fit" }, score(n.fitness)),
      h("span", { class: "node-status" }, STATUS_WORDS[n.status] || n.status),
      n.id === bestId ? h("span", { class: "node-best", title: "best in the archive" }, "★ best") : null,
      kids.length ? h("span", { class: "node-kids" }, kids.length + (kids.length === 1 ? " child" : " children")) : null,
    );
    if (onSelect) button.addEventListener("click", () => onSelect(n.id));
    return h("li", {}, button, kids.length ? h("ul", {}, kids.map(item)) : null);
  };
  if (!nodes.length) return h("p", { class: "muted" }, "No candidates yet.");
  return h("ul", { class: "tree" }, roots.map(item));
}

export function lineageLegend() {
  return h(
    "p",
    { class: "legend" },
    ["seed", "admitted", "rejected", "evaluating"].map((s) => h("span", { class: "node status-" + s }, STATUS_WORDS[s])),
    " Admitted candidates joined the archive; rejected ones scored too low against their parent.",
  );
}
`;
