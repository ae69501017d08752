import { getCountryForTimezone } from 'countries-and-timezones';

/**
 * The country whose late-payment law applies to a customer imported before `customer_country`
 * existed: the one their zone names, as the import now defaults it (`Europe/Rome` -> `IT`; none for
 * `UTC`). Read once per zone.
 */
const known = new Map<string, string | undefined>();
export const lawCountryOfZone = (timeZone: string): string | undefined => {
  if (!known.has(timeZone)) known.set(timeZone, getCountryForTimezone(timeZone)?.id);
  return known.get(timeZone);
};
