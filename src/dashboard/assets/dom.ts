/**
 * Client module `dom.js`: element builders and formatting. Text always goes in through
 * text nodes and attributes through setAttribute, never innerHTML, so a prompt or an
 * example containing markup is shown as the characters it is.
 */
export const domJs = String.raw`
import { isSimulatedModel } from "./api.js";

const SVG_NS = "http://www.w3.org/2000/svg";

/** An HTML element: h("a", { href, class, onclick }, "text", child, [more]). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  appendAll(el, children);
  return el;
}

/** An SVG element, same calling convention as h. */
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  appendAll(el, children);
  return el;
}

/** Replaces el's children; like h, it skips null/false, so "cond ? node : null" is safe. */
export function fill(el, ...children) {
  el.replaceChildren();
  appendAll(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
}

function appendAll(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function score(x, digits = 3) {
  return typeof x === "number" && Number.isFinite(x) ? x.toFixed(digits) : "–";
}

export function pct(x) {
  return typeof x === "number" && Number.isFinite(x) ? (x * 100).toFixed(1) + "%" : "–";
}

export function num(x) {
  return typeof x === "number" ? x.toLocaleString("en-US") : "–";
}

export function usd(x) {
  return typeof x === "number" ? "$" + x.toFixed(x < 1 ? 4 : 2) : "–";
}

export function when(iso) {
  if (!iso) return "–";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium" });
}

/** The short name of a candidate: run_…:c12 -> c12. */
export function shortId(id) {
  const i = String(id).lastIndexOf(":");
  return i >= 0 ? String(id).slice(i + 1) : String(id);
}

export function truncate(text, max) {
  const s = String(text === null || text === undefined ? "" : text);
  return s.length > max ? s.slice(0, max - 1) + "…" : s;
}

/** A block of preformatted text, cut to max characters with a button to show it all. */
export function longText(text, max = 600, cls = "text") {
  const full = String(text === null || text === undefined ? "" : text);
  const pre = h("pre", { class: cls }, truncate(full, max));
  if (full.length <= max) return pre;
  let open = false;
  const toggle = h("button", { class: "link", type: "button" }, "show all " + num(full.length) + " characters");
  toggle.addEventListener("click", () => {
    open = !open;
    pre.textContent = open ? full : truncate(full, max);
    toggle.textContent = open ? "show less" : "show all " + num(full.length) + " characters";
  });
  return h("div", { class: "long-text" }, pre, toggle);
}

export function badge(text, cls = "") {
  return h("span", { class: "badge " + cls }, text);
}

/** The badge every view of a simulated task model carries; compact drops a simulated model's name. */
export function modelBadge(model, compact = false) {
  const name = model && model.model ? model.model : model;
  if (!name) return badge("model unreadable", "warn");
  const simulated = isSimulatedModel(name);
  return h("span", { class: "model", title: "task model " + name }, compact && simulated ? null : h("code", {}, name), simulated ? badge("simulated model", "sim") : null);
}

export function statusPill(status) {
  return h("span", { class: "pill status-" + String(status) }, String(status));
}

export function link(href, text, attrs = {}) {
  return h("a", { href, ...attrs }, text);
}

export function section(title, ...children) {
  return h("section", { class: "card" }, h("h2", {}, title), ...children);
}

export function errorBox(message) {
  return h("div", { class: "error", role: "alert" }, message);
}

export function table(headers, rows, attrs = {}) {
  return h(
    "table",
    attrs,
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", {}, x)))),
    h("tbody", {}, rows),
  );
}

/** Definition-list style facts: [["Status", node], ...]. */
export function facts(pairs) {
  return h("dl", { class: "facts" }, pairs.filter(Boolean).map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

/** Resolves after ms, or at once when the signal aborts (a page stops polling when left). */
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/** A bar showing value/max; no max means nothing to show. */
export function meter(value, max, label) {
  const bar = h("span", { class: "meter-fill" });
  const ratio = max ? Math.max(0, Math.min(1, value / max)) : 0;
  bar.style.width = (ratio * 100).toFixed(1) + "%";
  return h("span", { class: "meter", title: label || "" }, bar);
}
`;
