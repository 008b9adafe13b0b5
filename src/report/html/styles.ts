/**
 * The stylesheet of every HTML report (optimize runs and compare: one design): no web fonts, no
 * external resources. A constant, never data.
 */

/** Series colours, shared by the charts, their legends and the tables. */
export const COLORS = {
  train: '#2563eb',
  validation: '#d97706',
  cost: '#7c3aed',
  costBar: '#c4b5fd',
  grid: '#e5e7eb',
  axis: '#6b7280',
  reference: '#6b7280',
} as const;

export const STYLES = `
:root {
  --fg: #111827; --muted: #6b7280; --line: #e5e7eb; --bg: #f9fafb; --card: #ffffff;
  --pass: #047857; --pass-bg: #d1fae5; --fail: #b91c1c; --fail-bg: #fee2e2;
  --warn: #92400e; --warn-bg: #fef3c7; --accent: ${COLORS.train};
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 0 0 12px; }
h3 { font-size: 14px; margin: 16px 0 8px; }
p { margin: 0 0 8px; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.muted { color: var(--muted); }
.nowrap { white-space: nowrap; }
.meta { color: var(--muted); margin: 4px 0 0; }
.meta code { color: var(--fg); }
section { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; margin: 18px 0; }
.banner { margin: 16px 0 0; padding: 12px 16px; border-radius: 8px; background: var(--warn-bg); color: var(--warn); border: 2px solid #f59e0b; font-weight: 600; }
.banner strong { letter-spacing: 0.08em; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; }
.card .value { font-size: 20px; font-weight: 600; }
.card .sub { color: var(--muted); font-size: 12px; }
.up { color: var(--pass); } .down { color: var(--fail); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { font-size: 12px; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: 0.03em; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.badge.pass, .badge.accepted { background: var(--pass-bg); color: var(--pass); }
.badge.fail, .badge.rejected, .badge.breaks_train, .badge.hurts_validation { background: var(--fail-bg); color: var(--fail); }
.badge.invalid, .badge.not_significant, .badge.unscored, .badge.lateral, .badge.screened_out, .badge.unchecked { background: var(--warn-bg); color: var(--warn); }
.badge.split { background: #eef2ff; color: #3730a3; }
.gap { margin: 12px 0 0; }
.gap.warning { padding: 8px 12px; border-radius: 6px; background: var(--warn-bg); color: var(--warn); }
.selection td.chosen { font-weight: 600; }
.chart { width: 100%; height: auto; display: block; }
.chart text { font-family: system-ui, sans-serif; }
.legend { display: flex; flex-wrap: wrap; gap: 16px; margin: 6px 0 0; color: var(--muted); font-size: 12px; }
.legend svg { vertical-align: middle; margin-right: 4px; }
.charts { display: grid; grid-template-columns: 1fr; gap: 18px; }
.bar { display: inline-block; height: 10px; border-radius: 3px; vertical-align: middle; }
.bar.before { background: #fca5a5; } .bar.after { background: #86efac; }
ul.lessons { margin: 0; padding-left: 20px; }
ul.lessons li { margin: 3px 0; }
pre.block { margin: 0; padding: 12px 14px; background: #f3f4f6; border: 1px solid var(--line); border-radius: 6px; white-space: pre-wrap; word-break: break-word; overflow-x: auto; }
pre.diff { padding: 8px 0; }
pre.diff span { display: block; padding: 0 14px; }
.d-add { background: #dcfce7; color: #14532d; }
.d-del { background: #fee2e2; color: #7f1d1d; }
.d-hunk { color: #1d4ed8; background: #eff6ff; }
.d-head { color: var(--muted); font-weight: 600; }
.d-note { color: var(--muted); font-style: italic; }
details > summary { cursor: pointer; color: var(--accent); margin: 4px 0; }
.cand td { font-size: 13px; overflow-wrap: break-word; }
.cand th { white-space: normal; } .cand td:last-child { min-width: 18em; }
.filters { display: flex; flex-wrap: wrap; gap: 18px; align-items: center; margin: 0 0 10px; }
.filters .group { display: flex; gap: 4px; align-items: center; }
.filters .group > span { color: var(--muted); font-size: 12px; margin-right: 4px; text-transform: uppercase; }
.filters label { border: 1px solid var(--line); border-radius: 999px; padding: 2px 10px; cursor: pointer; user-select: none; font-size: 13px; white-space: nowrap; }
.filters label:hover { border-color: var(--accent); }
.filter-input { position: absolute; opacity: 0; pointer-events: none; }
.table-wrap { overflow-x: auto; }
table.cases { table-layout: fixed; }
table.cases col.c-id { width: 10%; } table.cases col.c-split { width: 9%; } table.cases col.c-result { width: 8%; }
table.cases col.c-input { width: 21%; } table.cases col.c-expected { width: 15%; } table.cases col.c-output { width: 17%; }
table.cases col.c-failures { width: 20%; }
table.cases th { white-space: normal; }
/* Long identifiers wrap at the <wbr> after their underscores (breakable.ts); mid-word only when a part alone is too wide. */
table.cases td { font-size: 13px; overflow-wrap: break-word; }
table.cases pre { margin: 0; white-space: pre-wrap; overflow-wrap: break-word; max-height: 160px; overflow: auto; }
table.compare-cases col.c-id { width: 120px; } table.compare-cases col.c-split { width: 100px; }
table.compare-cases col.c-input { width: 210px; } table.compare-cases col.c-expected { width: 150px; }
table.compare-cases td.fixed { background: var(--pass-bg); } table.compare-cases td.broken { background: var(--fail-bg); }
.mark { font-weight: 700; } td.pass .mark { color: var(--pass); } td.fail .mark { color: var(--fail); }
tr.baseline td { background: #f3f4f6; }
table.compare-cases th.pair { text-transform: none; letter-spacing: 0; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.cards.verdict-cards { grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); }
table.pairs td.num, table.verdicts td.num { white-space: nowrap; }
table.pairs td.pair, table.verdicts td.pair { min-width: 15em; }
table.verdicts th { white-space: normal; } table.verdicts td.test { min-width: 13em; }
.badge.better { background: var(--pass-bg); color: var(--pass); }
.badge.worse { background: var(--fail-bg); color: var(--fail); }
.badge.no_significant_difference { background: #e5e7eb; color: #374151; }
.badge.too_few_cases { background: var(--warn-bg); color: var(--warn); }
.card .label.id { text-transform: none; letter-spacing: 0; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--fg); }
figure.rate-figure { margin: 16px 0 8px; }
.flips h3 { font-weight: 600; }
.id-list { margin: 4px 0 8px; line-height: 2; }
.id-list .badge { margin-right: 4px; }
.id-list details { display: inline; }
.id-list details > summary { display: inline; margin: 0 4px; }
a.case-id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; padding: 1px 6px; margin: 0 2px; border: 1px solid var(--line); border-radius: 4px; color: var(--fg); text-decoration: none; white-space: nowrap; }
a.case-id:hover { border-color: var(--accent); }
table.cases tr.fail td:first-child { box-shadow: inset 3px 0 0 var(--fail); }
table.cases tr.pass td:first-child { box-shadow: inset 3px 0 0 var(--pass); }
.var-name { color: var(--muted); }
ul.failures { margin: 0; padding-left: 16px; }
.empty { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 24px; }
`;
