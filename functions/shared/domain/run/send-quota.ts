import { TokenBucket } from 'limiter';
import type { Mailer, OutgoingEmail } from '../ports.ts';

/** What one customer's sends waited for the quota, in milliseconds: not part of their own time. */
export interface QuotaWait {
  ms: number;
}

/**
 * The run's sends held under the account's quota: a token bucket filled at `sendsPerSecond` that
 * holds a tenth of a second's sends, so a late timer catches up without the run ever going above the
 * rate for longer than that. The provider still throttles another sender on the same account; the
 * mailer retries that with backoff.
 */
export class SendQuota {
  private readonly bucket: TokenBucket;

  constructor(readonly sendsPerSecond: number) {
    this.bucket = new TokenBucket({
      bucketSize: Math.max(2, Math.ceil(sendsPerSecond / 10)),
      tokensPerInterval: sendsPerSecond,
      interval: 1000,
    });
  }

  /** Resolves when one more send fits under the quota. */
  async take(): Promise<void> {
    await this.bucket.removeTokens(1);
  }

  /** `mailer`, each send waiting its turn under the quota first, the wait added to `wait`. */
  paced(mailer: Mailer, wait: QuotaWait): Mailer {
    return {
      send: async (email: OutgoingEmail) => {
        const asked = performance.now();
        await this.take();
        wait.ms += performance.now() - asked;
        return mailer.send(email);
      },
    };
  }
}
