import { expect } from 'chai';
import { eq, sql } from 'drizzle-orm';
import { shortLinks } from '../../models/short-links';
import { smsMessages } from '../../models/sms';
import { watches } from '../../models/watches';
import { watchRematch } from '../../server/jobs/watch-rematch';
import { runJob } from '../../server/jobs';
import { PHONE_DAILY_LIMIT, queueSms } from '../../server/sms/outbox';
import { rematchWatches } from '../../server/watches/rematch';
import { jobDeps, startTestApp, TestClock, type TestApp } from '../helpers/app';
import { hardwareMaker, need } from '../helpers/applications';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { buildBank, buildUser, tokenFor } from '../helpers/factories';
import { verifiedToken } from '../helpers/phone';
import { productBody } from '../helpers/products';
import { sh } from '../helpers/time';

describe('Watches: tell me when I qualify', function () {
  this.timeout(120_000);
  let app: TestApp;
  let bankAdmin: string;
  let desk: string;
  const PHONE = '13500001111';
  const company = hardwareMaker();

  beforeEach(async () => {
    app = await startTestApp({ clock: new TestClock(sh('2026-03-03T10:00')), config: { publicBaseUrl: 'https://rongma.example.cn' } });
    const bank = await buildBank(app.db, { code: 'WAT', name: '观察银行', shortName: '观察行' });
    bankAdmin = await tokenFor(app, await buildUser(app.db, { role: 'bank_admin', bankId: bank.id }));
    desk = await tokenFor(app, await buildUser(app.db, { role: 'desk' }));
  });
  afterEach(async () => app.close());

  async function publish(name: string, criteria: object = { minYearsInOperation: 2, taxRatings: ['A', 'B'] }): Promise<number> {
    const made = await app.call('POST', '/api/products', { token: bankAdmin, body: productBody({ name, criteria }) });
    expect(made.status, made.text).to.equal(201);
    const res = await app.call('POST', `/api/products/${made.body.id}/publish`, { token: desk, body: { expectedUpdatedAt: made.body.updatedAt } });
    expect(res.status, res.text).to.equal(200);
    return made.body.id;
  }
  const consent = async () => ({ version: (await app.call('GET', '/api/watches/consent')).body.version });
  async function watch() {
    const res = await app.call('POST', '/api/watches', { body: { company, need, phoneToken: await verifiedToken(app, PHONE, 'watch'), consent: await consent() } });
    expect(res.status, res.text).to.equal(201);
    return res.body as { id: number; manageUrl: string; expiresAt: string };
  }
  const tokenOf = (w: { manageUrl: string }) => w.manageUrl.split('/').pop()!;
  const rematch = () => runJob(jobDeps(app), watchRematch, 'manual');
  const told = () => app.db.select().from(smsMessages).where(eq(smsMessages.template, 'watch')).orderBy(smsMessages.id);

  it('POST /api/watches › when the phone is verified for watch › returns 201 with a manage link for 180 days; products eligible now count as told', async () => {
    const existing = await publish('已有经营贷');
    const w = await watch();
    expect(w.manageUrl).to.match(/^https:\/\/rongma\.example\.cn\/watch\/[\w-]{20,}$/);
    expect(w.expiresAt).to.equal(new Date(sh('2026-03-03T10:00').getTime() + 180 * 86_400_000).toISOString());
    const [row] = await app.db.select().from(watches);
    expect(row!.toldProductIds).to.deep.equal([existing]);
    expect(row!.phone).to.equal(PHONE);
    await rematch();
    expect(await told(), 'an existing product is not news').to.have.length(0);
    const shown = await app.call('GET', `/api/watches/${tokenOf(w)}`);
    expect(shown.body).to.include({ status: 'active', notifications: 0 });
    expect(shown.body.applyUrl).to.equal(`https://rongma.example.cn/apply?w=${tokenOf(w)}`);
  });

  it('POST /api/watches › when the token is missing, for another purpose, or the consent outdated › returns 400 / 422', async () => {
    expectFieldErrors(await app.call('POST', '/api/watches', { body: { company, need, consent: await consent() } }), ['phoneToken']);
    const apply = await verifiedToken(app, PHONE, 'apply');
    expectFieldErrors(await app.call('POST', '/api/watches', { body: { company, need, phoneToken: apply, consent: await consent() } }), ['phoneToken']);
    app.clock.advance(61_000);
    const ok = await verifiedToken(app, PHONE, 'watch');
    expectProblem(await app.call('POST', '/api/watches', { body: { company, need, phoneToken: ok, consent: { version: 'old' } } }), 422, 'consent_outdated');
    expectFieldErrors(await app.call('POST', '/api/watches', { body: { company: { ...company, uscc: 'bad' }, need, phoneToken: ok, consent: await consent() } }), ['company.uscc']);
  });

  it('watch-rematch › when a new product fits › texts the watcher once, naming it with an apply link and a stop link; not again', async () => {
    const w = await watch();
    const productId = await publish('新上线科创贷');
    await rematch();
    const [sms, ...rest] = await told();
    expect(rest).to.have.length(0);
    expect(sms!.phone).to.equal(PHONE);
    expect(sms!.params.products).to.contain('新上线科创贷');
    const [apply] = await app.db.select().from(shortLinks).where(eq(shortLinks.code, sms!.params.link!.slice(3)));
    expect(apply!.target).to.equal(`/apply?w=${tokenOf(w)}`);
    const [stop] = await app.db.select().from(shortLinks).where(eq(shortLinks.code, sms!.params.stop!.slice(3)));
    expect(stop!.target).to.equal(`/watch/${tokenOf(w)}`);
    app.clock.advance(2 * 86_400_000);
    await rematch();
    expect(await told(), 'told once').to.have.length(1);
    desk = await tokenFor(app, await buildUser(app.db, { role: 'desk' }));
    expect((await app.call('GET', `/api/watches/stats`, { token: desk })).body).to.deep.equal({ active: 1, notified: 1, applied: 0 });
    // The watcher follows the link and applies: the watch counts as applied.
    const { bankId } = (await app.call('GET', `/api/products/${productId}`)).body;
    const version = (await app.call('GET', '/api/applications/consent')).body.version;
    const applied = await app.call('POST', '/api/applications', { body: { company, contact: { name: '梁伟', phone: PHONE }, need, mode: 'chosen', productIds: [productId], consent: { version, banks: [bankId] } } });
    expect(applied.status, applied.text).to.equal(201);
    expect((await app.call('GET', `/api/watches/stats`, { token: desk })).body).to.deep.equal({ active: 1, notified: 1, applied: 1 });
  });

  it('watch-rematch › when a second product fits on the same day › waits for the next day (one message a day)', async () => {
    await watch();
    await publish('第一款');
    await rematch();
    await publish('第二款');
    await rematch();
    expect(await told()).to.have.length(1);
    app.clock.advance(86_400_000);
    await rematch();
    const rows = await told();
    expect(rows).to.have.length(2);
    expect(rows[1]!.params.products).to.contain('第二款');
  });

  it('watch-rematch › when the watcher\'s phone has had its messages today › the message is skipped and the watch stays untold until the next day', async () => {
    const w = await watch();
    for (let i = 0; i < PHONE_DAILY_LIMIT; i++) {
      await app.db.transaction((tx) => queueSms(tx, null, { phone: PHONE, template: 'submitted', params: { ref: 'RM26030300001', link: '/t/ABCDEFGHJKLM' }, dedupeKey: `busy:${i}` }, app.clock.now()));
    }
    await publish('限额日上线');
    await rematch();
    expect((await told()).map((m) => m.status)).to.deep.equal(['skipped']);
    expect((await app.call('GET', `/api/watches/${tokenOf(w)}`)).body).to.include({ notifications: 0 });
    app.clock.advance(86_400_000);
    await rematch();
    const rows = await told();
    expect(rows.map((m) => m.status)).to.deep.equal(['skipped', 'pending']);
    expect(rows[1]!.params.products).to.contain('限额日上线');
  });

  it('watch-rematch › when the run dies between chunks › the next run tells the rest, no watch twice', async () => {
    const productId = await publish('千家企业');
    const n = 1500;
    await app.db.execute(sql`
      insert into watches (token, phone, company, need, consent_version, created_at, expires_at)
      select 'crash' || lpad(g::text, 27, '0'), '137' || lpad(g::text, 8, '0'), ${JSON.stringify(company)}::jsonb, ${JSON.stringify(need)}::jsonb, 'v', ${app.clock.now().toISOString()}::timestamptz, ${new Date(app.clock.now().getTime() + 86_400_000).toISOString()}::timestamptz
      from generate_series(1, ${n}) g`);
    // The process "dies" on the message of the last watch, which sits in the last chunk.
    await app.db.execute(sql.raw(`
      create function die_on_last() returns trigger language plpgsql as $$
      begin if new.phone = '137${String(n).padStart(8, '0')}' then raise exception 'killed'; end if; return new; end $$`));
    await app.db.execute(sql.raw('create trigger die_on_last before insert on sms_messages for each row execute function die_on_last()'));
    const jobs = { ...jobDeps(app) };
    await rematchWatches(jobs, { onlyProductIds: [productId] }).then(() => expect.fail('the run should die'), (err: Error) => expect(`${err.message} ${(err.cause as Error | undefined)?.message}`).to.contain('killed'));
    const half = await app.db.select().from(watches);
    // Every watch is either told with its message queued, or neither.
    const queuedIds = new Set((await told()).map((m) => m.watchId));
    for (const w of half) expect(queuedIds.has(w.id), `watch ${w.id}`).to.equal(w.toldProductIds.includes(productId));
    expect(queuedIds.size).to.be.below(n);

    await app.db.execute(sql.raw('drop trigger die_on_last on sms_messages'));
    await rematchWatches(jobs, { onlyProductIds: [productId] });
    const rows = await told();
    expect(rows).to.have.length(n);
    expect(new Set(rows.map((m) => m.watchId)).size).to.equal(n);
    expect((await app.db.select().from(watches)).every((w) => w.toldProductIds.includes(productId) && w.notifications === 1)).to.equal(true);
  });

  it('watch-rematch › when nothing was published since the last run on the same day › skips re-matching', async () => {
    await watch();
    await rematch();
    app.clock.advance(60_000);
    expect((await rematch()).counts).to.deep.equal({ watches: 0, pairs: 0, notified: 0 });
  });

  it('POST /api/watches/:token/cancel › when the watcher cancels by the link › no message follows; the page says it ended', async () => {
    const w = await watch();
    const res = await app.call('POST', `/api/watches/${tokenOf(w)}/cancel`);
    expect(res.status).to.equal(200);
    expect(res.body.status).to.equal('cancelled');
    await publish('取消后上线');
    await rematch();
    expect(await told()).to.have.length(0);
    const page = await app.call('GET', `/watch/${tokenOf(w)}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('已结束');
  });

  it('/watch/:token › when the form is sent › cancels the watch', async () => {
    const w = await watch();
    const res = await app.call('POST', `/watch/${tokenOf(w)}/cancel`, { raw: '', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).to.equal(303);
    expect((await app.call('GET', `/api/watches/${tokenOf(w)}`)).body.status).to.equal('cancelled');
  });

  it('watch-rematch › when 180 days have passed › the watch has expired and is not told', async () => {
    const w = await watch();
    app.clock.advance(181 * 86_400_000);
    desk = await tokenFor(app, await buildUser(app.db, { role: 'desk' }));
    bankAdmin = await tokenFor(app, await buildUser(app.db, { role: 'bank_admin', bankId: (await buildBank(app.db)).id }));
    await publish('过期后上线');
    await rematch();
    expect(await told()).to.have.length(0);
    expect((await app.call('GET', `/api/watches/${tokenOf(w)}`)).body.status).to.equal('expired');
  });

  it('GET /api/watches/:token › when the link is unknown or malformed, or stats are asked anonymously › returns 404, 400, 401', async () => {
    expectProblem(await app.call('GET', `/api/watches/${'x'.repeat(32)}`), 404, 'watch_not_found');
    expectFieldErrors(await app.call('GET', '/api/watches/short'), ['token']);
    expectProblem(await app.call('POST', `/api/watches/${'x'.repeat(32)}/cancel`), 404, 'watch_not_found');
    expectProblem(await app.call('GET', '/api/watches/stats'), 401);
    expectProblem(await app.call('GET', '/api/watches/stats', { token: bankAdmin }), 403);
  });
});
