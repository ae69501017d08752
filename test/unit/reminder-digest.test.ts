import { describe, expect, it } from 'vitest';
import { renderHandOffDigest } from '../../functions/shared/domain/reminder/render.ts';
import { customer, invoice, policy, templates } from './reminder-fixtures.ts';

describe('Hand-off digest for the collections contact', () => {
  const handOffs = [
    {
      invoice: invoice(),
      customer: customer({
        name: '<Acme> & Sons',
        address: 'Hauptstr. 1\n10115 Berlin',
        phone: '+49 30 901820',
      }),
      outstanding: 125302,
      daysOverdue: 45,
    },
    {
      invoice: invoice({ invoiceId: 'inv-7', invoiceNumber: 'INV-7', currency: 'JPY' }),
      customer: customer({ customerId: 'c-2', name: 'Sakura KK', email: 'keiri@sakura.example' }),
      outstanding: 250000,
      daysOverdue: 47,
    },
  ];

  it('lists every hand-off with amount, age and how to reach the customer, in HTML and text', () => {
    const digest = renderHandOffDigest({ handOffs, policy, date: '2026-03-20' }, templates);

    expect(digest.subject).toBe('Hand-offs for March 20, 2026: 2 invoices to call about');
    for (const part of [digest.html, digest.text]) {
      for (const element of [
        'Collections desk',
        'INV-1042',
        '€1,253.02',
        '45',
        'ap@acme.example',
        'Hauptstr. 1',
        '10115 Berlin',
        '+49 30 901820',
        'INV-7',
        'Sakura KK',
        '¥250,000',
        '47',
        'keiri@sakura.example',
      ]) {
        expect(part).toContain(element);
      }
    }
    expect(digest.html).toContain('href="tel:+4930901820"');
    expect(digest.text).toContain('  Phone:          +49 30 901820\n');
    expect(digest.html).toContain('&lt;Acme&gt; &amp; Sons');
    expect(digest.html).not.toContain('<Acme>');
    expect(digest.text).toContain('<Acme> & Sons');
  });

  it('says so when nobody is to be called', () => {
    const digest = renderHandOffDigest({ handOffs: [], policy, date: '2026-03-20' }, templates);

    expect(digest.subject).toBe('Hand-offs for March 20, 2026: no invoices to call about');
    expect(digest.text).toContain('No invoice reached the final stage today');
  });

  it('uses the singular for one hand-off', () => {
    const digest = renderHandOffDigest(
      { handOffs: handOffs.slice(0, 1), policy, date: '2026-03-20' },
      templates,
    );

    expect(digest.subject).toBe('Hand-offs for March 20, 2026: 1 invoice to call about');
  });
});
