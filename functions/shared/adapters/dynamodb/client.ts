import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { withoutCallLogging } from '../call-logging.ts';
import { clientOptions, type ServiceEndpoint } from '../endpoints.ts';

export const createDynamoClient = (endpoint: ServiceEndpoint): DynamoDBClient =>
  withoutCallLogging(new DynamoDBClient(clientOptions(endpoint)));

/** One document client per process (built at cold start), shared by every DynamoDB adapter. */
export const createDocumentClient = (endpoint: ServiceEndpoint | DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(endpoint instanceof DynamoDBClient ? endpoint : createDynamoClient(endpoint), {
    marshallOptions: { removeUndefinedValues: true },
  });
