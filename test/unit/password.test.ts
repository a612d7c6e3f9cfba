import { expect } from 'chai';
import { generatePassword, hashPassword, verifyPassword } from '../../server/domain/password';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('s3cret-passphrase');
    expect(hash).to.match(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('s3cret-passphrase', hash)).to.equal(true);
    expect(await verifyPassword('s3cret-passphrasE', hash)).to.equal(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same')).not.to.equal(await hashPassword('same'));
  });

  it('refuses a malformed stored hash instead of throwing', async () => {
    expect(await verifyPassword('x', 'md5$abc')).to.equal(false);
    expect(await verifyPassword('x', '')).to.equal(false);
  });

  it('generates readable passwords of the asked length', () => {
    const p = generatePassword(20);
    expect(p).to.have.length(20);
    expect(p).not.to.match(/[0O1l]/);
  });
});
