import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { LedgerReader } from '../../functions/shared/adapters/dynamodb/ledger-reader.ts';
import { DynamoPaymentLedger } from '../../functions/shared/adapters/dynamodb/payment-ledger.ts';
import { loadTemplates } from '../../functions/shared/adapters/templates/file-templates.ts';
import { optOutLink } from '../../functions/shared/domain/customer-care/opt-out-token.ts';
import { reminderClaim } from '../../functions/shared/domain/interest/reminder-claim.ts';
import type { Customer } from '../../functions/shared/domain/model.ts';
import { reachedStage } from '../../functions/shared/domain/reminder/line.ts';
import { previewReminder } from '../../functions/shared/domain/reminder/preview.ts';
import { NotFoundError, ServiceUnavailableError, UserInputError } from '../../functions/shared/errors.ts';
import { loadReferenceRates } from '../../functions/shared/reference-rates.ts';
import { action, type CommonOptions, withCommonOptions } from '../command.ts';
import { type CliContext, createCliContext } from '../context.ts';
import { loadWebhookSecrets } from '../local/secrets.ts';
import { printJson, printLine } from '../output.ts';

interface PreviewOptions extends CommonOptions {
  readonly stage?: string;
  readonly out?: string;
}

// The opt-out route is served by the local HTTP server; the preview shows the link a local run would send.
const unsubscribeUrl = (context: CliContext, customer: Customer): string =>
  optOutLink(
    `http://127.0.0.1:${context.config.DUNNING_HTTP_PORT}`,
    loadWebhookSecrets(context.config).optOut,
    customer.customerId,
  );

const unreachable = (error: unknown, context: CliContext): never => {
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  if (code === 'ECONNREFUSED' && context.target === 'local') {
    throw new ServiceUnavailableError(
      `Cannot reach the local store on port ${context.config.DUNNING_DYNAMODB_PORT}; start it with "npm start".`,
    );
  }
  throw error;
};

const preview = async (invoiceId: string, options: PreviewOptions): Promise<number> => {
  const context = await createCliContext(options);
  try {
    const reader = new LedgerReader(context.documentClient, context.tableName);
    const invoice = await reader.getInvoice(invoiceId).catch((error) => unreachable(error, context));
    if (!invoice) throw new NotFoundError(`Invoice "${invoiceId}" not found.`);
    const customer = await reader.getCustomer(invoice.customerId);
    if (!customer) {
      throw new NotFoundError(`Customer "${invoice.customerId}" of invoice "${invoiceId}" not found.`);
    }
    const now = new Date();
    const stageName = options.stage ?? reachedStage(invoice, customer.timeZone, context.policy, now).name;
    const payments = new DynamoPaymentLedger(context.documentClient, context.tableName, customer.timeZone);
    const latePayment = await reminderClaim(
      { rates: loadReferenceRates(), payments: (bill) => payments.listPayments(bill) },
      context.policy,
      invoice,
      customer,
      stageName,
      now,
    );
    const preview = previewReminder(
      {
        ...(latePayment ? { latePayment } : {}),
        invoice,
        customer,
        policy: context.policy,
        now,
        ...(options.stage !== undefined && { stageName: options.stage }),
        paymentUrlTemplate: context.config.DUNNING_PAYMENT_URL,
        unsubscribeUrl: unsubscribeUrl(context, customer),
      },
      loadTemplates(),
    );
    if (preview.kind === 'nothing') {
      // Not an error: the operator asked what the invoice would get, and the answer is nothing.
      if (options.json)
        printJson({ invoiceId, reminder: false, reason: preview.reason, explanation: preview.explanation });
      else printLine(`Invoice ${invoiceId} would get no reminder today: ${preview.explanation}.`);
      return 0;
    }
    const { stage, reminder } = preview;
    const out = options.out && resolve(options.out);
    if (out) {
      await writeFile(out, reminder.html).catch((error: Error) => {
        throw new UserInputError(`Cannot write ${out}: ${error.message}`);
      });
    }
    if (options.json) {
      printJson({
        invoiceId,
        stage: stage.name,
        subject: reminder.subject,
        text: reminder.text,
        html: reminder.html,
        language: reminder.language,
        ...(out && { out }),
      });
      return 0;
    }
    printLine(`To: ${customer.email}`);
    printLine(`Subject: ${reminder.subject}`);
    printLine(`Stage: ${stage.name} (${stage.tone}), language: ${reminder.language}`);
    printLine();
    printLine(reminder.text.trimEnd());
    if (out) {
      printLine();
      printLine(`HTML written to ${out}`);
    }
    return 0;
  } finally {
    context.close();
  }
};

export const registerPreview = (program: Command): void => {
  withCommonOptions(
    program
      .command('preview')
      .description('render the reminder an invoice would get, without sending')
      .argument('<invoiceId>', 'the invoice id as imported')
      .option('--stage <name>', 'render this stage instead of the one the invoice has reached')
      .option('--out <file.html>', 'write the HTML to this file')
      .addHelpText(
        'after',
        '\nExamples:\n  dunning preview INV-1042\n  dunning preview INV-1042 --stage final --out /tmp/final.html',
      ),
  ).action(action(preview));
};
