import { DateTime } from 'luxon';

/**
 * The next instant at or after which the daily run is due: `runAt` ("HH:mm") in `zone`, strictly
 * after `now`. Computed from the local calendar day, so it stays at the same wall-clock time across
 * a DST change. A time that a spring-forward skips runs at the first valid minute after it (luxon
 * moves it forward); one that a fall-back repeats runs once (luxon picks its
 * second occurrence).
 */
export const nextDailyRun = (now: Date, runAt: string, zone: string): Date => {
  const [hour = 0, minute = 0] = runAt.split(':').map(Number);
  const localNow = DateTime.fromJSDate(now, { zone });
  const at = (day: DateTime) =>
    DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour, minute }, { zone });
  const today = at(localNow);
  const next = today.toMillis() > localNow.toMillis() ? today : at(localNow.startOf('day').plus({ days: 1 }));
  return next.toJSDate();
};

export interface DailyTimer {
  /** When the next run is due. */
  next(): Date;
  stop(): void;
}

/** Longest sleep between checks, so a laptop waking from sleep or a clock change is noticed. */
const MAX_SLEEP_MS = 60_000;

/**
 * Calls `run` every day at `runAt` in `zone`, re-armed after each run; one run at a time. The timer
 * wakes at least once a minute and compares against the wall clock instead of trusting one long
 * timeout.
 */
export const startDailyTimer = (options: {
  readonly runAt: string;
  readonly zone: string;
  readonly run: (due: Date) => Promise<void>;
  /** A failed run is reported here; the timer keeps going for the next day. */
  readonly onError: (error: unknown) => void;
  readonly now?: () => Date;
}): DailyTimer => {
  const now = options.now ?? (() => new Date());
  let due = nextDailyRun(now(), options.runAt, options.zone);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const arm = () => {
    if (stopped) return;
    const wait = Math.max(0, Math.min(due.getTime() - now().getTime(), MAX_SLEEP_MS));
    timer = setTimeout(tick, wait);
  };
  const tick = async () => {
    if (now().getTime() >= due.getTime()) {
      const thisRun = due;
      due = nextDailyRun(new Date(Math.max(now().getTime(), thisRun.getTime())), options.runAt, options.zone);
      try {
        await options.run(thisRun);
      } catch (error) {
        options.onError(error);
      }
    }
    arm();
  };
  arm();
  return {
    next: () => due,
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
};
