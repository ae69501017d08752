import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp, type HttpRoute } from '../../cli/http/app.ts';
import { mailProbe, storeProbe } from '../../cli/http/health.ts';
import { startHttpServer } from '../../cli/http/server.ts';
import { createDynamoClient } from '../../functions/shared/adapters/dynamodb/client.ts';
import { UserInputError } from '../../functions/shared/errors.ts';
import { startTestMailbox, startTestStore, type TestMailbox, type TestStore } from '../support/emulators.ts';

const up = { store: async () => true, mail: async () => true };

describe('Local HTTP server', () => {
  it('answers /health with 200 and both services reachable when the probes pass', async () => {
    const app = createHttpApp({ probes: up });

    const response = await app.request('/health');

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      store: { reachable: true },
      mail: { reachable: true },
    });
  });

  it('answers /health with 503 and the same shape when a probe fails or throws', async () => {
    const app = createHttpApp({
      probes: {
        store: async () => {
          throw new Error('connect ECONNREFUSED');
        },
        mail: async () => true,
      },
    });

    const response = await app.request('/health');

    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'degraded',
      store: { reachable: false },
      mail: { reachable: true },
    });
  });

  it('answers an unknown path with a JSON 404 and a known path with a wrong method with 405', async () => {
    const app = createHttpApp({ probes: up });

    const missing = await app.request('/nowhere');
    const wrongMethod = await app.request('/health', { method: 'POST' });

    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'no route for GET /nowhere' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD');
    expect(await wrongMethod.json()).toHaveProperty('error');
  });

  it('mounts extra routes with their own 405 and maps their errors without a stack', async () => {
    const failures: unknown[] = [];
    const routes: HttpRoute[] = [
      { method: 'POST', path: '/webhooks/test', handler: (c) => c.json({ received: true }, 202) },
      {
        method: 'POST',
        path: '/webhooks/bad',
        handler: () => {
          throw new UserInputError('body is not a valid event');
        },
      },
      {
        method: 'POST',
        path: '/webhooks/broken',
        handler: () => {
          throw new Error('secret whsec_abc leaked in a bug');
        },
      },
    ];
    const app = createHttpApp({
      probes: up,
      extraRoutes: routes,
      onUnexpectedError: (e) => failures.push(e),
    });

    const accepted = await app.request('/webhooks/test', { method: 'POST', body: '{}' });
    const get = await app.request('/webhooks/test');
    const bad = await app.request('/webhooks/bad', { method: 'POST' });
    const broken = await app.request('/webhooks/broken', { method: 'POST' });
    const brokenText = await broken.text();

    expect(accepted.status).toBe(202);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'body is not a valid event' });
    expect(broken.status).toBe(500);
    expect(JSON.parse(brokenText)).toEqual({ error: 'internal error' });
    expect(brokenText).not.toContain('whsec_');
    expect(brokenText).not.toContain('    at ');
    expect(failures).toHaveLength(1);
  });
});

describe('Health probes against the emulators', () => {
  let store: TestStore;
  let mailbox: TestMailbox;
  beforeAll(async () => {
    [store, mailbox] = await Promise.all([startTestStore(), startTestMailbox()]);
  });
  afterAll(async () => {
    await Promise.all([store?.stop(), mailbox?.stop()]);
  });

  it('reports both reachable over real HTTP, then the store unreachable once it stops', async () => {
    const client = createDynamoClient(store.endpoint);
    const app = createHttpApp({
      probes: {
        store: storeProbe(client, store.tableName),
        mail: mailProbe(`http://127.0.0.1:${mailbox.port}`),
      },
    });
    const server = await startHttpServer(app, 0);
    try {
      const healthy = await fetch(`${server.url}/health`);
      const missingTable = await storeProbe(client, 'no-such-table')().catch(() => false);
      await store.stop();
      const degraded = await fetch(`${server.url}/health`);

      expect(healthy.status).toBe(200);
      expect(await healthy.json()).toEqual({
        status: 'ok',
        store: { reachable: true },
        mail: { reachable: true },
      });
      expect(missingTable).toBe(false);
      expect(degraded.status).toBe(503);
      expect(await degraded.json()).toMatchObject({ store: { reachable: false }, mail: { reachable: true } });
    } finally {
      client.destroy();
      await server.stop();
    }
  });

  it('reports the mail emulator unreachable when nothing listens on its port', async () => {
    const reachable = await mailProbe('http://127.0.0.1:1')().catch(() => false);

    expect(reachable).toBe(false);
  });
});
