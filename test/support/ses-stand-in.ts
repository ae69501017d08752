import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { localEndpoint } from '../../functions/shared/adapters/endpoints.ts';

type Answer = 'ok' | 'server_error';

/**
 * An SES v2 endpoint that counts SendEmail requests and answers them as told. A 500 is what an
 * ambiguous outcome looks like on the wire: SES may or may not have taken the message.
 */
export const startSesStandIn = async () => {
  let answer: Answer = 'ok';
  let sends = 0;
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.setHeader('content-type', 'application/json');
      if (request.method === 'GET' && request.url?.startsWith('/v2/email/account')) {
        response.end(JSON.stringify({ SendQuota: { MaxSendRate: 500 } }));
        return;
      }
      sends += 1;
      if (answer === 'server_error') {
        response.statusCode = 500;
        response.setHeader('x-amzn-errortype', 'InternalFailure');
        response.end(JSON.stringify({ message: 'We encountered an internal error' }));
        return;
      }
      response.end(JSON.stringify({ MessageId: `m-${sends}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: localEndpoint(port),
    answer: (next: Answer) => {
      answer = next;
    },
    sends: () => sends,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
