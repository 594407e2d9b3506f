/** The dashboard's stylesheet: one light theme, system fonts, no external resources. */
export const styleCss = String.raw`
:root {
  --bg: #f6f7f9; --card: #fff; --ink: #1d2330; --muted: #667085; --line: #e3e6eb;
  --accent: #2f5bea; --seed: #3b82f6; --ok: #16a34a; --bad: #dc2626; --warn: #b45309; --sim: #7c3aed;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12.5px; }
h1 { font-size: 22px; margin: 4px 0 12px; display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
h2 { font-size: 15px; margin: 0 0 10px; display: flex; align-items: center; gap: 8px; }
h3 { font-size: 13px; margin: 16px 0 6px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.muted, .sub { color: var(--muted); }
.sub { font-size: 12px; }

.top { display: flex; align-items: center; gap: 24px; padding: 10px 24px; background: #111827; color: #fff; }
.brand { color: #fff; font-weight: 700; font-size: 16px; }
.top nav { display: flex; gap: 4px; flex: 1; }
.top nav a { color: #cbd5e1; padding: 6px 10px; border-radius: 6px; }
.top nav a.active, .top nav a:hover { background: #1f2937; color: #fff; text-decoration: none; }
.settings { position: relative; }
.settings summary { cursor: pointer; color: #cbd5e1; list-style: none; padding: 6px 10px; border: 1px solid #374151; border-radius: 6px; }
.settings summary .muted { color: #94a3b8; font-size: 12px; }
.settings form { position: absolute; right: 0; top: 38px; width: 320px; background: var(--card); color: var(--ink); border: 1px solid var(--line); border-radius: 8px; padding: 12px; box-shadow: 0 8px 24px rgba(0,0,0,.15); display: grid; gap: 8px; }
.settings label { font-size: 12px; color: var(--muted); }
input { font: inherit; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; }
button { font: inherit; cursor: pointer; border: 0; border-radius: 6px; padding: 6px 12px; background: var(--accent); color: #fff; }
button.secondary { background: #e5e7eb; color: var(--ink); }
button.link { background: none; color: var(--accent); padding: 0; }
button.link:hover { text-decoration: underline; }
button:disabled { opacity: .5; cursor: default; }
button.small { font-size: 12px; padding: 3px 9px; }
select { font: inherit; padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
.row { display: flex; gap: 8px; }

.banner { background: #fef2f2; color: #991b1b; border-bottom: 1px solid #fecaca; padding: 10px 24px; }
.banner button { margin-left: 8px; padding: 3px 10px; }
main { padding: 16px 24px 48px; max-width: 1400px; margin: 0 auto; }
.crumbs { margin: 0 0 4px; color: var(--muted); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; margin-bottom: 16px; }
.error { background: #fef2f2; color: #991b1b; border: 1px solid #fecaca; border-radius: 8px; padding: 10px 12px; margin-bottom: 12px; }
.empty { color: var(--muted); padding: 16px; text-align: center; }
.description { color: var(--muted); margin-top: -6px; }

.badge { display: inline-block; font-size: 11px; font-weight: 600; padding: 1px 7px; border-radius: 999px; background: #e5e7eb; color: var(--ink); vertical-align: middle; }
.badge.sim { background: #ede9fe; color: var(--sim); border: 1px solid #c4b5fd; }
.badge.warn { background: #fef3c7; color: var(--warn); }
.badge.live-badge { background: #dcfce7; color: #166534; margin-left: 6px; }
.badge.pinned-badge { background: #e0e7ff; color: #3730a3; border: 1px solid #c7d2fe; }
.badge.bad { background: #fee2e2; color: #991b1b; }
.model { display: inline-flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.pill { font-size: 12px; font-weight: 600; padding: 2px 9px; border-radius: 999px; background: #e5e7eb; }
.pill.status-running { background: #dbeafe; color: #1d4ed8; }
.pill.status-completed, .pill.status-admitted { background: #dcfce7; color: #166534; }
.pill.status-failed, .pill.status-rejected { background: #fee2e2; color: #991b1b; }
.pill.status-cancelled { background: #fef3c7; color: var(--warn); }
.pill.status-seed { background: #dbeafe; color: #1e40af; }
.pill.status-pending, .pill.status-processing { background: #dbeafe; color: #1d4ed8; }
.pill.status-delivered, .pill.status-accepted, .pill.status-enabled, .pill.status-started { background: #dcfce7; color: #166534; }
.pill.status-rejected, .pill.status-revoked { background: #fee2e2; color: #991b1b; }
.pill.status-skipped, .pill.status-disabled, .pill.status-duplicate, .pill.status-ignored { background: #f1f5f9; color: var(--muted); }
.live { font-size: 12px; font-weight: 500; color: #1d4ed8; display: inline-flex; align-items: center; gap: 6px; }
.live::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: #2563eb; animation: pulse 1.2s infinite; }
@keyframes pulse { 50% { opacity: .25; } }
.chip { display: inline-flex; gap: 6px; align-items: center; background: #f1f5f9; border: 1px solid var(--line); border-radius: 6px; padding: 2px 8px; margin: 0 6px 4px 0; font-size: 12.5px; }
.run-tasks { margin: 0 0 12px; }

table { width: 100%; border-collapse: collapse; }
th { text-align: left; font-size: 12px; color: var(--muted); font-weight: 600; border-bottom: 1px solid var(--line); padding: 6px 8px; white-space: nowrap; }
td { border-bottom: 1px solid #f0f2f5; padding: 7px 8px; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.up { color: var(--ok); } td.down { color: var(--bad); }
.table-scroll { overflow-x: auto; }
table.list tr:hover td { background: #fafbfc; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }

.overview { display: grid; grid-template-columns: repeat(auto-fit, minmax(230px, 1fr)); gap: 16px; }
.stat { margin-bottom: 16px; }
.big { font-size: 28px; font-weight: 700; margin: 0; }
.meter { display: block; height: 6px; background: #eef0f3; border-radius: 3px; overflow: hidden; margin-top: 4px; }
.meter-fill { display: block; height: 100%; background: var(--accent); }
.phases { list-style: none; padding: 0; margin: 0 0 8px; display: flex; flex-wrap: wrap; gap: 4px; }
.phases li { font-size: 11.5px; padding: 2px 7px; border-radius: 4px; background: #f1f5f9; color: var(--muted); }
.phases li.done { background: #dcfce7; color: #166534; }
.phases li.current { background: var(--accent); color: #fff; font-weight: 600; }

.chart { width: 100%; height: auto; max-height: 320px; display: block; }
.chart .grid { stroke: #eef0f3; }
.chart .axis { stroke: #cbd5e1; }
.chart .tick { font-size: 11px; fill: var(--muted); }
.chart .label { font-size: 11.5px; fill: var(--muted); }
.chart .best-line { fill: none; stroke: var(--ok); stroke-width: 2.5; }
.chart .best-label { font-size: 11.5px; fill: var(--ok); font-weight: 600; }
.chart .dot { cursor: pointer; stroke: #fff; stroke-width: 1.5; fill: #94a3b8; }
.chart .dot.status-admitted { fill: var(--ok); }
.chart .dot.status-rejected { fill: var(--bad); opacity: .7; }
.chart .dot.status-seed { fill: var(--seed); }
.chart .dot.selected { stroke: var(--ink); stroke-width: 2.5; }

.split-view { display: grid; grid-template-columns: minmax(320px, 4fr) 8fr; gap: 16px; align-items: start; }
@media (max-width: 1000px) { .split-view { grid-template-columns: 1fr; } }
.panel { min-width: 0; }
.tree-box { overflow-x: auto; }
.tree, .tree ul { list-style: none; margin: 0; padding: 0; }
.tree ul { margin-left: 10px; padding-left: 10px; border-left: 1px solid #d4d8de; }
.tree li { position: relative; padding: 3px 0; }
.tree ul > li::before { content: ""; position: absolute; left: -10px; top: 17px; width: 8px; border-top: 1px solid #d4d8de; }
.node { white-space: nowrap; display: inline-flex; align-items: center; gap: 10px; background: #fff; color: var(--ink); border: 1.5px solid #cbd5e1; border-radius: 8px; padding: 4px 10px; font-size: 12.5px; text-align: left; }
.node:hover { border-color: var(--accent); }
.node-id { font-weight: 700; font-family: ui-monospace, Menlo, monospace; }
.node-gen, .node-kids, .node-status { color: var(--muted); font-size: 11.5px; }
.node-fit { font-variant-numeric: tabular-nums; }
.node-best { color: #b45309; font-weight: 700; font-size: 11.5px; }
.node.status-seed { border-color: var(--seed); background: #eff6ff; }
.node.status-admitted { border-color: var(--ok); background: #f0fdf4; }
.node.status-rejected { border-style: dashed; border-color: #fca5a5; background: #fff; opacity: .75; }
.node.status-rejected .node-id { text-decoration: line-through; text-decoration-color: #fca5a5; }
.node.status-evaluating { border-style: dotted; animation: pulse 1.4s infinite; }
.node.selected { box-shadow: 0 0 0 3px rgba(47,91,234,.35); border-color: var(--accent); opacity: 1; }
.legend { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; color: var(--muted); font-size: 12px; margin: -4px 0 10px; }
.legend .node { padding: 1px 8px; font-size: 11.5px; }

pre.text, pre.diff { white-space: pre-wrap; overflow-wrap: anywhere; background: #f8fafc; border: 1px solid var(--line); border-radius: 6px; padding: 10px; margin: 0; max-height: 420px; overflow: auto; }
.long-text button { margin-top: 4px; font-size: 12px; }
pre.diff ins { background: #dcfce7; color: #14532d; text-decoration: none; border-radius: 2px; }
pre.diff del { background: #fee2e2; color: #7f1d1d; border-radius: 2px; }
pre.diff .fold { color: var(--muted); font-style: italic; background: #eef0f3; border-radius: 3px; }
.diff-stats { margin: 0 0 6px; font-size: 12.5px; }
.results-table { font-size: 12.5px; }
.results-table td.cell-text { font-family: ui-monospace, Menlo, monospace; font-size: 12px; white-space: pre-wrap; overflow-wrap: anywhere; min-width: 90px; max-width: 260px; }
.results-table tr { cursor: pointer; }
.results-table tr.fail td:first-child { box-shadow: inset 3px 0 var(--bad); }
.results-table tr.pass td:first-child { box-shadow: inset 3px 0 var(--ok); }
.results-table tr.partial td:first-child { box-shadow: inset 3px 0 var(--warn); }
.results-table tr.open td { background: #f8fafc; }
.split-summary { margin: 0 0 6px; }
.gain { margin-right: 10px; font-variant-numeric: tabular-nums; }
.versions { list-style: none; padding: 0; margin: 0; }
.version { border-bottom: 1px solid var(--line); padding: 10px 0; }
.version.is-live { border-left: 3px solid var(--ok); padding-left: 12px; }
.version .facts { margin: 6px 0; }
.version-body { display: grid; gap: 8px; margin-top: 8px; }
.agent-text { min-width: 280px; max-width: 480px; }

.version-head { display: flex; align-items: center; gap: 8px; }
.version-head .badge.live-badge { margin-left: 0; }
.version-head .promote { margin-left: auto; }
.prompt-actions { margin: -2px 0 10px; }
.confirm { background: #fffbeb; border: 1px solid #fde68a; border-radius: 8px; padding: 10px 12px; margin: 8px 0 10px; display: grid; gap: 8px; }
.confirm-question { margin: 0; font-weight: 600; }
.reason-label { display: flex; align-items: center; gap: 8px; color: var(--muted); font-size: 12.5px; }
.reason-label input { flex: 1; max-width: 480px; }
.confirm .error { margin: 0; }
.notice { background: #eff6ff; border: 1px solid #bfdbfe; color: #1e3a8a; border-radius: 8px; padding: 8px 12px; margin: 0 0 12px; }
.change-move { white-space: nowrap; font-variant-numeric: tabular-nums; }
.no-schedule { margin: -4px 0 16px; }
code.cron { font-size: 13px; font-weight: 600; }

.budget-card { max-width: 720px; }
.budget-row { margin-bottom: 8px; }
.budget-line { display: flex; justify-content: space-between; gap: 12px; }
.budget-amount { font-variant-numeric: tabular-nums; }
.meter.near .meter-fill { background: var(--warn); }
.meter.over .meter-fill { background: var(--bad); }
.thresholds { margin: 6px 0 0; display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }

.webhook-counts { grid-template-columns: repeat(4, minmax(160px, 1fr)); }
.stat.clickable { cursor: pointer; }
.stat.clickable:hover { border-color: var(--accent); }
.deliveries-view { grid-template-columns: minmax(520px, 7fr) 5fr; }
@media (max-width: 1000px) { .deliveries-view { grid-template-columns: 1fr; } }
.filters { align-items: center; flex-wrap: wrap; margin-bottom: 8px; }
.filter { color: var(--muted); font-size: 12.5px; }
.pager { align-items: center; justify-content: flex-end; margin-top: 8px; }
table.deliveries tr { cursor: pointer; }
table.deliveries td.time { white-space: nowrap; font-variant-numeric: tabular-nums; }
table.deliveries tr.selected td { background: #eef2ff; }
table.attempts tr.bad td:first-child { box-shadow: inset 3px 0 var(--bad); }
table.attempts tr.ok td:first-child { box-shadow: inset 3px 0 var(--ok); }
#delivery-panel h2 .retry { margin-left: auto; }
.delivery-error { color: #991b1b; }
pre.payload { max-height: 360px; }
.endpoint { border-top: 1px solid var(--line); padding: 12px 0 4px; }
.endpoint-name { display: flex; align-items: center; gap: 8px; margin: 0 0 6px; text-transform: none; letter-spacing: 0; color: var(--ink); font-size: 14px; }
.endpoint .facts { margin-bottom: 8px; }
.lineage { font-family: ui-monospace, Menlo, monospace; font-size: 12px; }
`;
