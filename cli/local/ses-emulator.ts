import type { Server } from 'node:http';
import { createServer } from 'node:net';
import sesModule from 'aws-ses-v2-local';
import { type RunningLocalServer, runningOnLoopback } from './loopback-server.ts';

type StartSes = (config?: { host?: string; port?: number }) => Promise<Server>;

// The package is CommonJS with `exports.default`; under Node's ESM loader the default import is the
// whole exports object, under vitest's it may be the function itself.
const startSes = ((sesModule as unknown as { default?: StartSes }).default ??
  sesModule) as unknown as StartSes;

/**
 * What the emulator answers to SES v2 GetAccount. It reads `AWS_SES_ACCOUNT` from the environment on
 * every request and validates it against its own schema (dist/v2/getAccount.js), so every field of
 * that schema is present. The quota mirrors a production SES account.
 */
export const LOCAL_SES_ACCOUNT = {
  DedicatedIpAutoWarmupEnabled: false,
  Details: {
    AdditionalContactEmailAddresses: [],
    ContactLanguage: 'EN',
    MailType: 'TRANSACTIONAL',
    ReviewDetails: { CaseId: 'local', Status: 'GRANTED' },
    UseCaseDescription: 'Payment reminders for overdue invoices (local emulator).',
    WebsiteURL: 'http://127.0.0.1',
  },
  EnforcementStatus: 'HEALTHY',
  ProductionAccessEnabled: true,
  SendingEnabled: true,
  SendQuota: { Max24HourSend: 50_000, MaxSendRate: 14, SentLast24Hours: 0 },
  SuppressionAttributes: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
} as const;

const bindError = (port: number): Promise<Error> =>
  new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', resolve);
    probe.listen(port, '127.0.0.1', () =>
      probe.close(() => resolve(new Error(`the SES v2 emulator could not listen on 127.0.0.1:${port}`))),
    );
  });

/**
 * Starts aws-ses-v2-local (SES v2 API plus its page for reading sent mail) on 127.0.0.1. A listen
 * failure rejects with Node's error (its `code` says why, e.g. EADDRINUSE).
 */
export const startSesEmulator = async (port: number): Promise<RunningLocalServer> => {
  process.env.AWS_SES_ACCOUNT ??= JSON.stringify(LOCAL_SES_ACCOUNT);
  const server = await startSes({ host: '127.0.0.1', port });
  if (!server.listening) {
    // express 5's listen() hands its 'error' to the same callback that resolves the promise, so the
    // package resolves with a server that never bound and the error is gone; binding the port once
    // more recovers Node's own error (its `code` says why, e.g. EADDRINUSE).
    server.close();
    throw await bindError(port);
  }
  return runningOnLoopback(server);
};
