import { describe, expect, it } from "vitest";
import { escapeXml, scoreChartSvg } from "../../../scripts/lib/bench/chart";
import { scoreTable } from "../../../scripts/lib/bench/stats";
import { makeCell, makeResults } from "./builders";

const table = scoreTable(
  makeResults([
    makeCell({ method: "manual-cot", task: "a<b", seed: 1, score: 0.5 }),
    makeCell({ method: "manual-cot", task: "a<b", seed: 2, score: 0.7 }),
    makeCell({ method: "sepo-generalist", task: "a<b", seed: 1, score: 0.8 }),
  ]),
  ["manual-cot", "sepo-generalist", "textgrad"],
  ["a<b"],
  [1, 2],
);

describe("scoreChartSvg", () => {
  const svg = scoreChartSvg(table, { title: "Scores & more", subtitle: "sub" });

  it("is one svg element with escaped text", () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain("Scores &amp; more");
    expect(svg).toContain(">a&lt;b<");
    expect(svg).not.toMatch(/<text[^>]*>[^<]*&(?!amp;|lt;|gt;|quot;)/);
  });

  it("draws a bar per method and group that has data, and a whisker when there is an sd", () => {
    // Two groups (the task and Avg) x two methods with data; textgrad has none; the whiskers are Manual-CoT's (n=2).
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(4);
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain("Manual-CoT, a&lt;b: 60.00 ± 14.14");
    expect(svg).toContain("TextGrad-style"); // still in the legend
  });

  it("scales a bar's height with its score on a fixed 0..100 axis", () => {
    const height = (label: string) => Number(new RegExp(`height="([\\d.]+)" fill="[^"]+"><title>${label}`).exec(svg)![1]);
    expect(height("SePO-Generalist, a&lt;b")).toBeCloseTo(240, 0);
    expect(height("Manual-CoT, a&lt;b")).toBeCloseTo(180, 0);
  });

  it("escapes the characters that matter in text and attributes", () => {
    expect(escapeXml(`<a href="x">&</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
  });
});
