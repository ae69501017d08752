import { isAbsolute, relative } from 'node:path';
import { RESPOND_PATH } from '../../functions/respond/receive.ts';
import type { RunningDevStack } from './dev-stack.ts';

/** The webhook paths (docs/webhooks.md), printed whether or not they are mounted yet. */
export const WEBHOOK_PATHS = { stripe: '/webhooks/stripe', payments: '/webhooks/payments' } as const;

/** A path as the user would type it: relative below the working directory, absolute elsewhere. */
const shown = (path: string): string => {
  const fromHere = relative(process.cwd(), path);
  return fromHere === '' ? '.' : fromHere.startsWith('..') || isAbsolute(fromHere) ? path : fromHere;
};

const secretNote = (source: string, file: string): string =>
  source === 'environment'
    ? 'from the environment'
    : `${source === 'generated' ? 'generated, ' : ''}kept in ${shown(file)}`;

const PORTFOLIO_LINES: Record<RunningDevStack['portfolio'], string> = {
  demo: 'new store: seeding the demo portfolio (DUNNING_DEMO=off or --no-demo starts empty; "dunning demo --remove" deletes it)',
  empty: 'new store, left empty (demo off): load your invoices with "dunning import FILE"',
  kept: 'kept from earlier starts, as it is ("dunning invoices" lists it; "dunning demo --remove" deletes the demo portfolio)',
};

/** The JSON document `dunning dev --json` prints once the stack is up. */
export const devSummaryJson = (stack: RunningDevStack) => ({
  dataDir: stack.dataDir,
  portfolio: stack.portfolio,
  store: { url: stack.storeUrl, tables: stack.tables },
  mail: { url: stack.mailUrl },
  http: {
    url: stack.httpUrl,
    health: `${stack.httpUrl}/health`,
    webhooks: {
      stripe: `${stack.httpUrl}${WEBHOOK_PATHS.stripe}`,
      payments: `${stack.httpUrl}${WEBHOOK_PATHS.payments}`,
    },
    ...(stack.routePaths.includes(RESPOND_PATH) ? { respond: `${stack.httpUrl}${RESPOND_PATH}` } : {}),
  },
  secrets: {
    STRIPE_WEBHOOK_SECRET: stack.secrets.stripe,
    PAYMENTS_WEBHOOK_SECRET: stack.secrets.payments,
    file: stack.secrets.file,
  },
});

/** The lines `dunning dev` prints once the stack is up: where everything is and how to sign webhooks. */
export const devSummaryLines = (stack: RunningDevStack): string[] => {
  const webhook = (path: string) =>
    `${stack.httpUrl}${path}${stack.routePaths.includes(path) ? '' : '  (not served yet)'}`;
  const tables = stack.tables.map((table) => `${table.name} (${table.state})`).join(', ');
  return [
    `dunning dev: local stack on 127.0.0.1, data in ${shown(stack.dataDir)}`,
    `  Portfolio          ${PORTFOLIO_LINES[stack.portfolio]}`,
    `  Store (DynamoDB)   ${stack.storeUrl}   table ${tables}`,
    `  Mail (SES v2)      ${stack.mailUrl}   open it to read sent mail`,
    `  Health             ${stack.httpUrl}/health`,
    `  Stripe webhooks    ${webhook(WEBHOOK_PATHS.stripe)}`,
    `  Payment webhooks   ${webhook(WEBHOOK_PATHS.payments)}`,
    ...(stack.routePaths.includes(RESPOND_PATH)
      ? [
          `  Answer page        ${stack.httpUrl}${RESPOND_PATH}   (each reminder links here with its own ?token=...)`,
        ]
      : []),
    ...(stack.routePaths.includes('/mail-events')
      ? [`  SES mail events    ${stack.httpUrl}/mail-events   (POST a bounce or complaint event as JSON)`]
      : []),
    `  STRIPE_WEBHOOK_SECRET=${stack.secrets.stripe}   (${secretNote(stack.secrets.source.stripe, stack.secrets.file)})`,
    `  PAYMENTS_WEBHOOK_SECRET=${stack.secrets.payments}   (${secretNote(stack.secrets.source.payments, stack.secrets.file)})`,
  ];
};
