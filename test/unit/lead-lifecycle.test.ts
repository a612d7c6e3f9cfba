import { expect } from 'chai';
import type { LeadRow, LeadStatus } from '../../models/leads';
import { leadStatuses } from '../../models/leads';
import { DEFAULT_SLA } from '../../models/sla';
import { allowedActions, nextDueAt, nextStatus, overdueStage, transitions, type LeadAction } from '../../server/domain/lead-lifecycle';
import { amendDueAt, deadlinesFor } from '../../server/sla';
import { sh } from '../helpers/time';

const BANK = 7;
const officer = { role: 'bank_officer' as const, bankId: BANK };
const admin = { role: 'bank_admin' as const, bankId: BANK };
const due = { acceptDueAt: sh('2026-03-04T10:00'), contactDueAt: sh('2026-03-06T10:00'), decisionDueAt: sh('2026-03-10T10:00') };

function lead(status: LeadStatus, o: Partial<LeadRow> = {}) {
  const accepted = status !== 'new' && status !== 'expired' && status !== 'withdrawn';
  return { status, bankId: BANK, claimedAt: accepted ? sh('2026-03-03T11:00') : null, decidedAt: ['approved', 'declined', 'disbursed'].includes(status) ? sh('2026-03-03T15:00') : null, firstLoanConfirmed: null, ...due, ...o };
}

describe('lead lifecycle rules', () => {
  const now = sh('2026-03-03T16:00');
  const table: [LeadStatus, string[], string[]][] = [
    ['new', ['claim'], ['claim', 'assign']],
    ['claimed', ['contact', 'decline', 'confirm_first_loan'], ['assign', 'contact', 'decline', 'confirm_first_loan']],
    ['contacted', ['approve', 'decline', 'confirm_first_loan'], ['assign', 'approve', 'decline', 'confirm_first_loan']],
    ['approved', ['disburse', 'amend', 'confirm_first_loan'], ['disburse', 'amend', 'confirm_first_loan']],
    ['declined', ['confirm_first_loan'], ['confirm_first_loan']],
    ['disbursed', ['amend', 'confirm_first_loan'], ['amend', 'confirm_first_loan']],
    ['withdrawn', [], []],
    ['expired', [], []],
  ];
  for (const [status, forOfficer, forAdmin] of table) {
    it(`allowedActions › when the lead is ${status} › offers the officer and the admin their verbs`, () => {
      expect(allowedActions(lead(status), officer, now)).to.deep.equal(forOfficer);
      expect(allowedActions(lead(status), admin, now)).to.deep.equal(forAdmin);
    });
  }

  it('allowedActions › for the desk, an admin or another bank › offers nothing', () => {
    for (const actor of [{ role: 'desk' as const, bankId: null }, { role: 'admin' as const, bankId: null }, { role: 'bank_officer' as const, bankId: BANK + 1 }]) {
      expect(allowedActions(lead('contacted'), actor, now)).to.deep.equal([]);
    }
  });

  it('allowedActions › once the credit report is answered, or for a lead withdrawn after acceptance › keeps 征信核实 only while unanswered', () => {
    expect(allowedActions(lead('disbursed', { firstLoanConfirmed: false }), officer, now)).to.deep.equal(['amend']);
    expect(allowedActions(lead('withdrawn', { claimedAt: sh('2026-03-03T11:00') }), officer, now)).to.deep.equal(['confirm_first_loan']);
  });

  it('allowedActions › amend › runs 2 working days from the decision, weekends not counted', () => {
    const friday = lead('approved', { decidedAt: sh('2026-03-06T16:00') });
    expect(amendDueAt(friday.decidedAt!)).to.deep.equal(sh('2026-03-10T16:00'));
    expect(allowedActions(friday, officer, sh('2026-03-10T16:00'))).to.include('amend');
    expect(allowedActions(friday, officer, sh('2026-03-10T16:00:01'))).not.to.include('amend');
  });

  it('overdueStage and nextDueAt › name the late step and the deadline of the current one', () => {
    expect(overdueStage(lead('new'), sh('2026-03-04T10:00'))).to.equal(null);
    expect(overdueStage(lead('new'), sh('2026-03-04T10:01'))).to.equal('accept');
    expect(overdueStage(lead('claimed'), sh('2026-03-11T00:00'))).to.equal('contact');
    expect(overdueStage(lead('contacted'), sh('2026-03-11T00:00'))).to.equal('decision');
    expect(overdueStage(lead('approved'), sh('2026-03-11T00:00'))).to.equal(null);
    expect(nextDueAt(lead('claimed'))).to.deep.equal(due.contactDueAt);
    expect(nextDueAt(lead('disbursed'))).to.equal(null);
  });
});

describe('lead lifecycle › the transition table', () => {
  /** Every allowed move, written out by hand from SPEC "Lead lifecycle"; every pair not listed is refused. */
  const allowed: Record<LeadAction, Partial<Record<LeadStatus, LeadStatus>>> = {
    claim: { new: 'claimed' },
    assign: { new: 'claimed' },
    reassign: { claimed: 'claimed', contacted: 'contacted' },
    contact: { claimed: 'contacted' },
    approve: { contacted: 'approved' },
    decline: { claimed: 'declined', contacted: 'declined' },
    disburse: { approved: 'disbursed' },
    withdraw: { new: 'withdrawn', claimed: 'withdrawn', contacted: 'withdrawn' },
    expire: { new: 'expired', claimed: 'expired', contacted: 'expired' },
  };

  it('nextStatus › answers the next status for each allowed move and refuses every other', () => {
    expect(Object.keys(transitions).sort()).to.deep.equal(Object.keys(allowed).sort());
    for (const action of Object.keys(allowed) as LeadAction[]) {
      for (const status of leadStatuses) {
        expect(nextStatus(action, status), `${action} from ${status}`).to.equal(allowed[action][status]);
      }
    }
  });

  it('nextStatus › lets nothing leave a declined, disbursed, withdrawn or expired lead', () => {
    for (const status of ['declined', 'disbursed', 'withdrawn', 'expired'] as const) {
      for (const action of Object.keys(transitions) as LeadAction[]) expect(nextStatus(action, status), `${action} from ${status}`).to.equal(undefined);
    }
  });
});

describe('lead lifecycle › overdueStage', () => {
  const before = sh('2026-03-04T09:00');
  const deadlines = (accept: Date | null, contact: Date | null, decision: Date | null) => ({ acceptDueAt: accept, contactDueAt: contact, decisionDueAt: decision });
  const passed = sh('2026-03-04T08:00');
  const ahead = sh('2026-03-04T10:00');

  it('when every deadline has passed › names the step the status owes, and nothing for a finished lead', () => {
    const expected: Record<LeadStatus, string | null> = { new: 'accept', claimed: 'contact', contacted: 'decision', approved: null, declined: null, disbursed: null, withdrawn: null, expired: null };
    for (const status of leadStatuses) expect(overdueStage({ status, ...deadlines(passed, passed, passed) }, before), status).to.equal(expected[status]);
  });

  it('when a claimed lead is still within its contact deadline but past its decision › names the decision', () => {
    expect(overdueStage({ status: 'claimed', ...deadlines(passed, ahead, passed) }, before)).to.equal('decision');
  });

  it('when only an earlier step\'s deadline has passed › is not overdue (a contacted lead owes no acceptance)', () => {
    expect(overdueStage({ status: 'claimed', ...deadlines(passed, ahead, ahead) }, before)).to.equal(null);
    expect(overdueStage({ status: 'contacted', ...deadlines(passed, passed, ahead) }, before)).to.equal(null);
    expect(overdueStage({ status: 'new', ...deadlines(ahead, passed, passed) }, before)).to.equal(null);
  });

  it('when a deadline falls exactly now › is not yet overdue; a millisecond later it is', () => {
    expect(overdueStage({ status: 'new', ...deadlines(before, null, null) }, before)).to.equal(null);
    expect(overdueStage({ status: 'new', ...deadlines(before, null, null) }, new Date(before.getTime() + 1))).to.equal('accept');
  });

  it('when a lead has no deadlines › is never overdue', () => {
    for (const status of leadStatuses) expect(overdueStage({ status, ...deadlines(null, null, null) }, before)).to.equal(null);
  });
});

describe('SLA deadlines (deadlinesFor, the default 1-3-5 policy)', () => {
  it('on ordinary working days › counts whole working days from the request, escalation 2 days after acceptance', () => {
    const d = deadlinesFor(sh('2026-03-02T10:00'), DEFAULT_SLA); // a Monday
    expect(d).to.deep.equal({
      acceptDueAt: sh('2026-03-03T10:00'), contactDueAt: sh('2026-03-05T10:00'), decisionDueAt: sh('2026-03-09T10:00'), escalateAt: sh('2026-03-05T10:00'),
    });
  });

  it('when the request is sent on a Saturday › is due at the end of the next working day (SPEC)', () => {
    expect(deadlinesFor(sh('2026-03-07T10:00'), DEFAULT_SLA).acceptDueAt).to.deep.equal(sh('2026-03-10T00:00'));
  });

  it('over the Spring Festival › counts the make-up Saturday and skips the nine days of holiday', () => {
    const d = deadlinesFor(sh('2026-02-13T10:00'), DEFAULT_SLA); // Friday; Saturday 14th is worked, 15th-23rd are off
    expect(d).to.deep.equal({
      acceptDueAt: sh('2026-02-14T10:00'), contactDueAt: sh('2026-02-25T10:00'), decisionDueAt: sh('2026-02-27T10:00'), escalateAt: sh('2026-02-25T10:00'),
    });
  });

  it('when a deadline runs into a year whose holidays are not loaded › counts Monday to Friday and says so', () => {
    const gaps: unknown[] = [];
    const d = deadlinesFor(sh('2026-12-31T10:00'), DEFAULT_SLA, (err) => gaps.push(err));
    expect(gaps.length).to.be.greaterThan(0);
    expect(d.acceptDueAt).to.deep.equal(sh('2027-01-01T10:00'));
    expect(d.contactDueAt).to.deep.equal(sh('2027-01-05T10:00'));
  });
});
