/**
 * AWS-like latencies for the emulators, as an SDK middleware: each call takes at least a time drawn
 * for its command (log-normal between its median and its 99th percentile, so a few calls are slow,
 * as in a real service), the emulator's own time counted in it. The emulators answer on loopback in
 * about a millisecond; without this, a run that works four customers at once would look as fast as
 * one that fills the quota, and the concurrency the quota asks for could not be seen.
 *
 * The figures are a model of calls from a Lambda in the same region, not measurements: DynamoDB's
 * single-digit milliseconds for point reads and writes (a little more for a conditional update, a
 * query or a batch), tens of milliseconds for an SES v2 send (it accepts the message durably before
 * answering), and a tail of a few times the median. bench/README.md lists them.
 */
export interface CallLatency {
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export const AWS_LIKE_LATENCY: Readonly<Record<string, CallLatency>> = {
  GetItemCommand: { p50Ms: 4, p99Ms: 12 },
  BatchGetItemCommand: { p50Ms: 8, p99Ms: 25 },
  QueryCommand: { p50Ms: 6, p99Ms: 20 },
  PutItemCommand: { p50Ms: 6, p99Ms: 18 },
  UpdateItemCommand: { p50Ms: 7, p99Ms: 20 },
  DeleteItemCommand: { p50Ms: 6, p99Ms: 18 },
  BatchWriteItemCommand: { p50Ms: 15, p99Ms: 45 },
  SendEmailCommand: { p50Ms: 45, p99Ms: 160 },
  GetAccountCommand: { p50Ms: 30, p99Ms: 90 },
  CreateScheduleCommand: { p50Ms: 35, p99Ms: 120 },
};

/** Any other command: a generic AWS API call. */
const OTHER: CallLatency = { p50Ms: 10, p99Ms: 40 };

/** z of the 99th percentile of the standard normal distribution. */
const Z99 = 2.326;

/** A seeded uniform generator (mulberry32): the same bench draws the same latencies. */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

/** One draw of a log-normal latency with the given median and 99th percentile (Box-Muller). */
export const drawLatency = (latency: CallLatency, random: () => number): number => {
  const sigma = Math.log(latency.p99Ms / latency.p50Ms) / Z99;
  const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return latency.p50Ms * Math.exp(sigma * normal);
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Any SDK v3 client: only its middleware stack is used, whose types differ per service. */
export interface MiddlewareClient {
  readonly middlewareStack: {
    addRelativeTo(
      middleware: unknown,
      options: { relation: 'before' | 'after'; toMiddleware: string; name: string; override: boolean },
    ): void;
  };
}

/** The latencies drawn, per command: what the figures were measured under. */
export interface LatencyLog {
  readonly calls: Readonly<Record<string, number>>;
}

/**
 * Adds the latency to every call of the client (and of document clients built on it). It sits where
 * a request leaves for the network, after the SDK's retries, so each attempt pays its own latency.
 */
export const injectLatency = (
  client: MiddlewareClient,
  options: { readonly seed: number; readonly profile?: Readonly<Record<string, CallLatency>> },
): LatencyLog => {
  const profile = options.profile ?? AWS_LIKE_LATENCY;
  const random = seededRandom(options.seed);
  const calls: Record<string, number> = {};
  client.middlewareStack.addRelativeTo(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
      async (args: unknown) => {
        const command = context.commandName ?? 'unknown';
        calls[command] = (calls[command] ?? 0) + 1;
        const wait = drawLatency(profile[command] ?? OTHER, random);
        const started = performance.now();
        try {
          return await next(args);
        } finally {
          const left = wait - (performance.now() - started);
          if (left > 0) await sleep(left);
        }
      },
    { relation: 'after', toMiddleware: 'retryMiddleware', name: 'benchAwsLikeLatency', override: true },
  );
  return { calls };
};
