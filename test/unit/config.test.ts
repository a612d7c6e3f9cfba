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

  describe('CITY', () => {
    it('is Zhaoqing by default, and the desk name and phone are its profile\'s', () => {
      const c = loadConfig({});
      expect(c.city.code).to.equal('441200');
      expect(c.deskName).to.equal(c.city.desk.name);
      expect(c.deskPhone).to.equal(c.city.desk.phone);
    });
    it('names another shipped profile, whose desk signs the messages unless DESK_NAME says otherwise', () => {
      const c = loadConfig({ CITY: 'xiangtan' });
      expect(c.city.code).to.equal('430300');
      expect(Object.keys(c.city.districts)).to.have.members(['430302', '430304', '430321', '430381', '430382']);
      expect(c.deskName).to.equal('湘潭市融资（首贷）专窗');
      expect(loadConfig({ CITY: 'xiangtan', DESK_NAME: '湘潭市政务服务中心', DESK_PHONE: '0731-12345' })).to.include({ deskName: '湘潭市政务服务中心', deskPhone: '0731-12345' });
    });
    it('refuses a city without a profile, listing the profiles there are', () => {
      expect(() => loadConfig({ CITY: 'changsha' })).to.throw(ConfigError, /CITY: .*Set CITY to .*zhaoqing, xiangtan/);
    });
  });

  describe('HOLIDAYS_DIR', () => {
    it('is read into config (the start loads it), not from process.env by the calendar', () => {
      expect(loadConfig({ HOLIDAYS_DIR: '/srv/holidays' }).holidaysDir).to.equal('/srv/holidays');
      expect(loadConfig({}).holidaysDir).to.equal(undefined);
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
    it('is off by default in production, and on only when set explicitly', () => {
      const prod = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) };
      expect(loadConfig(prod).seedOnFirstStart).to.equal(false);
      expect(loadConfig({ ...prod, SEED_ON_FIRST_START: 'true' }).seedOnFirstStart).to.equal(true);
    });
  });

  describe('WEBHOOK_ALLOWED_HOSTS', () => {
    it('is empty by default in every mode', () => {
      expect(loadConfig({}).webhookAllowedHosts).to.deep.equal([]);
      expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }).webhookAllowedHosts).to.deep.equal([]);
    });
    it('reads host names, IPs and CIDRs, trimmed and lower-cased', () => {
      expect(loadConfig({ WEBHOOK_ALLOWED_HOSTS: 'Gateway.Bank.example, 10.8.0.5,10.9.0.0/16 , ::1' }).webhookAllowedHosts)
        .to.deep.equal(['gateway.bank.example', '10.8.0.5', '10.9.0.0/16', '::1']);
    });
    it('refuses an entry that is none of those, naming the variable', () => {
      expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: 'http://x.example/' })).to.throw(ConfigError, /WEBHOOK_ALLOWED_HOSTS/);
      expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: '10.0.0.0/99' })).to.throw(ConfigError, /WEBHOOK_ALLOWED_HOSTS/);
    });
  });

  describe('TRUST_PROXY', () => {
    it('is off by default, so X-Forwarded-For is ignored', () => {
      expect(loadConfig({}).trustProxy).to.equal(false);
    });
    it('reads addresses, CIDRs and the Express keywords', () => {
      expect(loadConfig({ TRUST_PROXY: '10.0.0.2, 10.1.0.0/24,loopback' }).trustProxy).to.deep.equal(['10.0.0.2', '10.1.0.0/24', 'loopback']);
    });
    it('refuses anything else, naming the variable', () => {
      expect(() => loadConfig({ TRUST_PROXY: 'true' })).to.throw(ConfigError, /TRUST_PROXY/);
      expect(() => loadConfig({ TRUST_PROXY: 'proxy.example' })).to.throw(ConfigError, /TRUST_PROXY/);
    });
  });
});
