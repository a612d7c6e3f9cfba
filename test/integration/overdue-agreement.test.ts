import { expect } from 'chai';
import { like } from 'drizzle-orm';
import { slaMarks, notifications } from '../../models/jobs';
import { leadStatuses, type LeadRow, type LeadStatus } from '../../models/leads';
import { summaryFigures, bankFigures } from '../../models/reports';
import { refreshReportRollup } from '../../models/rollup-refresh';
import { dailyDigest } from '../../server/jobs/daily-digest';
import { slaCheck } from '../../server/jobs/sla-check';
import { presentFigures } from '../../routes/reports/present';
import { jobDeps, startTestApp, TestClock, type TestApp } from '../helpers/app';
import { buildApplication, buildBank, buildLead, buildProduct, buildUser, tokenFor } from '../helpers/factories';
import { sh } from '../helpers/time';
import { sample } from '../helpers/metrics';

type Stage = 'accept' | 'contact' | 'decision';
type Position = 'passed' | 'now' | 'ahead';

const NOW = sh('2026-03-20T12:00'); // a Friday, a working day (the digest runs)
const HOUR = 3_600_000;
const at: Record<Position, Date> = { passed: new Date(NOW.getTime() - HOUR), now: NOW, ahead: new Date(NOW.getTime() + HOUR) };
const positions: Position[] = ['passed', 'now', 'ahead'];

/**
 * What "overdue" must mean, written out as the expectation (SPEC: `overdue` is the step that is late):
 * a new lead late to be accepted; a claimed lead late to be contacted, else late to be decided; a
 * contacted lead late to be decided; every other status owes nothing. A deadline falling exactly now is
 * not yet missed.
 */
function expectedStage(status: LeadStatus, p: Record<Stage, Position>): Stage | null {
  if (status === 'new') return p.accept === 'passed' ? 'accept' : null;
  if (status === 'claimed') return p.contact === 'passed' ? 'contact' : p.decision === 'passed' ? 'decision' : null;
  if (status === 'contacted') return p.decision === 'passed' ? 'decision' : null;
  return null;
}

/** The time stamps a lead in this status carries (the transitions that brought it there). */
function stamps(status: LeadStatus): Partial<LeadRow> {
  const t = (local: string) => sh(local);
  const claimed = { claimedAt: t('2026-03-11T10:00') };
  const contacted = { ...claimed, contactedAt: t('2026-03-12T10:00') };
  const decided = { decidedAt: t('2026-03-13T10:00') };
  switch (status) {
    case 'new': return {};
    case 'claimed': return claimed;
    case 'contacted': return contacted;
    case 'approved': return { ...contacted, ...decided, termsAmount: 500_000, termsRatePct: '4.00', termsMonths: 12, termsGuaranteeType: 'credit' };
    case 'declined': return { ...claimed, ...decided, declineReason: 'collateral' };
    case 'disbursed': return { ...contacted, ...decided, termsAmount: 500_000, termsRatePct: '4.00', termsMonths: 12, termsGuaranteeType: 'credit', disbursedAt: t('2026-03-16T10:00'), disbursedAmount: 500_000, disbursedOn: '2026-03-16' };
    case 'withdrawn': case 'expired': return { closedAt: t('2026-03-12T10:00') };
  }
}

describe('overdue › leads in every status with every deadline passed, due now or ahead', function () {
  this.timeout(120_000);
  let app: TestApp;
  let bankAdmin: string;
  let desk: string;
  let admin: string;
  let bankId: number;
  /** lead id → the stage the test expects overdue (null: none). */
  const expected = new Map<number, Stage | null>();
  const tally = () => {
    const n = { accept: 0, contact: 0, decision: 0 };
    for (const s of expected.values()) if (s) n[s]++;
    return n;
  };

  before(async () => {
    app = await startTestApp({ clock: new TestClock(NOW) });
    const bank = await buildBank(app.db);
    bankId = bank.id;
    const product = await buildProduct(app.db, bank.id);
    const application = await buildApplication(app.db, { createdAt: sh('2026-03-10T09:00') });
    for (const status of leadStatuses) {
      for (const accept of positions) for (const contact of positions) for (const decision of positions) {
        const lead = await buildLead(app.db, application, product, {
          status, ...stamps(status), acceptDueAt: at[accept], contactDueAt: at[contact], decisionDueAt: at[decision],
        });
        expected.set(lead.id, expectedStage(status, { accept, contact, decision }));
      }
    }
    // Handed back to the desk: still new, still late to be accepted (or not yet).
    for (const accept of positions) {
      const lead = await buildLead(app.db, application, product, {
        acceptDueAt: at[accept], contactDueAt: at.ahead, decisionDueAt: at.ahead, escalateAt: at.passed, escalatedAt: at.passed,
      });
      expected.set(lead.id, expectedStage('new', { accept, contact: 'ahead', decision: 'ahead' }));
    }
    bankAdmin = await tokenFor(app, await buildUser(app.db, { role: 'bank_admin', bankId: bank.id }));
    desk = await tokenFor(app, await buildUser(app.db, { role: 'desk' }));
    admin = await tokenFor(app, await buildUser(app.db, { role: 'admin' }));
  });
  after(() => app.close());

  it('has late leads of every stage to agree on', () => {
    expect(tally()).to.deep.equal({ accept: 10, contact: 9, decision: 15 });
  });

  it('GET /api/leads/:id › answers overdue as the stage that is late', async () => {
    for (const [id, stage] of expected) {
      const res = await app.call('GET', `/api/leads/${id}`, { token: bankAdmin });
      expect(res.status).to.equal(200);
      expect(res.body.overdue, `lead ${id} (${res.body.status})`).to.equal(stage);
    }
  });

  it('GET /api/leads?overdue= › lists exactly the late leads, and the rest', async () => {
    const ids = async (overdue: boolean) => {
      const found: number[] = [];
      for (let page = 1; ; page++) {
        const res = await app.call('GET', `/api/leads?overdue=${overdue}&page=${page}&pageSize=200`, { token: bankAdmin });
        expect(res.status).to.equal(200);
        found.push(...res.body.items.map((l: { id: number }) => l.id));
        if (found.length >= res.body.total) return found.sort((a, b) => a - b);
      }
    };
    const late = [...expected].filter(([, s]) => s).map(([id]) => id).sort((a, b) => a - b);
    const onTime = [...expected].filter(([, s]) => !s).map(([id]) => id).sort((a, b) => a - b);
    expect(await ids(true)).to.deep.equal(late);
    expect(await ids(false)).to.deep.equal(onTime);
  });

  it('the sla-check job › marks each late lead once, for the stage that is late, and nothing else', async () => {
    const result = await slaCheck.run(jobDeps(app));
    expect(result.overdue).to.equal(Object.values(tally()).reduce((a, b) => a + b, 0));
    const marks = await app.db.select().from(slaMarks).where(like(slaMarks.kind, 'overdue_%'));
    const got = marks.map((m) => `${m.leadId}:${m.kind}`).sort();
    const want = [...expected].filter(([, s]) => s).map(([id, s]) => `${id}:overdue_${s}`).sort();
    expect(got).to.deep.equal(want);
    expect((await slaCheck.run(jobDeps(app))).overdue, 'a second run marks nothing again').to.equal(0);
  });

  it('GET /api/reports/summary and the league table › count the late leads by stage, live and from the rollup', async () => {
    const live = await app.call('GET', '/api/reports/summary?from=2026-03-01&to=2026-03-31', { token: desk });
    expect(live.status).to.equal(200);
    expect(live.body.basis).to.deep.equal({ source: 'live' });
    expect(live.body.overdue).to.deep.equal(tally());
    const league = await app.call('GET', '/api/reports/banks?from=2026-03-01&to=2026-03-31', { token: desk });
    expect(league.body.items.find((b: { bankId: number }) => b.bankId === bankId).overdue).to.deep.equal(tally());

    await refreshReportRollup(app.db);
    const f = { from: '2026-03-01', to: '2026-03-31', now: NOW };
    const rolled = await summaryFigures(app.db, f, 'rollup');
    expect(rolled.basis.source).to.equal('rollup');
    expect(presentFigures(rolled.row).overdue).to.deep.equal(tally());
    const rolledBanks = await bankFigures(app.db, f, 'leads', 'desc', 'rollup');
    expect(presentFigures(rolledBanks.rows.find((r) => r.bank_id === bankId)!).overdue).to.deep.equal(tally());
  });

  it('GET /metrics › rongma_leads_overdue counts the late leads by stage', async () => {
    const res = await fetch(`${app.baseUrl}/metrics`, { headers: { Authorization: `Bearer ${admin}` } });
    const text = await res.text();
    const n = tally();
    for (const stage of ['accept', 'contact', 'decision'] as const) {
      expect(sample(text, 'rongma_leads_overdue', { stage }), stage).to.equal(n[stage]);
    }
  });

  it('the daily digest › tells the bank how many of its leads are late', async () => {
    await dailyDigest.run(jobDeps(app));
    const sent = await app.db.select().from(notifications).where(like(notifications.kind, '%digest%'));
    const total = Object.values(tally()).reduce((a, b) => a + b, 0);
    expect(sent.map((n) => n.message.zh)).to.have.length(1);
    expect(sent[0]!.message.zh).to.contain(`已超时 ${total} 条`);
  });
});
