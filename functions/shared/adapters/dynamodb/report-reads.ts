import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { forEachLimited } from '../../concurrency.ts';
import type { Customer, Invoice, Payment } from '../../domain/model.ts';
import type { ReportInvoice, ReportReader, UnmatchedPayment } from '../../domain/report/ports.ts';
import { batchGetAll } from './batches.ts';
import { customerKey, invoiceKey } from './keys.ts';
import { type Item, itemToCustomer, itemToInvoice } from './ledger-items.ts';
import { scanPages } from './paging.ts';
import { DynamoPaymentLedger } from './payment-ledger.ts';
import { DynamoUnmatchedEvents } from './unmatched-events.ts';

/** Parallel scan segments over the invoice listing; a few keep one CLI process busy without throttling. */
const SEGMENTS = 4;
const PAYMENT_QUERIES_IN_FLIGHT = 8;
// `pk` keys the batch's result map.
const CUSTOMER_FIELDS = [
  'pk',
  'customerId',
  'name',
  'email',
  'locale',
  'timeZone',
  'status',
  'pausedUntil',
  'pauseReason',
];

const INVOICE_SK = invoiceKey('').sk;

const toReportInvoice = (item: Item): ReportInvoice => ({
  ...itemToInvoice(item),
  ...(item.callTask ? { callTask: item.callTask as ReportInvoice['callTask'] } : {}),
});

/**
 * How the aging report reads the Ledger. The report needs every invoice (open ones for aging, settled
 * ones for what was recovered in the period), and the GSI `byCustomer` already is a sparse listing of
 * exactly the invoices: only invoice items carry `customerPk`. So the report scans that index, in
 * parallel segments, and never the table, whose payment, reminder, skip, claim and staging items it
 * would pay to read and throw away. A dedicated `byKind` listing would do no better for reads and
 * would add an index write to every claim and payment; this one is already paid for.
 * Index reads are eventually consistent, which a report as of a moment can afford.
 */
export class DynamoReportReads implements ReportReader {
  private readonly ledger: DynamoPaymentLedger;
  private readonly unmatched: DynamoUnmatchedEvents;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    deploymentTimeZone: string,
    /** Tests page through small stores with these; a page is otherwise DynamoDB's 1 MB. */
    private readonly scan: { readonly segments?: number; readonly pageSize?: number } = {},
  ) {
    this.ledger = new DynamoPaymentLedger(client, tableName, deploymentTimeZone);
    this.unmatched = new DynamoUnmatchedEvents(client, tableName);
  }

  async forEachInvoicePage(onPage: (invoices: readonly ReportInvoice[]) => Promise<void>): Promise<void> {
    const segments = this.scan.segments ?? SEGMENTS;
    const segment = async (index: number) => {
      const pages = scanPages(this.client, {
        TableName: this.tableName,
        IndexName: 'byCustomer',
        Segment: index,
        TotalSegments: segments,
        ...(this.scan.pageSize ? { Limit: this.scan.pageSize } : {}),
      });
      // Only invoice items carry the index's keys today; the check keeps it so if another item ever does.
      for await (const items of pages)
        await onPage(items.filter((item) => item.sk === INVOICE_SK).map(toReportInvoice));
    };
    await Promise.all(Array.from({ length: segments }, (_, index) => segment(index)));
  }

  async customers(customerIds: readonly string[]): Promise<ReadonlyMap<string, Customer>> {
    const items = await batchGetAll(
      this.client,
      this.tableName,
      customerIds.map(customerKey),
      CUSTOMER_FIELDS,
    );
    return new Map(
      [...items.values()].map(itemToCustomer).map((customer) => [customer.customerId, customer]),
    );
  }

  async payments(
    invoices: readonly Pick<Invoice, 'invoiceId' | 'appliedEventIds' | 'settlements'>[],
  ): Promise<ReadonlyMap<string, readonly Payment[]>> {
    const found = new Map<string, readonly Payment[]>();
    await forEachLimited(invoices, PAYMENT_QUERIES_IN_FLIGHT, async (invoice) => {
      found.set(invoice.invoiceId, await this.ledger.listPayments(invoice));
    });
    return found;
  }

  unmatchedPayments(): Promise<readonly UnmatchedPayment[]> {
    return this.unmatched.listAll();
  }
}
