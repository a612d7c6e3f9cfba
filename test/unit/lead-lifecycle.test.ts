import { expect } from 'chai';
import type { LeadRow, LeadStatus } from '../../models/leads';
import { allowedActions, nextDueAt, overdueStage } from '../../server/domain/lead-lifecycle';
import { amendDueAt } from '../../server/sla';
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
