import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clientOptions, type ServiceEndpoint } from '../endpoints.ts';

/** One document client per process (built at cold start), shared by every DynamoDB adapter. */
export const createDocumentClient = (endpoint: ServiceEndpoint): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient(clientOptions(endpoint)), {
    marshallOptions: { removeUndefinedValues: true },
  });
