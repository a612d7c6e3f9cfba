import { expect } from 'chai';
import { lprOn, shanghaiDate, spreadBp } from '../../server/domain/lpr';

describe('lprOn', () => {
  it('answers the rate in force from each change date (inclusive)', () => {
    expect(lprOn('2025-05-19').ratePct).to.equal(3.1);
    expect(lprOn('2025-05-20').ratePct).to.equal(3.0);
    expect(lprOn('2024-07-22').ratePct).to.equal(3.35);
    expect(lprOn('2020-04-20').ratePct).to.equal(3.85);
  });

  it('reads an instant as its Shanghai calendar day', () => {
    expect(shanghaiDate(new Date('2025-05-19T16:00:00Z'))).to.equal('2025-05-20');
    expect(lprOn(new Date('2025-05-19T16:00:00Z')).ratePct).to.equal(3.0);
    expect(lprOn(new Date('2025-05-19T15:59:59Z')).ratePct).to.equal(3.1);
  });

  it('refuses a date before the table', () => {
    expect(() => lprOn('2019-12-31')).to.throw(RangeError, /no LPR/);
  });

  it('gives 5.16% in 2021 as LPR + 131 bp, in whole basis points', () => {
    expect(spreadBp(5.16, '2021-06-01')).to.equal(131);
    expect(spreadBp('3.35', '2025-06-01')).to.equal(35);
    expect(spreadBp(2.95, '2025-06-01')).to.equal(-5);
  });
});
