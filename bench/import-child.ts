import { createDocumentClient } from '../functions/shared/adapters/dynamodb/client.ts';
import { localEndpoint } from '../functions/shared/adapters/endpoints.ts';
import { importFile } from '../functions/shared/composition/import.ts';
import { loadPolicy } from '../functions/shared/policy.ts';

/**
 * One `dunning import` in a process of its own, so its peak RSS is the import's alone (the store and
 * the bench live in the parent). Prints `{rows, ms, peakRssMb}` as one JSON line.
 */
const [file, port, tableName] = process.argv.slice(2) as [string, string, string];
const documentClient = createDocumentClient(localEndpoint(Number(port)));
const started = performance.now();
const summary = await importFile(
  {
    client: documentClient,
    tableName,
    policy: loadPolicy(),
    defaultTimeZone: 'UTC',
    defaults: { timeZone: 'UTC', paymentUrlTemplate: 'https://pay.example.com/invoices/{invoiceId}' },
  },
  file,
);
const ms = performance.now() - started;
documentClient.destroy();
// maxRSS is in kilobytes (getrusage): the process's high-water mark, sampled by the kernel.
const peakRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ rows: summary.rows, new: summary.invoices.new, ms, peakRssMb })}\n`);
// The IPC channel the bench opened would keep this process alive.
process.disconnect?.();
