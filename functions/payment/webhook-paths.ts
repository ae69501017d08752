/** The webhook paths and size limit (docs/webhooks.md), in a module light enough for any host to import. */
export const WEBHOOK_PATHS = { stripe: '/webhooks/stripe', payments: '/webhooks/payments' } as const;
export type WebhookProvider = keyof typeof WEBHOOK_PATHS;

export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;
