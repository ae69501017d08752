import { startDynamoEmulator } from '../cli/local/dynamodb-emulator.ts';
import { startSesEmulator } from '../cli/local/ses-emulator.ts';
import { answerRequests } from './child.ts';

/**
 * dynalite or aws-ses-v2-local in a process of its own, on a free port printed as one line. In AWS
 * the store and the mail service are not in the Lambda's process; giving each emulator its own
 * event loop keeps the bench's client side from competing with them for one core.
 */
const kind = process.argv[2];
const emulator = kind === 'ses' ? await startSesEmulator(0) : await startDynamoEmulator(0);
answerRequests({});
process.stdout.write(`${emulator.port}\n`);
const stop = () => {
  void emulator.stop().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
