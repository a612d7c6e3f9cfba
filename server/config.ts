import Joi from 'joi';
import ipaddr from 'ipaddr.js';
import { DEFAULT_CITY, cityNames, cityProfile, type CityName, type CityProfile } from './domain/cities';

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
  /** The city the service runs for (CITY): its districts, names and financing desk. */
  city: CityProfile;
  /** The financing desk's phone, shown where an applicant may need help (DESK_PHONE, else the city profile's). */
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
  /** Whether POST /api/applications needs a phoneToken (SPEC "Phone verification"); `off` for kiosks and tests. */
  phoneVerification: 'required' | 'off';
  /** The name applicants' messages are signed with (DESK_NAME, else the city profile's desk). */
  deskName: string;
  /** A folder of extra holiday schedules (YYYY.json) beside the shipped ones, if any. */
  holidaysDir?: string;
  sms: SmsConfig;
}

export const smsTemplateNames = ['code', 'submitted', 'claimed', 'approved', 'declined', 'disbursed', 'amended', 'takeover', 'watch', 'consent', 'coaching'] as const;
export type SmsTemplateName = (typeof smsTemplateNames)[number];

/** Where applicants' SMS go: kept in the database only (`log`), a city gateway (`http`) or a vendor's API. */
export interface SmsConfig {
  provider: 'log' | 'http' | 'tencent' | 'aliyun';
  http?: { url: string; secret: string };
  tencent?: { secretId: string; secretKey: string; appId: string; region: string; endpoint: string };
  aliyun?: { accessKeyId: string; accessKeySecret: string; endpoint: string };
  /** The registered signature (签名) the vendor puts in front of every message. */
  signName?: string;
  /** Each message kind's template id registered with the vendor (tencent, aliyun). */
  templateIds: Partial<Record<SmsTemplateName, string>>;
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
  CITY: Joi.string().trim().lowercase().valid(...cityNames).default(DEFAULT_CITY)
    .description(`the city profile the service runs for (its districts, names and financing desk): one of ${cityNames.join(', ')} (default ${DEFAULT_CITY})`),
  DESK_PHONE: Joi.string().trim().max(40)
    .description('the financing desk phone number shown to applicants (default: the city profile\'s, 12345 for the shipped ones)'),
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
  PHONE_VERIFICATION: Joi.string().valid('required', 'off').default('required')
    .description('required or off: whether a request needs a phone verified by SMS code (default required; off for staffed kiosks)'),
  DESK_NAME: Joi.string().trim().min(2).max(30)
    .description('the desk name messages are signed with, 2-30 characters (default: the city profile\'s desk name)'),
  HOLIDAYS_DIR: Joi.string()
    .description('a folder of holiday schedules YYYY.json for years the service does not ship yet (default none)'),
  SMS_PROVIDER: Joi.string().valid('log', 'http', 'tencent', 'aliyun').default('log')
    .description('log, http, tencent or aliyun: where applicant SMS go (default log: kept in the database, read at GET /api/admin/sms)'),
  SMS_HTTP_URL: Joi.string().uri({ scheme: ['http', 'https'] }).when('SMS_PROVIDER', { is: 'http', then: Joi.required() })
    .description('the city SMS gateway that receives signed JSON POSTs, e.g. https://sms.gov.example/send; required with SMS_PROVIDER=http'),
  SMS_HTTP_SECRET: Joi.string().min(32).when('SMS_PROVIDER', { is: 'http', then: Joi.required() })
    .description('a secret of 32+ characters shared with the SMS gateway for the X-Rongma-Signature HMAC; required with SMS_PROVIDER=http'),
  SMS_SIGN_NAME: Joi.string().trim().min(2).max(20).when('SMS_PROVIDER', { is: Joi.valid('tencent', 'aliyun'), then: Joi.required() })
    .description('the SMS signature (签名) approved by the vendor, e.g. 某某市政务服务; required with tencent or aliyun'),
  SMS_TEMPLATE_IDS: Joi.string().custom(templateIds, 'template ids')
    .messages({ 'any.invalid': `must name every template as name=id, comma-separated: ${smsTemplateNames.join(', ')}` })
    .when('SMS_PROVIDER', { is: Joi.valid('tencent', 'aliyun'), then: Joi.required() })
    .description(`the vendor template ids, e.g. code=1234567,submitted=1234568,… (every one of ${smsTemplateNames.join(', ')}); required with tencent or aliyun`),
  TENCENT_SMS_SECRET_ID: Joi.string().trim().min(8).when('SMS_PROVIDER', { is: 'tencent', then: Joi.required() })
    .description('Tencent Cloud API SecretId (CAM key with sms:SendSms); required with SMS_PROVIDER=tencent'),
  TENCENT_SMS_SECRET_KEY: Joi.string().trim().min(8).when('SMS_PROVIDER', { is: 'tencent', then: Joi.required() })
    .description('Tencent Cloud API SecretKey; required with SMS_PROVIDER=tencent'),
  TENCENT_SMS_APP_ID: Joi.string().trim().pattern(/^\d{6,12}$/).when('SMS_PROVIDER', { is: 'tencent', then: Joi.required() })
    .description('the SmsSdkAppId of the SMS application (digits, e.g. 1400123456); required with SMS_PROVIDER=tencent'),
  TENCENT_SMS_REGION: Joi.string().trim().pattern(/^[a-z]+-[a-z]+$/).default('ap-guangzhou')
    .description('the Tencent Cloud region of the SMS API, e.g. ap-guangzhou (default) or ap-beijing'),
  TENCENT_SMS_ENDPOINT: Joi.string().uri({ scheme: ['http', 'https'] }).default('https://sms.tencentcloudapi.com')
    .description('the Tencent SMS API address (default https://sms.tencentcloudapi.com)'),
  ALIYUN_SMS_ACCESS_KEY_ID: Joi.string().trim().min(8).when('SMS_PROVIDER', { is: 'aliyun', then: Joi.required() })
    .description('Alibaba Cloud AccessKey ID (RAM user with dysms:SendSms); required with SMS_PROVIDER=aliyun'),
  ALIYUN_SMS_ACCESS_KEY_SECRET: Joi.string().trim().min(8).when('SMS_PROVIDER', { is: 'aliyun', then: Joi.required() })
    .description('Alibaba Cloud AccessKey secret; required with SMS_PROVIDER=aliyun'),
  ALIYUN_SMS_ENDPOINT: Joi.string().uri({ scheme: ['http', 'https'] }).default('https://dysmsapi.aliyuncs.com')
    .description('the Alibaba Cloud SMS API address (default https://dysmsapi.aliyuncs.com)'),
}).unknown(true);

/** `name=id,…` naming every template once. */
function templateIds(value: string, helpers: Joi.CustomHelpers) {
  const pairs = splitList(value).map((e) => e.split('=').map((x) => x.trim()));
  const map = Object.fromEntries(pairs.filter((p) => p.length === 2 && p[1]).map(([k, v]) => [k, v]));
  const complete = pairs.every((p) => p.length === 2 && p[1] && (smsTemplateNames as readonly string[]).includes(p[0]!)) && smsTemplateNames.every((n) => map[n]);
  return complete ? map : helpers.error('any.invalid');
}

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
  const city = cityProfile(value.CITY as CityName);
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
    city,
    deskPhone: value.DESK_PHONE ?? city.desk.phone,
    piiRetentionDays: value.PII_RETENTION_DAYS,
    metricsToken: value.METRICS_TOKEN,
    corsOrigins: value.CORS_ORIGINS ? String(value.CORS_ORIGINS).split(',').map((o) => o.trim()) : [],
    webhookAllowedHosts: splitList(value.WEBHOOK_ALLOWED_HOSTS).map((e) => e.toLowerCase()),
    trustProxy: value.TRUST_PROXY ? splitList(value.TRUST_PROXY) : false,
    phoneVerification: value.PHONE_VERIFICATION,
    deskName: value.DESK_NAME ?? city.desk.name,
    holidaysDir: value.HOLIDAYS_DIR,
    sms: smsConfigOf(value),
  };
}

function smsConfigOf(v: Record<string, string>): SmsConfig {
  const provider = v.SMS_PROVIDER as SmsConfig['provider'];
  return {
    provider,
    ...(provider === 'http' ? { http: { url: v.SMS_HTTP_URL!, secret: v.SMS_HTTP_SECRET! } } : {}),
    ...(provider === 'tencent' ? { tencent: { secretId: v.TENCENT_SMS_SECRET_ID!, secretKey: v.TENCENT_SMS_SECRET_KEY!, appId: v.TENCENT_SMS_APP_ID!, region: v.TENCENT_SMS_REGION!, endpoint: v.TENCENT_SMS_ENDPOINT! } } : {}),
    ...(provider === 'aliyun' ? { aliyun: { accessKeyId: v.ALIYUN_SMS_ACCESS_KEY_ID!, accessKeySecret: v.ALIYUN_SMS_ACCESS_KEY_SECRET!, endpoint: v.ALIYUN_SMS_ENDPOINT! } } : {}),
    signName: v.SMS_SIGN_NAME,
    templateIds: (v.SMS_TEMPLATE_IDS ?? {}) as SmsConfig['templateIds'],
  };
}
