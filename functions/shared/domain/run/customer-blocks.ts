import type { Customer } from '../model.ts';
import type { RunLedger } from './ports.ts';

/** One batch read's worth (DynamoDB BatchGetItem takes 100 keys). */
export const CUSTOMER_BLOCK = 100;

/**
 * The run's customers, read in blocks in the order the run works them, the next block read while
 * this one is worked: a pool of a hundred customers never waits on a read per customer, and only two
 * blocks are held at a time, whatever the portfolio.
 */
export class CustomerBlocks {
  private readonly blocks = new Map<number, Promise<Map<string, Customer>>>();

  constructor(
    private readonly ledger: Pick<RunLedger, 'readCustomers'>,
    private readonly customerIds: readonly string[],
  ) {}

  /** The customer at `index` of the order; undefined when it has no item (deleted since indexed). */
  async at(index: number): Promise<Customer | undefined> {
    const block = Math.floor(index / CUSTOMER_BLOCK);
    this.blocks.delete(block - 1);
    const current = this.read(block);
    this.read(block + 1);
    return (await current).get(this.customerIds[index] as string);
  }

  private read(block: number): Promise<Map<string, Customer>> {
    const held = this.blocks.get(block);
    if (held) return held;
    const ids = this.customerIds.slice(block * CUSTOMER_BLOCK, (block + 1) * CUSTOMER_BLOCK);
    const reading = ids.length > 0 ? this.ledger.readCustomers(ids) : Promise.resolve(new Map());
    // A read ahead that fails is reported when its block is reached, never as an unhandled rejection.
    reading.catch(() => undefined);
    this.blocks.set(block, reading);
    return reading;
  }
}
