import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../functions/shared/domain/money.ts';
import type { AgingReport, CurrencyAging } from '../../functions/shared/domain/report/document.ts';
import { reportHtml } from '../../functions/shared/domain/report/html.ts';
import { reportText } from '../../functions/shared/domain/report/text.ts';
import { reportView } from '../../functions/shared/domain/report/view.ts';

const aging = (currency: string, amounts: [number, number, number, number, number]): CurrencyAging => {
  const [current, d1_30, d31_60, d61_90, d90plus] = amounts;
  return {
    currency,
    current,
    d1_30,
    d31_60,
    d61_90,
    d90plus,
    outstanding: amounts.reduce((sum, amount) => sum + amount, 0),
    remindersSent: 3,
    recovered: 12_50,
    openInvoices: 5,
    invoices: { current: 1, d1_30: 1, d31_60: 1, d61_90: 1, d90plus: 1 },
  };
};

const HOSTILE = '<img src=x onerror=alert(1)> & "Sons"';

const report: AgingReport = {
  asOf: '2026-03-31',
  asOfInstant: '2026-03-31T12:00:00.000Z',
  timeZone: 'UTC',
  period: { from: '2026-03-01T12:00:00.000Z', to: '2026-03-31T12:00:00.000Z', days: 30 },
  currencies: [aging('EUR', [123_456_78, 0, 5_00, 0, 1]), aging('JPY', [0, 0, 0, 0, 98_765])],
  handOffs: [
    {
      invoiceId: 'h1',
      invoiceNumber: '<script>alert(2)</script>',
      customerId: 'c1',
      customerName: HOSTILE,
      customerEmail: 'c1@example.com',
      currency: 'EUR',
      outstanding: 1_00,
      daysOverdue: 50,
      handedOffAt: '2026-03-20T09:30:00.000Z',
      assignee: 'Collections desk',
    },
  ],
  unconfirmedSends: [],
  heldCustomers: [],
  heldInvoices: [],
  flaggedPayments: [],
  credits: [],
  unmatchedPayments: [],
};

describe('Aging report page', () => {
  it('draws one bar chart of the five buckets per currency, amounts formatted with Intl', () => {
    // Act
    const html = reportHtml(report, 'de-DE', new Date('2026-03-31T12:00:00Z'));

    // Assess
    const charts = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(charts).toHaveLength(2);
    expect(charts[0]?.match(/<rect /g)).toHaveLength(5);
    expect(charts[0]).toContain(`>${formatMoney(123_456_78, 'EUR', 'de-DE')}<`);
    expect(charts[1]).toContain(`>${formatMoney(98_765, 'JPY', 'de-DE')}<`);
    // An empty bucket has no bar height, a tiny one stays visible.
    expect(charts[0]).toMatch(/height="0"/);
    expect(charts[0]).toMatch(/height="2"/);
  });

  it('is self-contained: no script, no external URL, a policy that forbids fetching', () => {
    // Act
    const html = reportHtml(report, 'en-US', new Date());

    // Assess
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|<[^>]*\s(src|href)=/i);
    expect(html.match(/https?:\/\/[^"]+/g)).toEqual([
      'http://www.w3.org/2000/svg',
      'http://www.w3.org/2000/svg',
    ]);
  });

  it('escapes text that came from imported files', () => {
    // Act
    const html = reportHtml(report, 'en-US', new Date());

    // Assess
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Sons&quot;');
    expect(html).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).not.toContain('<img');
  });

  it('escapes the locale it writes into the lang attribute', () => {
    expect(reportHtml(report, 'en"><b>x', new Date())).toContain('lang="en&quot;&gt;&lt;b&gt;x"');
  });
});

describe('Aging report in a terminal', () => {
  it('prints aligned columns with amounts in the chosen locale and "none" for an empty section', () => {
    // Act
    const text = reportText(reportView(report, 'en-GB'));
    const lines = text.split('\n');

    // Assess
    const header = lines.find((line) => line.includes('Currency'));
    const eur = lines.find((line) => line.trimStart().startsWith('EUR'));
    expect(header && eur && header.length).toBe(eur?.length);
    expect(eur).toContain('€123,456.78');
    expect(eur).toContain('€0.01');
    expect(text).toContain('Unconfirmed sends (0)\n  none');
    expect(lines[0]).toBe('Receivables aging as of 2026-03-31 (12:00 UTC)');
  });
});
