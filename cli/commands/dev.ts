import type { Command } from 'commander';
import { action, withCommonOptions } from '../command.ts';
import { notBuilt } from '../not-built.ts';

export const registerDev = (program: Command): void => {
  withCommonOptions(
    program
      .command('dev')
      .description('the local stack: DynamoDB (dynalite), SES v2 emulator and webhook server on 127.0.0.1'),
  ).action(action(notBuilt('dev', 3)));
};
