import { expect } from 'chai';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { outbox } from '../../models/leads';
import { createLogger } from '../../server/logger';
import { systemLookup, UNREACHABLE_TARGET, type HostLookup } from '../../server/outbound-address';
import { deliverDue, MAX_ATTEMPTS } from '../../server/webhooks';
import { startTestApp } from '../helpers/app';
import { requestAtBank } from '../helpers/applications';
import { expectFieldErrors } from '../helpers/expect';
import { buildLendingBank, buildUser, tokenFor } from '../helpers/factories';
import { startReceiver } from '../helpers/receiver';

const SECRET = 'whsec-test-0123456789abcdef';

/**
 * DNS for these tests (the machine has no outside network): each name answers its queue of answers in
 * turn, repeating the last; "localhost" goes to the real resolver. Counts the questions.
 */
function playDns() {
  const answers = new Map<string, string[][]>();
  const asked: string[] = [];
  const lookup: HostLookup = async (host) => {
    asked.push(host);
    if (host === 'localhost') return systemLookup(host);
    const queue = answers.get(host);
    if (!queue) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    const next = queue.length > 1 ? queue.shift()! : queue[0]!;
    return next.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { lookup, asked, answer: (host: string, ...queue: string[][]) => answers.set(host, queue) };
}

/** The real app on a fresh database with one lending bank, its admin, and the given allow-list and DNS. */
async function bankWithAdmin(allowed: string[], dns: ReturnType<typeof playDns>) {
  const app = await startTestApp({ config: { webhookAllowedHosts: allowed }, lookup: dns.lookup });
  const bankId = (await buildLendingBank(app.db)).id;
  const token = await tokenFor(app, await buildUser(app.db, { role: 'bank_admin', bankId }));
  const put = (url: string) => app.call('PUT', `/api/banks/${bankId}/webhook`, { token, body: { url, secret: SECRET } });
  const deliver = () => deliverDue({ db: app.db, clock: app.clock, logger: createLogger('silent'), config: app.config, lookup: dns.lookup });
  return { app, bankId, token, put, deliver };
}

describe('webhook targets: the service never calls into its own network', function () {
  this.timeout(90_000);

  describe('with WEBHOOK_ALLOWED_HOSTS empty (the default)', () => {
    const dns = playDns();
    let s: Awaited<ReturnType<typeof bankWithAdmin>>;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;

    before(async () => {
      s = await bankWithAdmin([], dns);
      receiver = await startReceiver(SECRET);
    });
    after(async () => {
      await receiver.close();
      await s.app.close();
    });

    it('PUT /api/banks/:id/webhook › when the url is, or resolves to, an internal address › returns 400 on url, saves nothing and never POSTs there', async () => {
      dns.answer('intranet.example', ['10.20.30.40']);
      dns.answer('half.example', ['93.184.216.34', '192.168.1.20']);
      dns.answer('v6-intranet.example', ['fd12:3456::7']);
      const p = receiver.port;
      const targets = [
        `http://127.0.0.1:${p}/hooks/rongma`, `http://localhost:${p}/hooks/rongma`, `http://[::1]:${p}/`, `http://127.1:${p}/`,
        `http://2130706433:${p}/hooks/rongma`, `http://0x7f.1:${p}/hooks/rongma`, `http://0177.0.0.1:${p}/`, `http://%31%32%37.0.0.1:${p}/`,
        `http://[::ffff:127.0.0.1]:${p}/`, `http://[::127.0.0.1]:${p}/`, `http://[64:ff9b::7f00:1]:${p}/`, `http://0.0.0.0:${p}/`, `http://0:${p}/`,
        'http://10.0.0.1/', 'https://172.16.5.4/', 'http://192.168.1.1/admin', 'http://100.64.0.1/', 'http://100.100.100.200/latest/meta-data/',
        'http://169.254.169.254/latest/meta-data/iam/', 'http://[fd00:ec2::254]/', 'http://[fd00::2]/', 'http://[fe80::1]/',
        'http://224.0.0.1/', 'http://[ff02::1]/', 'http://255.255.255.255/', 'http://[2002:7f00:1::1]/',
        'https://intranet.example/hook', 'https://half.example/hook', 'https://v6-intranet.example/hook',
      ];
      for (const url of targets) {
        const res = await s.put(url);
        expectFieldErrors(res, ['url']);
        expect(res.body.errors[0].message, url).to.equal(UNREACHABLE_TARGET);
      }
      const shown = await s.app.call('GET', `/api/banks/${s.bankId}/webhook`, { token: s.token });
      expect(shown.body).to.include({ configured: false, url: null });
      await requestAtBank(s.app, s.bankId);
      expect(await s.deliver()).to.deep.equal({ delivered: 0, failed: 0, dead: 0 });
      expect(receiver.state.requests).to.equal(0);
    });

    it('PUT /api/banks/:id/webhook › when one host does not resolve and another resolves inside the network › answers both with the same words, so internal names cannot be mapped', async () => {
      dns.answer('db.internal.example', ['10.1.2.3']);
      const answers = [];
      for (const url of ['https://no-such-host.example/hook', 'https://db.internal.example/hook', `http://localhost:${receiver.port}/`]) {
        const res = await s.put(url);
        expectFieldErrors(res, ['url']);
        answers.push(res.body.errors[0].message);
      }
      expect(new Set(answers)).to.deep.equal(new Set([UNREACHABLE_TARGET]));
      expect(UNREACHABLE_TARGET).to.match(/WEBHOOK_ALLOWED_HOSTS/).and.not.match(/resolve|loopback|internal/);
    });

    it('PUT /api/banks/:id/webhook › when the scheme is not http(s) › returns 400 on url', async () => {
      for (const url of ['ftp://files.example/hook', 'file:///etc/passwd', 'gopher://127.0.0.1:6379/_INFO']) expectFieldErrors(await s.put(url), ['url']);
    });

    it('PUT /api/banks/:id/webhook › when the host resolves to public addresses only › saves it', async () => {
      dns.answer('loans.bank.example', ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946']);
      const res = await s.put('https://loans.bank.example/rongma/webhook');
      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.include({ configured: true, url: 'https://loans.bank.example/rongma/webhook' });
      expect(dns.asked).to.include('loans.bank.example');
    });

    it('outbox delivery › when a saved host later resolves to 127.0.0.1 (DNS rebinding) › fails the delivery as refused, retries, dead-letters, and nothing reaches 127.0.0.1', async () => {
      dns.answer('rebind.example', ['93.184.216.34'], ['127.0.0.1']);
      const saved = await s.put(`http://rebind.example:${receiver.port}/hooks/rongma`);
      expect(saved.status, saved.text).to.equal(200);
      const { leadId } = await requestAtBank(s.app, s.bankId);
      const first = await s.deliver();
      expect(first.failed).to.be.at.least(1);
      expect(first.delivered).to.equal(0);
      const [row] = await s.app.db.select().from(outbox).where(eq(outbox.leadId, leadId));
      expect(row!.attempts).to.equal(1);
      expect(row!.deliveredAt).to.equal(null);
      expect(row!.lastStatus).to.equal(null);
      expect(row!.lastError, 'the same words as at save: the bank learns nothing about our DNS').to.equal(`refused: ${UNREACHABLE_TARGET}`);
      expect(row!.nextAttemptAt.getTime()).to.be.greaterThan(s.app.clock.now().getTime());
      const log = await s.app.call('GET', `/api/banks/${s.bankId}/webhook/deliveries?state=pending`, { token: s.token });
      expect(log.body.items.find((d: { deliveryId: string }) => d.deliveryId === row!.deliveryId).lastError).to.match(/^refused:/);
      for (let i = 1; i < MAX_ATTEMPTS; i++) {
        s.app.clock.advance(25 * 3600_000);
        await s.deliver();
      }
      const [dead] = await s.app.db.select().from(outbox).where(eq(outbox.leadId, leadId));
      expect(dead!.deadAt).to.not.equal(null);
      expect(dead!.attempts).to.equal(MAX_ATTEMPTS);
      expect(receiver.state.requests).to.equal(0);
    });
  });

  describe('with WEBHOOK_ALLOWED_HOSTS listing a host name, an IP and a CIDR', () => {
    const dns = playDns();
    let s: Awaited<ReturnType<typeof bankWithAdmin>>;

    before(async () => {
      s = await bankWithAdmin(['gateway.bank.example', '127.0.0.2', '192.168.50.0/24'], dns);
    });
    after(() => s.app.close());

    it('PUT /api/banks/:id/webhook › when the target is listed by name, by IP or inside a listed CIDR › saves it', async () => {
      dns.answer('gateway.bank.example', ['10.8.0.5']);
      dns.answer('branch-gw.example', ['192.168.50.9']);
      for (const url of ['https://Gateway.Bank.Example/hook', 'http://127.0.0.2:8080/hook', 'http://192.168.50.7/hook', 'https://branch-gw.example/hook']) {
        const res = await s.put(url);
        expect(res.status, `${url}: ${res.text}`).to.equal(200);
      }
    });

    it('PUT /api/banks/:id/webhook › when the target is internal but not what the list names › returns 400 on url', async () => {
      dns.answer('other.bank.example', ['10.8.0.5']);
      for (const url of ['http://127.0.0.1:8080/hook', 'http://192.168.51.7/hook', 'https://other.bank.example/hook', 'http://169.254.169.254/']) {
        expectFieldErrors(await s.put(url), ['url']);
      }
    });

    it('outbox delivery › when the name would answer 127.0.0.1 to a second lookup › connects to the address it checked (127.0.0.2), not the second answer', async () => {
      const checked = await startReceiver(SECRET, { host: '127.0.0.2' });
      const trap = await startReceiver(SECRET, { host: '127.0.0.1', port: checked.port });
      try {
        // Save-time check, delivery-time check, then anything after that: 127.0.0.1.
        dns.answer('pinned.example', ['127.0.0.2'], ['127.0.0.2'], ['127.0.0.1']);
        expect((await s.put(`http://pinned.example:${checked.port}/hooks/rongma`)).status).to.equal(200);
        const { leadId } = await requestAtBank(s.app, s.bankId);
        const before = dns.asked.filter((h) => h === 'pinned.example').length;
        expect((await s.deliver()).delivered).to.be.at.least(1);
        expect(dns.asked.filter((h) => h === 'pinned.example').length - before, 'one lookup per delivery').to.equal(1);
        const [row] = await s.app.db.select().from(outbox).where(eq(outbox.leadId, leadId));
        expect(row!.deliveredAt).to.not.equal(null);
        expect(checked.seen.has(row!.deliveryId)).to.equal(true);
        expect(checked.state.lastHost).to.equal(`pinned.example:${checked.port}`);
        expect(checked.state.badSignatures).to.equal(0);
        expect(trap.state.requests).to.equal(0);
      } finally {
        await trap.close();
        await checked.close();
      }
    });

    it('outbox delivery › when the allowed receiver redirects to an internal address › records the 3xx and follows nothing', async () => {
      const trap = await startReceiver(SECRET, { host: '127.0.0.1' });
      const redirecting = createServer((_req, res) => res.writeHead(307, { location: trap.url }).end());
      await new Promise<void>((r) => redirecting.listen(0, '127.0.0.2', () => r()));
      try {
        expect((await s.put(`http://127.0.0.2:${(redirecting.address() as AddressInfo).port}/hooks/rongma`)).status).to.equal(200);
        const { leadId } = await requestAtBank(s.app, s.bankId);
        await s.deliver();
        const [row] = await s.app.db.select().from(outbox).where(eq(outbox.leadId, leadId));
        expect(row).to.include({ lastStatus: 307, lastError: 'HTTP 307', deliveredAt: null });
        expect(trap.state.requests).to.equal(0);
      } finally {
        await new Promise((r) => redirecting.close(r));
        await trap.close();
      }
    });
  });
});
