import { expect } from 'chai';
import { toFacts } from '../../matchers/facts';
import { Matcher } from '../../matchers/matcher';
import { matchAnswerBytes } from '../../routes/match/present';
import { randomProfile, rng, seededMatchProducts } from '../helpers/profiles';

describe('matchAnswerBytes', () => {
  it('equals JSON.stringify of the same answer, for many profiles (and again once fragments are cached)', () => {
    const matcher = new Matcher(seededMatchProducts());
    const next = rng(7);
    for (let i = 0; i < 300; i++) {
      const { company, need } = randomProfile(next);
      if (i % 3 === 0) delete company.taxRating;
      const results = matcher.match(toFacts(company, need, '2026-11-20'));
      const answer = { results, total: results.length, eligibleCount: results.filter((r) => r.eligible).length, profile: { size: null, monthsInOperation: 3 } };
      const { profile, ...rest } = answer;
      const expected = JSON.stringify({ ...rest, returned: results.length, profile });
      expect(matchAnswerBytes(answer).toString('utf8')).to.equal(expected);
      expect(matchAnswerBytes(answer).toString('utf8')).to.equal(expected);
    }
  });
});
