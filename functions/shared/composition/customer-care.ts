import { DynamoCustomerCare } from '../adapters/dynamodb/customer-care-store.ts';
import type { CustomerCare } from '../domain/customer-care/ports.ts';
import type { Composition } from './root.ts';

/** Opt-outs, bounces and complaints, pauses, disputes and flags: customer care on the store. */
export const buildCustomerCare = (app: Composition): CustomerCare =>
  new DynamoCustomerCare({
    client: app.documentClient,
    tableName: app.tableName,
    policy: app.policy,
    defaultTimeZone: app.settings.deploymentTimeZone,
    clock: app.clock,
  });
