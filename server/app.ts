import compression from 'compression';
import express, { type Request, type Response } from 'express';
import { authenticator, machineTokenOr, optionalAuthenticator, type TokenSettings } from './auth';
import { Catalogue } from './catalogue';
import { systemClock, type Clock } from './clock';
import type { AppConfig } from './config';
import type { AppContext } from './context';
import { migrationsApplied, type Database, type Db } from './db';
import { createLogger, type Logger } from './logger';
import { apiNotFound, problemHandler } from './middleware/problem';
import type { ValidationContext } from './schemas';
import { requestLogging } from './middleware/request-context';
import { cors, csrfGuard, securityHeaders } from './middleware/security';
import { createMetrics } from './metrics';
import { pageNotFound, pageRoutes } from './pages';
import { apiRoutes } from '../routes';
import { scanRoutes } from '../routes/channels/scan';
import { shortLinkRoutes } from '../routes/short-links';
import { watchPageRoutes } from '../routes/watches/page';

export interface AppDeps {
  db: Db;
  database?: Database;
  config: AppConfig;
  logger?: Logger;
  clock?: Clock;
  lookup?: AppContext['lookup'];
}

/** What every route is built with: the database, settings, clock, logger and the auth middlewares. */
export function appContext(deps: AppDeps): AppContext {
  const logger = deps.logger ?? createLogger(deps.config.logLevel);
  const clock = deps.clock ?? systemClock;
  const tokens: TokenSettings = { secret: deps.config.jwtSecret, ttlSeconds: deps.config.jwtTtlSeconds, clock };
  return {
    ...deps, logger, clock, tokens,
    auth: authenticator(deps.db, tokens),
    optionalAuth: optionalAuthenticator(deps.db, tokens),
    catalogue: new Catalogue(deps.db, clock, logger),
  };
}

/** Builds the Express app around a database; never listens (server/index.ts and tests do). */
export function createApp(deps: AppDeps): express.Express {
  const ctx = appContext(deps);
  const { logger, clock } = ctx;

  const app = express();
  app.disable('x-powered-by');
  // What request schemas check against besides the request: the city's districts (server/schemas.ts `district`).
  app.locals.validation = { city: deps.config.city } satisfies ValidationContext;
  // API answers are dynamic and mostly to POSTs: hashing each body for an ETag only costs CPU.
  // Static pages and bundles keep ETags (serve-static sets its own).
  app.set('etag', false);
  // Only the configured reverse proxy may say who the client is (TRUST_PROXY); by default nobody can.
  app.set('trust proxy', deps.config.trustProxy);
  app.use(requestLogging(logger));
  // Every text answer (pages, bundles, JSON, CSV) gzip- or brotli-compressed when the client accepts it:
  // townships reach us over slow mobile networks.
  app.use(compression());
  const metrics = createMetrics({ db: deps.db, database: deps.database, clock });
  app.use(metrics.middleware);
  app.use(securityHeaders(deps.config));

  app.get('/healthz', (_req: Request, res: Response) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req: Request, res: Response) => {
    let ready = false;
    try {
      ready = await migrationsApplied(ctx.db);
    } catch (err) {
      logger.warn({ err }, 'readiness check failed');
    }
    if (ready) {
      res.json({ status: 'ready', database: ctx.database?.kind ?? 'connected' });
      return;
    }
    res.status(503).type('application/problem+json').send(JSON.stringify({
      type: '/problems/not_ready', title: 'Not ready', status: 503, code: 'not_ready',
      detail: 'The database is unreachable or its migrations are not applied yet.',
    }));
  });

  // Prometheus: the scraper's own token (METRICS_TOKEN), or an admin's staff token; never public.
  app.get('/metrics', machineTokenOr(deps.config.metricsToken, ctx.auth('admin')), async (_req: Request, res: Response) => {
    res.set('Content-Type', metrics.registry.contentType).set('Cache-Control', 'no-store').send(await metrics.registry.metrics());
  });

  app.use('/api', cors(deps.config), csrfGuard(deps.config), express.json({ limit: '1mb' }), apiRoutes(ctx));
  app.use('/api', apiNotFound);
  app.use(scanRoutes(ctx));
  app.use(shortLinkRoutes(ctx));
  app.use(watchPageRoutes(ctx));
  app.use(pageRoutes(ctx));
  app.use(pageNotFound);
  app.use(problemHandler(logger));
  return app;
}
