/**
 * Client module `budget-card.js`: the project's budget (GET /v1/budget) as a small card:
 * spent against each limit, what running runs hold, and the alert thresholds reached. A
 * project without a budget answers 404 and the card is simply not shown.
 */
export const budgetCardJs = String.raw`
import { api, ApiError } from "./api.js";
import { h, meter, num, usd } from "./dom.js";

const DIMENSIONS = [["calls", "model calls", num], ["tokens", "tokens", num], ["usd", "USD", usd]];

/** The budget, or null when the project has none. */
export async function loadBudget(signal) {
  try {
    return await api("/v1/budget", { signal });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

export function budgetCard(b) {
  const rows = DIMENSIONS.filter(([d]) => b.limits[d] !== null && b.limits[d] !== undefined).map(([d, label, fmt]) => {
    const share = b.limits[d] ? b.spent[d] / b.limits[d] : 0;
    const bar = meter(b.spent[d], b.limits[d], label);
    if (share >= 0.8) bar.classList.add(share >= 1 ? "over" : "near");
    return h(
      "div",
      { class: "budget-row", "data-dimension": d },
      h("div", { class: "budget-line" }, h("span", {}, label), h("span", { class: "budget-amount" }, fmt(b.spent[d]) + " of " + fmt(b.limits[d]) + " spent")),
      bar,
      b.reserved[d] ? h("div", { class: "sub" }, fmt(b.reserved[d]) + " held by running runs") : null,
    );
  });
  const reached = b.thresholdsReached || [];
  return h(
    "section",
    { class: "card budget-card" },
    h("h2", {}, "Project budget", h("span", { class: "chip" }, b.period === "total" ? "in total" : "month " + b.periodKey)),
    rows.length ? rows : h("p", { class: "muted" }, "No limit set."),
    h(
      "p",
      { class: "thresholds" },
      reached.length ? ["Thresholds reached: ", reached.map((t) => h("span", { class: "badge " + (t >= 1 ? "bad" : "warn") }, Math.round(t * 100) + "%"))] : h("span", { class: "muted" }, "No alert threshold (50%, 80%, 100%) reached."),
      b.activeRuns ? h("span", { class: "sub" }, " · " + b.activeRuns + " running run(s)") : null,
    ),
  );
}
`;
