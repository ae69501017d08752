import { measureDeferralSchedules } from '../deferral-schedules.ts';
import { figure, note, printFigure } from '../figures.ts';
import type { BenchProfile } from '../portfolio.ts';
import type { BenchServices } from '../services.ts';

/** Zones around the world: some share a UTC offset (so an opening instant), some are half-hour zones. */
const ZONES = [
  'Pacific/Honolulu',
  'America/Anchorage',
  'America/Los_Angeles',
  'America/Denver',
  'America/Chicago',
  'America/New_York',
  'America/Toronto',
  'America/Halifax',
  'America/St_Johns',
  'America/Sao_Paulo',
  'Atlantic/Azores',
  'Europe/London',
  'Europe/Lisbon',
  'Europe/Dublin',
  'Europe/Berlin',
  'Europe/Paris',
  'Europe/Madrid',
  'Europe/Athens',
  'Europe/Helsinki',
  'Africa/Nairobi',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Adelaide',
  'Australia/Sydney',
  'Pacific/Auckland',
];
const PROFILES: BenchProfile[] = ZONES.map((zone) => ({ zone, locale: 'en-US', currency: 'USD' }));
const CUSTOMERS_PER_ZONE = 20;

/** Saturday 12:00 UTC after the bench's Wednesday: the weekend in every zone above. */
const saturdayNoon = (wednesday: Date): Date =>
  new Date(Date.UTC(wednesday.getUTCFullYear(), wednesday.getUTCMonth(), wednesday.getUTCDate() + 3, 12));

/**
 * Schedules created for a portfolio deferred across many zones, over the distinct opening instants
 * the run deferred customers to; a second run as of the same instant (a retry) must create none.
 */
export const benchDeferrals = async (services: BenchServices): Promise<void> => {
  const tableName = 'bench-deferrals';
  const customers = ZONES.length * CUSTOMERS_PER_ZONE;
  note(`deferrals: ${customers} customers due in ${ZONES.length} zones, run on a Saturday, run twice`);
  await services.importPortfolio(tableName, {
    invoices: customers,
    prefix: 'DEF',
    dueShare: 1,
    invoicesPerCustomer: 1,
    profiles: PROFILES,
  });
  const measure = await measureDeferralSchedules({
    config: services.config,
    tableName,
    documentClient: services.documentClient,
    sesEndpoint: services.sesEndpoint,
    asOf: saturdayNoon(services.asOf),
  });
  printFigure(
    figure(
      'run.deferral_schedules_over_openings',
      measure.openings > 0 ? measure.schedulesCreated / measure.openings : Number.NaN,
      'ratio',
      { max: 1 },
      {
        schedulesCreated: measure.schedulesCreated,
        createScheduleRequests: measure.createRequests,
        openingInstants: measure.openings,
        customersDeferred: measure.customersDeferred,
        remindersDeferred: measure.deferred,
        runs: 2,
        openingInvocations: measure.schedulesCreated,
        sentByOpenings: measure.sentByOpenings,
        stillWaiting: measure.stillWaiting,
      },
    ),
  );
};
