import { describe, expect, it } from 'vitest';
import type { InvoiceAnswer } from '../../functions/shared/domain/answers/kinds.ts';
import { renderReminder } from '../../functions/shared/domain/reminder/render.ts';
import { customer, input, line, templates } from './reminder-fixtures.ts';

const RESPOND_URL = 'https://respond.example/respond?token=v1.abc.def';
const broken: InvoiceAnswer = {
  answerId: 'a-1',
  kind: 'promise',
  at: '2026-03-05T10:00:00.000Z',
  status: 'broken',
  promisedFor: '2026-03-12',
  heldThrough: '2026-03-15',
};
const unmatched: InvoiceAnswer = {
  answerId: 'a-2',
  kind: 'paid',
  at: '2026-03-09T10:00:00.000Z',
  status: 'unmatched',
  paidOn: '2026-03-08',
  reference: 'TX-42',
};

describe('The answer link in every reminder', () => {
  it.each([
    'en-US',
    'de-DE',
    'fr-FR',
    'es-ES',
    'ja-JP',
  ])('links HTML and text to the answer page (%s)', (locale) => {
    const who = customer({ locale });
    const email = renderReminder(
      { ...input(who, [line('first', {}, who)]), respondUrl: RESPOND_URL },
      templates,
    );
    expect(email.html).toContain(`href="${RESPOND_URL}"`);
    expect(email.text).toContain(RESPOND_URL);
  });

  /** The "when can you pay?" ask: through the page's "I will pay by" with a link, by reply without. */
  const asks = {
    'en-US': { link: 'Choose “I will pay by” on', reply: 'reply to this email' },
    'de-DE': {
      link: '„Ich zahle bis“ und nennen Sie uns das Datum',
      reply: 'Antworten Sie einfach auf diese E-Mail',
    },
    'fr-FR': { link: 'Choisissez « Je paierai d’ici le » sur', reply: 'répondre à cet e-mail' },
    'es-ES': { link: 'Elija «Pagaré antes del» en', reply: 'Responda a este correo' },
    'ja-JP': { link: '「次の日までに支払います」を選び', reply: '本メールにご返信' },
  } as const;

  it.each(
    Object.keys(asks) as (keyof typeof asks)[],
  )('asks when they will pay through the link’s "I will pay by", not by reply, when there is a link (%s)', (locale) => {
    const who = customer({ locale });
    const email = renderReminder(
      { ...input(who, [line('first', {}, who)]), respondUrl: RESPOND_URL },
      templates,
    );
    for (const part of [email.html, email.text]) {
      expect(part).toContain(asks[locale].link);
      expect(part).not.toContain(asks[locale].reply);
    }
  });

  it.each(
    Object.keys(asks) as (keyof typeof asks)[],
  )('keeps the ask to reply with the date when there is no link (%s)', (locale) => {
    const who = customer({ locale });
    const email = renderReminder(input(who, [line('first', {}, who)]), templates);
    for (const part of [email.html, email.text]) {
      expect(part).toContain(asks[locale].reply);
      expect(part).not.toContain(asks[locale].link);
    }
  });

  it('says nothing of an answer page when the run has no link key', () => {
    const email = renderReminder(input(customer(), [line('first')]), templates);
    expect(email.html).not.toContain('/respond');
    expect(email.text).not.toMatch(/one click/i);
  });

  it('refers to a broken promise and to a payment that never arrived, invoice by invoice', () => {
    const email = renderReminder(
      {
        ...input(customer(), [
          line('second', { answer: broken }),
          line('second', { invoiceId: 'inv-2', invoiceNumber: 'INV-2', answer: unmatched }),
        ]),
        respondUrl: RESPOND_URL,
      },
      templates,
    );
    expect(email.text).toContain(
      'On March 5, 2026 you told us you would pay invoice INV-1042 by March 12, 2026. That date has passed',
    );
    expect(email.text).toContain(
      'On March 9, 2026 you told us you had paid invoice INV-2 on March 8, 2026 (reference TX-42), but the payment has not reached us. Please send the payment reference or a remittance advice to accounts@northwind.example',
    );
    expect(email.html).toContain('by March 12, 2026');
  });

  it('says it in German too', () => {
    const who = customer({ locale: 'de-DE' });
    const email = renderReminder(input(who, [line('second', { answer: broken }, who)]), templates);
    expect(email.text).toContain(
      'Am 5. März 2026 haben Sie uns mitgeteilt, dass Sie die Rechnung INV-1042 bis 12. März 2026 bezahlen.',
    );
  });
});
