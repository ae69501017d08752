import { describe, expect, it } from 'vitest';
import { portfolioRows } from '../../cli/demo/portfolio.ts';
import { daysBetween } from '../../functions/shared/domain/calendar.ts';
import { validateRow } from '../../functions/shared/domain/import/row-schema.ts';
import { loadPolicy } from '../../functions/shared/policy.ts';

const TODAY = '2026-04-01';
const defaults = { timeZone: 'UTC', paymentUrlTemplate: 'https://pay.example.com/{invoiceId}' };

describe('Demo portfolio', () => {
  const rows = [...portfolioRows({ today: TODAY })];

  it('is the same for the same seed and day', () => {
    expect([...portfolioRows({ today: TODAY })]).toEqual(rows);
    expect([...portfolioRows({ today: TODAY, seed: 7 })]).not.toEqual(rows);
  });

  it('holds a few dozen customers whose every row imports', () => {
    expect(new Set(rows.map((row) => row.customer_id)).size).toBe(36);
    for (const row of rows) expect(validateRow(row, defaults)).toMatchObject({ ok: true });
  });

  it('gives every customer a real-looking ASCII address, whatever script their name is in', () => {
    const emails = [...new Set(rows.map((row) => row.customer_email))];

    for (const email of emails) expect(email).toMatch(/^accounts\+\d+@[a-z0-9]+(-[a-z0-9]+)*\.example$/);
    expect(emails).not.toContainEqual(expect.stringContaining('@customer.example'));
    expect(emails).toEqual(expect.arrayContaining([expect.stringMatching(/@sakura-shoji\.example$/)]));
    expect(emails.filter((email) => /mu-ller|lumie-re/.test(email ?? ''))).toEqual([]);
  });

  it('spans the currencies, locales and zones of a worldwide customer base', () => {
    const values = (column: keyof (typeof rows)[number]) => new Set(rows.map((row) => row[column]));
    expect([...values('currency')].sort()).toEqual(['EUR', 'GBP', 'JPY', 'KWD', 'USD']);
    expect([...values('customer_locale')].sort()).toEqual([
      'de-DE',
      'en-GB',
      'en-US',
      'es-ES',
      'fr-FR',
      'ja-JP',
    ]);
    expect([...values('customer_timezone')]).toEqual(
      expect.arrayContaining(['Asia/Kolkata', 'America/St_Johns', 'Pacific/Auckland', 'America/Los_Angeles']),
    );
  });

  it('has invoices in every window of the policy, not yet due and partly paid among them', () => {
    const overdue = rows.map((row) => daysBetween(row.due_date ?? '', TODAY));
    const stages = loadPolicy().stages;
    const windows = stages.map((stage, index) => {
      const next = stages[index + 1]?.offsetDays ?? Number.POSITIVE_INFINITY;
      return overdue.filter((days) => days >= stage.offsetDays && days < next).length;
    });
    expect(windows.every((count) => count > 0)).toBe(true);
    expect(overdue.some((days) => days < (stages[0]?.offsetDays ?? 0))).toBe(true);
    expect(rows.filter((row) => row.amount_paid).length).toBeGreaterThan(5);
  });
});
