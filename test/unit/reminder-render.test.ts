import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../functions/shared/domain/money.ts';
import { reminderLine } from '../../functions/shared/domain/reminder/line.ts';
import { memoryTemplates } from '../../functions/shared/domain/reminder/memory-templates.ts';
import { renderReminder } from '../../functions/shared/domain/reminder/render.ts';
import {
  customer,
  input,
  invoice,
  line,
  PAYMENT_URL_TEMPLATE,
  stage,
  templates,
  UNSUBSCRIBE_URL,
} from './reminder-fixtures.ts';

const longDate = (isoDate: string, locale: string) =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${isoDate}T00:00:00Z`),
  );

/** What each language must say, in its own words, in both parts of every reminder. */
const LANGUAGES = [
  {
    locale: 'en-US',
    language: 'en',
    thanks: 'Thank you for your business',
    disregard: 'If you have already paid, please disregard this message',
    contact: 'payment plan',
    unsubscribe: 'Unsubscribe',
    handOff: 'will call you',
    overdue: (days: number) => `${days} days overdue`,
    dueIn: (days: number) => `Due in ${days} days`,
  },
  {
    locale: 'de-DE',
    language: 'de',
    thanks: 'vielen Dank für die gute Zusammenarbeit',
    disregard: 'Falls Sie bereits bezahlt haben, betrachten Sie diese Nachricht bitte als gegenstandslos',
    contact: 'Ratenzahlung',
    unsubscribe: 'Abmelden',
    handOff: 'anrufen',
    overdue: (days: number) => `${days} Tage überfällig`,
    dueIn: (days: number) => `Fällig in ${days} Tagen`,
  },
  {
    locale: 'fr-FR',
    language: 'fr',
    thanks: 'Merci de votre confiance',
    disregard: 'Si vous avez déjà effectué le paiement, merci de ne pas tenir compte de ce message',
    contact: 'échéancier de paiement',
    unsubscribe: 'Se désabonner',
    handOff: 'vous appellera',
    overdue: (days: number) => `En retard de ${days} jours`,
    dueIn: (days: number) => `Échéance dans ${days} jours`,
  },
  {
    locale: 'es-ES',
    language: 'es',
    thanks: 'Gracias por confiar en nosotros',
    disregard: 'Si ya ha realizado el pago, le rogamos que ignore este mensaje',
    contact: 'plan de pagos',
    unsubscribe: 'Darse de baja',
    handOff: 'le llamará',
    overdue: (days: number) => `Vencida hace ${days} días`,
    dueIn: (days: number) => `Vence en ${days} días`,
  },
  {
    locale: 'ja-JP',
    language: 'ja',
    thanks: '平素より格別のお引き立てを賜り',
    disregard: 'すでにお支払いいただいている場合は',
    contact: '分割払い',
    unsubscribe: '配信停止',
    handOff: 'お電話',
    overdue: (days: number) => `期日から${days}日経過`,
    dueIn: (days: number) => `期日まであと${days}日`,
  },
] as const;

/** Each stage of the fixture policy on the day it is reached, with what happens next and when. */
const STAGES = [
  { stage: 'courtesy', status: 'dueIn', days: 3, next: '2026-03-24' },
  { stage: 'second', status: 'overdue', days: 14, next: '2026-04-05' },
  { stage: 'third', status: 'overdue', days: 30, next: '2026-04-04' },
  { stage: 'final', status: 'overdue', days: 45, next: undefined },
] as const;

describe('Reminder content in every language', () => {
  const cases = LANGUAGES.flatMap((language) => STAGES.map((stage) => ({ ...language, ...stage })));

  it.each(cases)('says everything a reminder carries in $locale at stage $stage, in HTML and text', (c) => {
    const who = customer({ locale: c.locale });
    const due = line(c.stage, {}, who);

    const rendered = renderReminder(input(who, [due]), templates);

    const required = [
      'Acme Trading',
      c.thanks,
      'INV-1042',
      longDate('2026-01-15', c.locale),
      longDate(due.invoice.dueDate, c.locale),
      formatMoney(due.outstanding, 'EUR', c.locale),
      c.status === 'dueIn' ? c.dueIn(c.days) : c.overdue(c.days),
      'https://pay.example.com/invoices/inv-1042',
      'GB33 BUKB 2020 1555 5555 55',
      'BUKBGB22',
      'accounts@northwind.example',
      '+44 20 7946 0958',
      c.contact,
      c.disregard,
      c.next ? longDate(c.next, c.locale) : c.handOff,
      UNSUBSCRIBE_URL,
      c.unsubscribe,
      ...(due.fee > 0 ? [formatMoney(due.fee, 'EUR', c.locale)] : []),
    ];
    expect(rendered.language).toBe(c.language);
    expect(rendered.subject).toContain('INV-1042');
    for (const part of [rendered.html, rendered.text]) {
      const missing = required.filter((element) => !part.toLowerCase().includes(element.toLowerCase()));
      expect(missing).toEqual([]);
    }
  });

  it('charges the late fee of the fee stages and says what it is', () => {
    const flat = line('third');
    const percent = line('final');

    const flatText = renderReminder(input(customer(), [flat]), templates).text;
    const percentText = renderReminder(input(customer(), [percent]), templates).text;

    expect(flat.fee).toBe(1500);
    expect(flatText).toContain('Late fee:            €15.00 (flat fee for late payment');
    expect(percent.fee).toBe(1852);
    expect(percentText).toContain('Late fee:            €18.52 (1.5% of the amount owed on the invoice');
    expect(percentText).toContain('€1,253.02');
  });

  it('uses the singular for one day overdue', () => {
    const rendered = renderReminder(input(customer(), [line('first')]), templates);

    expect(rendered.subject).toBe('Reminder: invoice INV-1042 is 1 day overdue');
    expect(rendered.text).toContain('1 day overdue');
    expect(rendered.text).not.toContain('1 days');
  });
});

describe('Money and dates in the customer locale', () => {
  it('formats euros and dates the German way', () => {
    const who = customer({ locale: 'de-DE' });

    const rendered = renderReminder(input(who, [line('second', {}, who)]), templates);

    for (const part of [rendered.html, rendered.text]) {
      expect(part).toContain('1.234,50\u00a0€');
      expect(part).toContain('6. März 2026');
      expect(part).toContain('15. Januar 2026');
    }
  });

  it('formats yen without decimals and dates the Japanese way', () => {
    const who = customer({ locale: 'ja-JP' });

    const rendered = renderReminder(
      input(who, [line('second', { currency: 'JPY', amountDue: 120000 }, who)]),
      templates,
    );

    for (const part of [rendered.html, rendered.text]) {
      expect(part).toContain('￥120,000');
      expect(part).not.toContain('￥120,000.');
      expect(part).toContain('2026年3月6日');
    }
  });

  it('formats Kuwaiti dinars with three decimals', () => {
    const rendered = renderReminder(
      input(customer(), [line('third', { currency: 'KWD', amountDue: 12345 })]),
      templates,
    );

    // 12.345 owed plus the flat 5.000 fee of the third stage.
    expect(rendered.text).toContain('KWD\u00a017.345');
    expect(rendered.html).toContain('KWD\u00a05.000');
  });

  it('counts days overdue in the customer zone, not the server one', () => {
    // 23:30 UTC on 20 March is already 21 March in Auckland and still 20 March in Honolulu.
    const late = new Date('2026-03-20T23:30:00Z');
    const subjectIn = (timeZone: string) => {
      const who = customer({ timeZone });
      const built = reminderLine({
        invoice: invoice({ dueDate: '2026-03-06' }),
        customer: who,
        stage: stage('second'),
        now: late,
        paymentUrlTemplate: PAYMENT_URL_TEMPLATE,
      });
      return renderReminder({ ...input(who, [built]), now: late }, templates).subject;
    };

    expect(subjectIn('Pacific/Auckland')).toBe('Payment overdue: invoice INV-1042 is 15 days overdue');
    expect(subjectIn('Pacific/Honolulu')).toBe('Payment overdue: invoice INV-1042 is 14 days overdue');
  });
});

describe('One email for several invoices', () => {
  it('names every invoice in one subject and lists each with its own link', () => {
    const lines = ['INV-1', 'INV-2', 'INV-3'].map((number, index) =>
      line('first', { invoiceId: `inv-${index + 1}`, invoiceNumber: number }),
    );

    const rendered = renderReminder(input(customer(), lines), templates);

    expect(rendered.subject).toBe('Reminder: 3 invoices overdue: INV-1, INV-2, INV-3');
    for (const part of [rendered.html, rendered.text]) {
      for (const index of [1, 2, 3]) {
        expect(part).toContain(`INV-${index}`);
        expect(part).toContain(`https://pay.example.com/invoices/inv-${index}`);
      }
    }
    expect(rendered.html.match(/<a href="https:\/\/pay\.example\.com/g)).toHaveLength(3);
  });

  it('frames the email in the highest tone while each line keeps its own facts', () => {
    const friendly = line('first', { invoiceId: 'inv-a', invoiceNumber: 'INV-A', amountDue: 10000 });
    const final = line('final', { invoiceId: 'inv-b', invoiceNumber: 'INV-B', amountDue: 20000 });

    const rendered = renderReminder(input(customer(), [friendly, final]), templates);

    expect(rendered.subject).toBe('Final notice: INV-B; also in this email: INV-A');
    expect(rendered.text).toContain(
      'Invoice INV-B, due on February 3, 2026, remains unpaid. This is our final notice by email',
    );
    expect(rendered.text).toContain(
      'Invoice INV-A\n  Issue date:          January 15, 2026\n  Due date:            March 19, 2026\n  Status:              1 day overdue\n  Amount outstanding:  €100.00\n  Next step:           Reminder if unpaid on April 2, 2026',
    );
    expect(rendered.text).toContain('Status:              45 days overdue\n  Late fee:            €3.00');
    expect(rendered.text).toContain(
      'Amount outstanding:  €203.00\n  Next step:           A member of our team will call you from +44 20 7946 0959',
    );
    // The final invoice heads the email; the friendly one sits under its own state.
    expect(rendered.text.indexOf('FINAL NOTICE\n\nInvoice INV-B')).toBeLessThan(
      rendered.text.indexOf('OVERDUE: REMINDER\n\nInvoice INV-A'),
    );
  });

  it('says which invoices are overdue and which are only due soon', () => {
    const soon = line('courtesy', { invoiceId: 'inv-a', invoiceNumber: 'INV-A' });
    const late = line('second', { invoiceId: 'inv-b', invoiceNumber: 'INV-B' });

    const rendered = renderReminder(input(customer(), [soon, late]), templates);

    expect(rendered.subject).toBe('Payment reminder for 2 invoices: INV-A, INV-B');
    expect(rendered.text).toContain('Due in 3 days');
    expect(rendered.text).toContain('14 days overdue');
  });

  it('counts the invoices a long subject leaves out', () => {
    const lines = Array.from({ length: 7 }, (_, index) =>
      line('second', { invoiceId: `inv-${index}`, invoiceNumber: `INV-${index}` }),
    );

    const rendered = renderReminder(input(customer(), lines), templates);

    expect(rendered.subject).toBe('7 invoices overdue: INV-0, INV-1, INV-2, INV-3, INV-4 and 2 more');
    expect(rendered.text).toContain('INV-6');
  });
});

describe('Customer-supplied text', () => {
  const hostile = '<script>alert(1)</script> & "Co"';

  it('is escaped in the HTML and left as written in the text', () => {
    const who = customer({ name: hostile });

    const rendered = renderReminder(
      input(who, [line('second', { invoiceNumber: '<b>INV-9</b>' }, who)]),
      templates,
    );

    expect(rendered.html).not.toContain('<script>');
    expect(rendered.html).not.toContain('<b>INV-9</b>');
    expect(rendered.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;');
    expect(rendered.html).toContain('&lt;b&gt;INV-9&lt;/b&gt;');
    expect(rendered.text).toContain(`Dear ${hostile},`);
    expect(rendered.text).toContain('Invoice <b>INV-9</b>');
  });

  it('never turns a payment link that is not a web address into a link', () => {
    const rendered = renderReminder(
      input(customer(), [line('second', { paymentUrl: 'javascript:alert(1)' })]),
      templates,
    );

    expect(rendered.html).not.toContain('href="javascript:');
    expect(rendered.html).toContain('Pay online: javascript:alert(1)');
  });

  it('never lets CR or LF reach the subject', () => {
    const who = customer({ name: 'Evil\r\nBcc: victim@example.com' });

    const rendered = renderReminder(
      input(who, [line('second', { invoiceNumber: 'INV-1\r\nBcc: a@example.com\u2028X' }, who)]),
      templates,
    );

    expect(rendered.subject).not.toMatch(/[\r\n\u2028\u2029]/);
    expect(rendered.subject).toBe('Payment overdue: invoice INV-1 Bcc: a@example.com X is 14 days overdue');
    expect(rendered.text).toContain('Dear Evil Bcc: victim@example.com,');
  });
});

describe('Template language', () => {
  it('picks the language of a regional locale', () => {
    const who = customer({ locale: 'de-AT' });

    const rendered = renderReminder(input(who, [line('second', {}, who)]), templates);

    expect(rendered.language).toBe('de');
    expect(rendered.text).toContain('Guten Tag Acme Trading,');
    expect(rendered.text).toContain('6. März 2026');
  });

  it('falls back to English for a language without templates, dates and amounts in English too', () => {
    const who = customer({ locale: 'pt-BR' });

    const rendered = renderReminder(input(who, [line('second', {}, who)]), templates);

    expect(rendered.language).toBe('en');
    expect(rendered.subject).toBe('Payment overdue: invoice INV-1042 is 14 days overdue');
    expect(rendered.text).toContain('Dear Acme Trading,');
    expect(rendered.text).not.toContain('março');
    expect(rendered.text).toContain('March 6, 2026');
  });

  it('keeps one script per email when an Arabic locale falls back to English', () => {
    const who = customer({ locale: 'ar-EG' });

    const rendered = renderReminder(input(who, [line('second', {}, who)]), templates);

    expect(rendered.language).toBe('en');
    for (const part of [rendered.subject, rendered.html, rendered.text]) {
      expect(part).not.toMatch(/[\u0600-\u06FF\u0660-\u0669]/);
    }
    expect(rendered.text).toContain('€1,234.50');
    expect(rendered.text).toContain('March 6, 2026');
  });

  it('falls back to English and en-US formats for a locale Intl cannot read', () => {
    const who = customer({ locale: 'not a locale!' });

    const rendered = renderReminder(input(who, [line('second', {}, who)]), templates);

    expect(rendered.language).toBe('en');
    expect(rendered.text).toContain('€1,234.50');
  });

  it('falls back to English as a whole when a language lacks the stage template', () => {
    const partial = memoryTemplates({
      en: {
        'subject.txt': 'Reminder {{first.number}}',
        'layout.html': '<p>{{> content}}</p>',
        'layout.txt': '{{> content}}',
        'reminder.html': 'Dear {{customerName}}',
        'reminder.txt': 'Dear {{customerName}}',
      },
      de: { 'layout.html': 'Guten Tag', 'subject.txt': 'Erinnerung' },
    });
    const who = customer({ locale: 'de-DE' });

    const rendered = renderReminder(input(who, [line('second', {}, who)]), partial);

    expect(rendered).toEqual({
      subject: 'Reminder INV-1042',
      html: '<p>Dear Acme Trading</p>',
      text: 'Dear Acme Trading',
      language: 'en',
    });
  });
});

describe('Tone', () => {
  const subjectOf = (stageName: string) =>
    renderReminder(input(customer(), [line(stageName)]), templates).subject;

  it('rises from friendly to firm to final in the subject', () => {
    expect(subjectOf('courtesy')).toBe('Payment due soon: invoice INV-1042 is due in 3 days');
    expect(subjectOf('first')).toBe('Reminder: invoice INV-1042 is 1 day overdue');
    expect(subjectOf('second')).toBe('Payment overdue: invoice INV-1042 is 14 days overdue');
    expect(subjectOf('final')).toBe('Final notice: invoice INV-1042 is 45 days overdue');
  });

  it('words the friendly and the firm reminder differently', () => {
    const friendly = renderReminder(input(customer(), [line('first')]), templates).text;
    const firm = renderReminder(input(customer(), [line('second')]), templates).text;

    expect(friendly).toContain('friendly reminder');
    expect(firm).not.toContain('friendly reminder');
    expect(firm).toContain('Please pay the outstanding amount now');
  });

  // Words that would turn a reminder into a threat: legal action, agencies, credit files, "or else".
  const DENIED = [
    /\blegal\b/i,
    /\blawyers?\b/i,
    /\battorneys?\b/i,
    /\bcourts?\b/i,
    /\bsue\b/i,
    /\blawsuit/i,
    /\bdebt collect/i,
    /\bcollection agenc/i,
    /\bbailiff/i,
    /\bcredit (rating|score|record)/i,
    /\bor else\b/i,
    /\bconsequences?\b/i,
    /\bpenalt/i,
    /\bprosecut/i,
    /\bpolice\b/i,
    /\bseiz/i,
    /\bimmediately\b/i,
    /Anwalt/i,
    /Gericht/i,
    /Inkasso/i,
    /Mahnbescheid/i,
    /rechtlich/i,
    /\bKlage/i,
    /Schufa/i,
    /Konsequenz/i,
    /\bavocat/i,
    /\btribunal/i,
    /\bhuissier/i,
    /\bpoursuites?\b/i,
    /\bcontentieux/i,
    /\bjudiciaire/i,
    /\bconséquences?\b/i,
    /\babogad/i,
    /\bjudicial/i,
    /\bembargo/i,
    /\bconsecuencias?\b/i,
    /\bdemanda\b/i,
    /法的/,
    /裁判/,
    /弁護士/,
    /訴訟/,
    /差し押さえ/,
    /督促/,
  ];

  it.each(LANGUAGES.map((language) => language.locale))('never threatens, at any stage, in %s', (locale) => {
    const who = customer({ locale });
    const stageNames = ['courtesy', 'first', 'second', 'third', 'final'];
    const singles = stageNames.map((name) => [line(name, {}, who)]);
    const consolidated = stageNames.map((name, index) =>
      line(name, { invoiceId: `inv-${index}`, invoiceNumber: `INV-${index}` }, who),
    );

    for (const lines of [...singles, consolidated]) {
      const { subject, html, text } = renderReminder(input(who, lines), templates);
      const found = DENIED.filter((word) => word.test(subject) || word.test(html) || word.test(text));
      expect(found).toEqual([]);
    }
  });
});

describe('Rendering', () => {
  it('is pure: the same input gives the same email', () => {
    const reminder = input(customer(), [line('second')]);

    expect(renderReminder(reminder, templates)).toEqual(renderReminder(reminder, templates));
  });

  it('refuses an email without invoices', () => {
    expect(() => renderReminder(input(customer(), []), templates)).toThrowError(/at least one invoice/);
  });
});
