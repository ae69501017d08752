import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RunLedger } from '../../domain/run/ports.ts';
import { RunClaims } from './run-claims.ts';
import { RunReads } from './run-reads.ts';
import { RunRecords } from './run-records.ts';

/** The run's whole view of the Ledger table, assembled from its reads, invoice claims and records. */
export const createRunLedger = (
  client: DynamoDBDocumentClient,
  tableName: string,
  now: () => Date = () => new Date(),
): RunLedger => {
  const reads = new RunReads(client, tableName, now);
  const claims = new RunClaims(client, tableName);
  const records = new RunRecords(client, tableName, now);
  return {
    dueInvoices: (asOf) => reads.dueInvoices(asOf),
    customerDueInvoices: (customerId, asOf) => reads.customerDueInvoices(customerId, asOf),
    readInvoices: (ids) => reads.readInvoices(ids),
    readInvoice: async (id) => (await reads.readInvoices([id]))[0],
    readCustomers: (ids) => reads.readCustomers(ids),
    claimStage: (invoice, claim) => claims.claimStage(invoice, claim),
    recordSent: (invoice, record) => claims.recordSent(invoice, record),
    recordFailed: (invoice, claim, next) => claims.recordFailed(invoice, claim, next),
    releaseClaim: (invoice, claim) => claims.releaseClaim(invoice, claim),
    markUnknown: (invoice, claim, next) => claims.markUnknown(invoice, claim, next),
    recordSkip: (skip) => records.recordSkip(skip),
    recordFailure: (failure) => records.recordFailure(failure),
    reindex: (invoice, next) => claims.reindex(invoice, next),
    claimCustomer: (customer, at, boundary, runId) => records.claimCustomer(customer, at, boundary, runId),
    releaseCustomer: (customer, at, runId, claim) => records.releaseCustomer(customer, at, runId, claim),
    claimDigest: (runId) => records.claimDigest(runId),
  };
};
