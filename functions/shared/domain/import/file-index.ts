import { rowDigest } from './records.ts';
import type { ImportRow } from './row-schema.ts';

/**
 * What the validation pass keeps of a file to check it as a whole and to guide the write pass: per
 * invoice its first row and a row digest, per customer its newest row and zone. Two small strings
 * per row, never the rows themselves, so 100k rows stay within a few tens of MB.
 */
export class FileIndex {
  private readonly invoices = new Map<string, string>();
  private readonly customers = new Map<string, { lastRow: number; timeZone: string }>();

  /** Records a valid row; returns the earlier row it conflicts with (same id, other data), if any. */
  add(rowNumber: number, row: ImportRow): number | undefined {
    const fingerprint = rowDigest(row);
    const seen = this.invoices.get(row.invoiceId);
    if (seen !== undefined) {
      const separator = seen.indexOf(':');
      const firstRow = Number(seen.slice(0, separator));
      if (seen.slice(separator + 1) !== fingerprint) return firstRow;
    } else {
      this.invoices.set(row.invoiceId, `${rowNumber}:${fingerprint}`);
    }
    this.customers.set(row.customerId, { lastRow: rowNumber, timeZone: row.timeZone });
    return undefined;
  }

  /** Identical duplicates are imported once, from their first row. */
  isFirstRowOf(invoiceId: string, rowNumber: number): boolean {
    return this.invoices.get(invoiceId)?.startsWith(`${rowNumber}:`) ?? false;
  }

  /** Customer fields repeat per row; the newest row in file order wins. */
  isNewestRowOf(customerId: string, rowNumber: number): boolean {
    return this.customers.get(customerId)?.lastRow === rowNumber;
  }

  customerTimeZone(customerId: string): string | undefined {
    return this.customers.get(customerId)?.timeZone;
  }

  get invoiceCount(): number {
    return this.invoices.size;
  }

  get customerCount(): number {
    return this.customers.size;
  }
}
