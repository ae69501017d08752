import { describe, expect, it } from 'vitest';
import type { StageClaim } from '../../functions/shared/domain/model.ts';
import { formatMoney } from '../../functions/shared/domain/money.ts';
import { renderReminder } from '../../functions/shared/domain/reminder/render.ts';
import { customer, input, line, templates } from './reminder-fixtures.ts';

/**
 * Every sentence is true of every invoice it speaks of: each claim the wording makes (earlier
 * reminders, final notice, what happens next and when, a fee to come) is checked against the
 * invoices' own history and state, in every language.
 */

const LANGUAGES = [
  { locale: 'en-US', earlier: 'earlier reminders', comingDue: 'Coming due', finalHeading: 'Final notice' },
  {
    locale: 'de-DE',
    earlier: 'bisherigen Erinnerungen',
    comingDue: 'Bald fällig',
    finalHeading: 'Letzte Zahlungserinnerung',
  },
  {
    locale: 'fr-FR',
    earlier: 'précédents rappels',
    comingDue: 'Bientôt à échéance',
    finalHeading: 'Dernier rappel',
  },
  {
    locale: 'es-ES',
    earlier: 'recordatorios anteriores',
    comingDue: 'Próximas a vencer',
    finalHeading: 'Último aviso',
  },
  {
    locale: 'ja-JP',
    earlier: 'これまでにもご案内',
    comingDue: 'お支払い期日前',
    finalHeading: '最終のご案内',
  },
] as const;

const sent = (stage: string): StageClaim => ({
  stage,
  status: 'sent',
  claimedAt: '2026-03-05T09:00:00.000Z',
  runId: 'run-earlier',
  sentAt: '2026-03-05T09:00:01.000Z',
  messageId: 'm-earlier',
});

const parts = (rendered: { html: string; text: string }) => [rendered.html, rendered.text];

/** The email's opening paragraph in the text part: the sentence that heads the letter. */
const opening = (text: string) => text.split('\n\n').find((paragraph) => /INV-|請求書/.test(paragraph)) ?? '';

describe.each(LANGUAGES)('What a reminder claims, in $locale', (language) => {
  const who = customer({ locale: language.locale });

  it('never mentions earlier reminders in the first email an invoice gets, even at the final stage', () => {
    const first = renderReminder(input(who, [line('final', {}, who)]), templates);
    const later = renderReminder(
      input(who, [line('final', { claims: { third: sent('third') } }, who)]),
      templates,
    );

    for (const part of parts(first)) expect(part).not.toContain(language.earlier);
    for (const part of parts(later)) expect(part).toContain(language.earlier);
  });

  it('says "earlier reminders" of several invoices only when every one of them had one', () => {
    const reminded = line(
      'final',
      { invoiceId: 'a', invoiceNumber: 'INV-A', claims: { third: sent('third') } },
      who,
    );
    const fresh = line('final', { invoiceId: 'b', invoiceNumber: 'INV-B' }, who);

    const rendered = renderReminder(input(who, [reminded, fresh]), templates);

    for (const part of parts(rendered)) expect(part).not.toContain(language.earlier);
  });

  it('heads a consolidated email by its final invoices and lists the one not yet due apart', () => {
    const final = line('final', { invoiceId: 'a', invoiceNumber: 'INV-A' }, who);
    const soon = line('courtesy', { invoiceId: 'c', invoiceNumber: 'INV-C' }, who);

    const rendered = renderReminder(input(who, [soon, final]), templates);

    expect(opening(rendered.text)).toContain('INV-A');
    expect(opening(rendered.text)).not.toContain('INV-C');
    const finalAt = rendered.text.indexOf(language.finalHeading.toUpperCase());
    const soonAt = rendered.text.indexOf(language.comingDue.toUpperCase());
    expect(finalAt).toBeGreaterThanOrEqual(0);
    expect(soonAt).toBeGreaterThan(finalAt);
    expect(rendered.text.indexOf('INV-C', soonAt)).toBeGreaterThan(soonAt);
    expect(rendered.text.slice(finalAt, soonAt)).not.toContain('INV-C');
    expect(rendered.html).toContain(`>${language.comingDue}</h3>`);
  });

  it('announces the fee the next stage adds, in a single and in a consolidated email', () => {
    const flatComing = formatMoney(1500, 'EUR', language.locale);
    // The final stage's 1.5% is taken on the invoice's own balance (1,234.50), never on the 15.00 fee.
    const percentComing = formatMoney(1852, 'EUR', language.locale);

    const single = renderReminder(input(who, [line('second', {}, who)]), templates);
    const beforeFinal = renderReminder(input(who, [line('third', {}, who)]), templates);
    const consolidated = renderReminder(
      input(who, [
        line('second', { invoiceId: 'a', invoiceNumber: 'INV-A' }, who),
        line('third', { invoiceId: 'b', invoiceNumber: 'INV-B' }, who),
      ]),
      templates,
    );

    for (const part of parts(single)) expect(part).toContain(flatComing);
    for (const part of parts(beforeFinal)) expect(part).toContain(percentComing);
    for (const part of parts(consolidated)) {
      expect(part).toContain(flatComing);
      expect(part).toContain(percentComing);
    }
  });

  it('says what happens next and when for each invoice of a consolidated email', () => {
    const lines = [
      line('first', { invoiceId: 'a', invoiceNumber: 'INV-A' }, who),
      line('courtesy', { invoiceId: 'b', invoiceNumber: 'INV-B' }, who),
    ];
    const longDate = (iso: string) =>
      new Intl.DateTimeFormat(language.locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
        new Date(`${iso}T00:00:00Z`),
      );

    const rendered = renderReminder(input(who, lines), templates);

    // INV-A (due 19 March) gets its second reminder on 2 April; INV-B (due 23 March) its first on 24 March.
    for (const part of parts(rendered)) {
      expect(part).toContain(longDate('2026-04-02'));
      expect(part).toContain(longDate('2026-03-24'));
    }
  });

  it('never announces the next reminder inside the minimum gap, even when its stage date has come', () => {
    // A first reminder sent late: INV-1042 (due 6 March) reaches its second stage today, 20 March,
    // but the next email can go no sooner than the 3-day gap allows, on 23 March.
    const late = renderReminder(input(who, [line('first', { dueDate: '2026-03-06' }, who)]), templates);
    const longDate = new Intl.DateTimeFormat(language.locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date('2026-03-23T00:00:00Z'),
    );

    for (const part of parts(late)) expect(part).toContain(longDate);
  });

  it('gives the number that will call and a number to call at the final stage', () => {
    const rendered = renderReminder(input(who, [line('final', {}, who)]), templates);

    for (const part of parts(rendered)) {
      expect(part).toContain('+44 20 7946 0959');
      expect(part).toContain('+44 20 7946 0958');
    }
  });

  it('is a whole letter: address and date head it, terms are restated, it asks when they will pay', () => {
    const addressed = customer({ locale: language.locale, address: '12 Harbour Road\nLeeds LS1 4AB' });
    const terms = {
      'en-US': '30 days net',
      'de-DE': '30 Tage netto',
      'fr-FR': '30 jours net',
      'es-ES': '30 días netos',
      'ja-JP': '30日以内',
    }[language.locale];
    const asks = {
      'en-US': 'When can you pay?',
      'de-DE': 'Wann können Sie bezahlen?',
      'fr-FR': 'Quand pourrez-vous payer ?',
      'es-ES': '¿Cuándo podrá pagar?',
      'ja-JP': 'お支払いの予定日',
    }[language.locale];

    const rendered = renderReminder(input(addressed, [line('second', {}, addressed)]), templates);

    expect(rendered.text.startsWith('Acme Trading\n12 Harbour Road\nLeeds LS1 4AB\n\n')).toBe(true);
    expect(rendered.html).toContain('Acme Trading<br>12 Harbour Road<br>Leeds LS1 4AB');
    for (const part of parts(rendered)) {
      expect(part).toContain(terms);
      expect(part).toContain(asks);
    }
  });
});

describe('The letter head', () => {
  it('names the customer once when their postal address already starts with the name', () => {
    const who = customer({ address: 'Acme Trading\n12 Harbour Road' });

    const { text } = renderReminder(input(who, [line('second', {}, who)]), templates);

    expect(text.startsWith('Acme Trading\n12 Harbour Road\n\n')).toBe(true);
  });

  it('has no address block when none was imported', () => {
    const { text } = renderReminder(input(customer(), [line('second')]), templates);

    expect(text.startsWith('March 20, 2026\n\nDear Acme Trading,')).toBe(true);
  });
});

describe('Late fees', () => {
  it('takes a percentage on what is owed on the invoice itself, never on earlier fees', () => {
    const afterFlatFee = line('final', { feesCharged: 1500 });

    // 1.5% of 1,234.50, not of 1,249.50 (which would be 18.74).
    expect(afterFlatFee.fee).toBe(1852);
    expect(afterFlatFee.outstanding).toBe(123450 + 1500 + 1852);
  });
});
