import { escapeHtml } from '../html.ts';
import { AGING_BUCKETS, AGING_LABELS, type AgingBucket } from './aging.ts';
import type { CurrencyAging } from './document.ts';
import { moneyText } from './view.ts';

/** Calm for money not yet due, warmer the longer it is overdue. */
export const BUCKET_COLOURS: Readonly<Record<AgingBucket, string>> = {
  current: '#3f8f63',
  d1_30: '#c9a227',
  d31_60: '#e07b39',
  d61_90: '#cf4f3c',
  d90plus: '#962d3e',
};

const WIDTH = 560;
const HEIGHT = 250;
const TOP = 34;
const BOTTOM = 52;
const SLOT = WIDTH / AGING_BUCKETS.length;
const BAR = 64;

/**
 * One currency's aging as an inline SVG bar chart: a bar per bucket scaled to the largest, its
 * amount above and its label and invoice count below. No script, no font, no network.
 */
export const agingChart = (line: CurrencyAging, locale: string): string => {
  const largest = Math.max(...AGING_BUCKETS.map((bucket) => line[bucket]));
  const plot = HEIGHT - TOP - BOTTOM;
  const baseline = TOP + plot;
  const bars = AGING_BUCKETS.map((bucket, index) => {
    const amount = line[bucket];
    // A bucket with money in it stays visible however small beside the largest.
    const height = amount === 0 ? 0 : Math.max(2, Math.round((amount / largest) * plot));
    const centre = Math.round(SLOT * index + SLOT / 2);
    const count = line.invoices[bucket];
    return [
      `<rect x="${centre - BAR / 2}" y="${baseline - height}" width="${BAR}" height="${height}" rx="3" fill="${BUCKET_COLOURS[bucket]}"/>`,
      `<text x="${centre}" y="${baseline - height - 8}" class="amount">${escapeHtml(moneyText(amount, line.currency, locale))}</text>`,
      `<text x="${centre}" y="${baseline + 20}" class="bucket">${escapeHtml(AGING_LABELS[bucket])}</text>`,
      `<text x="${centre}" y="${baseline + 38}" class="count">${count} invoice${count === 1 ? '' : 's'}</text>`,
    ].join('');
  }).join('');
  const label = `Aging of ${line.currency} receivables: ${AGING_BUCKETS.map(
    (bucket) => `${AGING_LABELS[bucket]} ${moneyText(line[bucket], line.currency, locale)}`,
  ).join(', ')}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(label)}">`,
    `<title>${escapeHtml(label)}</title>`,
    `<line x1="0" y1="${baseline}" x2="${WIDTH}" y2="${baseline}" class="axis"/>`,
    bars,
    '</svg>',
  ].join('');
};
