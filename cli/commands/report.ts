import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { buildReportReads } from '../../functions/shared/composition/ledger-reads.ts';
import { answerReportText } from '../../functions/shared/domain/answers/report.ts';
import { collectReport } from '../../functions/shared/domain/report/collect.ts';
import { reportHtml } from '../../functions/shared/domain/report/html.ts';
import { REPORT_PERIOD_DAYS, reportMoment } from '../../functions/shared/domain/report/period.ts';
import { reportText } from '../../functions/shared/domain/report/text.ts';
import { reportView } from '../../functions/shared/domain/report/view.ts';
import { UserInputError } from '../../functions/shared/errors.ts';
import { action, type CommonOptions, withCommonOptions } from '../command.ts';
import { createCliContext } from '../context.ts';
import { printJson, printLine } from '../output.ts';

interface ReportFlags extends CommonOptions {
  readonly asOf?: string;
  readonly html?: string;
  readonly locale: string;
}

const checkLocale = (locale: string): string => {
  try {
    return new Intl.Locale(locale).toString();
  } catch {
    throw new UserInputError(`--locale "${locale}" is not a BCP 47 language tag such as en-GB or de-DE`);
  }
};

const HELP = `
Aging: every open invoice's outstanding amount (late fees included) in its currency, by days past
its due date on the customer's own calendar: current (not yet overdue), 1-30, 31-60, 61-90, 90+.
Currencies are never added together.

Period: "reminders sent" and "recovered" count the ${REPORT_PERIOD_DAYS} days up to the report's instant.
--as-of DATE means 12:00 that day in DUNNING_TIME_ZONE, the instant "dunning run --as-of DATE"
uses; without it the report stands now. "Recovered" is money applied to an invoice after its first
reminder was sent, less refunds, both within the period.

Customer answers from the reminders' link: open and broken promises, payments claimed but not
found, and payment plan requests (--json: customerResponses, needsAPerson), and promises kept and
broken per currency (promises).

Also listed: hand-offs waiting for a person, reminders with an unconfirmed send, customers getting
no reminders (paused, disputed, opted out, bounced), flagged and unmatched payments.

Examples:
  dunning report
  dunning report --as-of 2026-03-31 --html /tmp/aging.html
  dunning report --json | jq '.currencies[] | {currency, outstanding}'`;

export const registerReport = (program: Command): void => {
  withCommonOptions(
    program
      .command('report')
      .description('receivables aging per currency, reminders sent, amounts recovered')
      .option('--as-of <date>', 'ISO date (12:00 that day in DUNNING_TIME_ZONE) or date-time; default now')
      .option('--html <file>', 'also write the report as one self-contained HTML page')
      .option('--locale <tag>', 'how amounts and numbers are formatted for people', 'en-US')
      .addHelpText('after', HELP),
  ).action(
    action(async (flags: ReportFlags) => {
      const locale = checkLocale(flags.locale);
      const context = await createCliContext(flags);
      try {
        const zone = context.config.DUNNING_TIME_ZONE;
        const moment = reportMoment(flags.asOf, zone, new Date());
        const reader = buildReportReads(context, zone);
        const report = await collectReport(reader, moment, zone);
        const out = flags.html && resolve(flags.html);
        if (out) {
          await writeFile(out, reportHtml(report, locale, new Date())).catch((error: Error) => {
            throw new UserInputError(`Cannot write ${out}: ${error.message}`);
          });
        }
        if (flags.json) {
          printJson({ ...report, ...(out ? { html: out } : {}) });
          return 0;
        }
        printLine(reportText(reportView(report, locale)));
        for (const line of answerReportText(report)) printLine(line);
        if (out) printLine(`\nHTML written to ${out}`);
        return 0;
      } finally {
        context.close();
      }
    }),
  );
};
