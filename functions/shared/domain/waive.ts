import { NotFoundError, UserInputError } from '../errors.ts';
import { toStoredInstant } from './calendar.ts';
import { type WaivedLedger, type WaiveTarget, waiveCharge } from './charges.ts';
import { claimForInvoice } from './interest/for-invoice.ts';
import type { ReferenceRates } from './interest/reference-rates.ts';
import type { InvoiceAudit } from './run/audit.ts';

/** What the waive use case needs of the store: the invoice's audit, and one conditional write. */
export interface ChargeLedgerPort {
  readAudit(invoiceId: string): Promise<InvoiceAudit | undefined>;
  /** Writes the new ledger if the invoice is still at the version read; false when it moved. */
  writeLedger(audit: InvoiceAudit, result: WaivedLedger): Promise<boolean>;
}

export interface WaiveRequest {
  readonly invoiceId: string;
  readonly target: WaiveTarget;
  readonly reason: string;
  readonly by: string;
}

const MAX_ATTEMPTS = 8;

/**
 * Waives one ledger entry for good: re-read and decided again whenever another writer (a run's
 * claim, a payment) moved the invoice in between, so the waiver lands on what is really there.
 */
export const waive = async (
  port: ChargeLedgerPort,
  request: WaiveRequest,
  rates: ReferenceRates,
  now: () => Date = () => new Date(),
): Promise<WaivedLedger & { readonly invoiceId: string; readonly currency: string }> => {
  const reason = request.reason.trim();
  if (!reason) throw new UserInputError('--reason must say why the charge is waived');
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const audit = await port.readAudit(request.invoiceId);
    if (!audit) throw new NotFoundError(`No invoice "${request.invoiceId}" in the store`);
    const at = now();
    const claim = request.target.kind === 'fee' ? undefined : claimForInvoice({ ...audit, asOf: at, rates });
    const claimable = claim && {
      amount: request.target.kind === 'interest' ? claim.interest : claim.compensation,
      ...(claim.law ? { law: claim.law } : {}),
      asOf: claim.asOf,
    };
    const result = waiveCharge(
      audit.invoice,
      request.target,
      { at: toStoredInstant(at), by: request.by, reason },
      claimable,
    );
    if (await port.writeLedger(audit, result)) {
      return { ...result, invoiceId: request.invoiceId, currency: audit.invoice.currency };
    }
  }
  throw new UserInputError(`Invoice ${request.invoiceId} kept changing; try the waiver again`);
};
