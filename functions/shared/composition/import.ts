import { rowItemCheck } from '../adapters/dynamodb/import-item-limit.ts';
import { DynamoStoredRecords } from '../adapters/dynamodb/import-records.ts';
import { ImportStore, type ImportStoreDeps } from '../adapters/dynamodb/import-store.ts';
import { fileImportSource } from '../adapters/files/import-file.ts';
import { loadTemplates } from '../adapters/templates/file-templates.ts';
import {
  type ImportOptions,
  type ImportPorts,
  importFile as importThrough,
} from '../domain/import/pipeline.ts';
import type { ImportDefaults } from '../domain/import/row-schema.ts';
import type { ImportSummary } from '../domain/import/summary.ts';
import type { ProgressListener } from '../domain/import/validation-pass.ts';
import { rollForwardPorts } from './roll-forward.ts';
import type { Composition } from './root.ts';

/** Kept apart from the import's file reading, so the run Lambda bundles only the roll-forward. */
export { completePendingImports } from './roll-forward.ts';

export interface ImportDeps extends ImportStoreDeps {
  readonly defaults: ImportDefaults;
  readonly onProgress?: ProgressListener;
}

/**
 * The import on a composition's store: its policy, and the deployment's defaults for what a row leaves
 * out (its customer's zone, the payment link, the languages the templates speak).
 */
export const importDepsOf = (app: Composition, onProgress?: ProgressListener): ImportDeps => ({
  client: app.documentClient,
  tableName: app.tableName,
  policy: app.policy,
  defaultTimeZone: app.settings.deploymentTimeZone,
  defaults: {
    timeZone: app.settings.deploymentTimeZone,
    paymentUrlTemplate: app.settings.paymentUrlTemplate,
    templateLanguages: loadTemplates(app.settings.templatesDir).languages(),
  },
  ...(onProgress ? { onProgress } : {}),
});

/** Imports committed whose roll-forward has not finished, with the reason of the last failure. */
export const pendingImports = (app: Composition) =>
  new ImportStore({
    client: app.documentClient,
    tableName: app.tableName,
    policy: app.policy,
  }).pendingImports();

export const importPorts = (deps: ImportDeps): ImportPorts => ({
  ...rollForwardPorts(deps),
  source: fileImportSource,
  stored: new DynamoStoredRecords(deps.client, deps.tableName),
  defaults: deps.defaults,
  itemCheck: rowItemCheck(),
  onProgress: deps.onProgress,
});

/** `dunning import FILE` onto the Ledger table, all or nothing (domain/import/pipeline.ts). */
export const importFile = (deps: ImportDeps, file: string, options?: ImportOptions): Promise<ImportSummary> =>
  importThrough(importPorts(deps), file, options);
