import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../server/config';

describe('loadConfig', () => {
  describe('with an empty environment', () => {
    it('uses the embedded defaults', () => {
      const c = loadConfig({});
      expect(c).to.include({ port: 3000, dataDir: './data', logLevel: 'info', nodeEnv: 'development', jwtTtlSeconds: 3600, seedOnFirstStart: true });
      expect(c.databaseUrl).to.equal(undefined);
      expect(c.publicBaseUrl).to.equal('http://localhost:3000');
    });
  });

  describe('with a bad PORT', () => {
    it('throws a ConfigError that names PORT and says what to set', () => {
      expect(() => loadConfig({ PORT: 'eighty' })).to.throw(ConfigError, /PORT: .*Set PORT to TCP port/);
      expect(() => loadConfig({ PORT: '70000' })).to.throw(ConfigError, /PORT/);
    });
  });

  describe('in production', () => {
    it('requires JWT_SECRET', () => {
      expect(() => loadConfig({ NODE_ENV: 'production' })).to.throw(ConfigError, /JWT_SECRET: .*required/);
    });
    it('refuses a JWT_SECRET shorter than 32 characters', () => {
      expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' })).to.throw(ConfigError, /JWT_SECRET.*32/);
    });
    it('accepts a long secret', () => {
      expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }).jwtSecret).to.equal('x'.repeat(40));
    });
  });

  describe('with several bad values', () => {
    it('reports every one of them at once', () => {
      try {
        loadConfig({ DATABASE_URL: 'mysql://localhost/db', LOG_LEVEL: 'loud', PUBLIC_BASE_URL: 'ftp://x', JWT_TTL_SECONDS: '86400' });
        expect.fail('should have thrown');
      } catch (err) {
        expect(err).to.be.instanceOf(ConfigError);
        for (const key of ['DATABASE_URL', 'LOG_LEVEL', 'PUBLIC_BASE_URL', 'JWT_TTL_SECONDS']) expect((err as Error).message).to.contain(`${key}:`);
      }
    });
  });

  describe('with empty variables (as docker compose passes unset ones)', () => {
    it('treats them as unset', () => {
      const c = loadConfig({ BOOTSTRAP_ADMIN_PASSWORD: '', JWT_SECRET: '', PORT: '' });
      expect(c.bootstrapAdminPassword).to.equal(undefined);
      expect(c.port).to.equal(3000);
    });
  });

  describe('PUBLIC_BASE_URL', () => {
    it('drops a trailing slash so links can be joined', () => {
      expect(loadConfig({ PUBLIC_BASE_URL: 'https://rongma.example.cn/' }).publicBaseUrl).to.equal('https://rongma.example.cn');
    });
    it('defaults to the local port', () => {
      expect(loadConfig({ PORT: '8080' }).publicBaseUrl).to.equal('http://localhost:8080');
    });
  });

  describe('SEED_ON_FIRST_START', () => {
    it('reads false and 0 as off', () => {
      expect(loadConfig({ SEED_ON_FIRST_START: 'false' }).seedOnFirstStart).to.equal(false);
      expect(loadConfig({ SEED_ON_FIRST_START: '0' }).seedOnFirstStart).to.equal(false);
    });
  });
});
