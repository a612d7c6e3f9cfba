import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A bank's webhook endpoint for tests: verifies X-Rongma-Signature with Node's crypto (independently
 * of the service's code), de-duplicates by X-Rongma-Delivery, and can be switched down (503).
 */
export async function startReceiver(secret: string) {
  const seen = new Map<string, unknown>();
  const state = { down: false, requests: 0, badSignatures: 0, duplicates: 0 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      state.requests++;
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
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/rongma`,
    seen,
    state,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
