import { addDays, daysBetween, localDate } from '../calendar.ts';
import { stageFee } from '../fees.ts';
import { formatMoney } from '../money.ts';
import type { Policy, Stage } from '../policy.ts';
import { stageDate } from '../schedule.ts';
import { formatBasisPoints, formatDate, groupIban, isSingular, singleLine } from './locale.ts';
import type { ReminderInput, ReminderLine } from './types.ts';

/**
 * What the templates see: every fact already formatted for the reader, and plain booleans for the
 * choices a sentence depends on, so templates stay logic-less and translators see whole sentences.
 */

const TONE_RANK: Readonly<Record<Stage['tone'], number>> = { friendly: 0, firm: 1, final: 2 };

/** The HTML's accent colour: calm blue, then amber, then a sober dark grey (never alarm red). */
const TONE_ACCENT: Readonly<Record<Stage['tone'], string>> = {
  friendly: '#2563eb',
  firm: '#b45309',
  final: '#374151',
};

/** At most this many invoice numbers are listed in a subject; the rest are counted. */
const SUBJECT_NUMBERS = 5;

/** The stage whose template and tone frame the email: the highest tone, then the latest stage. */
export const frameStage = (lines: readonly ReminderLine[], policy: Policy): Stage => {
  const rank = (stage: Stage) =>
    TONE_RANK[stage.tone] * 1000 + policy.stages.findIndex((candidate) => candidate.name === stage.name);
  const [first, ...rest] = lines;
  if (!first) throw new Error('a reminder needs at least one invoice');
  return rest.reduce((best, line) => (rank(line.stage) > rank(best) ? line.stage : best), first.stage);
};

const stageAfter = (stage: Stage, policy: Policy): Stage | undefined => {
  const index = policy.stages.findIndex((candidate) => candidate.name === stage.name);
  return index < 0 ? undefined : policy.stages[index + 1];
};

/** Runs are daily, so the next reminder is at least a day away, and never within the policy's gap. */
const minimumGap = (policy: Policy): number => Math.max(1, policy.minimumGapDays);

const laterDate = (a: string, b: string): string => (a > b ? a : b);

/** Only web links become anchors; anything else (a `javascript:` URL in an import) stays text. */
const webLink = (url: string): string | undefined => (/^https?:\/\//i.test(url) ? url : undefined);

interface NextStep {
  readonly isoDate: string;
  readonly date: string;
  readonly finalNotice: boolean;
  readonly fee?: string;
}

const lineView = (line: ReminderLine, input: ReminderInput, locale: string, language: string) => {
  const { invoice } = line;
  const money = (minor: number) => formatMoney(minor, invoice.currency, locale);
  const today = localDate(input.now, input.customer.timeZone);
  const dueIn = daysBetween(today, invoice.dueDate);
  const next = line.stage.handOff ? undefined : stageAfter(line.stage, input.policy);
  const nextDate = next && laterDate(stageDate(invoice, next), addDays(today, minimumGap(input.policy)));
  const nextStep: NextStep | false =
    next && nextDate
      ? {
          isoDate: nextDate,
          date: formatDate(nextDate, locale),
          finalNotice: next.handOff,
          ...(next.fee && { fee: money(stageFee(next, invoice.currency, line.outstanding)) }),
        }
      : false;
  const fee = line.stage.fee;
  return {
    number: singleLine(invoice.invoiceNumber),
    issueDate: invoice.issueDate && formatDate(invoice.issueDate, locale),
    dueDate: formatDate(invoice.dueDate, locale),
    outstanding: money(line.outstanding),
    overdue: line.daysOverdue > 0,
    dueToday: line.daysOverdue === 0 && dueIn <= 0,
    upcoming: line.daysOverdue === 0 && dueIn > 0,
    daysOverdue: line.daysOverdue,
    daysOverdueOne: isSingular(line.daysOverdue, language),
    dueInDays: dueIn,
    dueInDaysOne: isSingular(dueIn, language),
    lateFee: line.fee > 0 && {
      amount: money(line.fee),
      percent: fee && 'percentBasisPoints' in fee ? formatBasisPoints(fee.percentBasisPoints, locale) : false,
    },
    paymentUrl: webLink(line.paymentUrl),
    paymentUrlText: line.paymentUrl,
    handOff: line.stage.handOff,
    next: nextStep,
  };
};

type LineView = ReturnType<typeof lineView>;

/** Exactly one subject sentence applies; the template holds each as a whole sentence to translate. */
const subjectCase = (lines: readonly LineView[], frame: Stage) => {
  const one = lines.length === 1;
  const overdue = lines.filter((line) => line.overdue).length;
  const first = lines[0];
  const cases = {
    finalOne: frame.tone === 'final' && one,
    finalMany: frame.tone === 'final' && !one && overdue === lines.length,
    finalMixedMany: frame.tone === 'final' && !one && overdue < lines.length,
    courtesyOne: frame.tone !== 'final' && one && !!first?.upcoming,
    courtesyToday: frame.tone !== 'final' && one && !!first?.dueToday,
    courtesyMany: frame.tone !== 'final' && !one && overdue === 0,
    friendlyOne: frame.tone === 'friendly' && one && overdue === 1,
    friendlyMany: frame.tone === 'friendly' && !one && overdue === lines.length,
    firmOne: frame.tone === 'firm' && one && overdue === 1,
    firmMany: frame.tone === 'firm' && !one && overdue === lines.length,
    mixedMany: frame.tone !== 'final' && !one && overdue > 0 && overdue < lines.length,
  };
  return cases;
};

export const reminderView = (input: ReminderInput, locale: string, language: string, frame: Stage) => {
  const lines = input.lines.map((line) => lineView(line, input, locale, language));
  const numbers = lines.map((line) => line.number);
  const nextSteps = lines.flatMap((line) => line.next || []);
  const earliest = nextSteps.reduce<NextStep | undefined>(
    (best, step) => (!best || step.isoDate < best.isoDate ? step : best),
    undefined,
  );
  const { company } = input.policy;
  return {
    customerName: singleLine(input.customer.name),
    lines,
    count: lines.length,
    single: lines.length === 1,
    multiple: lines.length > 1,
    first: lines[0],
    subjectNumbers: numbers.slice(0, SUBJECT_NUMBERS).join(', '),
    moreNumbers: Math.max(0, numbers.length - SUBJECT_NUMBERS) || false,
    references: numbers.join(', '),
    subject: subjectCase(lines, frame),
    accent: TONE_ACCENT[frame.tone],
    tone: { friendly: frame.tone === 'friendly', firm: frame.tone === 'firm', final: frame.tone === 'final' },
    nextStep: earliest ?? false,
    handOff: lines.some((line) => line.handOff),
    company: {
      name: company.name,
      contactEmail: company.contactEmail,
      contactPhone: company.contactPhone ?? false,
      accountName: company.bankTransfer.accountName,
      iban: groupIban(company.bankTransfer.iban),
      bic: company.bankTransfer.bic ?? false,
    },
    collectionsName: input.policy.collections.name,
    unsubscribeUrl: input.unsubscribeUrl,
  };
};
