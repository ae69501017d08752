import { escapeHtml as esc } from '../html.ts';
import { currencyInfo } from '../money.ts';
import { agingChart } from './chart.ts';
import type { AgingReport, CurrencyAging } from './document.ts';
import { moneyText, type ReportView, reportView, type ViewSection } from './view.ts';

/**
 * The report as one self-contained HTML page that opens from disk: inline styles and SVG, no script,
 * and a Content-Security-Policy that forbids fetching anything. Every text from the store (names,
 * ids, notes) is escaped.
 */

const STYLE = `
:root { color-scheme: light; --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --panel: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; padding: 32px 40px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
header { border-bottom: 2px solid var(--ink); padding-bottom: 12px; margin-bottom: 24px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 0 0 6px; }
.sub { margin: 0; font-size: 15px; }
.note, .hint { color: var(--muted); margin: 4px 0 0; }
.cards { display: flex; flex-wrap: wrap; gap: 20px; margin-bottom: 28px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px 6px; background: var(--panel); flex: 0 1 540px; min-width: 0; }
.card h2 span { color: var(--muted); font-weight: normal; font-size: 14px; }
.stats { display: grid; grid-template-columns: repeat(4, auto); justify-content: start; column-gap: 16px; margin: 6px 0 10px; }
.stats div { display: flex; flex-direction: column; }
.stats .label { color: var(--muted); font-size: 11px; text-transform: uppercase; letter-spacing: .04em; white-space: nowrap; }
.stats .value { font-size: 16px; white-space: nowrap; font-weight: 600; font-variant-numeric: tabular-nums; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; text-anchor: middle; fill: var(--ink); }
svg .amount { font-size: 11.5px; font-weight: 600; font-variant-numeric: tabular-nums; }
svg .count { fill: var(--muted); font-size: 11px; }
svg .axis { stroke: #9aa5b1; stroke-width: 1; }
section.list { margin-top: 28px; }
table { border-collapse: collapse; margin-top: 10px; font-size: 13px; }
.scroll { overflow-x: auto; }
th, td { padding: 6px 9px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: var(--panel); font-size: 11px; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); vertical-align: bottom; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
.none { color: var(--muted); font-style: italic; margin-top: 8px; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; }
`;

const card = (line: CurrencyAging, locale: string): string => {
  const name = currencyInfo(line.currency)?.name;
  const stat = (label: string, value: string) =>
    `<div><span class="label">${esc(label)}</span><span class="value">${esc(value)}</span></div>`;
  return [
    `<article class="card"><h2>${esc(line.currency)}${name ? ` <span>${esc(name)}</span>` : ''}</h2>`,
    '<div class="stats">',
    stat('Outstanding', moneyText(line.outstanding, line.currency, locale)),
    stat('Open invoices', String(line.openInvoices)),
    stat('Reminders sent', String(line.remindersSent)),
    stat('Recovered', moneyText(line.recovered, line.currency, locale)),
    '</div>',
    agingChart(line, locale),
    '</article>',
  ].join('');
};

const table = (section: ViewSection): string => {
  if (section.rows.length === 0) return '<p class="none">None.</p>';
  const cls = (index: number) => (section.columns[index]?.align === 'right' ? ' class="num"' : '');
  const head = section.columns
    .map((column, index) => `<th${cls(index)}>${esc(column.heading)}</th>`)
    .join('');
  const body = section.rows
    .map((row) => `<tr>${row.map((cell, index) => `<td${cls(index)}>${esc(cell)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
};

const listSection = (section: ViewSection): string =>
  `<section class="list" id="${esc(section.id)}"><h2>${esc(section.title)} (${section.rows.length})</h2><p class="hint">${esc(section.hint)}</p>${table(section)}</section>`;

export const reportHtml = (report: AgingReport, locale: string, generatedAt: Date): string => {
  const view: ReportView = reportView(report, locale);
  return `<!doctype html>
<html lang="${esc(locale)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`${view.title} ${report.asOf}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${esc(view.title)}</h1><p class="sub">${esc(view.subtitle)}</p><p class="note">${esc(view.periodNote)}</p></header>
<section class="cards">${report.currencies.map((line) => card(line, locale)).join('\n') || '<p class="none">No open invoices and no reminders in the period.</p>'}</section>
${view.sections.map(listSection).join('\n')}
<footer>Generated by <code>dunning report</code> at ${esc(generatedAt.toISOString())}.</footer>
</body>
</html>
`;
};
