import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import stringWidth from 'string-width';
import type { Page } from '../../functions/shared/adapters/dynamodb/store-listing.ts';
import { buildStoreListing } from '../../functions/shared/composition/ledger-reads.ts';
import {
  INVOICE_LISTING_STATUSES,
  type InvoiceListingFilter,
  type ListedCustomer,
  type ListedInvoice,
  listedCustomer,
  listedInvoice,
} from '../../functions/shared/domain/listing/statuses.ts';
import { formatMoney } from '../../functions/shared/domain/money.ts';
import { action, type CommonOptions, withCommonOptions } from '../command.ts';
import { createCliContext } from '../context.ts';
import { printJson, printLine } from '../output.ts';

interface PageFlags extends CommonOptions {
  readonly limit: number;
  readonly next?: string;
}

interface InvoiceFlags extends PageFlags {
  readonly customer?: string;
  readonly status?: InvoiceListingFilter;
}

const MAX_LIMIT = 1000;

const parseLimit = (text: string): number => {
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_LIMIT}`);
  return limit;
};

const parseStatus = (text: string): InvoiceListingFilter => {
  const status = text.trim().toLowerCase();
  if (!(INVOICE_LISTING_STATUSES as readonly string[]).includes(status))
    throw new InvalidArgumentError(`expected one of ${INVOICE_LISTING_STATUSES.join(', ')}`);
  return status as InvoiceListingFilter;
};

const withPaging = (command: Command): Command =>
  withCommonOptions(
    command
      .option('--limit <n>', `lines per page, 1 to ${MAX_LIMIT}`, parseLimit, 50)
      .option('--next <token>', 'the next page: the token the previous page printed'),
  );

const printNext = (page: Page<unknown>, command: string) => {
  if (page.next) printLine(`More: ${command} --next ${page.next}`);
};

/** Columns as wide as their widest cell on the page, measured as a terminal shows them (CJK is two). */
const printTable = (header: readonly string[], rows: readonly (readonly string[])[]) => {
  const widths = header.map((title, column) =>
    Math.max(stringWidth(title), ...rows.map((row) => stringWidth(row[column] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === cells.length - 1 ? cell : cell + ' '.repeat((widths[column] ?? 0) - stringWidth(cell)),
      )
      .join('  ');
  printLine(line(header));
  for (const row of rows) printLine(line(row));
};

const printInvoices = (page: Page<ListedInvoice>, flags: InvoiceFlags) => {
  if (page.items.length === 0) printLine('No invoices.');
  else
    printTable(
      ['invoice', 'number', 'customer', 'due', 'outstanding', 'status'],
      page.items.map((line) => [
        line.invoiceId,
        line.invoiceNumber,
        line.customerId,
        line.dueDate,
        formatMoney(line.outstanding, line.currency, 'en-US'),
        line.status,
      ]),
    );
  const filters = [
    ...(flags.customer ? ['--customer', flags.customer] : []),
    ...(flags.status ? ['--status', flags.status] : []),
    ...(flags.limit !== 50 ? ['--limit', String(flags.limit)] : []),
  ];
  printNext(page, ['dunning invoices', ...filters].join(' '));
};

export const registerInvoices = (program: Command): void => {
  withPaging(
    program
      .command('invoices')
      .description('the invoices the store holds, a page at a time')
      .option('--customer <id>', "only this customer's invoices (in invoice id order)")
      .option('--status <status>', `only ${INVOICE_LISTING_STATUSES.join(', ')} invoices`, parseStatus)
      .addHelpText(
        'after',
        '\nStatus: paid (nothing outstanding), held (owed, but reminders are stopped: a dispute or other\n' +
          'flag, or the customer paused, opted out or bounced), open (owed and being collected),\n' +
          'handed_off (passed to a person).\n\nExamples:\n  dunning invoices --status open\n' +
          '  dunning invoices --customer C-100 --json',
      ),
  ).action(
    action(async (flags: InvoiceFlags) => {
      const context = await createCliContext(flags);
      try {
        const now = new Date();
        const page = await buildStoreListing(context).invoices({
          limit: flags.limit,
          ...(flags.next ? { next: flags.next } : {}),
          ...(flags.customer ? { customerId: flags.customer } : {}),
          ...(flags.status ? { storedStatus: flags.status === 'paid' ? 'paid' : 'open' } : {}),
          select: (invoice, customer) => {
            const line = listedInvoice(invoice, customer, now);
            return flags.status && line.status !== flags.status ? undefined : line;
          },
        });
        if (flags.json) printJson({ invoices: page.items, next: page.next });
        else printInvoices(page, flags);
        return 0;
      } finally {
        context.close();
      }
    }),
  );
};

const printCustomers = (page: Page<ListedCustomer>, flags: PageFlags) => {
  if (page.items.length === 0) printLine('No customers.');
  else
    printTable(
      ['customer', 'name', 'email', 'status'],
      page.items.map((line) => [line.customerId, line.name, line.email, line.status]),
    );
  printNext(page, `dunning customers${flags.limit !== 50 ? ` --limit ${flags.limit}` : ''}`);
};

export const registerCustomers = (program: Command): void => {
  withPaging(
    program
      .command('customers')
      .description('the customers the store holds, a page at a time')
      .addHelpText(
        'after',
        '\nStatus: active, paused, opted_out, bounced or disputed.\n\nExample:\n  dunning customers --json',
      ),
  ).action(
    action(async (flags: PageFlags) => {
      const context = await createCliContext(flags);
      try {
        const now = new Date();
        const page = await buildStoreListing(context).customers(
          { limit: flags.limit, ...(flags.next ? { next: flags.next } : {}) },
          (customer) => listedCustomer(customer, now),
        );
        if (flags.json) printJson({ customers: page.items, next: page.next });
        else printCustomers(page, flags);
        return 0;
      } finally {
        context.close();
      }
    }),
  );
};
