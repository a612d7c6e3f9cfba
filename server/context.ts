import type { authenticator, optionalAuthenticator, TokenSettings } from './auth';
import type { Catalogue } from './catalogue';
import type { Clock } from './clock';
import type { AppConfig } from './config';
import type { Database, Db } from './db';
import type { Logger } from './logger';

/** What route handlers and operations need from the running service. */
export interface AppContext {
  db: Db;
  database?: Database;
  config: AppConfig;
  logger: Logger;
  clock: Clock;
  tokens: TokenSettings;
  auth: ReturnType<typeof authenticator>;
  optionalAuth: ReturnType<typeof optionalAuthenticator>;
  /** The compiled published catalogue for matching. */
  catalogue: Catalogue;
}
