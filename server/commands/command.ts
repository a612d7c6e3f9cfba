import type { Actor } from '../auth';
import type { Db } from '../db';

/**
 * What every command is given: the database (it opens its own transaction), who acts, the validated input and the
 * moment it acts at. No request, no response, no HTTP status: a command returns rows or throws an AppError.
 */
export interface CommandArgs<I> {
  db: Db;
  actor: Actor;
  input: I;
  now: Date;
  /** The client's address, kept in the audit log when there is a request. */
  ip?: string;
}
