import { rowDigest } from './records.ts';
import type { ImportRow } from './row-schema.ts';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The first 48 bits of a row digest as a number: a double holds them exactly, in 8 bytes, not 60. */
const fingerprintOf = (row: ImportRow): number => {
  const digest = rowDigest(row);
  let value = 0;
  for (let index = 0; index < 8; index += 1) value = value * 64 + BASE64URL.indexOf(digest.charAt(index));
  return value;
};

/** A column of numbers that grows by doubling: one typed array, no object per row. */
class NumberColumn {
  private values = new Float64Array(1024);

  get(slot: number): number {
    return this.values[slot] ?? Number.NaN;
  }

  set(slot: number, value: number): void {
    if (slot >= this.values.length) {
      const grown = new Float64Array(Math.max(slot + 1, this.values.length * 2));
      grown.set(this.values);
      this.values = grown;
    }
    this.values[slot] = value;
  }
}

/**
 * What the validation pass keeps of a file to check it as a whole and to guide the write pass: per
 * invoice its first row and a row fingerprint, per customer its newest row and zone. It is the one
 * part of an import's memory that grows with the file, and the garbage collector lets the heap grow
 * to a multiple of what stays live, so it is kept small: a map from id to slot, the numbers in typed
 * columns, each zone name once. 100k rows take a few MB.
 */
export class FileIndex {
  private readonly invoiceSlots = new Map<string, number>();
  private readonly firstRows = new NumberColumn();
  private readonly fingerprints = new NumberColumn();
  private readonly customerSlots = new Map<string, number>();
  private readonly lastRows = new NumberColumn();
  private readonly customerZones = new NumberColumn();
  private readonly zoneSlots = new Map<string, number>();
  private readonly zones: string[] = [];

  private zoneSlot(timeZone: string): number {
    let slot = this.zoneSlots.get(timeZone);
    if (slot === undefined) {
      slot = this.zones.push(timeZone) - 1;
      this.zoneSlots.set(timeZone, slot);
    }
    return slot;
  }

  /** Records a valid row; returns the earlier row it conflicts with (same id, other data), if any. */
  add(rowNumber: number, row: ImportRow): number | undefined {
    const fingerprint = fingerprintOf(row);
    const seen = this.invoiceSlots.get(row.invoiceId);
    if (seen !== undefined) {
      if (this.fingerprints.get(seen) !== fingerprint) return this.firstRows.get(seen);
    } else {
      const slot = this.invoiceSlots.size;
      this.invoiceSlots.set(row.invoiceId, slot);
      this.firstRows.set(slot, rowNumber);
      this.fingerprints.set(slot, fingerprint);
    }
    let customer = this.customerSlots.get(row.customerId);
    if (customer === undefined) {
      customer = this.customerSlots.size;
      this.customerSlots.set(row.customerId, customer);
    }
    this.lastRows.set(customer, rowNumber);
    this.customerZones.set(customer, this.zoneSlot(row.timeZone));
    return undefined;
  }

  /** Identical duplicates are imported once, from their first row. */
  isFirstRowOf(invoiceId: string, rowNumber: number): boolean {
    const slot = this.invoiceSlots.get(invoiceId);
    return slot !== undefined && this.firstRows.get(slot) === rowNumber;
  }

  /** Customer fields repeat per row; the newest row in file order wins. */
  isNewestRowOf(customerId: string, rowNumber: number): boolean {
    const slot = this.customerSlots.get(customerId);
    return slot !== undefined && this.lastRows.get(slot) === rowNumber;
  }

  customerTimeZone(customerId: string): string | undefined {
    const slot = this.customerSlots.get(customerId);
    return slot === undefined ? undefined : this.zones[this.customerZones.get(slot)];
  }

  get invoiceCount(): number {
    return this.invoiceSlots.size;
  }

  get customerCount(): number {
    return this.customerSlots.size;
  }
}
