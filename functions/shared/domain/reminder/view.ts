import { answerNote } from '../answers/rules.ts';
import { addDays, daysBetween, localDate } from '../calendar.ts';
import { stageFee } from '../fees.ts';
import type { LatePaymentClaim } from '../interest/claim.ts';
import { invoiceBalance } from '../model.ts';
import { formatMoney } from '../money.ts';
import type { Policy, Stage } from '../policy.ts';
import { stageDate } from '../schedule.ts';
import { formatBasisPoints, formatDate, groupIban, isSingular, singleLine } from './locale.ts';
import type { ReminderInput, ReminderLine } from './types.ts';

/**
 * What the templates see: every fact already formatted for the reader, and plain booleans for the
 * choices a sentence depends on, so templates stay logic-less and translators see whole sentences.
 * Every claim a sentence makes is decided here from the invoices' own history and state: "despite
 * our earlier reminders" only for invoices that had one, "final notice" only over the invoices that
 * are at the final stage, a fee only where the next stage really adds one.
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

const stageRank = (stage: Stage, policy: Policy): number =>
  TONE_RANK[stage.tone] * 1000 + policy.stages.findIndex((candidate) => candidate.name === stage.name);

/** The line whose stage frames the email (template and tone): the highest tone, then the latest stage. */
const frameLine = (lines: readonly ReminderLine[], policy: Policy): ReminderLine => {
  const [first, ...rest] = lines;
  if (!first) throw new Error('a reminder needs at least one invoice');
  return rest.reduce(
    (best, line) => (stageRank(line.stage, policy) > stageRank(best.stage, policy) ? line : best),
    first,
  );
};

export const frameStage = (lines: readonly ReminderLine[], policy: Policy): Stage =>
  frameLine(lines, policy).stage;

const stageAfter = (stage: Stage, policy: Policy): Stage | undefined => {
  const index = policy.stages.findIndex((candidate) => candidate.name === stage.name);
  return index < 0 ? undefined : policy.stages[index + 1];
};

/** Runs are daily, so the next reminder is at least a day away, and never within the policy's gap. */
const minimumGap = (policy: Policy): number => Math.max(1, policy.minimumGapDays);

const laterDate = (a: string, b: string): string => (a > b ? a : b);

/** Only web links become anchors; anything else (a `javascript:` URL in an import) stays text. */
const webLink = (url: string): string | undefined => (/^https?:\/\//i.test(url) ? url : undefined);

/** True when a reminder for another stage of this invoice provably went out before this one. */
const hadEarlierReminder = (line: ReminderLine): boolean =>
  Object.values(line.invoice.claims).some(
    (claim) => claim.stage !== line.stage.name && claim.status === 'sent',
  );

/** The state an invoice is listed under: overdue at its stage's tone, or coming due. */
type GroupKey = Stage['tone'] | 'upcoming';
const GROUP_ORDER: readonly GroupKey[] = ['final', 'firm', 'friendly', 'upcoming'];

interface NextStep {
  readonly isoDate: string;
  readonly date: string;
  /** The next email is the final notice (the stage that hands the invoice to a person). */
  readonly finalNotice: boolean;
  readonly reminder: boolean;
  /** The late fee that next stage adds, formatted; false when it adds none. */
  readonly fee: string | false;
}

const nextStepOf = (line: ReminderLine, input: ReminderInput, locale: string): NextStep | false => {
  const { invoice } = line;
  const next = line.stage.handOff ? undefined : stageAfter(line.stage, input.policy);
  if (!next) return false;
  const today = localDate(input.now, input.customer.timeZone);
  const isoDate = laterDate(stageDate(invoice, next), addDays(today, minimumGap(input.policy)));
  const fee = stageFee(next, invoice.currency, invoiceBalance(invoice));
  return {
    isoDate,
    date: formatDate(isoDate, locale),
    finalNotice: next.handOff,
    reminder: !next.handOff,
    fee: fee > 0 && formatMoney(fee, invoice.currency, locale),
  };
};

/** The one sentence a reminder states about statutory interest and compensation, in parts. */
const statutoryView = (claim: LatePaymentClaim | undefined, locale: string) => {
  if (!claim) return false;
  const money = (minor: number) => formatMoney(minor, claim.currency, locale);
  const current = claim.periods.at(-1);
  const interest = claim.interest > 0 && current !== undefined && claim.interestFrom !== null;
  const compensation = claim.compensation > 0;
  return {
    law: claim.law,
    interest: interest && money(claim.interest),
    rate: current ? formatBasisPoints(Math.round(current.ratePercent * 100), locale) : false,
    from: claim.interestFrom && formatDate(claim.interestFrom, locale),
    compensation: compensation && money(claim.compensation),
    both: interest && compensation,
  };
};

const lineView = (line: ReminderLine, input: ReminderInput, locale: string, language: string) => {
  const { invoice } = line;
  const money = (minor: number) => formatMoney(minor, invoice.currency, locale);
  const today = localDate(input.now, input.customer.timeZone);
  const dueIn = daysBetween(today, invoice.dueDate);
  const next = nextStepOf(line, input, locale);
  const fee = line.stage.fee;
  const overdue = line.daysOverdue > 0;
  return {
    number: singleLine(invoice.invoiceNumber),
    issueDate: invoice.issueDate && formatDate(invoice.issueDate, locale),
    dueDate: formatDate(invoice.dueDate, locale),
    outstanding: money(line.outstanding),
    overdue,
    dueToday: !overdue && dueIn <= 0,
    upcoming: !overdue && dueIn > 0,
    daysOverdue: line.daysOverdue,
    daysOverdueOne: isSingular(line.daysOverdue, language),
    dueInDays: dueIn,
    dueInDaysOne: isSingular(dueIn, language),
    lateFee: line.fee > 0 && {
      amount: money(line.fee),
      percent: fee && 'percentBasisPoints' in fee ? formatBasisPoints(fee.percentBasisPoints, locale) : false,
    },
    statutory: statutoryView(line.latePayment, locale),
    paymentUrl: webLink(line.paymentUrl),
    paymentUrlText: line.paymentUrl,
    /** This invoice had a reminder before this one. */
    reminded: hadEarlierReminder(line),
    /** This email hands the invoice to a person, who will call. */
    handOff: line.stage.handOff,
    next,
    /** The policy has no further stage and no hand-off: a person gets in touch. */
    personal: !next && !line.stage.handOff,
    group: (overdue ? line.stage.tone : 'upcoming') as GroupKey,
  };
};

type LineView = ReturnType<typeof lineView>;

/** The first few invoice numbers of some lines, for a subject. */
const numbersOf = (lines: readonly LineView[], limit: number): string =>
  lines
    .slice(0, limit)
    .map((line) => line.number)
    .join(', ');

/** A set of invoices a sentence speaks of, with what the sentence needs to be true of all of them. */
const invoiceSet = (lines: readonly LineView[]) => ({
  lines,
  count: lines.length,
  single: lines.length === 1,
  multiple: lines.length > 1,
  first: lines[0],
  /** Every one of them had an earlier reminder. */
  reminded: lines.length > 0 && lines.every((line) => line.reminded),
  handOff: lines.some((line) => line.handOff),
});

const groupsOf = (lines: readonly LineView[]) =>
  GROUP_ORDER.flatMap((key) => {
    const members = lines.filter((line) => line.group === key);
    if (members.length === 0) return [];
    // No single/multiple here: inside a group the templates' `multiple` must still mean the email's.
    return [
      {
        lines: members,
        count: members.length,
        final: key === 'final',
        firm: key === 'firm',
        friendly: key === 'friendly',
        upcoming: key === 'upcoming',
      },
    ];
  });

/** Exactly one subject sentence applies; the template holds each as a whole sentence to translate. */
const subjectCase = (lines: readonly LineView[], frame: Stage, grouped: boolean) => {
  const one = lines.length === 1;
  const overdue = lines.filter((line) => line.overdue).length;
  const first = lines[0];
  const final = frame.tone === 'final';
  return {
    finalOne: final && one,
    finalMany: final && !one && !grouped,
    finalMixedMany: final && grouped,
    courtesyOne: !final && one && !!first?.upcoming,
    courtesyToday: !final && one && !!first?.dueToday,
    courtesyMany: !final && !one && overdue === 0,
    friendlyOne: frame.tone === 'friendly' && one && overdue === 1,
    friendlyMany: frame.tone === 'friendly' && !one && overdue === lines.length,
    firmOne: frame.tone === 'firm' && one && overdue === 1,
    firmMany: frame.tone === 'firm' && !one && overdue === lines.length,
    mixedMany: !final && !one && overdue > 0 && overdue < lines.length,
  };
};

const addressLines = (address: string | undefined): string[] =>
  (address ?? '')
    .split(/\r?\n/)
    .map((line) => singleLine(line))
    .filter(Boolean);

/** What the customer told us that did not hold: the next reminder refers to it, invoice by invoice. */
const answerNotes = (input: ReminderInput, locale: string) => {
  const notes = input.lines.flatMap((line) => {
    const note = answerNote(line.invoice);
    return note ? [{ note, number: singleLine(line.invoice.invoiceNumber) }] : [];
  });
  const answeredOn = (at: string) => formatDate(localDate(new Date(at), input.customer.timeZone), locale);
  return {
    brokenPromises: notes.flatMap(({ note, number }) =>
      note.kind === 'broken_promise'
        ? [{ number, answeredOn: answeredOn(note.at), promisedFor: formatDate(note.promisedFor, locale) }]
        : [],
    ),
    unmatchedPayments: notes.flatMap(({ note, number }) =>
      note.kind === 'unmatched_payment'
        ? [
            {
              number,
              answeredOn: answeredOn(note.at),
              paidOn: note.paidOn ? formatDate(note.paidOn, locale) : false,
              reference: note.reference ? singleLine(note.reference) : false,
            },
          ]
        : [],
    ),
  };
};

export const reminderView = (input: ReminderInput, locale: string, language: string, frame: Stage) => {
  const { policy } = input;
  const lines = input.lines.map((line) => lineView(line, input, locale, language));
  const groups = groupsOf(lines);
  const headLine = lines[input.lines.indexOf(frameLine(input.lines, policy))];
  const headGroup = groups.find((group) => group.lines.includes(headLine as LineView)) ?? groups[0];
  const head = headGroup && invoiceSet(headGroup.lines);
  const rest = lines.filter((line) => !headGroup?.lines.includes(line));
  const grouped = groups.length > 1;
  const shownHead = Math.min(SUBJECT_NUMBERS, head?.count ?? 0);
  const shownRest = Math.min(SUBJECT_NUMBERS - shownHead, rest.length);
  const { company } = policy;
  // The letter is addressed to the customer by name, once: many address exports start with it.
  const postal = addressLines(input.customer.address);
  const name = singleLine(input.customer.name);
  const address = postal.length === 0 ? [] : postal[0] === name ? postal : [name, ...postal];
  return {
    customerName: singleLine(input.customer.name),
    /** The letter's date, as the customer counts it. */
    letterDate: formatDate(localDate(input.now, input.customer.timeZone), locale),
    address: address.length > 0 && { lines: address },
    lines,
    count: lines.length,
    single: lines.length === 1,
    multiple: lines.length > 1,
    first: lines[0],
    /** The invoices the email is headed by (those at its most advanced stage), and the others. */
    head: head ?? false,
    rest: rest.length > 0 && { ...invoiceSet(rest), subjectNumbers: numbersOf(rest, shownRest) },
    /** The invoices in more than one state: each group is listed under its own heading. */
    groups,
    grouped,
    subjectNumbers: numbersOf(lines, SUBJECT_NUMBERS),
    headNumbers: head ? numbersOf(head.lines, shownHead) : '',
    moreNumbers: Math.max(0, lines.length - SUBJECT_NUMBERS) || false,
    moreGroupedNumbers: Math.max(0, lines.length - shownHead - shownRest) || false,
    references: lines.map((line) => line.number).join(', '),
    subject: subjectCase(lines, frame, grouped),
    accent: TONE_ACCENT[frame.tone],
    tone: { friendly: frame.tone === 'friendly', firm: frame.tone === 'firm', final: frame.tone === 'final' },
    /** Some invoice's next step adds a late fee (each invoice shows its own). */
    nextFees: lines.some((line) => line.next && line.next.fee !== false),
    handOff: lines.some((line) => line.handOff),
    company: {
      name: company.name,
      contactEmail: company.contactEmail,
      contactPhone: company.contactPhone ?? false,
      paymentTerms: company.paymentTerms?.[language] ?? false,
      accountName: company.bankTransfer.accountName,
      iban: groupIban(company.bankTransfer.iban),
      bic: company.bankTransfer.bic ?? false,
    },
    collectionsName: policy.collections.name,
    collectionsPhone: policy.collections.phone ?? false,
    unsubscribeUrl: input.unsubscribeUrl,
    respondUrl: input.respondUrl ?? false,
    ...answerNotes(input, locale),
  };
};
