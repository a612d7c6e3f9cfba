import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { AppConfig, Config } from './config';
import type { Db } from './db';
import { generatePassword, hashPassword, passwordWeakness } from './domain/password';
import type { Logger } from './logger';
import { users } from '../models/users';

/**
 * The JWT secret: JWT_SECRET when set (required in production); otherwise one generated once and kept
 * in DATA_DIR/jwt-secret, so sessions survive restarts of the embedded default.
 */
export function resolveJwtSecret(config: Config, logger: Logger): AppConfig {
  if (config.jwtSecret) return { ...config, jwtSecret: config.jwtSecret };
  const file = path.join(config.dataDir, 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
    logger.info({ file }, 'generated a JWT secret for this data directory');
  }
  if (config.databaseUrl) logger.warn('JWT_SECRET is not set: instances sharing this database must share one secret; set JWT_SECRET');
  return { ...config, jwtSecret: readFileSync(file, 'utf8').trim() };
}

/**
 * On the first start (no admin at all), creates `admin`; a generated password is logged exactly once.
 * A BOOTSTRAP_ADMIN_PASSWORD that is too easy to guess stops the start with the reason.
 */
export async function ensureBootstrapAdmin(db: Db, config: Config, logger: Logger): Promise<void> {
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).limit(1);
  if (existing) return;
  const weakness = config.bootstrapAdminPassword === undefined ? undefined : passwordWeakness(config.bootstrapAdminPassword, ['admin']);
  if (weakness) throw new Error(`BOOTSTRAP_ADMIN_PASSWORD is refused: ${weakness.replace(/^password /, 'it ')} Set BOOTSTRAP_ADMIN_PASSWORD to a longer phrase of uncommon words, or leave it unset to have one generated.`);
  const password = config.bootstrapAdminPassword ?? generatePassword();
  const passwordHash = await hashPassword(password);
  const inserted = await db.insert(users)
    .values({ username: 'admin', passwordHash, role: 'admin', name: '系统管理员' })
    .onConflictDoNothing().returning({ id: users.id });
  if (inserted.length === 0) return;
  if (config.bootstrapAdminPassword) logger.info('created the admin account with BOOTSTRAP_ADMIN_PASSWORD');
  else logger.warn(`created the admin account; username: admin, password: ${password} (shown only this once; change it after signing in)`);
}
