import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parseAsOf } from '../../functions/shared/domain/run/as-of.ts';
import type { InvoicePreview } from '../../functions/shared/domain/run/invoice-preview.ts';
import { UserInputError } from '../../functions/shared/errors.ts';
import { action, type CommonOptions, withCommonOptions } from '../command.ts';
import { createCliContext } from '../context.ts';
import { printJson, printLine } from '../output.ts';
import { openRun } from '../run-target.ts';

interface PreviewOptions extends CommonOptions {
  readonly stage?: string;
  readonly out?: string;
  readonly asOf?: string;
}

type Nothing = Extract<InvoicePreview, { kind: 'nothing' }>;
type Email = Extract<InvoicePreview, { kind: 'email' }>;

const printNothing = (preview: Nothing, asOf: Date, options: PreviewOptions): void => {
  const { invoice, reason, explanation, customerEmail } = preview;
  if (options.json) {
    printJson({
      invoiceId: invoice.invoiceId,
      reminder: false,
      reason,
      explanation,
      asOf: asOf.toISOString(),
      customerId: invoice.customerId,
      ...(customerEmail && {
        customerEmail: {
          subject: customerEmail.subject,
          invoices: customerEmail.invoices,
          ...(customerEmail.deferredUntil && { deferredUntil: customerEmail.deferredUntil }),
        },
      }),
    });
    return;
  }
  printLine(
    `Invoice ${invoice.invoiceId} would get no reminder in the run as of ${asOf.toISOString()}: ${explanation}.`,
  );
  if (customerEmail) {
    const carried = customerEmail.invoices.map((line) => `${line.invoiceNumber} (${line.stage})`).join(', ');
    printLine(`Its customer's email in that run carries ${carried}: "${customerEmail.subject}".`);
  }
};

const printEmail = (preview: Email, asOf: Date, out: string | undefined, options: PreviewOptions): void => {
  const { invoice, stage, email, language, invoices, deferredUntil } = preview;
  if (options.json) {
    printJson({
      invoiceId: invoice.invoiceId,
      reminder: true,
      stage: stage.name,
      subject: email.subject,
      text: email.text,
      html: email.html,
      language,
      asOf: asOf.toISOString(),
      customerId: invoice.customerId,
      from: preview.from,
      to: email.to,
      ...(email.replyTo && { replyTo: email.replyTo }),
      headers: email.headers ?? {},
      invoices,
      chosenStage: preview.chosen,
      ...(deferredUntil && { deferredUntil }),
      ...(out && { out }),
    });
    return;
  }
  printLine(
    preview.chosen
      ? `Stage "${stage.name}" as asked (this invoice alone), rendered as the run renders, as of ${asOf.toISOString()}:`
      : `The run as of ${asOf.toISOString()} would send this customer:`,
  );
  if (deferredUntil)
    printLine(
      `Deferred: outside the customer's business hours, it goes out at their next opening, ${deferredUntil}; rendered below as of this run (--as-of ${deferredUntil} shows it as of then).`,
    );
  printLine(`From: ${preview.from}`);
  printLine(`To: ${email.to}`);
  if (email.replyTo) printLine(`Reply-To: ${email.replyTo}`);
  for (const [name, value] of Object.entries(email.headers ?? {})) printLine(`${name}: ${value}`);
  printLine(`Subject: ${email.subject}`);
  printLine(`Invoices: ${invoices.map((line) => `${line.invoiceNumber} (${line.stage})`).join(', ')}`);
  // The email may lead with another invoice's stage; this line is the asked invoice's own.
  printLine(
    `${invoice.invoiceNumber} is at stage ${stage.name} (${stage.tone}); the email is in ${language}.`,
  );
  printLine();
  printLine(email.text.trimEnd());
  if (out) {
    printLine();
    printLine(`HTML written to ${out}`);
  }
};

const preview = async (invoiceId: string, options: PreviewOptions): Promise<number> => {
  const context = await createCliContext(options);
  try {
    const asOf = parseAsOf(options.asOf, context.config.DUNNING_TIME_ZONE, new Date());
    const run = await openRun(context);
    try {
      const result = await run.preview.preview({
        invoiceId,
        asOf,
        ...(options.stage !== undefined && { stageName: options.stage }),
      });
      // Not an error: the operator asked what the invoice would get, and the answer is nothing.
      if (result.kind === 'nothing') {
        printNothing(result, asOf, options);
        return 0;
      }
      const out = options.out && resolve(options.out);
      if (out) {
        await writeFile(out, result.email.html).catch((error: Error) => {
          throw new UserInputError(`Cannot write ${out}: ${error.message}`);
        });
      }
      printEmail(result, asOf, out, options);
      return 0;
    } finally {
      run.close();
    }
  } finally {
    context.close();
  }
};

export const registerPreview = (program: Command): void => {
  withCommonOptions(
    program
      .command('preview')
      .description(
        "show the email an invoice's customer would get in a run (the run's own plan and rendering), without sending",
      )
      .argument('<invoiceId>', 'the invoice id as imported')
      .option('--stage <name>', "render this stage for the invoice alone instead of the run's plan")
      .option(
        '--as-of <date>',
        'the run to preview: ISO date-time, or ISO date meaning 12:00 that day in DUNNING_TIME_ZONE (default now)',
      )
      .option('--out <file.html>', 'write the HTML to this file')
      .addHelpText(
        'after',
        '\nClaims, sends and writes nothing.\n\nExamples:\n  dunning preview INV-1042\n  dunning preview INV-1042 --as-of 2026-03-10\n  dunning preview INV-1042 --stage final --out /tmp/final.html',
      ),
  ).action(action(preview));
};
