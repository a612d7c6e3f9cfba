import { expect } from 'chai';
import { fieldErrorsOf, readNumber, readPhone } from '../../public/src/apply-fields';
import { submitApplicationBody } from '../../routes/applications/schema';

describe('the apply form reads what people type', () => {
  it('readNumber › amounts in 万元 › understands 400万, 4,000,000元, 1.2亿 and full-width digits, refuses words', () => {
    expect(readNumber('400', 'wan')).to.equal(400);
    expect(readNumber('400万', 'wan')).to.equal(400);
    expect(readNumber(' 400 万元 ', 'wan')).to.equal(400);
    expect(readNumber('4,000,000元', 'wan')).to.equal(400);
    expect(readNumber('1.2亿', 'wan')).to.equal(12_000);
    expect(readNumber('１２００', 'wan')).to.equal(1200);
    expect(readNumber('', 'wan')).to.equal(undefined);
    expect(Number.isNaN(readNumber('四百万', 'wan'))).to.equal(true);
    expect(Number.isNaN(readNumber('400万万', 'wan'))).to.equal(true);
  });

  it('readNumber › counts › understands 60人 and 60 名, refuses 六十', () => {
    expect(readNumber('60人', 'count')).to.equal(60);
    expect(readNumber('60 名', 'count')).to.equal(60);
    expect(Number.isNaN(readNumber('六十', 'count'))).to.equal(true);
  });

  it('readPhone › with dashes, spaces or +86 › gives the 11 digits', () => {
    expect(readPhone('138-2658-1234')).to.equal('13826581234');
    expect(readPhone('+86 138 2658 1234')).to.equal('13826581234');
    expect(readPhone('(138) 2658 1234')).to.equal('13826581234');
  });

  it('fieldErrorsOf › server paths › name their field once each, list paths no field answers for', () => {
    const { known, unknown } = fieldErrorsOf([{ path: 'company.establishedOn' }, { path: 'need.amount' }, { path: 'company.collateral.1' }, { path: 'company.collateral' }, { path: 'mode' }]);
    expect(known.map((k) => k.id)).to.deep.equal(['established', 'amount', 'collateral']);
    expect(known[0]!.message).to.equal('请填写营业执照上的成立日期，不能晚于今天');
    expect(unknown).to.deep.equal(['mode']);
  });

  it('fieldErrorsOf › every company, need and contact field the submit schema knows › is mapped to a field of the form', () => {
    const keys = (submitApplicationBody.describe() as { keys: Record<string, { keys?: Record<string, unknown> }> }).keys;
    const paths = ['company', 'need', 'contact'].flatMap((part) => Object.keys(keys[part]!.keys!).map((k) => `${part}.${k}`));
    expect(paths.length).to.be.greaterThan(15);
    expect(fieldErrorsOf(paths.map((path) => ({ path }))).unknown).to.deep.equal([]);
  });
});
