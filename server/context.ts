import type { authenticator, optionalAuthenticator, TokenSettings } from './auth';
import type { Catalogue } from './catalogue';
import type { Clock } from './clock';
import type { AppConfig } from './config';
import type { Database, Db } from './db';
import type { Logger } from './logger';
import type { HostLookup } from './outbound-address';

/** What route handlers and operations need from the running service. */
export interface AppContext {
  db: Db;
  database?: Database;
  config: AppConfig;
  logger: Logger;
  clock: Clock;
  /** Resolves host names the service itself calls (webhook targets); DNS by default, a fake in tests. */
  lookup?: HostLookup;
  tokens: TokenSettings;
  auth: ReturnType<typeof authenticator>;
  optionalAuth: ReturnType<typeof optionalAuthenticator>;
  /** The compiled published catalogue for matching. */
  catalogue: Catalogue;
}
