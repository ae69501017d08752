import fc from 'fast-check';
import { DateTime } from 'luxon';
import { type SignedDelivery, settlementOf, standardPayment, stripePayment } from './deliveries.ts';
import {
  checkHeldBack,
  InvariantViolation,
  type Model,
  type ModelCustomer,
  type ModelInvoice,
  type ModelPayment,
  receivedFor,
  sentPairs,
} from './model.ts';
import { deliver, importCsv, persist, type Real, verify } from './steps.ts';

/**
 * The model-based test's steps: import, re-import with changes, run at an advancing as-of, payment,
 * redelivery, the same money told again, refund, payment in another currency, pause, resume,
 * dispute and undispute (through the customer-care adapter the CLI commands call).
 */

type Step = fc.AsyncCommand<Model, Real>;

/** A Monday: runs land on weekdays and weekends as the days advance. */
export const BASE_DATE = '2027-03-01';

const isoDate = (offsetDays: number) =>
  DateTime.fromISO(BASE_DATE).plus({ days: offsetDays }).toISODate() as string;

const pick = <T>(items: readonly T[], index: number): T | undefined =>
  items[index % Math.max(1, items.length)];

const imported = (model: Model) => model.invoices.filter((invoice) => invoice.imported);

/** What the model says is still owed, fees included (read from the store: the run decides them). */
const owed = async (model: Model, real: Real, invoice: ModelInvoice): Promise<number> => {
  const fees = (await real.trial.show(invoice.invoiceId))?.invoice.feesCharged ?? 0;
  return Math.max(0, invoice.amountDue + fees - invoice.paidAtImport - receivedFor(model, invoice.invoiceId));
};

const post = async (
  model: Model,
  real: Real,
  delivery: SignedDelivery,
  payment: Omit<ModelPayment, 'eventId'>,
) => {
  await deliver(real, delivery);
  const recorded = { ...payment, eventId: delivery.eventId };
  model.payments.push(recorded);
  model.lastDelivery = { ...delivery, payment: recorded };
};

export class ImportNew implements Step {
  constructor(
    readonly rows: readonly { customer: number; amount: number; dueOffset: number; paidShare: number }[],
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const fresh = this.rows.map((row, index): ModelInvoice => {
      const number = model.invoices.length + index;
      const amountDue = row.amount;
      return {
        invoiceId: `${model.trial}-I${number}`,
        invoiceNumber: `${model.trial}-N${number}`,
        customerId: (pick(model.customers, row.customer) as { customerId: string }).customerId,
        amountDue,
        paidAtImport: row.paidShare === 0 ? 0 : Math.floor((amountDue * row.paidShare) / 4),
        dueDate: isoDate(row.dueOffset),
        imported: false,
      };
    });
    await persist(real, 'import', () =>
      real.trial.importRows(`new-${model.invoices.length}.csv`, importCsv(model, fresh)),
    );
    for (const invoice of fresh) model.invoices.push({ ...invoice, imported: true });
    await verify(model, real);
  }
  toString = () => `ImportNew(${JSON.stringify(this.rows)})`;
}

class ReImport implements Step {
  constructor(
    readonly picks: readonly number[],
    readonly change: 'amount' | 'name' | 'due',
    readonly delta: number,
  ) {}
  check = (model: Readonly<Model>) => imported(model as Model).length > 0;
  async run(model: Model, real: Real) {
    const chosen = [...new Set(this.picks.map((index) => pick(imported(model), index) as ModelInvoice))];
    for (const invoice of chosen) {
      if (this.change === 'amount')
        invoice.amountDue = Math.max(invoice.paidAtImport + 100, invoice.amountDue + this.delta);
      if (this.change === 'due')
        invoice.dueDate = isoDate(
          DateTime.fromISO(invoice.dueDate).diff(DateTime.fromISO(BASE_DATE), 'days').days +
            Math.sign(this.delta) * 3,
        );
      if (this.change === 'name') {
        const customer = model.customers.find((candidate) => candidate.customerId === invoice.customerId);
        if (customer) customer.name = `${customer.name.split(' #')[0]} #${Math.abs(this.delta)}`;
      }
    }
    // Every row of a customer carries the same (newest) name, so re-import all of theirs.
    const customers = new Set(chosen.map((invoice) => invoice.customerId));
    const rows =
      this.change === 'name'
        ? imported(model).filter((invoice) => customers.has(invoice.customerId))
        : chosen;
    await persist(real, 're-import', () =>
      real.trial.importRows(`change-${real.stats.steps}.csv`, importCsv(model, rows)),
    );
    await verify(model, real);
  }
  toString = () => `ReImport(${this.picks}, ${this.change}, ${this.delta})`;
}

class Run implements Step {
  constructor(readonly days: number) {}
  check = () => true;
  async run(model: Model, real: Real) {
    model.asOf = new Date(model.asOf.getTime() + this.days * 86_400_000);
    const before = sentPairs(await real.emulators.mailbox.emails(), model.trial);
    const summary = await persist(real, 'run', () => real.trial.run(model.asOf));
    const after = sentPairs(await real.emulators.mailbox.emails(), model.trial);
    checkHeldBack(model, before, after, model.asOf.toISOString().slice(0, 10));
    for (const [reason, count] of Object.entries(summary.skipped))
      if (!reason || count < 0)
        throw new InvariantViolation(`run: skip count without a reason: ${reason}=${count}`);
    // Only an injected fault may make a run fail a customer.
    if (!model.faulty && summary.failed > 0)
      throw new InvariantViolation(`run: ${summary.failed} invoice(s) failed without a fault`);
    await verify(model, real);
  }
  toString = () => `Run(+${this.days}d)`;
}

class Pay implements Step {
  constructor(
    readonly index: number,
    readonly provider: 'stripe' | 'standard',
    readonly part: 'full' | 'part' | 'over' | 'before_import',
  ) {}
  check = (model: Readonly<Model>) => this.part === 'before_import' || imported(model as Model).length > 0;
  async run(model: Model, real: Real) {
    let invoiceId: string;
    let amount: number;
    if (this.part === 'before_import') {
      // Kept as unmatched, applied when the next import brings the invoice.
      invoiceId = `${model.trial}-I${model.invoices.length}`;
      amount = 1_000;
    } else {
      const invoice = pick(imported(model), this.index) as ModelInvoice;
      invoiceId = invoice.invoiceId;
      const left = await owed(model, real, invoice);
      amount = { full: left, part: Math.floor(left / 3), over: left + 500 }[this.part];
      if (amount <= 0) amount = 100;
    }
    const payment = { invoiceId, amount, currency: 'EUR' };
    const delivery =
      this.provider === 'stripe'
        ? stripePayment(real.trial.secrets, payment)
        : standardPayment(real.trial.secrets, payment);
    await post(model, real, delivery, {
      invoiceId,
      kind: 'payment',
      amount,
      counts: true,
      settlement: settlementOf(delivery),
    });
    await verify(model, real);
  }
  toString = () => `Pay(${this.index}, ${this.provider}, ${this.part})`;
}

/** The provider delivers the same event again (its retry after a lost 2xx). */
class Redeliver implements Step {
  check = (model: Readonly<Model>) => model.lastDelivery !== undefined;
  async run(model: Model, real: Real) {
    const last = model.lastDelivery as NonNullable<Model['lastDelivery']>;
    await deliver(real, last);
    await verify(model, real);
  }
  toString = () => 'Redeliver()';
}

/** Another event reporting money already reported (Checkout and PaymentIntent both telling of it). */
class SameMoneyAgain implements Step {
  check = (model: Readonly<Model>) => {
    const last = model.lastDelivery?.payment;
    return (
      last?.kind === 'payment' &&
      last.counts &&
      last.settlement !== undefined &&
      model.invoices.some((invoice) => invoice.imported && invoice.invoiceId === last.invoiceId)
    );
  };
  async run(model: Model, real: Real) {
    const last = model.lastDelivery as NonNullable<Model['lastDelivery']>;
    const { invoiceId, amount, settlement } = last.payment;
    const delivery =
      last.path === '/webhooks/stripe'
        ? stripePayment(real.trial.secrets, { invoiceId, amount, currency: 'EUR', paymentIntent: settlement })
        : standardPayment(real.trial.secrets, { invoiceId, amount, currency: 'EUR', paymentId: settlement });
    await post(model, real, delivery, { invoiceId, kind: 'payment', amount, counts: false, settlement });
    await verify(model, real);
  }
  toString = () => 'SameMoneyAgain()';
}

class Refund implements Step {
  constructor(
    readonly index: number,
    readonly provider: 'stripe' | 'standard',
    readonly share: number,
  ) {}
  check = (model: Readonly<Model>) =>
    model.payments.some((payment) => payment.kind === 'payment' && payment.counts);
  async run(model: Model, real: Real) {
    // A provider refunds only money it took: a refund naming another provider's payment matches
    // nothing and rightly waits for its payment.
    const paid = model.payments.filter(
      (payment) =>
        payment.kind === 'payment' &&
        payment.counts &&
        payment.eventId.startsWith(`${this.provider}:`) &&
        model.invoices.some((invoice) => invoice.imported && invoice.invoiceId === payment.invoiceId),
    );
    const original = pick(paid, this.index);
    if (!original) return;
    // A refund takes back at most what its payment brought (the ledger flags anything beyond it).
    const before = model.payments
      .filter((other) => other.kind === 'refund' && other.settlement === original.settlement)
      .reduce((sum, other) => sum + other.amount, 0);
    const amount = Math.min(
      Math.max(1, Math.floor((original.amount * this.share) / 4)),
      original.amount - before,
    );
    if (amount <= 0) return;
    const refund = { invoiceId: original.invoiceId, amount, currency: 'EUR' };
    const delivery =
      this.provider === 'stripe'
        ? stripePayment(
            real.trial.secrets,
            { ...refund, paymentIntent: original.settlement, refundedBefore: before },
            'refund',
          )
        : standardPayment(real.trial.secrets, { ...refund, paymentId: original.settlement }, 'refund');
    await post(model, real, delivery, {
      invoiceId: original.invoiceId,
      kind: 'refund',
      amount,
      counts: true,
      ...(original.settlement ? { settlement: original.settlement } : {}),
    });
    await verify(model, real);
  }
  toString = () => `Refund(${this.index}, ${this.provider}, ${this.share}/4)`;
}

/** A payment in another currency: recorded and flagged, never applied; the invoice gets no more reminders. */
class WrongCurrency implements Step {
  constructor(readonly index: number) {}
  check = (model: Readonly<Model>) => imported(model as Model).length > 0;
  async run(model: Model, real: Real) {
    const invoice = pick(imported(model), this.index) as ModelInvoice;
    const delivery = standardPayment(real.trial.secrets, {
      invoiceId: invoice.invoiceId,
      amount: 5_00,
      currency: 'USD',
    });
    await post(model, real, delivery, {
      invoiceId: invoice.invoiceId,
      kind: 'payment',
      amount: 5_00,
      counts: false,
    });
    await verify(model, real);
  }
  toString = () => `WrongCurrency(${this.index})`;
}

/** `dunning pause CUSTOMER --until DATE`: days after the model's as-of. */
class Pause implements Step {
  constructor(
    readonly index: number,
    readonly days: number,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const customer = pick(model.customers, this.index) as ModelCustomer;
    const until = DateTime.fromJSDate(model.asOf, { zone: 'UTC' })
      .plus({ days: this.days })
      .toISODate() as string;
    if (!model.invoices.some((invoice) => invoice.imported && invoice.customerId === customer.customerId))
      return;
    await persist(real, 'pause', () =>
      real.trial.care.pause({ customerId: customer.customerId, until, reason: 'promise to pay' }),
    );
    customer.pausedUntil = until;
    await verify(model, real);
  }
  toString = () => `Pause(${this.index}, +${this.days}d)`;
}

class Resume implements Step {
  constructor(readonly index: number) {}
  check = (model: Readonly<Model>) => model.customers.some((customer) => customer.pausedUntil !== undefined);
  async run(model: Model, real: Real) {
    const paused = model.customers.filter((customer) => customer.pausedUntil !== undefined);
    const customer = pick(paused, this.index) as ModelCustomer;
    await persist(real, 'resume', () => real.trial.care.resume(customer.customerId, 'paid by phone'));
    delete customer.pausedUntil;
    await verify(model, real);
  }
  toString = () => `Resume(${this.index})`;
}

/** `dunning dispute INVOICE` and, later, `dunning undispute INVOICE`. */
class Dispute implements Step {
  constructor(
    readonly index: number,
    readonly settle: boolean,
  ) {}
  check = (model: Readonly<Model>) => imported(model as Model).length > 0;
  async run(model: Model, real: Real) {
    const invoice = pick(imported(model), this.index) as ModelInvoice;
    if (this.settle)
      await persist(real, 'undispute', () => real.trial.care.undispute(invoice.invoiceId, 'resolved'));
    else await persist(real, 'dispute', () => real.trial.care.dispute(invoice.invoiceId, 'goods damaged'));
    invoice.disputed = !this.settle;
    await verify(model, real);
  }
  toString = () => `${this.settle ? 'Undispute' : 'Dispute'}(${this.index})`;
}

const index = fc.nat({ max: 50 });
const provider = fc.constantFrom('stripe' as const, 'standard' as const);

export const modelSteps = (): fc.Arbitrary<Step>[] => [
  fc
    .array(
      fc.record({
        customer: index,
        amount: fc.integer({ min: 50_00, max: 5_000_00 }),
        dueOffset: fc.integer({ min: -50, max: 10 }),
        paidShare: fc.constantFrom(0, 0, 0, 1, 2, 4),
      }),
      { minLength: 1, maxLength: 3 },
    )
    .map((rows) => new ImportNew(rows)),
  fc
    .tuple(
      fc.array(index, { minLength: 1, maxLength: 3 }),
      fc.constantFrom('amount' as const, 'name' as const, 'due' as const),
      fc.integer({ min: -20_000, max: 20_000 }),
    )
    .map(([picks, change, delta]) => new ReImport(picks, change, delta)),
  fc.integer({ min: 0, max: 9 }).map((days) => new Run(days)),
  fc.integer({ min: 0, max: 9 }).map((days) => new Run(days)),
  fc
    .tuple(
      index,
      provider,
      fc.constantFrom('full' as const, 'part' as const, 'over' as const, 'before_import' as const),
    )
    .map(([at, via, part]) => new Pay(at, via, part)),
  fc.constant(new Redeliver()),
  fc.constant(new SameMoneyAgain()),
  fc
    .tuple(index, provider, fc.integer({ min: 1, max: 4 }))
    .map(([at, via, share]) => new Refund(at, via, share)),
  index.map((at) => new WrongCurrency(at)),
  fc.tuple(index, fc.integer({ min: 1, max: 20 })).map(([at, days]) => new Pause(at, days)),
  index.map((at) => new Resume(at)),
  fc.tuple(index, fc.boolean()).map(([at, settle]) => new Dispute(at, settle)),
];
