import { MoneyFormatError, parseMajor } from '../money.ts';
import type { ImportColumn } from './columns.ts';
import type { CellProblem } from './problems.ts';

const toMinor = (
  text: string,
  code: string,
  column: ImportColumn,
  problems: CellProblem[],
): number | undefined => {
  try {
    return parseMajor(text, code);
  } catch (error) {
    if (!(error instanceof MoneyFormatError)) throw error;
    problems.push({ column, value: text, reason: error.message });
    return undefined;
  }
};

/**
 * The checks that need the currency (decimals, amount_paid within amount_due). They run whenever the
 * cells they read are valid on their own, so a row with a bad email still has its bad amount reported.
 */
export const checkAmounts = (
  cells: { currency?: string; amount_due?: string; amount_paid?: string | undefined },
  problems: CellProblem[],
): { amountDue?: number; amountPaid?: number } => {
  if (cells.currency === undefined) return {};
  const amountDue =
    cells.amount_due === undefined
      ? undefined
      : toMinor(cells.amount_due, cells.currency, 'amount_due', problems);
  const amountPaid =
    cells.amount_paid === undefined ? 0 : toMinor(cells.amount_paid, cells.currency, 'amount_paid', problems);
  if (amountDue !== undefined && amountPaid !== undefined && amountPaid > amountDue) {
    problems.push({
      column: 'amount_paid',
      value: cells.amount_paid ?? '',
      reason: `amount_paid is more than amount_due (${cells.amount_due})`,
    });
  }
  return { amountDue, amountPaid };
};
