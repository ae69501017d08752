/**
 * date-holidays' data (data/holidays.json) cut down to what the run asks of it: the national calendar
 * of every country, without its states and regions, and each holiday named in one language (the
 * country's first). The run only ever asks which whole days are national public holidays; the full
 * data, with every region and names in many languages, was two thirds of what the calendar added to
 * the run Lambda's bundle. `npm run holidays:data` writes the result to national-holidays.json, and a
 * test checks it matches the installed date-holidays and gives the same days off.
 */

interface HolidayRule {
  readonly name?: Readonly<Record<string, string>> | string;
  readonly [field: string]: unknown;
}

interface CountryCalendar {
  readonly names?: unknown;
  readonly langs?: readonly string[];
  readonly days?: Readonly<Record<string, HolidayRule | null>>;
  readonly states?: unknown;
  readonly regions?: unknown;
  readonly [field: string]: unknown;
}

export interface HolidaysData {
  readonly version?: unknown;
  readonly license?: unknown;
  readonly holidays: Readonly<Record<string, CountryCalendar>>;
  readonly names?: unknown;
}

/**
 * One name per holiday is enough: the parser tells two holidays on the same day apart by name, and
 * names that differ in every language differ in one.
 */
const oneLanguage = (rule: HolidayRule | null, language: string): HolidayRule | null => {
  if (!rule || typeof rule.name !== 'object') return rule;
  const names = rule.name;
  const name = names[language] ?? names.en ?? Object.values(names)[0];
  return name === undefined ? rule : { ...rule, name: { [language]: name } };
};

const nationalCalendar = (calendar: CountryCalendar): CountryCalendar => {
  const { states: _states, regions: _regions, names: _names, ...national } = calendar;
  const language = calendar.langs?.[0] ?? 'en';
  const days = Object.fromEntries(
    Object.entries(calendar.days ?? {}).map(([rule, definition]) => [
      rule,
      oneLanguage(definition, language),
    ]),
  );
  return { ...national, days };
};

export const nationalCalendars = (data: HolidaysData): HolidaysData => ({
  version: data.version,
  license: data.license,
  holidays: Object.fromEntries(
    Object.entries(data.holidays).map(([country, calendar]) => [country, nationalCalendar(calendar)]),
  ),
  names: data.names,
});
