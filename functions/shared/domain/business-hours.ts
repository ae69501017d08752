/** Business hours as a finance team writes them: `Mon-Fri 09:00-17:00` or `Mon,Wed,Fri 08:30-12:00`. */
export interface BusinessHours {
  /** ISO weekdays, 1 = Monday ... 7 = Sunday. */
  readonly days: readonly number[];
  /** Minutes after local midnight. */
  readonly opensAt: number;
  readonly closesAt: number;
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const weekday = (name: string): number => {
  const index = WEEKDAYS.indexOf(name.toLowerCase() as (typeof WEEKDAYS)[number]);
  if (index < 0) throw new Error(`"${name}" is not a weekday (Mon..Sun)`);
  return index + 1;
};

const minutes = (clock: string): number => {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(clock);
  if (!match) throw new Error(`"${clock}" is not a time of day (HH:MM)`);
  return Number(match[1]) * 60 + Number(match[2]);
};

/** Parses the `DUNNING_BUSINESS_HOURS` notation; throws with the offending part named. */
export const parseBusinessHours = (text: string): BusinessHours => {
  const match = /^\s*(\S+)\s+(\d\d:\d\d)-(\d\d:\d\d)\s*$/.exec(text);
  if (!match) throw new Error('expected days and hours like "Mon-Fri 09:00-17:00"');
  const [, dayPart = '', open = '', close = ''] = match;
  const days = new Set<number>();
  for (const piece of dayPart.split(',')) {
    const [from, to] = piece.split('-');
    if (!from) throw new Error(`"${piece}" is not a weekday or range`);
    const start = weekday(from);
    const end = to === undefined ? start : weekday(to);
    if (end < start) throw new Error(`"${piece}" runs backwards`);
    for (let day = start; day <= end; day++) days.add(day);
  }
  const opensAt = minutes(open);
  const closesAt = minutes(close);
  if (closesAt <= opensAt) throw new Error(`closing time ${close} is not after opening time ${open}`);
  return { days: [...days].sort(), opensAt, closesAt };
};
