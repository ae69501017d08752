import { describe, expect, it } from 'vitest';
import type { CareEvent } from '../../functions/shared/domain/customer-care/events.ts';
import type {
  CareLedger,
  FlagsChange,
  PauseRequest,
} from '../../functions/shared/domain/customer-care/ports.ts';
import {
  BOUNCE,
  changesStanding,
  isHeldBack,
  OPT_OUT,
  previousStanding,
  resumedCustomer,
  type StandingChange,
  standingChangeFor,
} from '../../functions/shared/domain/customer-care/rules.ts';
import { CustomerCareService } from '../../functions/shared/domain/customer-care/service.ts';
import type { Customer, CustomerStatus, Invoice } from '../../functions/shared/domain/model.ts';
import { NotFoundError, UserInputError } from '../../functions/shared/errors.ts';
import { loadPolicy } from '../../functions/shared/policy.ts';
import { customer, invoice } from '../integration/run-support.ts';

const STATUSES: readonly CustomerStatus[] = ['active', 'opted_out', 'bounced', 'disputed'];

describe('Customer care rules', () => {
  it('lets an opt-out replace every standing but an opt-out', () => {
    expect(STATUSES.filter((status) => changesStanding(OPT_OUT, status))).toEqual([
      'active',
      'bounced',
      'disputed',
    ]);
  });

  it('lets a bounce mark only an active customer', () => {
    expect(STATUSES.filter((status) => changesStanding(BOUNCE, status))).toEqual(['active']);
  });

  it('treats a customer item without a status as active', () => {
    expect(changesStanding(BOUNCE, undefined)).toBe(true);
    expect(changesStanding(OPT_OUT, undefined)).toBe(true);
  });

  it('maps a hard bounce to bounced, a complaint to an opt-out and a soft bounce to nothing', () => {
    expect(standingChangeFor({ action: 'bounced' })).toBe(BOUNCE);
    expect(standingChangeFor({ action: 'complained' })).toBe(OPT_OUT);
    expect(standingChangeFor({ action: 'soft_bounced' })).toBeUndefined();
  });

  it('holds back a customer who is not active or has a pause, lapsed or not', () => {
    expect(isHeldBack({ status: 'active' })).toBe(false);
    expect(isHeldBack({ status: 'active', pausedUntil: '2020-01-01' })).toBe(true);
    for (const status of STATUSES.filter((other) => other !== 'active'))
      expect(isHeldBack({ status })).toBe(true);
  });

  it('describes the standing a resume replaced, and resumes to active without the pause', () => {
    const paused = customer('c', { status: 'bounced', pausedUntil: '2026-04-01', pauseReason: 'call' });
    expect(previousStanding(paused)).toBe('bounced, paused until 2026-04-01');
    expect(previousStanding(customer('c', { status: 'opted_out' }))).toBe('opted_out');
    expect(resumedCustomer(paused)).toEqual({ ...customer('c'), status: 'active' });
  });
});

/** The ledger's conditions as the DynamoDB adapter spells them (test/integration/care-ledger.test.ts checks it does). */
class MemoryCareLedger implements CareLedger {
  readonly customers = new Map<string, Customer>();
  readonly invoices = new Map<string, Invoice>();
  readonly records: CareEvent[] = [];
  /** Concurrent writes to come: each bumps the invoice's version before a flags write lands. */
  racingWrites = 0;

  async readCustomer(id: string) {
    return this.customers.get(id);
  }
  async readInvoice(id: string) {
    return this.invoices.get(id);
  }
  async customersAt(email: string) {
    return [...this.customers.values()].filter((who) => who.email === email);
  }
  async setPause({ customerId, until, reason }: PauseRequest) {
    const found = this.customers.get(customerId);
    if (!found) return undefined;
    const { pauseReason: _dropped, ...rest } = found;
    const paused = { ...rest, pausedUntil: until, ...(reason ? { pauseReason: reason } : {}) };
    this.customers.set(customerId, paused);
    return paused;
  }
  async releaseHold(customerId: string) {
    const found = this.customers.get(customerId);
    if (!found || !isHeldBack(found)) return undefined;
    this.customers.set(customerId, resumedCustomer(found));
    return found;
  }
  async setStanding(customerId: string, change: StandingChange) {
    const found = this.customers.get(customerId);
    if (!found || !changesStanding(change, found.status)) return false;
    this.customers.set(customerId, { ...found, status: change.status });
    return true;
  }
  async markDisputed(invoiceId: string) {
    const found = this.invoices.get(invoiceId);
    if (!found || found.flags.includes('disputed')) return undefined;
    const disputed = { ...found, flags: [...found.flags, 'disputed'], version: found.version + 1 };
    this.invoices.set(invoiceId, disputed);
    return disputed;
  }
  async writeFlags(read: Invoice, change: FlagsChange) {
    const current = this.invoices.get(read.invoiceId) as Invoice;
    if (this.racingWrites > 0) {
      this.racingWrites -= 1;
      this.invoices.set(read.invoiceId, { ...current, version: current.version + 1 });
      return false;
    }
    if (current.version !== read.version) return false;
    this.invoices.set(read.invoiceId, { ...current, flags: [...change.flags], version: current.version + 1 });
    return true;
  }
  async record(event: CareEvent) {
    this.records.push(event);
  }
  async history(customerId: string) {
    return this.records.filter((event) => event.customerId === customerId);
  }
}

const AT = new Date('2026-03-09T10:00:00Z');

const careOn = (ledger: MemoryCareLedger) =>
  new CustomerCareService({ ledger, policy: loadPolicy(), defaultTimeZone: 'UTC', clock: () => AT });

const ledgerWith = (customers: Customer[], invoices: Invoice[] = []) => {
  const ledger = new MemoryCareLedger();
  for (const who of customers) ledger.customers.set(who.customerId, who);
  for (const bill of invoices) ledger.invoices.set(bill.invoiceId, bill);
  return ledger;
};

describe('Customer care service', () => {
  it('opts a customer out once: a second click changes and records nothing', async () => {
    const ledger = ledgerWith([customer('alice')]);
    const care = careOn(ledger);
    expect(await care.optOut('alice', 'customer')).toBe('changed');
    expect(await care.optOut('alice', 'customer')).toBe('unchanged');
    expect(ledger.customers.get('alice')?.status).toBe('opted_out');
    expect(ledger.records).toEqual([
      { at: AT.toISOString(), action: 'opted_out', by: 'customer', customerId: 'alice' },
    ]);
  });

  it('names an unknown customer instead of reporting nothing changed', async () => {
    const care = careOn(ledgerWith([]));
    await expect(care.optOut('nobody', 'customer')).rejects.toThrowError(
      new NotFoundError('No customer "nobody" in the store'),
    );
    await expect(care.pause({ customerId: 'nobody', until: '2026-04-01' })).rejects.toThrowError(
      NotFoundError,
    );
    await expect(care.resume('nobody')).rejects.toThrowError(NotFoundError);
    await expect(care.dispute('inv-x', 'why')).rejects.toThrowError('No invoice "inv-x" in the store');
  });

  it('keeps every mail event, also one that changes no standing', async () => {
    const ledger = ledgerWith([customer('a', { status: 'opted_out' }), customer('b')]);
    ledger.customers.set('b', { ...customer('b'), email: 'a@customer.example' });
    const verdict = {
      email: 'a@customer.example',
      action: 'bounced' as const,
      at: '2026-03-09T09:00:00.000Z',
      reason: 'Permanent/General',
      reference: 'feedback-1',
    };
    const outcome = await careOn(ledger).applyMailVerdict(verdict);
    expect(outcome.customers).toEqual([
      { customerId: 'a', outcome: 'unchanged' },
      { customerId: 'b', outcome: 'changed' },
    ]);
    expect(ledger.customers.get('a')?.status).toBe('opted_out');
    expect(ledger.customers.get('b')?.status).toBe('bounced');
    expect(ledger.records.map((event) => [event.customerId, event.action, event.by])).toEqual([
      ['a', 'bounced', 'mail'],
      ['b', 'bounced', 'mail'],
    ]);
    const soft = await careOn(ledger).applyMailVerdict({
      ...verdict,
      action: 'soft_bounced',
      email: 'nobody@x',
    });
    expect(soft.customers).toEqual([]);
  });

  it('resumes only a held-back customer, recording what it replaced', async () => {
    const ledger = ledgerWith([
      customer('held', { status: 'bounced', pausedUntil: '2026-04-01' }),
      customer('ok'),
    ]);
    const care = careOn(ledger);
    const resumed = await care.resume('held', 'called us');
    expect(resumed.changed).toBe(true);
    expect(resumed.customer.status).toBe('active');
    expect(resumed.customer.pausedUntil).toBeUndefined();
    expect(ledger.records).toEqual([
      expect.objectContaining({
        action: 'resumed',
        previousStatus: 'bounced, paused until 2026-04-01',
        reason: 'called us',
      }),
    ]);
    const untouched = await care.resume('ok');
    expect(untouched).toEqual({ customer: customer('ok'), previous: customer('ok'), changed: false });
    expect(ledger.records).toHaveLength(1);
  });

  it('disputes once, and undisputes by re-reading when a concurrent write bumped the version', async () => {
    const ledger = ledgerWith([customer('c')], [invoice('inv-1', 'c', { dueDate: '2026-03-01' })]);
    const care = careOn(ledger);
    expect((await care.dispute('inv-1', 'wrong amount')).outcome).toBe('changed');
    expect((await care.dispute('inv-1', 'again')).outcome).toBe('unchanged');
    ledger.racingWrites = 2;
    const undisputed = await care.undispute('inv-1');
    expect(undisputed.outcome).toBe('changed');
    expect(ledger.invoices.get('inv-1')?.flags).toEqual([]);
    expect(ledger.records.map((event) => event.action)).toEqual(['disputed', 'undisputed']);
    expect((await care.undispute('inv-1')).outcome).toBe('unchanged');
  });

  it('gives up on an invoice that keeps changing, and refuses to resolve a flag it does not carry', async () => {
    const ledger = ledgerWith([customer('c')], [invoice('inv-1', 'c', { flags: ['currency_mismatch'] })]);
    const care = careOn(ledger);
    ledger.racingWrites = 8;
    await expect(
      care.resolve({ invoiceId: 'inv-1', flag: 'currency_mismatch', reason: 'fixed' }),
    ).rejects.toThrowError('invoice inv-1 kept changing; try again');
    expect(ledger.records).toEqual([]);
    await expect(
      care.resolve({ invoiceId: 'inv-1', flag: 'amount_inexact', reason: 'x' }),
    ).rejects.toThrowError(UserInputError);
  });
});
