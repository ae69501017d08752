/**
 * The country whose late-payment law a customer's zone points to, for a customer imported without
 * `customer_country`. Only the zones of the countries laws.ts knows are listed: any other zone has no
 * known law, which is the answer it would get anyway. A static table keeps the Lambdas free of a
 * time-zone database.
 */
const ZONES: Readonly<Record<string, string>> = {
  'Europe/London': 'GB',
  'Europe/Belfast': 'GB',
  'Europe/Berlin': 'DE',
  'Europe/Busingen': 'DE',
  'Europe/Paris': 'FR',
  'America/Cayenne': 'FR',
  'America/Guadeloupe': 'FR',
  'America/Martinique': 'FR',
  'Indian/Reunion': 'FR',
  'Indian/Mayotte': 'FR',
  'Europe/Vienna': 'AT',
  'Europe/Brussels': 'BE',
  'Europe/Sofia': 'BG',
  'Asia/Nicosia': 'CY',
  'Asia/Famagusta': 'CY',
  'Europe/Nicosia': 'CY',
  'Europe/Tallinn': 'EE',
  'Europe/Madrid': 'ES',
  'Africa/Ceuta': 'ES',
  'Atlantic/Canary': 'ES',
  'Europe/Helsinki': 'FI',
  'Europe/Mariehamn': 'FI',
  'Europe/Athens': 'GR',
  'Europe/Zagreb': 'HR',
  'Europe/Dublin': 'IE',
  'Europe/Rome': 'IT',
  'Europe/Vilnius': 'LT',
  'Europe/Luxembourg': 'LU',
  'Europe/Riga': 'LV',
  'Europe/Malta': 'MT',
  'Europe/Amsterdam': 'NL',
  'Europe/Lisbon': 'PT',
  'Atlantic/Azores': 'PT',
  'Atlantic/Madeira': 'PT',
  'Europe/Ljubljana': 'SI',
  'Europe/Bratislava': 'SK',
};

export const lawCountryOfZone = (timeZone: string): string | undefined => ZONES[timeZone];
