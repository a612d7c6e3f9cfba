import { expect } from 'chai';
import Joi from 'joi';
import { nulErrors } from '../../server/middleware/validate';
import { dateTime, dateTimeUpTo, day } from '../../server/schemas';

const check = (schema: Joi.Schema, value: unknown) => schema.validate(value, { errors: { wrap: { label: false } } });

describe('the shared input rules (server/schemas.ts, validate)', () => {
  it('day › when the date exists in 1900–2100 › keeps the string', () => {
    for (const v of ['1900-01-01', '2024-02-29', '2026-03-31', '2100-12-31']) expect(check(day, v).value, v).to.equal(v);
  });

  it('day › when the date does not exist, is not YYYY-MM-DD, or falls outside 1900–2100 › refuses it', () => {
    for (const v of ['2026-02-29', '2026-02-30', '2026-13-01', '2026-04-31', '2026-00-10', '2026-3-1', '+275760-09-13', '1899-12-31', '2101-01-01', '20260301', '2026-03-01T00:00:00Z']) {
      expect(check(day, v).error, v).to.be.instanceOf(Error);
    }
  });

  it('dateTime › when the moment exists in 1900–2100 › answers it as a Date, a date alone as the start of that Shanghai day', () => {
    expect(check(dateTime, '2026-03-01T10:00:00+08:00').value).to.deep.equal(new Date('2026-03-01T02:00:00Z'));
    expect(check(dateTime, '2026-03-01').value).to.deep.equal(new Date('2026-03-01T00:00:00+08:00'));
    expect(check(dateTime, '2026-03-01T10:00').value, 'no offset: Shanghai time').to.deep.equal(new Date('2026-03-01T10:00:00+08:00'));
    expect(check(dateTime, '2100-12-31T23:59:59.999Z').value).to.deep.equal(new Date('2100-12-31T23:59:59.999Z'));
  });

  it('dateTimeUpTo › when the upper bound of a range is a date alone › answers the last millisecond of that Shanghai day; a date-time stays as it is', () => {
    expect(check(dateTimeUpTo, '2026-12-01').value).to.deep.equal(new Date('2026-12-01T23:59:59.999+08:00'));
    expect(check(dateTimeUpTo, '2026-12-01T10:00:00Z').value).to.deep.equal(new Date('2026-12-01T10:00:00Z'));
    expect(check(dateTimeUpTo, '2026-02-30').error).to.be.instanceOf(Error);
  });

  it('dateTime › when the date or time does not exist, or the year is out of range › refuses it', () => {
    for (const v of ['2026-02-30T10:00:00Z', '2026-03-01T24:00:00Z', '2026-03-01T10:60:00Z', '2026-03-01T10:00:60Z', '2026-03-01T10:00:00+25:00', '+275760-09-13T00:00:00Z', '1899-12-31T23:59:59Z', 'yesterday', '1700000000000']) {
      expect(check(dateTime, v).error, v).to.be.instanceOf(Error);
    }
  });

  it('nulErrors › when a NUL hides in a nested string or a key › names each place', () => {
    expect(nulErrors({ a: 'ok', b: ['x', 'y\u0000'], c: { d: '\u0000' }, ['e\u0000']: 1 }, 'body').map((e) => e.path)).to.deep.equal(['b.1', 'c.d', 'e\\0']);
    expect(nulErrors('a\u0000', 'query')).to.deep.equal([{ in: 'query', path: 'query', message: 'query must not contain a NUL character' }]);
    expect(nulErrors(Buffer.from([0, 1, 2]), 'body'), 'raw file bytes are the import\'s to check').to.deep.equal([]);
    expect(nulErrors({ a: [{ b: 'x', c: [1, null, 'y'] }], d: '\u{1F600}' }, 'body'), 'clean text at every depth, a well-formed pair').to.deep.equal([]);
    expect(nulErrors({ a: [{ b: ['ok', 'x\uD800'] }] }, 'body').map((e) => e.path), 'a lone surrogate deep in an array').to.deep.equal(['a.0.b.1']);
  });
});
