import { describe, expect, it } from 'vitest';
import { loadConfig, localConfigSchema } from '../../functions/shared/config.ts';
import { parseBusinessHours } from '../../functions/shared/domain/business-hours.ts';
import { formatBusinessHours, settingsFromConfig } from '../../infra/settings.ts';

describe('Stack settings from the environment', () => {
  it('writes business hours back in a notation that parses to the same hours', () => {
    for (const text of ['Mon-Fri 09:00-17:00', 'Mon,Wed,Fri 08:30-12:00', 'Sat 10:05-11:55']) {
      const hours = parseBusinessHours(text);

      expect(parseBusinessHours(formatBusinessHours(hours))).toEqual(hours);
    }
  });

  it('takes the zone, run time, sender and payment link from the validated environment', () => {
    const config = loadConfig(localConfigSchema, {
      DUNNING_TIME_ZONE: 'Europe/Berlin',
      DUNNING_RUN_AT: '07:30',
      DUNNING_BUSINESS_HOURS: 'Tue-Thu 10:00-16:00',
      DUNNING_FROM: 'Receivables <ar@example.com>',
      DUNNING_PAYMENT_URL: 'https://pay.example.com/{invoiceId}',
    });

    expect(settingsFromConfig(config)).toEqual({
      timeZone: 'Europe/Berlin',
      runAt: '07:30',
      businessHours: 'Tue,Wed,Thu 10:00-16:00',
      from: 'Receivables <ar@example.com>',
      paymentUrl: 'https://pay.example.com/{invoiceId}',
    });
  });
});
