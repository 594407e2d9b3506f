/**
 * chart.svg: a grouped bar chart of the score table (one group per task plus Avg, one
 * bar per method, whiskers at ± one sd). Hand-written SVG: no chart library, no fonts
 * beyond the generic sans-serif, so it renders the same on GitHub and in any viewer.
 */
import { METHOD_LABELS } from "./methods";
import type { ScoreTable, Stat } from "./stats";

/** Colour-blind-friendly (Okabe-Ito order); SePO variants get the saturated ones. */
const PALETTE = ["#999999", "#E69F00", "#56B4E9", "#009E73", "#0072B2", "#CC79A7", "#D55E00", "#F0E442"];

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const f = (x: number) => (Math.round(x * 10) / 10).toString();

export interface ChartOptions {
  title: string;
  subtitle?: string;
}

export function scoreChartSvg(table: ScoreTable, options: ChartOptions): string {
  const groups = [...table.tasks.map((t) => ({ label: t, pick: (r: ScoreTable["rows"][number]) => r.cells[t] ?? null })), { label: "Avg", pick: (r: ScoreTable["rows"][number]) => r.avg }];
  const bar = 14;
  const groupGap = 24;
  const groupWidth = table.rows.length * bar + groupGap;
  const left = 56;
  const top = 64;
  const plotHeight = 300;
  const plotWidth = Math.max(groups.length * groupWidth, 320);
  const legendTop = top + plotHeight + 48;
  const legendRows = Math.ceil(table.rows.length / 3);
  const width = left + plotWidth + 24;
  const height = legendTop + legendRows * 20 + 16;
  const y = (score: number) => top + plotHeight - Math.max(0, Math.min(1, score)) * plotHeight;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="24" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>`,
  ];
  if (options.subtitle) out.push(`<text x="${left}" y="44" fill="#444444">${escapeXml(options.subtitle)}</text>`);
  // Axis and gridlines every 20 points: scores are pass@1 x 100, so the axis is fixed at 0..100.
  for (let tick = 0; tick <= 100; tick += 20) {
    const ty = y(tick / 100);
    out.push(`<line x1="${left}" y1="${f(ty)}" x2="${left + plotWidth}" y2="${f(ty)}" stroke="#dddddd"/>`);
    out.push(`<text x="${left - 6}" y="${f(ty + 4)}" text-anchor="end" fill="#444444">${tick}</text>`);
  }
  out.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotHeight}" stroke="#444444"/>`);
  out.push(`<text transform="translate(16 ${top + plotHeight / 2}) rotate(-90)" text-anchor="middle" fill="#444444">test score (pass@1 x 100)</text>`);

  groups.forEach((group, g) => {
    const x0 = left + groupGap / 2 + g * groupWidth;
    table.rows.forEach((row, i) => {
      const stat: Stat | null = group.pick(row);
      if (!stat) return;
      const x = x0 + i * bar;
      const colour = PALETTE[i % PALETTE.length];
      const tip = `${METHOD_LABELS[row.method]}, ${group.label}: ${(stat.mean * 100).toFixed(2)}${stat.sd === null ? "" : ` ± ${(stat.sd * 100).toFixed(2)}`}`;
      out.push(`<rect x="${f(x)}" y="${f(y(stat.mean))}" width="${bar - 2}" height="${f(top + plotHeight - y(stat.mean))}" fill="${colour}"><title>${escapeXml(tip)}</title></rect>`);
      if (stat.sd !== null && stat.sd > 0) {
        const cx = x + (bar - 2) / 2;
        const [hi, lo] = [y(stat.mean + stat.sd), y(stat.mean - stat.sd)];
        out.push(`<path d="M${f(cx)} ${f(hi)}V${f(lo)}M${f(cx - 3)} ${f(hi)}H${f(cx + 3)}M${f(cx - 3)} ${f(lo)}H${f(cx + 3)}" stroke="#222222" fill="none"/>`);
      }
    });
    const labelX = x0 + (table.rows.length * bar) / 2;
    out.push(`<text x="${f(labelX)}" y="${top + plotHeight + 18}" text-anchor="middle"${group.label === "Avg" ? ' font-weight="bold"' : ""}>${escapeXml(group.label)}</text>`);
  });

  const legendWidth = plotWidth / 3;
  table.rows.forEach((row, i) => {
    const lx = left + (i % 3) * legendWidth;
    const ly = legendTop + Math.floor(i / 3) * 20;
    out.push(`<rect x="${f(lx)}" y="${ly - 10}" width="12" height="12" fill="${PALETTE[i % PALETTE.length]}"/>`);
    out.push(`<text x="${f(lx + 18)}" y="${ly}">${escapeXml(METHOD_LABELS[row.method])}</text>`);
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
