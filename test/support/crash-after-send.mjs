// A preload for the real-process crash test (`node --import`, through NODE_OPTIONS): the process
// SIGKILLs itself the instant SES accepted its first email, before the run can record it. The
// shipped program has no seam for this; the SDK client's own `send` is wrapped from outside.
import { SESv2Client } from '@aws-sdk/client-sesv2';

const send = SESv2Client.prototype.send;
SESv2Client.prototype.send = async function sendThenDie(command, ...rest) {
  const result = await send.call(this, command, ...rest);
  if (command?.constructor?.name === 'SendEmailCommand') process.kill(process.pid, 'SIGKILL');
  return result;
};
