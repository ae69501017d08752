import { daysBetween, localDate } from '../calendar.ts';

/**
 * Receivables aging: how long past its due date each open invoice is, counted in the customer's own
 * calendar (an Auckland customer's day starts almost a day before a Honolulu customer's).
 */

export const AGING_BUCKETS = ['current', 'd1_30', 'd31_60', 'd61_90', 'd90plus'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

/** Column headings for people; the JSON keeps the bucket names above. */
export const AGING_LABELS: Readonly<Record<AgingBucket, string>> = {
  current: 'Current',
  d1_30: '1-30',
  d31_60: '31-60',
  d61_90: '61-90',
  d90plus: '90+',
};

/** Days past due on the customer's calendar at `asOf`: negative before the due date, 0 on it. */
export const daysPastDue = (dueDate: string, asOf: Date, timeZone: string): number =>
  daysBetween(dueDate, localDate(asOf, timeZone));

/** Not yet overdue (due today or later) is current; then 1-30, 31-60, 61-90 and over 90 days. */
export const agingBucket = (daysOverdue: number): AgingBucket => {
  if (daysOverdue <= 0) return 'current';
  if (daysOverdue <= 30) return 'd1_30';
  if (daysOverdue <= 60) return 'd31_60';
  if (daysOverdue <= 90) return 'd61_90';
  return 'd90plus';
};

export const emptyBuckets = (): Record<AgingBucket, number> => ({
  current: 0,
  d1_30: 0,
  d31_60: 0,
  d61_90: 0,
  d90plus: 0,
});
