import { userInfo } from 'node:os';
import type { Actor } from '../auth';
import type { Executor } from '../db';
import { recordAudit } from '../../models/audit';

/** The two ways the whole database leaves the service: the data directory as .tar.gz, or SQL. */
export type DatabaseCopy = 'backup' | 'export_sql';

/**
 * How a copy was asked for: an admin's session through the API, the per-start operations token
 * (`npm run backup` / `export:sql` against the running service), or an ops script that opened the
 * stopped database itself.
 */
export type CopyVia = 'admin' | 'ops_token' | 'script';

function osUser(): string | null {
  try {
    return userInfo().username;
  } catch {
    return null;
  }
}

/**
 * Writes the audit row of one copy of the whole database (every applicant's phone, password hashes,
 * webhook secrets), before the copy is read so the copy holds its own row. Without a staff actor the
 * row's role is `ops`; a script also records the operating-system user who ran it.
 */
export async function auditDatabaseCopy(db: Executor, c: { kind: DatabaseCopy; via: CopyVia; actor?: Actor | null; ip?: string | null; requestId?: string | null; file?: string }): Promise<void> {
  await recordAudit(db, {
    actor: c.actor ?? null,
    actorRole: 'ops',
    action: `database.${c.kind}`,
    entity: 'database',
    ip: c.ip ?? null,
    requestId: c.requestId ?? null,
    after: { via: c.via, ...(c.file ? { file: c.file } : {}), ...(c.via === 'script' ? { osUser: osUser() } : {}) },
  });
}
