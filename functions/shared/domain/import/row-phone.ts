import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import type { CellProblem } from './problems.ts';

/**
 * A phone number in international notation, read as E.164 or, without a leading +, as a national
 * number of `countryCode`; the reason it cannot be read otherwise.
 */
export const readPhone = (
  text: string,
  countryCode: string | undefined,
): { phone: string } | { reason: string } => {
  const international = text.startsWith('+') || text.startsWith('00');
  if (!international && !countryCode)
    return {
      reason: 'a national number needs customer_country (or write it in E.164, e.g. "+442079460958")',
    };
  const parsed = parsePhoneNumberFromString(
    text.startsWith('00') ? `+${text.slice(2)}` : text,
    international ? undefined : (countryCode as CountryCode),
  );
  if (!parsed?.isValid())
    return {
      reason: international
        ? 'not a valid phone number in E.164 (e.g. "+442079460958")'
        : `not a valid phone number in ${countryCode}`,
    };
  return { phone: parsed.formatInternational() };
};

/** The phone in international notation, or its problem, once the row's country is known. */
export const checkPhone = (
  phoneText: string | undefined,
  countryCode: string | undefined,
  problems: CellProblem[],
): string | undefined => {
  if (phoneText === undefined) return undefined;
  const read = readPhone(phoneText, countryCode);
  if ('reason' in read) {
    problems.push({ column: 'customer_phone', value: phoneText, reason: read.reason });
    return undefined;
  }
  return read.phone;
};
