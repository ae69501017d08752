import { runEventSchema } from './event.ts';

/**
 * The run Lambda: parses the scheduler's event and hands it to the dunning run. The run itself is
 * built in issue 5; until then the handler only validates what it is invoked with.
 */
export const handler = async (event: unknown) => {
  const runEvent = runEventSchema.parse(event);
  return { accepted: runEvent.kind };
};
