import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A bank's webhook endpoint for tests: verifies X-Rongma-Signature with Node's crypto (independently
 * of the service's code), de-duplicates by X-Rongma-Delivery, and can be switched down (503). It listens
 * on 127.0.0.1 (which the test app's WEBHOOK_ALLOWED_HOSTS lets through) unless told another loopback
 * address and port, e.g. two receivers on one port to see which address a delivery really went to.
 */
export async function startReceiver(secret: string, at: { host?: string; port?: number } = {}) {
  const host = at.host ?? '127.0.0.1';
  const seen = new Map<string, unknown>();
  const state = { down: false, requests: 0, badSignatures: 0, duplicates: 0, lastHost: '' };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      state.requests++;
      state.lastHost = String(req.headers.host ?? '');
      if (state.down) {
        res.writeHead(503).end();
        return;
      }
      const ts = String(req.headers['x-rongma-timestamp'] ?? '');
      const given = Buffer.from(String(req.headers['x-rongma-signature'] ?? ''));
      const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        state.badSignatures++;
        res.writeHead(401).end();
        return;
      }
      const id = String(req.headers['x-rongma-delivery']);
      if (seen.has(id)) state.duplicates++;
      else seen.set(id, JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(at.port ?? 0, host, () => resolve()));
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}/hooks/rongma`,
    port: (server.address() as AddressInfo).port,
    seen,
    state,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
