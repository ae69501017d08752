import { NotImplementedError } from '../functions/shared/errors.ts';

/** The action of a command whose capability is registered but not built yet: says so, exits 1. */
export const notBuilt = (command: string, issue: number) => async (): Promise<number> => {
  throw new NotImplementedError(`"dunning ${command}" is not built yet (tracked in issue ${issue}).`);
};
