import type { AppContext } from '../../server/context';
import { issueToken } from '../../server/auth';
import { AppError, UnauthorizedError } from '../../server/errors';
import { decoyHash, verifyPassword } from '../../server/domain/password';
import { recordAudit } from '../../models/audit';
import { findUserByUsername, recordFailedLogin, recordSuccessfulLogin, type UserRow } from '../../models/users';
import type { LoginInput } from './schema';

const invalidCredentials = () => new UnauthorizedError({ code: 'invalid_credentials', detail: 'Wrong username or password.' });

function lockedError(until: Date, now: Date) {
  const seconds = Math.ceil((until.getTime() - now.getTime()) / 1000);
  return new AppError({
    status: 423, code: 'account_locked', title: 'Account locked',
    detail: `Too many wrong passwords; try again after ${until.toISOString()} or ask an administrator to unlock the account.`,
    headers: { 'Retry-After': String(seconds) },
    extra: { lockedUntil: until.toISOString() },
  });
}

/**
 * Checks a username and password. Five wrong passwords within 15 minutes lock the account for 15
 * minutes; while locked, even the right password is refused. Unknown users cost the same scrypt work.
 */
export async function signIn(ctx: AppContext, input: LoginInput, ip: string | undefined): Promise<{ token: string; user: UserRow }> {
  const now = ctx.clock.now();
  const user = await findUserByUsername(ctx.db, input.username);
  if (!user) {
    await verifyPassword(input.password, await decoyHash);
    throw invalidCredentials();
  }
  if (user.lockedUntil && user.lockedUntil > now) throw lockedError(user.lockedUntil, now);
  const ok = await verifyPassword(input.password, user.passwordHash);
  if (!ok || !user.active) {
    if (!ok) {
      const { lockedUntil } = await recordFailedLogin(ctx.db, user.id, now);
      if (lockedUntil) {
        await recordAudit(ctx.db, { action: 'auth.locked', entity: 'user', entityId: user.id, bankId: user.bankId, ip });
        ctx.logger.warn({ userId: user.id }, 'account locked after repeated failed sign-ins');
      }
    }
    throw invalidCredentials();
  }
  await recordSuccessfulLogin(ctx.db, user.id, now);
  await recordAudit(ctx.db, { actor: user, action: 'auth.login', entity: 'user', entityId: user.id, bankId: user.bankId, ip });
  return { token: issueToken(user, ctx.tokens), user };
}
