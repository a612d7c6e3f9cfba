import type { Clock } from '../clock';
import type { AppConfig } from '../config';
import type { Db } from '../db';
import type { Logger } from '../logger';

export interface JobDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  config: AppConfig;
}

/** A scheduled job (STYLE.md): a name, a cron schedule (Asia/Shanghai), and what it does, returning counts. */
export interface Job {
  name: string;
  schedule: string;
  description: string;
  run(deps: JobDeps): Promise<Record<string, number>>;
}
