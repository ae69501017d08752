import { loadConfig, localConfigSchema } from '../functions/shared/config.ts';
import { ConfigError } from '../functions/shared/errors.ts';
import { createDunningApp } from './dunning-app.ts';
import { settingsFromConfig } from './settings.ts';

// The cdk.json app: the environment is read and validated here, once, with the schema every host shares.
try {
  const settings = settingsFromConfig(loadConfig(localConfigSchema));
  createDunningApp(settings).app.synth();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
