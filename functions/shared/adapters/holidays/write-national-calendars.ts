import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type HolidaysData, nationalCalendars } from './national-calendars.ts';

/** `npm run holidays:data`: regenerates national-holidays.json from the installed date-holidays. */
const { data } = createRequire(import.meta.url)('date-holidays/data') as { data: HolidaysData };
writeFileSync(
  new URL('./national-holidays.json', import.meta.url),
  `${JSON.stringify(nationalCalendars(data))}\n`,
);
