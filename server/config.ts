import Joi from 'joi';
import ipaddr from 'ipaddr.js';

/** Settings read once from the environment at start; see the configuration table in README.md. */
export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  databaseUrl?: string;
  dataDir: string;
  /** Absent only before `resolveJwtSecret` has run for the embedded default. */
  jwtSecret?: string;
  jwtTtlSeconds: number;
  publicBaseUrl: string;
  logLevel: string;
  bootstrapAdminPassword?: string;
  seedOnFirstStart: boolean;
  /** Requests per minute per client address to the public POST /api/match. */
  matchRateLimit: number;
  /** Submissions per hour per client address, and per company (USCC). */
  applicationRateLimit: { perIp: number; perCompany: number };
  /** The financing desk's phone, shown where an applicant may need help. */
  deskPhone: string;
  /** Days after a request closes before its contact data is anonymised. */
  piiRetentionDays: number;
  /** Origins (scheme://host[:port]) allowed to call the API from another site's pages; none by default. */
  corsOrigins: string[];
  /** Bearer token a Prometheus scraper presents at /metrics (otherwise only an admin's staff token opens it). */
  metricsToken?: string;
  /**
   * Webhook targets allowed although they are (or resolve to) an internal address: host names, IPs or
   * CIDRs (a bank's intranet gateway). Empty by default in every mode.
   */
  webhookAllowedHosts: string[];
  /** Express `trust proxy`: the reverse proxy's addresses or CIDRs; false (X-Forwarded-For ignored) by default. */
  trustProxy: string[] | false;
  /** Token of `npm run backup` / `export:sql` for this start (set by the embedded service, never from the environment). */
  opsToken?: string;
}

export type AppConfig = Config & { jwtSecret: string };

const envSchema = Joi.object({
  NODE_ENV: Joi.string().valid('development', 'production', 'test').default('development')
    .description('development, production or test; production requires JWT_SECRET'),
  PORT: Joi.number().port().default(3000)
    .description('TCP port the HTTP server listens on, 1-65535 (default 3000)'),
  DATABASE_URL: Joi.string().uri({ scheme: ['postgres', 'postgresql'] })
    .description('postgres://user:pass@host:5432/db for a PostgreSQL server; leave unset for the embedded PGlite database'),
  DATA_DIR: Joi.string().default('./data')
    .description('directory for the embedded database and the generated JWT secret (default ./data)'),
  JWT_SECRET: Joi.string().min(32).when('NODE_ENV', { is: 'production', then: Joi.required() })
    .description('secret of at least 32 characters for signing staff tokens; required in production, generated under DATA_DIR otherwise'),
  JWT_TTL_SECONDS: Joi.number().integer().min(60).max(3600).default(3600)
    .description('lifetime of a staff token in seconds, 60-3600 (default 3600)'),
  PUBLIC_BASE_URL: Joi.string().uri({ scheme: ['http', 'https'] })
    .description('public address written into QR codes and tracking links, e.g. https://rongma.example.gov.cn (default http://localhost:PORT)'),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info')
    .description('fatal, error, warn, info, debug, trace or silent (default info)'),
  BOOTSTRAP_ADMIN_PASSWORD: Joi.string().min(10)
    .description('password (10+ characters) for the "admin" account created on first start; generated and logged once if unset'),
  MATCH_RATE_LIMIT: Joi.number().integer().min(1).max(1_000_000).default(60)
    .description('requests per minute one client address may send to POST /api/match, 1-1000000 (default 60)'),
  APPLICATION_RATE_LIMIT_IP: Joi.number().integer().min(1).max(1_000_000).default(30)
    .description('applications per hour one client address may submit, 1-1000000 (default 30)'),
  APPLICATION_RATE_LIMIT_COMPANY: Joi.number().integer().min(1).max(1_000_000).default(10)
    .description('applications per hour for one company (USCC), 1-1000000 (default 10)'),
  DESK_PHONE: Joi.string().trim().max(40).default('12345')
    .description('the financing desk phone number shown to applicants (default 12345, the government service hotline)'),
  PII_RETENTION_DAYS: Joi.number().integer().min(1).max(3650).default(180)
    .description('days after a request closes before the contact\'s name and phone are anonymised, 1-3650 (default 180)'),
  CORS_ORIGINS: Joi.string().pattern(/^https?:\/\/[^\s,/]+(,\s*https?:\/\/[^\s,/]+)*$/)
    .description('comma-separated origins allowed to call the API from their pages, e.g. https://portal.example.gov.cn (default none: CORS closed)'),
  METRICS_TOKEN: Joi.string().min(32)
    .description('a random string of 32+ characters that Prometheus sends as "Authorization: Bearer …" to GET /metrics (default unset: admins only)'),
  SEED_ON_FIRST_START: Joi.boolean().truthy('1').falsy('0')
    .description('true/false: seed the demo registry on the first start of the embedded database (default true, but false when NODE_ENV=production)'),
  WEBHOOK_ALLOWED_HOSTS: Joi.string().custom(listOf(isHostOrCidr), 'host names, IPs or CIDRs')
    .messages({ 'any.invalid': 'has an entry that is neither a host name, an IP address nor a CIDR' })
    .description('comma-separated host names, IPs or CIDRs (bank.intranet.example, 10.8.0.5, 10.8.0.0/16) that webhooks may target although internal (default none)'),
  TRUST_PROXY: Joi.string().custom(listOf(isProxyAddress), 'proxy addresses')
    .messages({ 'any.invalid': 'has an entry that is neither an IP address, a CIDR nor loopback/linklocal/uniquelocal' })
    .description('comma-separated addresses or CIDRs of the reverse proxy in front of the service, e.g. 10.0.0.2 or 10.0.0.0/24 (default unset: X-Forwarded-For is ignored)'),
}).unknown(true);

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

function isIpOrCidr(entry: string): boolean {
  if (entry.includes('/')) {
    try {
      ipaddr.parseCIDR(entry);
      return true;
    } catch {
      return false;
    }
  }
  return ipaddr.isValid(entry.replace(/^\[(.*)\]$/, '$1'));
}

function isHostOrCidr(entry: string): boolean {
  return isIpOrCidr(entry) || HOST_NAME.test(entry);
}

function isProxyAddress(entry: string): boolean {
  return ['loopback', 'linklocal', 'uniquelocal'].includes(entry) || isIpOrCidr(entry);
}

/** A joi custom rule over a comma-separated list: trims, drops empty entries, checks each. */
function listOf(valid: (entry: string) => boolean) {
  return (value: string, helpers: Joi.CustomHelpers) => {
    const entries = splitList(value);
    return entries.every(valid) ? entries : helpers.error('any.invalid');
  };
}

function splitList(value: string | string[] | undefined): string[] {
  if (Array.isArray(value)) return value;
  return (value ?? '').split(',').map((e) => e.trim()).filter(Boolean);
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Validates the environment; throws a ConfigError whose message says what to set. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (as docker compose passes for an unset one) means "not set".
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const { value, error } = envSchema.validate(present, { abortEarly: false, convert: true });
  if (error) {
    const described = envSchema.describe().keys as Record<string, { flags?: { description?: string } }>;
    const lines = error.details.map((d) => {
      const key = String(d.path[0]);
      const hint = described[key]?.flags?.description;
      return `  - ${key}: ${d.message.replaceAll('"', '')}${hint ? `. Set ${key} to ${hint}.` : ''}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const port = value.PORT as number;
  return {
    nodeEnv: value.NODE_ENV,
    port,
    databaseUrl: value.DATABASE_URL,
    dataDir: value.DATA_DIR,
    jwtSecret: value.JWT_SECRET,
    jwtTtlSeconds: value.JWT_TTL_SECONDS,
    publicBaseUrl: (value.PUBLIC_BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    logLevel: value.LOG_LEVEL,
    bootstrapAdminPassword: value.BOOTSTRAP_ADMIN_PASSWORD,
    seedOnFirstStart: value.SEED_ON_FIRST_START ?? value.NODE_ENV !== 'production',
    matchRateLimit: value.MATCH_RATE_LIMIT,
    applicationRateLimit: { perIp: value.APPLICATION_RATE_LIMIT_IP, perCompany: value.APPLICATION_RATE_LIMIT_COMPANY },
    deskPhone: value.DESK_PHONE,
    piiRetentionDays: value.PII_RETENTION_DAYS,
    metricsToken: value.METRICS_TOKEN,
    corsOrigins: value.CORS_ORIGINS ? String(value.CORS_ORIGINS).split(',').map((o) => o.trim()) : [],
    webhookAllowedHosts: splitList(value.WEBHOOK_ALLOWED_HOSTS).map((e) => e.toLowerCase()),
    trustProxy: value.TRUST_PROXY ? splitList(value.TRUST_PROXY) : false,
  };
}
