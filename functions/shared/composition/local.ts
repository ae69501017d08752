import { type LocalConfig, localSettings } from '../config.ts';
import type { Policy } from '../domain/policy.ts';
import { loadPolicy } from '../policy.ts';
import { type Composition, type Connections, compose } from './root.ts';

/**
 * The composition on the local stack (`dunning dev`, the local run, the bench and chaos harnesses):
 * the local settings, whose links point at the local HTTP server, on the emulators' connections.
 */
export const composeLocal = (
  config: LocalConfig,
  tableName: string,
  connections: Connections,
  policy: Policy = loadPolicy(),
): Composition => compose(localSettings(config, tableName), policy, connections);
