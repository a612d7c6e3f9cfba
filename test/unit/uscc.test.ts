import { expect } from 'chai';
import { isValidUscc, usccCheckChar } from '../../server/domain/uscc';
import { profileSchema } from '../../routes/match/schema';

describe('isValidUscc (GB 32100-2015)', () => {
  for (const code of ['914403001922038216', '91440300708461136T', '91350100M000100Y43']) {
    it(`accepts ${code}`, () => expect(isValidUscc(code)).to.equal(true));
  }

  it('rejects a wrong check character', () => {
    expect(isValidUscc('914403001922038217')).to.equal(false);
    expect(isValidUscc('91440300708461136A')).to.equal(false);
  });

  for (const bad of ['I', 'O', 'S', 'V', 'Z']) {
    it(`rejects the letter ${bad}, outside the code's character set`, () => {
      const code = `9144030070846113${bad}`;
      expect(isValidUscc(code + usccCheckChar(code.replace(bad, '0')))).to.equal(false);
    });
  }

  it('rejects 17 and 19 characters', () => {
    expect(isValidUscc('91440300192203821')).to.equal(false);
    expect(isValidUscc('9144030019220382160')).to.equal(false);
  });

  it('rejects lower case here; the request schema upper-cases first, so input is treated consistently', () => {
    expect(isValidUscc('91440300708461136t')).to.equal(false);
    const { value, error } = profileSchema.validate({ uscc: ' 91440300708461136t ' });
    expect(error).to.equal(undefined);
    expect(value.uscc).to.equal('91440300708461136T');
  });

  it('computes check characters that make codes valid', () => {
    const body = '91440300MA5F12345';
    expect(isValidUscc(body + usccCheckChar(body))).to.equal(true);
  });
});
