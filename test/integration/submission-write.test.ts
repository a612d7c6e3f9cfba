import { expect } from 'chai';
import { eq, inArray, sql } from 'drizzle-orm';
import { banks } from '../../models/banks';
import { idempotencyKeys } from '../../models/applications';
import { feedPayload } from '../../models/lead-changes';
import { leadEvents, leads, outbox } from '../../models/leads';
import { notifications } from '../../models/jobs';
import { shortLinks } from '../../models/short-links';
import { smsMessages } from '../../models/sms';
import { PgDialect } from 'drizzle-orm/pg-core';
import { newLeadNotificationsSql } from '../../models/lead-create';
import { executeTogether, insertRowsSql, queryPrepared, queryRows } from '../../server/sql';
import { startTestApp, type TestApp } from '../helpers/app';
import { eligibleFor, hardwareMaker, need } from '../helpers/applications';
import { buildApplication, buildBank, buildBranch, buildLead, buildLendingBank, buildProduct, buildUser } from '../helpers/factories';

/**
 * A submission is written in a few statements built from rows made beforehand (server/commands/submit-application.ts):
 * what was stored must be exactly what the feed, the notifications and the applicant's message were made from.
 */
describe('POST /api/applications › what one request writes', function () {
  this.timeout(60_000);
  let app: TestApp;
  let bankId: number;
  let officers: number[];

  before(async () => {
    app = await startTestApp();
    const bank = await buildLendingBank(app.db);
    bankId = bank.id;
    // The bank's default branch deals leads out in turn to its two officers.
    const branch = await buildBranch(app.db, bankId, { dispatchMode: 'round_robin' });
    await app.db.update(banks).set({ defaultBranchId: branch.id }).where(eq(banks.id, bankId));
    officers = [(await buildUser(app.db, { role: 'bank_officer', bankId, branchId: branch.id })).id, (await buildUser(app.db, { role: 'bank_officer', bankId, branchId: branch.id })).id];
    await buildUser(app.db, { role: 'bank_admin', bankId });
  });
  after(() => app.close());

  async function bodyFor(phone: string) {
    const product = (await eligibleFor(app, hardwareMaker())).find((p) => p.bankId === bankId)!;
    const consent = (await app.call('GET', '/api/applications/consent')).body;
    return { company: hardwareMaker(), contact: { name: '梁伟', phone }, need, mode: 'chosen', productIds: [product.id], consent: { version: consent.version, banks: [bankId] } };
  }

  async function submit(phone: string, key?: string, body?: object) {
    return app.call('POST', '/api/applications', { headers: key ? { 'idempotency-key': key } : {}, body: body ?? await bodyFor(phone) });
  }

  it('stores the lead the feed row, the notifications and the message were built from, and deals the round-robin turns', async () => {
    const first = await submit('13800000001', 'write-key-1');
    const second = await submit('13800000002');
    expect(first.status, first.text).to.equal(201);
    expect(second.status, second.text).to.equal(201);

    const stored = await app.db.select().from(leads).where(eq(leads.applicationId, first.body.id));
    expect(stored.map((l) => l.id)).to.deep.equal(first.body.leads.map((l: { id: number }) => l.id));
    const lead = stored[0]!;
    // The feed row was made from the row in hand: it says what the database holds.
    const [feed] = await app.db.select().from(outbox).where(eq(outbox.leadId, lead.id));
    expect(feed!.payload).to.deep.equal(JSON.parse(JSON.stringify(feedPayload('lead.created', lead))));
    expect(feed!.event).to.equal('lead.created');
    // Two requests, two officers in turn.
    const next = (await app.db.select().from(leads).where(eq(leads.applicationId, second.body.id)))[0]!;
    expect([lead.officerId, next.officerId].sort()).to.deep.equal([...officers].sort());
    expect(lead.status).to.equal('new');
    expect(lead.acceptDueAt!.getTime()).to.be.greaterThan(lead.createdAt.getTime());

    const events = await app.db.select().from(leadEvents).where(eq(leadEvents.leadId, lead.id));
    expect(events.map((e) => [e.action, e.toStatus, e.actorType])).to.deep.equal([['created', 'new', 'applicant']]);
    // The bank's admin and the officer it went to hear of it; the other officer does not.
    const told = await app.db.select({ userId: notifications.userId }).from(notifications).where(eq(notifications.leadId, lead.id));
    expect(told.map((n) => n.userId)).to.include(lead.officerId);
    expect(told).to.have.length(2);
    // The applicant's message links to this request's tracking page through a short code that exists.
    const [sms] = await app.db.select().from(smsMessages).where(eq(smsMessages.applicationId, first.body.id));
    expect(sms!.template).to.equal('submitted');
    const code = (sms!.params as { link: string }).link.replace('/t/', '');
    const [link] = await app.db.select().from(shortLinks).where(eq(shortLinks.code, code));
    expect(link!.target).to.equal(`/track/${first.body.trackingToken}`);
    // The answer is kept for replays, complete.
    const [kept] = await app.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, 'write-key-1'));
    expect(kept!.status).to.equal(201);
    expect(kept!.response).to.deep.equal(first.body);
  });

  it('answers a replay without writing or counting anything again, and a reused key with nothing written', async () => {
    const count = async () => (await queryRows<{ n: number }>(app.db, sql`
      select (select count(*) from applications)::int + (select count(*) from outbox)::int + (select count(*) from sms_messages)::int
        + (select coalesce(sum(hits), 0) from rate_limits where key like 'applications:company:%')::int as n`))[0]!.n;
    const body = await bodyFor('13800000003');
    const first = await submit('13800000003', 'write-key-2', body);
    expect(first.status, first.text).to.equal(201);
    const written = await count();
    const replay = await submit('13800000003', 'write-key-2', body);
    expect(replay.status).to.equal(201);
    expect(replay.headers.get('idempotent-replayed')).to.equal('true');
    expect(replay.body).to.deep.equal(first.body);
    expect(await count()).to.equal(written);
    // The same key with another body: 422, and still nothing more.
    const reused = await submit('13800000003', 'write-key-2');
    expect(reused.status).to.equal(422);
    expect(await count()).to.equal(written);
  });
});

describe('server/sql.ts › writes run together', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('writes rows that refer to one another in one statement, and nothing when one of them fails', async () => {
    const [{ id }] = await queryRows<{ id: number }>(app.db, sql`select nextval(pg_get_serial_sequence('banks', 'id'))::int as id`) as [{ id: number }];
    await executeTogether(app.db, [
      insertRowsSql(banks, [{ id, code: `T${id}`, name: '一起写银行', shortName: '一起写', kind: 'city_commercial' }]),
      sql`insert into branches (bank_id, name, district) values (${id}, '一起写支行', '441202')`,
    ]);
    const [branch] = await queryRows<{ n: number }>(app.db, sql`select count(*)::int as n from branches where bank_id = ${id}`);
    expect(branch!.n).to.equal(1);

    const failing = executeTogether(app.db, [
      insertRowsSql(banks, [{ id: id + 100_000, code: `T${id + 100_000}`, name: '不该留下', shortName: '不该', kind: 'city_commercial' }]),
      sql`insert into branches (bank_id, name, district) values (${-1}, '无主支行', '441202')`,
    ]);
    let error: unknown;
    await failing.catch((e) => (error = e));
    expect(error, 'a branch of no bank must fail the statement').to.be.instanceOf(Error);
    const left = await queryRows<{ n: number }>(app.db, sql`select count(*)::int as n from banks where name = '不该留下'`);
    expect(left[0]!.n).to.equal(0);
  });

  it('prepares a statement once per connection and answers it like a plain query each time', async () => {
    const query = (n: number) => sql`select ${n}::int + 1 as next`;
    const answers = await app.db.transaction(async (tx) => {
      const a = await queryPrepared<{ next: number }>(tx, query(1));
      const b = await queryPrepared<{ next: number }>(tx, query(41));
      const kept = app.testDb.database.kind === 'postgres'
        ? (await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from pg_prepared_statements where statement like 'select $1::int + 1%'`))[0]!.n
        : 1; // PGlite has no named statements: the name is ignored
      return { a: a[0]!.next, b: b[0]!.next, kept };
    });
    expect(answers).to.deep.equal({ a: 2, b: 42, kept: 1 });
  });
});

describe('models/lead-create.ts › new-lead notices, one statement for every routing', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('tells each lead\'s admins and officers by its routing, and its text does not change with the routing', async () => {
    const bank = await buildBank(app.db);
    const product = await buildProduct(app.db, bank.id);
    const [east, west] = [await buildBranch(app.db, bank.id), await buildBranch(app.db, bank.id)];
    const admin = (await buildUser(app.db, { role: 'bank_admin', bankId: bank.id })).id;
    const atEast = (await buildUser(app.db, { role: 'bank_officer', bankId: bank.id, branchId: east.id })).id;
    const atWest = (await buildUser(app.db, { role: 'bank_officer', bankId: bank.id, branchId: west.id })).id;
    const noBranch = (await buildUser(app.db, { role: 'bank_officer', bankId: bank.id })).id;
    await buildUser(app.db, { role: 'bank_officer', bankId: bank.id, active: false });
    const otherBank = await buildBank(app.db);
    await buildUser(app.db, { role: 'bank_admin', bankId: otherBank.id });
    const application = await buildApplication(app.db);
    const leadsMade = [
      await buildLead(app.db, application, product, { officerId: atWest, branchId: west.id }), // held: its officer
      await buildLead(app.db, application, product, { branchId: east.id }), // routed: that branch and the branchless
      await buildLead(app.db, application, product, {}), // routed nowhere, waiting: every officer of the bank
      await buildLead(app.db, application, product, { status: 'contacted' }), // routed nowhere, under way: the branchless
    ];
    const texts = new Set(leadsMade.map((l) => new PgDialect().sqlToQuery(newLeadNotificationsSql([l], new Date())[0]!).sql));
    expect(texts.size, 'one text, whatever the routing').to.equal(1);

    await executeTogether(app.db, newLeadNotificationsSql(leadsMade, new Date()));
    const told = await app.db.select({ leadId: notifications.leadId, userId: notifications.userId }).from(notifications).where(inArray(notifications.leadId, leadsMade.map((l) => l.id)));
    const to = (lead: number) => told.filter((n) => n.leadId === lead).map((n) => n.userId).sort((a, b) => a - b);
    const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
    expect(to(leadsMade[0]!.id)).to.deep.equal(sorted([admin, atWest]));
    expect(to(leadsMade[1]!.id)).to.deep.equal(sorted([admin, atEast, noBranch]));
    expect(to(leadsMade[2]!.id)).to.deep.equal(sorted([admin, atEast, atWest, noBranch]));
    expect(to(leadsMade[3]!.id)).to.deep.equal(sorted([admin, noBranch]));
  });
});
