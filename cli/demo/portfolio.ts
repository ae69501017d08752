import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importDepsOf, importFile } from '../../functions/shared/composition/import.ts';
import type { Composition } from '../../functions/shared/composition/root.ts';
import { addDays, localDate } from '../../functions/shared/domain/calendar.ts';
import type { ImportColumn } from '../../functions/shared/domain/import/columns.ts';
import { formatImportSummary } from '../../functions/shared/domain/import/summary.ts';
import { toMajorString } from '../../functions/shared/domain/money.ts';

/**
 * A made-up but plausible receivables portfolio for the local stack and for load tests: customers
 * across currencies, languages and zones, with invoices at every stage of the dunning policy
 * relative to "today". Deterministic for a given seed and day.
 */

export type PortfolioRow = Readonly<Partial<Record<ImportColumn, string>>>;

interface Profile {
  readonly locale: string;
  readonly timeZone: string;
  readonly currency: string;
  /** Smallest and largest invoice, minor units. */
  readonly range: readonly [number, number];
  readonly names: readonly string[];
  /** The mail domain of a name not written in Latin letters. */
  readonly domains?: Readonly<Record<string, string>>;
  readonly street: string;
}

const PROFILES: readonly Profile[] = [
  {
    locale: 'en-US',
    timeZone: 'America/Los_Angeles',
    currency: 'USD',
    range: [15_000, 2_500_000],
    names: [
      'Pacific Coast Outfitters',
      'Sierra Analytics',
      'Golden Gate Bakery Supply',
      'Redwood Dental Group',
    ],
    street: '500 Market Street\nSan Francisco, CA 94105',
  },
  {
    locale: 'en-US',
    timeZone: 'America/New_York',
    currency: 'USD',
    range: [20_000, 4_000_000],
    names: [
      'Hudson Freight Partners',
      'Liberty Print Works',
      'Empire Office Furniture',
      'Brooklyn Coffee Roasters',
    ],
    street: '350 Fifth Avenue\nNew York, NY 10118',
  },
  {
    locale: 'en-US',
    timeZone: 'America/St_Johns',
    currency: 'USD',
    range: [10_000, 900_000],
    names: [
      'Signal Hill Fisheries',
      'Avalon Marine Services',
      'Quidi Vidi Brewing Supply',
      'Cabot Tower Tours',
    ],
    street: '1 Water Street\nSt. John’s, NL A1C 1A1',
  },
  {
    locale: 'en-GB',
    timeZone: 'Europe/London',
    currency: 'GBP',
    range: [12_000, 1_800_000],
    names: [
      'Thames Valley Logistics',
      'Brighton & Hove Catering',
      'Pennine Engineering Ltd',
      'Camden Studio Hire',
    ],
    street: '221B Baker Street\nLondon NW1 6XE',
  },
  {
    locale: 'en-GB',
    timeZone: 'Asia/Kolkata',
    currency: 'USD',
    range: [25_000, 3_000_000],
    names: [
      'Bengaluru Software Services',
      'Chennai Textiles Export',
      'Mumbai Spice Traders',
      'Delhi Medical Devices',
    ],
    street: '12 MG Road\nBengaluru 560001',
  },
  {
    locale: 'en-GB',
    timeZone: 'Pacific/Auckland',
    currency: 'GBP',
    range: [9_000, 700_000],
    names: [
      'Waitemata Wine Merchants',
      'Kiwi Orchard Co-operative',
      'Southern Alps Adventures',
      'Harbour Bridge Consulting',
    ],
    street: '1 Queen Street\nAuckland 1010',
  },
  {
    locale: 'en-GB',
    timeZone: 'Asia/Kuwait',
    currency: 'KWD',
    range: [45_000, 4_500_000],
    names: ['Gulf Pearl Trading', 'Al Hamra Contracting', 'Failaka Marine Supplies', 'Salmiya Electronics'],
    street: 'Al Shuhada Street\nKuwait City 15463',
  },
  {
    locale: 'de-DE',
    timeZone: 'Europe/Berlin',
    currency: 'EUR',
    range: [10_000, 2_200_000],
    names: [
      'Müller Maschinenbau GmbH',
      'Schwarzwald Holzhandel KG',
      'Spree Digitalagentur',
      'Hansa Kaffeerösterei',
    ],
    street: 'Friedrichstraße 43\n10117 Berlin',
  },
  {
    locale: 'fr-FR',
    timeZone: 'Europe/Paris',
    currency: 'EUR',
    range: [8_000, 1_500_000],
    names: ['Boulangeries Dupont SARL', 'Atelier Lumière', 'Transports Garnier', 'Vignobles de Loire'],
    street: '8 rue de Rivoli\n75004 Paris',
  },
  {
    locale: 'es-ES',
    timeZone: 'Europe/Madrid',
    currency: 'EUR',
    range: [9_000, 1_200_000],
    names: [
      'Distribuciones Ibéricas SL',
      'Olivares del Sur',
      'Construcciones Castilla',
      'Cerámicas Valencia',
    ],
    street: 'Calle de Alcalá 50\n28014 Madrid',
  },
  {
    locale: 'ja-JP',
    timeZone: 'Asia/Tokyo',
    currency: 'JPY',
    range: [20_000, 3_000_000],
    names: ['株式会社さくら商事', 'Tanaka Precision K.K.', '富士山物流株式会社', 'Osaka Food Service'],
    domains: { 株式会社さくら商事: 'sakura-shoji', 富士山物流株式会社: 'fujisan-butsuryu' },
    street: '東京都千代田区丸の内1-1\n100-0005',
  },
];

/**
 * Days past the due date as of today, one per stage window of policy/dunning.json: not yet due,
 * the courtesy window, then 1-13, 14-29, 30-44 and 45+ days overdue.
 */
const DAYS_OVERDUE = [-25, -12, -3, -2, -1, 0, 1, 4, 9, 14, 21, 30, 37, 45, 52, 75];

/** mulberry32: a tiny seeded generator, so the same seed always yields the same portfolio. */
export const seededRandom = (seed: number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

/** Letters whose ASCII spelling is two letters, as a mail domain writes them (Müller -> mueller). */
const SPELLED: Readonly<Record<string, string>> = {
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
  ß: 'ss',
  æ: 'ae',
  ø: 'oe',
  å: 'aa',
};

/**
 * A mail domain label for a company name, in plain ASCII as real domains are: accents dropped
 * (Lumière -> lumiere), German umlauts spelled out; a name in another script has its romanized
 * domain in the profile.
 */
const slug = (text: string, domains: Readonly<Record<string, string>> = {}) =>
  domains[text] ??
  (text
    .toLowerCase()
    .replace(/[äöüßæøå]/g, (letter) => SPELLED[letter] ?? letter)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') ||
    'customer');

export interface PortfolioOptions {
  /** ISO date the portfolio is relative to. */
  readonly today: string;
  readonly seed?: number;
  readonly customers?: number;
  readonly invoices?: number;
  /** Prefix of invoice and customer ids (so load-test data never collides with the demo). */
  readonly idPrefix?: string;
}

/** The portfolio's rows, one per invoice, generated lazily so 100k rows take no memory. */
export function* portfolioRows(options: PortfolioOptions): Generator<PortfolioRow> {
  const random = seededRandom(options.seed ?? 20_260_401);
  const customers = options.customers ?? 36;
  const invoices = options.invoices ?? 84;
  const prefix = options.idPrefix ?? 'DEMO';
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  for (let number = 0; number < invoices; number += 1) {
    // Every customer gets one invoice before anyone gets a second; stages cycle so each appears.
    const customer = number % customers;
    const profile = PROFILES[customer % PROFILES.length] as Profile;
    const round = Math.floor(customer / PROFILES.length);
    const baseName = profile.names[round % profile.names.length] as string;
    // Past the hand-written names (load tests), a branch number keeps every name distinct.
    const name =
      round < profile.names.length ? baseName : `${baseName} ${Math.floor(round / profile.names.length) + 1}`;
    const overdue = DAYS_OVERDUE[(number + Math.floor(number / customers)) % DAYS_OVERDUE.length] as number;
    const dueDate = addDays(options.today, -overdue);
    const [low, high] = profile.range;
    const amount = low + Math.floor(random() * (high - low));
    // Yen amounts in whole hundreds, others to the cent (fils for KWD).
    const amountDue = profile.currency === 'JPY' ? Math.max(100, Math.round(amount / 100) * 100) : amount;
    const partlyPaid = random() < 0.2 ? Math.floor(amountDue * pick([0.25, 0.4, 0.5])) : 0;
    const customerId = `${prefix}-C${String(customer + 1).padStart(4, '0')}`;
    const invoiceId = `${prefix}-${String(number + 1).padStart(6, '0')}`;
    yield {
      invoice_id: invoiceId,
      invoice_number: `INV-${options.today.slice(0, 4)}-${String(number + 1).padStart(5, '0')}`,
      customer_id: customerId,
      customer_name: name,
      customer_email: `accounts+${customer + 1}@${slug(baseName, profile.domains)}.example`,
      currency: profile.currency,
      amount_due: toMajorString(amountDue, profile.currency),
      amount_paid: partlyPaid > 0 ? toMajorString(partlyPaid, profile.currency) : '',
      issue_date: addDays(dueDate, -30),
      due_date: dueDate,
      customer_locale: profile.locale,
      customer_timezone: profile.timeZone,
      customer_address: `${name}\n${profile.street}`,
    };
  }
}

const CSV_COLUMNS: readonly ImportColumn[] = [
  'invoice_id',
  'invoice_number',
  'customer_id',
  'customer_name',
  'customer_email',
  'currency',
  'amount_due',
  'amount_paid',
  'issue_date',
  'due_date',
  'customer_locale',
  'customer_timezone',
  'customer_address',
];

const csvCell = (value = '') => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** Writes rows as an RFC 4180 CSV file (CRLF, quoted where needed), streaming. */
export const writePortfolioCsv = async (file: string, rows: Iterable<PortfolioRow>): Promise<void> => {
  const out = createWriteStream(file, { encoding: 'utf8' });
  const write = async (line: string) => {
    if (!out.write(`${line}\r\n`)) await once(out, 'drain');
  };
  await write(CSV_COLUMNS.join(','));
  for (const row of rows) await write(CSV_COLUMNS.map((column) => csvCell(row[column])).join(','));
  out.end();
  await once(out, 'finish');
};

/**
 * Imports the demo portfolio through the same path as `dunning import` (a CSV file in a temporary
 * folder), dated relative to today in the deployment's zone. Returns the import summary as text.
 */
export const seedDemoPortfolio = async (
  app: Composition,
  options: { now?: Date; seed?: number } = {},
): Promise<string> => {
  const today = localDate(options.now ?? new Date(), app.settings.deploymentTimeZone);
  const folder = await mkdtemp(join(tmpdir(), 'dunning-demo-'));
  const file = join(folder, 'demo-portfolio.csv');
  try {
    await writePortfolioCsv(file, portfolioRows({ today, seed: options.seed }));
    const summary = await importFile(importDepsOf(app), file, { label: DEMO_IMPORT_LABEL });
    return formatImportSummary(summary);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
};

/** How the demo's records are told from a user's own: their ids and the customers' made-up addresses. */
export interface DemoIdentity {
  /** Customer id -> the address the demo gave that customer. */
  readonly customers: ReadonlyMap<string, string>;
  /** Invoice id -> its customer id. */
  readonly invoices: ReadonlyMap<string, string>;
}

/** The ids `seedDemoPortfolio` writes; they do not depend on the day or the seed, only the amounts do. */
export const demoIdentity = (): DemoIdentity => {
  const customers = new Map<string, string>();
  const invoices = new Map<string, string>();
  for (const row of portfolioRows({ today: '2026-01-01' })) {
    customers.set(row.customer_id as string, row.customer_email as string);
    invoices.set(row.invoice_id as string, row.customer_id as string);
  }
  return { customers, invoices };
};

/** The label the demo's import record carries (`dunning demo --remove` deletes those records too). */
export const DEMO_IMPORT_LABEL = 'demo portfolio';
