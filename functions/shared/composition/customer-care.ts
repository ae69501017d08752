import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoCareLedger } from '../adapters/dynamodb/customer-care-store.ts';
import type { CustomerCare } from '../domain/customer-care/ports.ts';
import { CustomerCareService } from '../domain/customer-care/service.ts';
import type { Policy } from '../domain/policy.ts';
import type { Clock } from '../domain/ports.ts';
import type { Composition } from './root.ts';

export interface CustomerCareWiring {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly policy: Policy;
  /** A customer item without a zone (never written by the import) is read in this one. */
  readonly defaultTimeZone: string;
  readonly clock?: Clock;
}

/** Customer care's rules and orchestration (the domain's service) over the Ledger table. */
export const wireCustomerCare = (wiring: CustomerCareWiring): CustomerCare =>
  new CustomerCareService({
    ledger: new DynamoCareLedger(wiring.client, wiring.tableName),
    policy: wiring.policy,
    defaultTimeZone: wiring.defaultTimeZone,
    ...(wiring.clock ? { clock: wiring.clock } : {}),
  });

/** Opt-outs, bounces and complaints, pauses, disputes and flags: customer care on the store. */
export const buildCustomerCare = (app: Composition): CustomerCare =>
  wireCustomerCare({
    client: app.documentClient,
    tableName: app.tableName,
    policy: app.policy,
    defaultTimeZone: app.settings.deploymentTimeZone,
    clock: app.clock,
  });
