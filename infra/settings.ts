import type { LocalConfig } from '../functions/shared/config.ts';
import type { BusinessHours } from '../functions/shared/domain/business-hours.ts';

/**
 * The deployment's settings as the stack needs them: plain strings, already validated. The app reads
 * the environment once (through the shared zod schema) and hands these in, so constructs never read
 * `process.env` and tests build stacks with any settings they like.
 */
export interface DunningSettings {
  readonly timeZone: string;
  /** `HH:MM` in `timeZone`. */
  readonly runAt: string;
  /** The `DUNNING_BUSINESS_HOURS` notation, passed through to the Lambdas. */
  readonly businessHours: string;
  readonly from: string;
  readonly paymentUrl: string;
}

const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

const clock = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Writes parsed business hours back in the notation the Lambdas parse, so the default lives in config.ts only. */
export const formatBusinessHours = (hours: BusinessHours): string =>
  `${hours.days.map((day) => WEEKDAY_NAMES[day - 1]).join(',')} ${clock(hours.opensAt)}-${clock(hours.closesAt)}`;

export const settingsFromConfig = (config: LocalConfig): DunningSettings => ({
  timeZone: config.DUNNING_TIME_ZONE,
  runAt: config.DUNNING_RUN_AT,
  businessHours: formatBusinessHours(config.DUNNING_BUSINESS_HOURS),
  from: config.DUNNING_FROM,
  paymentUrl: config.DUNNING_PAYMENT_URL,
});

/** The settings every Lambda parses with `lambdaConfigSchema` (functions/shared/config.ts). */
export const settingsEnvironment = (settings: DunningSettings): Record<string, string> => ({
  DUNNING_TIME_ZONE: settings.timeZone,
  DUNNING_BUSINESS_HOURS: settings.businessHours,
  DUNNING_RUN_AT: settings.runAt,
  DUNNING_FROM: settings.from,
  DUNNING_PAYMENT_URL: settings.paymentUrl,
});
